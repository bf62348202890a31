from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestMentorApplication(MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_candidate, cls.candidate = cls._create_student("candidate", "Cara", "Candidate", cls.batch, marks=95)
        cls.user_peer, cls.peer = cls._create_student("peer", "Pat", "Peer", cls.batch, marks=55)
        cls.env["op.student.achievement"].create(
            {"name": "Regional coding contest, 1st", "student_id": cls.candidate.id}
        )
        cls.env["op.student.skill"].create({"name": "Python", "level": "3", "student_id": cls.candidate.id})

    def _new_application(self, user=None, **vals):
        Details = self.env["op.mentor.details"].with_user(user or self.user_faculty)
        return Details.create(
            {
                "course_id": self.course.id,
                "batch_id": self.batch.id,
                "student_id": self.candidate.id,
                "student_detail_ids": [Command.set(self.peer.ids)],
                "mentor_focus_id": [Command.set(self.focus.ids)],
                **vals,
            }
        )

    # ------------------------------------------------------------
    # Defaults and computed review fields
    # ------------------------------------------------------------

    def test_new_application_form_defaults_for_faculty(self):
        draft = self.env["op.mentor.details"].with_user(self.user_faculty).new({})
        self.assertEqual(draft.faculty_id, self.faculty, "defaults to the current user's faculty")
        self.assertEqual(
            draft.allowed_course_ids._origin, self.course, "only courses sharing a subject with the faculty"
        )
        draft.update({"course_id": self.course.id, "batch_id": self.batch.id})
        self.assertIn(self.candidate, draft.allowed_student_ids._origin)
        _user, outsider = self._create_student("outsider3", "Ugo", "Outsider", self.batch_other, marks=80)
        self.assertNotIn(outsider, draft.allowed_student_ids._origin, "only students enrolled in the batch")
        form = Form(self.env["op.mentor.details"].with_user(self.user_faculty))
        form.course_id = self.course
        form.batch_id = self.batch
        form.student_id = self.candidate
        form.mentor_focus_id.add(self.focus)
        form.student_detail_ids.add(self.peer)
        application = form.save()
        self.assertRegex(application.name, r"^APP\d{4}$")
        self.assertEqual(application.status, "draft")
        self.assertEqual(application.gradebook_id.student_id, self.candidate)
        self.assertAlmostEqual(application.percentage, 95.0)
        self.assertEqual(application.achivement_ids.mapped("name"), ["Regional coding contest, 1st"])
        self.assertEqual(application.skill_ids.mapped("name"), ["Python"])

    def test_gradebook_defaults_to_latest_line_of_the_batch(self):
        older = self.candidate_line = self.env["op.marksheet.line"].search([("student_id", "=", self.candidate.id)])
        older.generated_date = "2026-01-10"
        newer = self._create_marksheet_line(self.candidate, 72)
        newer.generated_date = "2026-06-20"
        application = self._new_application()
        self.assertEqual(application.gradebook_id, newer)
        self.assertAlmostEqual(application.percentage, 72.0)

    def test_sequence_is_incremental(self):
        first = self._new_application()
        first_number = int(first.name[3:])
        first.unlink()
        second = self._new_application()
        self.assertGreater(int(second.name[3:]), first_number)

    # ------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------

    def test_submit_schedules_approval_activity_for_administrators(self):
        application = self._new_application()
        application.action_submit()
        self.assertEqual(application.status, "pending")
        activity = application.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref("op_student_mentor.mail_act_mentor_approval"))
        self.assertIn(self.user_admin, activity.user_id)
        self.assertNotIn(self.user_faculty, activity.user_id)

    def test_approve_marks_mentor_creates_allocation_and_notifies_faculty(self):
        application = self._new_application()
        application.action_submit()
        self.assertFalse(self.candidate.is_mentor)
        with self.mock_mail_gateway():
            application.with_user(self.user_admin).action_approve()
        self.assertEqual(application.status, "approve")
        self.assertTrue(self.candidate.is_mentor)
        self.assertFalse(application.activity_ids, "the approval activity is closed")
        allocation = application.allocation_ids
        self.assertEqual(len(allocation), 1)
        self.assertEqual(allocation.mentor_id, self.candidate)
        self.assertEqual(allocation.student_ids, self.peer)
        self.assertEqual(allocation.faculty_id, self.faculty)
        self.flush_tracking()
        application.invalidate_recordset(["message_ids"])
        message = application.message_ids.filtered(lambda m: self.faculty.partner_id in m.partner_ids)
        self.assertTrue(message, "the nominating faculty is notified")
        self.assertIn("approved", message[0].body)

    def test_reject_needs_reason_through_wizard_and_notifies_faculty(self):
        application = self._new_application()
        application.action_submit()
        action = application.with_user(self.user_admin).action_reject()
        self.assertEqual(action["res_model"], "op.mentor.reject.wizard")
        wizard_form = Form(
            self.env["op.mentor.reject.wizard"].with_user(self.user_admin).with_context(**action["context"])
        )
        with self.assertRaises(AssertionError, msg="the reason is required"):
            wizard_form.save()
        with self.assertRaisesRegex(UserError, "needs a reason"):
            application.with_user(self.user_admin)._action_reject(reason="   ")
        self.assertEqual(application.status, "pending")
        wizard_form.reason = "Grades dropped this term."
        wizard_form.save().action_reject()
        self.assertEqual(application.status, "reject")
        self.assertEqual(application.rejection_reason, "Grades dropped this term.")
        self.assertFalse(self.candidate.is_mentor)
        self.assertFalse(application.allocation_ids)
        message = application.message_ids.filtered(lambda m: self.faculty.partner_id in m.partner_ids)
        self.assertIn("Grades dropped this term.", message[0].body)

    def test_reset_to_draft_by_administrator(self):
        application = self._new_application()
        application.action_submit()
        application.with_user(self.user_admin)._action_reject(reason="Not now")
        application.with_user(self.user_admin).action_draft()
        self.assertEqual(application.status, "draft")
        self.assertFalse(application.rejection_reason)
        # Resubmitting after a rejection works and is not a duplicate of itself.
        application.action_submit()
        self.assertEqual(application.status, "pending")

    def test_rejected_application_does_not_block_a_new_one(self):
        application = self._new_application()
        application.action_submit()
        application.with_user(self.user_admin)._action_reject(reason="Later")
        again = self._new_application()
        self.assertEqual(again.status, "draft")

    # ------------------------------------------------------------
    # Refusals: clear message, nothing written
    # ------------------------------------------------------------

    @mute_logger("odoo.sql_db")
    def test_candidate_not_in_batch(self):
        _user, outsider = self._create_student("outsider", "Olga", "Outsider", self.batch_other, marks=90)
        count = self.env["op.mentor.details"].search_count([])
        with (
            self.assertRaisesRegex(ValidationError, "Cannot find student for mentor.*not enrolled in batch"),
            self.env.cr.savepoint(),
        ):
            self._new_application(student_id=outsider.id, student_detail_ids=[])
        self.assertEqual(self.env["op.mentor.details"].search_count([]), count)

    def test_mentee_outside_batch(self):
        _user, outsider = self._create_student("outsider2", "Otto", "Outsider", self.batch_other, marks=40)
        with self.assertRaisesRegex(ValidationError, "Mentees must be enrolled in batch"):
            self._new_application(student_detail_ids=[Command.set((self.peer | outsider).ids)])

    def test_candidate_as_own_mentee(self):
        with self.assertRaisesRegex(ValidationError, "cannot be their own mentee"):
            self._new_application(student_detail_ids=[Command.set((self.peer | self.candidate).ids)])

    def test_empty_focus(self):
        with self.assertRaisesRegex(ValidationError, "at least one mentor focus area"):
            self._new_application(mentor_focus_id=[Command.clear()])

    def test_duplicate_mentor(self):
        first = self._new_application()
        first.action_submit()  # pending approval in the batch (a draft only warns: test_mentor_dayone)
        with self.assertRaisesRegex(ValidationError, f"Duplicate mentor.*{first.name}.*existing record"):
            self._new_application()

    def test_no_gradebook(self):
        _user, newcomer = self._create_student("newcomer", "Nina", "New", self.batch)
        with self.assertRaisesRegex(ValidationError, "(?i)create the student's marksheet first"):
            self._new_application(student_id=newcomer.id)

    def test_faculty_cannot_approve_reject_or_reset(self):
        application = self._new_application()
        application.action_submit()
        for method, kwargs in (("action_approve", {}), ("_action_reject", {"reason": "x"}), ("action_draft", {})):
            with self.subTest(method=method), self.assertRaisesRegex(AccessError, "Only a mentorship administrator"):
                getattr(application.with_user(self.user_faculty), method)(**kwargs)
        self.assertEqual(application.status, "pending")
        self.assertFalse(self.candidate.is_mentor)

    def test_approving_twice_is_refused(self):
        application = self._new_application()
        application.action_submit()
        application.with_user(self.user_admin).action_approve()
        with self.assertRaisesRegex(UserError, "is Approved; it cannot be moved to Approved"):
            application.with_user(self.user_admin).action_approve()
        self.assertEqual(len(application.allocation_ids), 1)

    def test_transitions_from_wrong_states(self):
        application = self._new_application()
        with self.assertRaisesRegex(UserError, "is Draft; it cannot be moved to Approved"):
            application.with_user(self.user_admin).action_approve()
        application.action_submit()
        with self.assertRaisesRegex(UserError, "is Pending Approval; it cannot be moved to Pending"):
            application.action_submit()

    def test_editing_a_decided_application_is_refused(self):
        application = self._new_application()
        application.action_submit()
        application.with_user(self.user_admin).action_approve()
        with self.assertRaisesRegex(UserError, "already decided"):
            application.with_user(self.user_admin).write({"reason_for_mentorship": "changed"})
        with self.assertRaises(UserError):
            application.with_user(self.user_admin).unlink()
        self.assertNotEqual(application.reason_for_mentorship, "changed")

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_faculty_cannot_nominate_in_another_faculty_name(self):
        with self.assertRaisesRegex(AccessError, "own name"):
            self._new_application(faculty_id=self.faculty_other.id)
        application = self._new_application()
        with self.assertRaises(AccessError):
            application.write({"faculty_id": self.faculty_other.id})
        self.assertEqual(application.faculty_id, self.faculty)

    def test_administrator_may_choose_the_faculty(self):
        application = self._new_application(user=self.user_admin, faculty_id=self.faculty_other.id)
        self.assertEqual(application.faculty_id, self.faculty_other)

    def test_student_form_mentorship_tab(self):
        self.assertTrue(self.student_mentor.is_mentor)
        self.assertEqual(self.student_mentor.mentor_application_count, 1)
        self.assertEqual(self.student_mentor.mentor_allocation_count, 1)
        self.assertEqual(self.student_mentee.mentor_allocation_count, 1)
        action = self.student_mentor.action_view_mentor_applications()
        self.assertEqual(self.env["op.mentor.details"].search(action["domain"]), self.application)
