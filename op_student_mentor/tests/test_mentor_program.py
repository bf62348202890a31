"""Program rules: mentor capacity, eligibility rules, recognition and certificate."""

import threading
from datetime import date
from functools import partial

from freezegun import freeze_time

from odoo import Command, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import MentorCommon, tamper_company_setting

RULE_LOGGERS = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")


class ProgramCommon(MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.student_extra_1 = cls._create_student("extra_1", "Ana", "Extra", cls.batch, marks=75, portal=False)[1]
        cls.student_extra_2 = cls._create_student("extra_2", "Ben", "Extra", cls.batch, marks=45, portal=False)[1]

    def _set_rules(self, **values):
        """Save program settings through the settings form's model."""
        self.env["res.config.settings"].create(values).execute()

    def _rules(self):
        return self.env["res.config.settings"]._mentor_program_rules()

    def _allocate(self, mentor, mentees, user=None, **vals):
        return (
            self.env["op.mentor.allocation"]
            .with_user(user or self.user_admin)
            .create(
                {
                    "mentor_id": mentor.id,
                    "course_id": self.course.id,
                    "batch_id": self.batch.id,
                    "student_ids": [Command.set(mentees.ids)],
                    **vals,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestProgramSettings(ProgramCommon):
    def test_defaults(self):
        rules = self._rules()
        self.assertEqual(rules["capacity"], 5)
        self.assertEqual((rules["min_percentage"], rules["min_achievements"], rules["min_skills"]), (0, 0, 0))
        self.assertEqual((rules["term_meetings"], rules["term_followups"]), (6, 3))

    def test_settings_saved_and_read_back(self):
        self._set_rules(
            mentor_capacity=0,  # no limit: must not turn back into the default
            mentor_min_percentage=72.5,
            mentor_min_achievements=1,
            mentor_min_skills=2,
            mentor_term_meetings=4,
            mentor_term_followups=0,
        )
        rules = self._rules()
        self.assertEqual(rules["capacity"], 0)
        self.assertEqual(rules["min_percentage"], 72.5)
        self.assertEqual((rules["min_achievements"], rules["min_skills"]), (1, 2))
        self.assertEqual((rules["term_meetings"], rules["term_followups"]), (4, 0))
        form_values = self.env["res.config.settings"].create({})
        self.assertEqual(form_values.mentor_capacity, 0)
        self.assertEqual(form_values.mentor_min_percentage, 72.5)

    def test_settings_refuse_bad_values(self):
        bad = [
            {"mentor_capacity": -1},
            {"mentor_min_percentage": -5},
            {"mentor_min_percentage": 100.5},
            {"mentor_min_achievements": -1},
            {"mentor_min_skills": -2},
            {"mentor_term_meetings": 0},
            {"mentor_term_followups": -1},
            {"mentor_capacity": 100000},
        ]
        for values in bad:
            with self.subTest(values=values), self.assertRaises(ValidationError), self.env.cr.savepoint():
                self._set_rules(**values)
        self.assertEqual(self._rules()["capacity"], 5)

    def test_tampered_parameter_falls_back_to_default(self):
        tamper_company_setting(self.env.company, "mentor_capacity", -3)
        tamper_company_setting(self.env.company, "mentor_min_percentage", 1000)
        rules = self._rules()
        self.assertEqual((rules["capacity"], rules["min_percentage"]), (5, 0))

    @mute_logger(*RULE_LOGGERS)
    def test_settings_are_administrators_only(self):
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.user_faculty).create({"mentor_capacity": 50})


@tagged("post_install", "-at_install")
class TestMentorCapacity(ProgramCommon):
    def test_allocation_beyond_capacity_refused(self):
        self._set_rules(mentor_capacity=2)
        self.assertEqual(self.student_mentor.mentor_mentee_count, 1)
        self.assertEqual(self.student_mentor.mentor_capacity_limit, 2)
        second = self._allocate(self.student_mentor, self.student_other)
        self.student_mentor.invalidate_recordset(["mentor_mentee_count"])
        self.assertEqual(self.student_mentor.mentor_mentee_count, 2)
        with self.assertRaises(ValidationError) as refusal, self.env.cr.savepoint():
            self._allocate(self.student_mentor, self.student_extra_1)
        message = str(refusal.exception)
        for text in ("Maya Mentor", "at most 2", "would have 3"):
            self.assertIn(text, message)
        # Adding to an existing allocation is refused the same way, and writes nothing.
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            second.with_user(self.user_admin).write({"student_ids": [Command.link(self.student_extra_1.id)]})
        self.assertEqual(second.student_ids, self.student_other)
        # Re-activating an archived allocation counts too.
        second.with_user(self.user_admin).write({"active": False})
        self._allocate(self.student_mentor, self.student_extra_1)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            second.with_user(self.user_admin).write({"active": True})
        # Another mentor is not concerned.
        self._allocate(self.student_mentor_other, self.student_extra_2)

    def test_bulk_create_counted_together(self):
        self._set_rules(mentor_capacity=2)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["op.mentor.allocation"].with_user(self.user_admin).create(
                [
                    {
                        "mentor_id": self.student_mentor.id,
                        "course_id": self.course.id,
                        "batch_id": self.batch.id,
                        "student_ids": [Command.set(student.ids)],
                    }
                    for student in (self.student_other, self.student_extra_1)
                ]
            )

    def test_per_mentor_limit_overrides_default(self):
        self._set_rules(mentor_capacity=1)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._allocate(self.student_mentor, self.student_other)
        self.student_mentor.with_user(self.user_admin).write({"mentor_capacity": 3})
        self.assertEqual(self.student_mentor.mentor_capacity_limit, 3)
        self._allocate(self.student_mentor, self.student_other | self.student_extra_1)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._allocate(self.student_mentor, self.student_extra_2)
        # 0 in the settings: no limit for mentors without their own.
        self._set_rules(mentor_capacity=0)
        self._allocate(self.student_mentor_other, self.student_extra_2)

    def test_shrinking_an_over_limit_mentor_is_allowed(self):
        self._allocate(self.student_mentor, self.student_other | self.student_extra_1)
        self._set_rules(mentor_capacity=1)  # the limit drops below the current load
        allocation = self.student_mentor.mentor_allocation_ids.filtered(lambda a: self.student_extra_1 in a.student_ids)
        allocation.with_user(self.user_admin).write({"student_ids": [Command.unlink(self.student_extra_1.id)]})
        self.student_mentor.invalidate_recordset(["mentor_mentee_count"])
        self.assertEqual(self.student_mentor.mentor_mentee_count, 2)

    def test_negative_mentor_limit_refused(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.student_mentor.with_user(self.user_admin).write({"mentor_capacity": -1})

    def test_administrator_override_logged_in_chatter(self):
        self._set_rules(mentor_capacity=1)
        allocation = self._allocate(
            self.student_mentor,
            self.student_other,
            capacity_override_reason="Last-year student, only needs two check-ins.",
        )
        self.assertEqual(allocation.student_ids, self.student_other)
        note = allocation.message_ids.filtered(lambda m: "Capacity override" in (m.body or ""))
        self.assertEqual(len(note), 1)
        for text in ("Ada Admin", "Maya Mentor", "2 students", "limit of 1", "only needs two check-ins"):
            self.assertIn(text, note.body)

    def test_approval_beyond_capacity_needs_override(self):
        self._set_rules(mentor_capacity=1)
        application = self._create_application(self.student_other, self.student_extra_1 | self.student_extra_2)
        application.with_user(self.user_admin).action_submit()
        with self.assertRaises(ValidationError) as refusal, self.env.cr.savepoint():
            application.with_user(self.user_admin).action_approve()
        self.assertIn("Sam Student", str(refusal.exception))
        self.assertEqual(application.status, "pending")
        self.assertFalse(application.allocation_ids)
        application.with_user(self.user_admin).write({"capacity_override_reason": "Two siblings, one mentor."})
        application.with_user(self.user_admin).action_approve()
        allocation = application.allocation_ids
        self.assertEqual(allocation.student_ids, self.student_extra_1 | self.student_extra_2)
        self.assertEqual(allocation.capacity_override_reason, "Two siblings, one mentor.")
        self.assertTrue(allocation.message_ids.filtered(lambda m: "Two siblings" in (m.body or "")))

    @mute_logger(*RULE_LOGGERS)
    def test_override_and_limit_refused_below_administrator(self):
        """Faculty (the lowest role that reaches applications and students) may not override or raise limits."""
        draft = self._create_application(self.student_other, self.student_extra_1, faculty=self.faculty)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            draft.with_user(self.user_faculty).write({"capacity_override_reason": "Please."})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.student_mentor.with_user(self.user_faculty).write({"mentor_capacity": 50})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.student_mentor.with_user(self.user_mentor).write({"mentor_capacity": 50})
        # Even on a superuser path (as approval creates allocations), the override stays the administrator's.
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["op.mentor.allocation"].with_user(self.user_faculty).sudo().create(
                {
                    "mentor_id": self.student_mentor.id,
                    "course_id": self.course.id,
                    "batch_id": self.batch.id,
                    "capacity_override_reason": "Sneaky.",
                }
            )
        self.assertFalse(self.student_mentor.mentor_capacity)
        self.assertEqual(self.student_mentor.mentor_capacity_limit, 5)


@tagged("post_install", "-at_install")
class TestMentorCapacityConcurrency(TransactionCase):
    """Two transactions allocating a mentor's last free slot at the same moment: one wins.

    Real, separate database connections (``self.registry.cursor()``, the registry is not in test
    mode for a TransactionCase), so the data are committed first and removed afterwards.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            course = env["op.course"].create({"name": "Concurrency Course", "code": "CONC"})
            batch = env["op.batch"].create(
                {
                    "name": "CONC-1",
                    "code": "CONC-1",
                    "course_id": course.id,
                    "start_date": date(2026, 1, 1),
                    "end_date": date(2027, 12, 31),
                }
            )
            students = env["op.student"].create(
                [
                    {
                        "first_name": first,
                        "last_name": "Concurrent",
                        "name": f"{first} Concurrent",
                        "birth_date": date(2005, 3, 1),
                        "gender": "f",
                        "email": f"{first.lower()}.concurrent@school.test",
                        "course_detail_ids": [Command.create({"course_id": course.id, "batch_id": batch.id})],
                    }
                    for first in ("Mona", "Carl", "Dina")
                ]
            )
            mentor = students[0]
            # The approval workflow is tested elsewhere: mark the mentor approved directly.
            env.flush_all()
            cr.execute("UPDATE op_student SET is_mentor = TRUE, mentor_capacity = 1 WHERE id = %s", [mentor.id])
            cls.ids = {"course": course.id, "batch": batch.id, "students": students.ids}
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["op.mentor.allocation"].with_context(active_test=False).search(
                [("mentor_id", "in", cls.ids["students"])]
            ).unlink()
            students = env["op.student"].browse(cls.ids["students"])
            partners = students.partner_id
            students.course_detail_ids.unlink()
            students.unlink()
            partners.exists().unlink()
            env["op.batch"].browse(cls.ids["batch"]).unlink()
            env["op.course"].browse(cls.ids["course"]).unlink()

    def _allocate_in_thread(self, uid, mentee_id, barrier, outcomes):
        """Allocate ``mentee_id`` to the mentor in a transaction of its own, run like a request
        (Odoo's ``retrying``: replayed on a serialization failure); appends (outcome, tries)."""
        mentor_id = self.ids["students"][0]
        tries = []

        def allocate(env):
            tries.append(1)
            env["op.mentor.allocation"].create(
                {
                    "mentor_id": mentor_id,
                    "course_id": self.ids["course"],
                    "batch_id": self.ids["batch"],
                    "student_ids": [Command.set([mentee_id])],
                }
            )

        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, uid, {})
                # Both transactions read the mentor's load (and take their snapshot) before either writes.
                env["op.student"].browse(mentor_id).mentor_mentee_count  # noqa: B018
                barrier.wait(timeout=30)
                try:
                    retrying(partial(allocate, env), env)
                    outcomes.append(("allocated", len(tries)))
                except ValidationError as error:
                    cr.rollback()
                    outcomes.append((f"refused: {error}", len(tries)))
        except Exception as error:  # noqa: BLE001 - reported by the test, never lost in the thread
            barrier.abort()
            outcomes.append((f"error: {error!r}", len(tries)))

    def test_last_slot_taken_once(self):
        barrier = threading.Barrier(2)
        outcomes = []
        uid = self.env.ref("base.user_admin").id  # read here: the threads never touch the test's cursor
        threads = [
            threading.Thread(target=self._allocate_in_thread, args=(uid, mentee_id, barrier, outcomes))
            for mentee_id in self.ids["students"][1:]
        ]
        with mute_logger("odoo.sql_db", "odoo.service.model"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a transaction is stuck")
        results = sorted(outcome for outcome, _tries in outcomes)
        self.assertEqual(len(results), 2, outcomes)
        self.assertEqual(results[0], "allocated", outcomes)
        self.assertTrue(results[1].startswith("refused: "), outcomes)
        self.assertIn("Mona Concurrent may mentor at most 1", results[1])
        # The loser waited for the winner's lock, failed to serialize and was replayed on fresh data.
        self.assertEqual([tries for outcome, tries in outcomes if outcome.startswith("refused")], [2], outcomes)
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT COUNT(DISTINCT rel.student_id) FROM op_mentor_allocation a
                   JOIN op_mentor_allocation_student_rel rel ON rel.allocation_id = a.id
                   WHERE a.mentor_id = %s AND a.active""",
                [self.ids["students"][0]],
            )
            self.assertEqual(cr.fetchone()[0], 1)


@tagged("post_install", "-at_install")
class TestEligibility(ProgramCommon):
    def test_application_shows_meets_or_not_with_reasons(self):
        application = self._create_application(self.student_other, self.env["op.student"])  # 70 %
        self.assertFalse(application.eligibility_status, "no rule set: no banner")
        self._set_rules(mentor_min_percentage=80, mentor_min_achievements=1)
        application.invalidate_recordset(["eligibility_status", "eligibility_reasons"])
        self.assertEqual(application.eligibility_status, "fails")
        self.assertIn("Exam result 70.00% is below the minimum of 80.00%.", application.eligibility_reasons)
        self.assertIn("0 achievements recorded, 1 required.", application.eligibility_reasons)
        self._set_rules(mentor_min_percentage=65, mentor_min_achievements=1)
        self.env["op.student.achievement"].create({"name": "Hackathon", "student_id": self.student_other.id})
        application.invalidate_recordset(["eligibility_status", "eligibility_reasons", "achivement_ids"])
        self.assertEqual(application.eligibility_status, "meets")
        self.assertIn("70.00% reaches the minimum of 65.00%", application.eligibility_reasons)
        # The faculty who nominated sees it too (computed for the reader, no extra rights).
        self.assertEqual(application.with_user(self.user_faculty).eligibility_status, "meets")

    def test_ineligible_application_cannot_be_approved(self):
        self._set_rules(mentor_min_percentage=80, mentor_min_skills=1)
        application = self._create_application(self.student_other, self.student_extra_1)
        application.with_user(self.user_faculty).action_submit()  # nominating is still allowed
        with self.assertRaises(ValidationError) as refusal, self.env.cr.savepoint():
            application.with_user(self.user_admin).action_approve()
        self.assertIn("Sam Student does not meet the eligibility rules", str(refusal.exception))
        self.assertIn("0 skills recorded, 1 required.", str(refusal.exception))
        self.assertEqual(application.status, "pending")
        self.assertFalse(self.student_other.is_mentor)

    @freeze_time("2026-09-01 06:00:00")
    def test_daily_check_flags_mentors_below_threshold_once(self):
        activity_type = self.env.ref("op_student_mentor.mail_act_mentor_eligibility")
        self._set_rules(mentor_min_percentage=80)

        def flags(application):
            return self.env["mail.activity"].search(
                [
                    ("res_model", "=", "op.mentor.details"),
                    ("res_id", "=", application.id),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )

        Details = self.env["op.mentor.details"]
        Details._cron_check_mentor_eligibility()
        self.assertFalse(flags(self.application) | flags(self.application_other))  # 91 % and 88 %
        # Maya's latest results fall to 62 %.
        self._create_marksheet_line(self.student_mentor, 62)
        Details._cron_check_mentor_eligibility()
        activities = flags(self.application)
        admins = self.env["res.users"]._mentor_admin_users()
        self.assertIn(self.user_admin, admins)
        self.assertEqual(activities.user_id, admins)
        self.assertIn("62.00% is below the minimum of 80.00%", str(activities[0].note))
        self.assertEqual(activities[0].date_deadline, date(2026, 9, 8))
        self.assertFalse(flags(self.application_other))
        # Next day: still below, no duplicate activity.
        Details._cron_check_mentor_eligibility()
        self.assertEqual(flags(self.application), activities)
        # Flagged, not revoked.
        self.assertEqual(self.application.status, "approve")
        self.assertTrue(self.student_mentor.is_mentor)
        self.assertTrue(self.allocation.active)
        # The rule is lowered: the flag is closed by the next run.
        self._set_rules(mentor_min_percentage=60)
        Details._cron_check_mentor_eligibility()
        self.assertFalse(flags(self.application))

    def test_cron_registered(self):
        cron = self.env.ref("op_student_mentor.ir_cron_mentor_eligibility_check")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.assertTrue(cron.active)


@tagged("post_install", "-at_install")
class TestRecognition(ProgramCommon):
    def _mentoring_achievements(self, student):
        return self.env["op.student.achievement"].search(
            [("student_id", "=", student.id), ("achievement_type", "=", "mentoring")]
        )

    def _complete_term(self):
        self._set_rules(mentor_term_meetings=2, mentor_term_followups=1)
        self._mark_done(self.meeting, self.user_mentor)
        second = self._create_meeting(self.student_mentor, self.student_mentee, "Second check-in", days=10)
        self._mark_done(second, self.user_mentor)
        self.assertFalse(self._mentoring_achievements(self.student_mentor), "no follow-up completed yet")
        self.assertIn("2 of 2 meetings held, 0 of 1 follow-ups completed", self.student_mentor._mentor_term_progress())
        self.followup.with_user(self.user_faculty).action_complete()

    @freeze_time("2026-11-20 10:00:00")
    def test_term_completed_gives_one_achievement(self):
        self._complete_term()
        achievement = self._mentoring_achievements(self.student_mentor)
        self.assertEqual(len(achievement), 1)
        self.assertEqual(achievement.date, date(2026, 11, 20))
        self.assertEqual(achievement.name, "Peer mentoring term completed")
        self.assertIn("2 meetings held and 1 follow-ups completed", achievement.description)
        self.assertTrue(self.student_mentor.mentor_recognized)
        self.assertTrue(self.application.mentor_recognized)
        self.assertIn(achievement, self.application.achivement_ids)
        # Idempotent: more meetings, a second run, the other mentor untouched.
        third = self._create_meeting(self.student_mentor, self.student_mentee, "Third check-in", days=12)
        self._mark_done(third, self.user_mentor)
        self.student_mentor._mentor_check_term()
        self.assertEqual(self._mentoring_achievements(self.student_mentor), achievement)
        self.assertFalse(self._mentoring_achievements(self.student_mentor_other))
        self.assertFalse(self.student_mentor_other.mentor_recognized)
        self.assertTrue(
            self.student_mentor.message_ids.filtered(lambda m: "completed a mentoring term" in (m.body or ""))
        )

    def test_certificate_refused_before_term(self):
        with self.assertRaises(UserError) as refusal:
            self.student_mentor.with_user(self.user_admin).action_print_mentoring_certificate()
        self.assertIn("0 of 6 meetings held", str(refusal.exception))
        with self.assertRaises(UserError):
            self.env["ir.actions.report"]._render_qweb_html(
                "op_student_mentor.action_report_mentoring_certificate", self.student_mentor.ids
            )

    @freeze_time("2026-11-20 10:00:00")
    def test_certificate_renders(self):
        self._complete_term()
        action = self.application.with_user(self.user_faculty).action_print_mentoring_certificate()
        self.assertEqual(action["report_name"], "op_student_mentor.report_mentoring_certificate")
        Report = self.env["ir.actions.report"].with_user(self.user_faculty)
        html, _type = Report._render_qweb_html(
            "op_student_mentor.action_report_mentoring_certificate", self.student_mentor.ids
        )
        html = html.decode()
        for text in (
            "Certificate of Mentoring",
            "Maya Mentor",
            "2</span> mentoring meetings held",
            "1</span> follow-ups completed",
            "1</span> students mentored",
            "CS-2026",
            "Fiona Faculty",
            "11/20/2026",
        ):
            self.assertIn(text, html)
        pdf, report_type = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "op_student_mentor.action_report_mentoring_certificate", self.student_mentor.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), pdf[:20])
        self.assertGreater(len(pdf), 1000)
