"""Day one, workflow: what a school hits on day one (meetings closed before they start, who hears of an
approval, faculty answering on their applications, forgotten drafts, the eligibility banner, missed meetings)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestMentorDayOne(MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_candidate, cls.candidate = cls._create_student("candidate", "Cara", "Candidate", cls.batch, marks=95)
        cls.user_peer, cls.peer = cls._create_student("peer", "Pat", "Peer", cls.batch, marks=55)

    def _nominate(self, user=None, **vals):
        return (
            self.env["op.mentor.details"]
            .with_user(user or self.user_faculty)
            .create(
                {
                    "course_id": self.course.id,
                    "batch_id": self.batch.id,
                    "student_id": self.candidate.id,
                    "student_detail_ids": [Command.set(self.peer.ids)],
                    "mentor_focus_id": [Command.set(self.focus.ids)],
                    **vals,
                }
            )
        )

    def _mails_to(self, student):
        return self._new_mails.filtered(lambda m: student.partner_id in m.recipient_ids)

    # ------------------------------------------------------------
    # 1. Done only from the start time on; nothing unheld is rated
    # ------------------------------------------------------------

    def test_done_refused_before_start(self):
        meeting = self.meeting.with_user(self.user_mentor)
        start = self.meeting.date
        with freeze_time(start - timedelta(minutes=5)), self.assertRaisesRegex(UserError, "has not started yet"):
            meeting.action_done()
        self.assertEqual(self.meeting.status, "scheduled", "nothing written")
        with freeze_time(start):
            meeting.action_done()
        self.assertEqual(self.meeting.status, "done")

    def test_unheld_meeting_cannot_be_rated(self):
        """Before its start a meeting cannot be done, so its mentees are not asked to rate it."""
        with self.assertRaisesRegex(UserError, "has not started yet"):
            self.meeting.with_user(self.user_mentor).action_done()
        with self.assertRaisesRegex(ValidationError, "Only a meeting that took place"):
            self.env["op.mentor.meeting.rating"].with_user(self.user_mentee).sudo().create(
                {"meeting_id": self.meeting.id, "student_id": self.student_mentee.id, "rating": 5}
            )

    # ------------------------------------------------------------
    # 2. Approval tells the mentor and each mentee
    # ------------------------------------------------------------

    def test_approval_tells_mentor_and_mentees(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.peer.partner_id.lang = "fr_FR"
        application = self._nominate()
        application.action_submit()
        with self.mock_mail_gateway():
            application.with_user(self.user_admin).action_approve()
        to_mentor = self._mails_to(self.candidate)
        self.assertEqual(len(to_mentor), 1)
        self.assertIn("You are a peer mentor for CS-2026", to_mentor.subject)
        self.assertIn("Pat Peer", to_mentor.body_html, "the mentor learns who the mentees are")
        self.assertIn("/my/mentor/mentees", to_mentor.body_html)
        to_mentee = self._mails_to(self.peer)
        self.assertEqual(len(to_mentee), 1)
        self.assertIn("Cara Candidate", to_mentee.subject, "the mentee learns who the mentor is")
        self.assertIn("/my/mentorship/meetings", to_mentee.body_html)
        self.assertFalse(self._mails_to(self.student_other), "nobody else")
        # each in their own language
        allocation = application.allocation_ids
        template = self.env.ref("op_student_mentor.mail_template_mentor_allocation_mentee")
        self.assertEqual(template._render_lang(self.peer.ids), {self.peer.id: "fr_FR"})
        self.assertIn("Told by e-mail", allocation.message_ids[:1].body)

    # ------------------------------------------------------------
    # 3. Faculty write on their own applications at every status
    # ------------------------------------------------------------

    def test_faculty_posts_on_own_application_at_every_status(self):
        application = self._nominate()
        Thread = self.env["op.mentor.details"]
        for status in ("pending", "reject", "draft", "pending", "approve"):
            if status == "pending":
                application.action_submit()
            elif status == "reject":
                application.with_user(self.user_admin)._action_reject(reason="Not this term.")
            elif status == "draft":
                application.with_user(self.user_admin).action_draft()
            else:
                application.with_user(self.user_admin).action_approve()
            own = application.with_user(self.user_faculty)
            with self.subTest(status=status):
                own.message_post(body=f"Answer on {status}", message_type="comment", subtype_xmlid="mail.mt_comment")
                own.message_post(body=f"Note on {status}", message_type="comment", subtype_xmlid="mail.mt_note")
                self.assertEqual(
                    application.message_ids[:2].mapped("body"),
                    [f"<p>Note on {status}</p>", f"<p>Answer on {status}</p>"],
                )
        self.assertEqual(Thread._mail_post_access, "read", "the chatter's Send message / Log note are enabled")
        with mute_logger("odoo.addons.base.models.ir_rule"), self.assertRaises(AccessError):
            application.with_user(self.user_faculty_other).message_post(body="Not mine", message_type="comment")

    # ------------------------------------------------------------
    # 4. A draft warns and does not block a nomination
    # ------------------------------------------------------------

    def test_draft_does_not_block_nomination(self):
        draft = self._nominate(user=self.user_faculty)  # e.g. the form's autosave, then forgotten
        form = Form(self.env["op.mentor.details"].with_user(self.user_faculty))
        form.course_id = self.course
        form.batch_id = self.batch
        with self.assertLogs("odoo.tests.form.onchange", level="WARNING") as logs:
            form.student_id = self.candidate
        self.assertIn(draft.name, logs.output[0], "the warning names the draft")
        self.assertIn("Fiona Faculty", logs.output[0], "and its faculty")
        form.mentor_focus_id.add(self.focus)
        second = form.save()
        second.action_submit()
        self.assertEqual(second.status, "pending")
        # from now on the student is pending in the batch: that blocks, drafts included
        with self.assertRaisesRegex(ValidationError, f"Duplicate mentor.*{second.name}"):
            draft.action_submit()
        with self.assertRaisesRegex(ValidationError, f"Duplicate mentor.*{second.name}"):
            self._nominate()

    # ------------------------------------------------------------
    # 6. The eligibility banner: rules set and a candidate chosen
    # ------------------------------------------------------------

    def test_eligibility_banner_only_with_rules_and_candidate(self):
        Details = self.env["op.mentor.details"].with_user(self.user_faculty)
        self.assertFalse(Details.new({}).eligibility_status, "blank form, no rule: no banner")
        self.assertFalse(self._nominate().eligibility_status, "candidate, no rule: no banner")
        self.env.company.mentor_min_percentage = 80
        blank = Details.new({"course_id": self.course.id, "batch_id": self.batch.id})
        self.assertFalse(blank.eligibility_status, "rules, no candidate yet: no banner")
        self.env.invalidate_all()
        application = self.env["op.mentor.details"].search([("student_id", "=", self.candidate.id)])
        self.assertEqual(application.eligibility_status, "meets")
        self.assertIn("reaches the minimum", application.eligibility_reasons)

    # ------------------------------------------------------------
    # 7. Mentees hear of a missed meeting
    # ------------------------------------------------------------

    def test_missed_meeting_tells_mentees_with_reason(self):
        with freeze_time(self.meeting.date + timedelta(minutes=20)), self.mock_mail_gateway():
            self.meeting.with_user(self.user_mentor)._action_mark_missed("technical", "My laptop died, sorry Eli.")
        mail = self._mails_to(self.student_mentee)
        self.assertEqual(len(mail), 1)
        self.assertIn("Meeting missed: Weekly check-in", mail.subject)
        self.assertIn("Technical problem", mail.body_html, "the reason the mentor chose")
        self.assertNotIn("laptop", mail.body_html, "the details stay internal, as the form says")
        self.assertIn("Europe/Brussels", mail.body_html, "in the mentee's timezone")
        self.assertFalse(self._mails_to(self.student_mentee_other))


@tagged("post_install", "-at_install")
class TestMentorDayOneBackend(MentorCommon):
    """Day one, backend: the pickers, the overview, the lists and forms as a user reads them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_candidate, cls.candidate = cls._create_student("candidate", "Cara", "Candidate", cls.batch, marks=95)
        cls.user_newcomer, cls.newcomer = cls._create_student("newcomer", "Nina", "New", cls.batch)  # no marksheet

    # 5. Pickers
    def test_candidate_picker_grades_roles_and_choosable_only(self):
        draft = (
            self.env["op.mentor.details"]
            .with_user(self.user_faculty)
            .new({"course_id": self.course.id, "batch_id": self.batch.id})
        )
        allowed = draft.allowed_candidate_ids._origin
        self.assertIn(self.candidate, allowed)
        self.assertIn(self.student_mentee, allowed, "a mentee may be nominated (the role tells the faculty)")
        self.assertNotIn(self.student_mentor, allowed, "already a mentor in this batch")
        self.assertNotIn(self.newcomer, allowed, "no marksheet: could not be nominated")
        Student = self.env["op.student"].with_user(self.user_faculty).with_context(mentor_picker_batch_id=self.batch.id)
        results = Student.name_search("", [("id", "in", allowed.ids)])
        self.assertEqual(
            [name for _id, name in results][:2],
            ["Cara Candidate (95\N{NO-BREAK SPACE}%)", "Sam Student (70\N{NO-BREAK SPACE}%)"],
            "best grades first, with the grade",
        )
        by_id = dict(results)
        self.assertEqual(by_id[self.student_mentee.id], "Eli Mentee (61\N{NO-BREAK SPACE}%, mentee of Maya Mentor)")
        self.assertEqual(Student.browse(self.student_mentor.id).mentor_picker_role, "mentor")
        self.assertEqual(
            self.env["op.student"].browse(self.candidate.id).display_name, "Cara Candidate", "elsewhere unchanged"
        )

    def test_picker_list_hides_the_student_file(self):
        arch = self.env["op.student"].get_view(
            self.env.ref("op_student_mentor.op_student_view_list_mentor_picker").id, "list"
        )["arch"]
        for fname in ("mentor_picker_grade", "mentor_picker_role"):
            self.assertIn(f'name="{fname}"', arch)
        for fname in ("blood_group", "emergency_contact", "nationality"):
            self.assertNotIn(fname, arch)
        form = self.env["op.mentor.details"].get_view(self.env.ref("op_student_mentor.op_mentor_details_view_form").id)
        self.assertEqual(form["arch"].count("op_student_mentor.op_student_view_list_mentor_picker"), 2, "both pickers")

    # 13. Backend polish
    def test_application_grade_and_kanban_columns(self):
        self.assertEqual(self.application.percentage_display, "91\N{NO-BREAK SPACE}%")
        groups = self.env["op.mentor.details"].read_group([], ["status"], ["status"])
        self.assertEqual([g["status"] for g in groups], ["draft", "pending", "approve", "reject"])

    def test_allocation_load_one_phrase(self):
        self.assertEqual(self.allocation.mentor_load_display, "1 of 5 mentees", "the program's default limit")
        self.student_mentor.with_user(self.user_admin).mentor_capacity = 3
        self.assertEqual(self.allocation.mentor_load_display, "1 of 3 mentees")
        form = self.env["op.mentor.allocation"].get_view(
            self.env.ref("op_student_mentor.op_mentor_allocation_view_form").id
        )
        self.assertIn('name="mentor_load_display"', form["arch"])

    def test_followup_of_absent_mentee_does_not_read_completed(self):
        self._add_second_mentee()
        meeting = self._create_meeting(self.student_mentor, self.student_mentee | self.student_mentee_2, "Pair")
        followup = self.env["op.mentor.followup"].create(
            {"student_id": self.student_mentee_2.id, "allocation_id": self.allocation.id, "meeting_id": meeting.id}
        )
        self._mark_done(meeting)
        meeting.sudo().absent_student_ids = self.student_mentee_2
        followup.action_complete()
        self.assertEqual(followup.status, "completed")
        self.assertEqual(followup.list_status, "absent")
        arch = self.env["op.mentor.followup"].get_view(
            self.env.ref("op_student_mentor.op_mentor_followup_view_list").id
        )
        self.assertIn('name="list_status"', arch["arch"])

    def test_views_calendar_goals_overview(self):
        calendar = self.env["op.mentor.meeting"].get_view(
            self.env.ref("op_student_mentor.op_mentor_meeting_view_calendar").id, "calendar"
        )["arch"]
        self.assertIn('hide_time="1"', calendar, "week view: the title, not only the time, in a 30-minute slot")
        goals = self.env.ref("op_student_mentor.op_mentor_goal_view_list").arch_db
        self.assertIn("decoration-danger=\"state == 'open' and deadline and deadline &lt; current_date\"", goals)
        graph = self.env.ref("op_student_mentor.op_mentor_report_view_graph").arch_db
        self.assertNotIn('stacked="1"', graph)
        self.assertIn('<field name="nbr_meetings_done" type="measure" widget="integer"/>', graph)
        action = self.env.ref("op_student_mentor.op_mentor_report_action")
        self.assertIn("'graph_groupbys': ['date:month']}", action.context, "one measure, not every kind stacked")

    # 14. Empty states true for each role
    def test_empty_states_per_role(self):
        meetings_help = self.env.ref("op_student_mentor.op_mentor_meeting_action").help
        faculty = self.env["op.mentor.meeting"].with_user(self.user_faculty).get_empty_list_help(meetings_help)
        self.assertNotIn("schedule one", faculty)
        self.assertNotIn("here", faculty.split("</p>")[1].replace("appear here", ""), "no invitation to create here")
        admin = self.env["op.mentor.meeting"].with_user(self.user_admin).get_empty_list_help(meetings_help)
        self.assertIn("you can also do it here", admin)
        allocations_help = self.env.ref("op_student_mentor.op_mentor_allocation_action").help
        faculty = self.env["op.mentor.allocation"].with_user(self.user_faculty).get_empty_list_help(allocations_help)
        self.assertNotIn("add more here", faculty)
        self.assertIn("approves one of your nominations", faculty)
