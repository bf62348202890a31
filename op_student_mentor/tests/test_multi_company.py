"""Two schools in one database: company A (the fixtures of MentorCommon) and company B (its own faculty,
mentorship administrator, mentor and mentee, application, allocation, meeting and follow-up).

A user of company B sees and changes nothing of company A, in the backend and on the portal; a user of
both companies sees both (with both companies allowed, as Odoo's company switcher does); a record never
links the students or faculty of another company; each company's settings apply to its own records.
"""

import os
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.modules.migration import load_script
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import MENTOR_MODELS, MentorPortalCommon

RULE_LOGGERS = ("odoo.addons.base.models.ir_rule", "odoo.models")


@tagged("post_install", "-at_install")
class TestMultiCompany(MentorPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Second School"})
        B = cls.company_b

        cls.user_faculty_b, cls.faculty_b = cls._create_faculty("faculty_b", "Bea", "Faculty", cls.subject)
        cls.user_mentor_b, cls.student_mentor_b = cls._create_student("mentor_b", "Ben", "Mentor", cls.batch, marks=90)
        cls.user_mentee_b, cls.student_mentee_b = cls._create_student("mentee_b", "Bo", "Mentee", cls.batch, marks=55)
        cls.user_free_b, cls.student_free_b = cls._create_student("student_b", "Bix", "Free", cls.batch, marks=50)
        for user in (cls.user_faculty_b, cls.user_mentor_b, cls.user_mentee_b, cls.user_free_b):
            cls._move_to_company(user, B)
        cls.user_admin_b = cls._admin_of("admin_bb", B)
        cls.user_admin_ab = cls._admin_of("admin_ab", cls.company_a | B)

        cls.application_b = cls._create_application(
            cls.student_mentor_b, cls.student_mentee_b, faculty=cls.faculty_b, company_id=B.id
        )
        cls.application_b.action_submit()
        cls.application_b.action_approve()
        cls.allocation_b = cls.application_b.allocation_ids
        cls.meeting_b = cls._create_meeting(cls.student_mentor_b, cls.student_mentee_b, "School B check-in")
        cls.followup_b = cls.env["op.mentor.followup"].create(
            {"student_id": cls.student_mentee_b.id, "allocation_id": cls.allocation_b.id, "meeting_date": date.today()}
        )
        cls.goal_b = cls.env["op.mentor.goal"].create({"followup_id": cls.followup_b.id, "name": "Recursion"})
        cls.goal_a = cls.env["op.mentor.goal"].create({"followup_id": cls.followup.id, "name": "Sorting"})

    @classmethod
    def _move_to_company(cls, user, company):
        """A user (and their partner, so their student or faculty record) of ``company`` only."""
        user.write({"company_ids": [Command.set(company.ids)], "company_id": company.id})
        user.partner_id.company_id = company

    @classmethod
    def _admin_of(cls, login, companies):
        user = cls.env["res.users"].create(
            {
                "name": f"Admin {login}",
                "login": login,
                "password": login,
                "email": f"{login}@school.test",
                "company_id": companies[0].id,
                "company_ids": [Command.set(companies.ids)],
                "groups_id": [
                    Command.set(
                        [cls.env.ref("base.group_user").id, cls.env.ref("op_student_mentor.group_op_mentor_admin").id]
                    )
                ],
            }
        )
        return user

    def _records_a(self):
        return {
            "op.mentor.details": self.application,
            "op.mentor.allocation": self.allocation,
            "op.mentor.meeting": self.meeting,
            "op.mentor.followup": self.followup,
            "op.mentor.goal": self.goal_a,
        }

    # ------------------------------------------------------------
    # Companies of the records
    # ------------------------------------------------------------

    def test_records_follow_their_school(self):
        """The allocation takes the application's company, the meeting its mentor's, the follow-up (and its
        goals) the allocation's, whatever the company the administrator works in."""
        B = self.company_b
        self.assertEqual(self.allocation_b.company_id, B)
        self.assertEqual(self.meeting_b.company_id, B)
        self.assertEqual(
            self.meeting_b.calendar_event_id.partner_ids, (self.student_mentor_b | self.student_mentee_b).partner_id
        )
        self.assertEqual((self.followup_b.company_id, self.goal_b.company_id), (B, B))
        self.assertEqual((self.meeting.company_id, self.followup.company_id), (self.company_a, self.company_a))

    # ------------------------------------------------------------
    # Backend
    # ------------------------------------------------------------

    @mute_logger(*RULE_LOGGERS)
    def test_school_b_sees_and_changes_nothing_of_school_a(self):
        for user in (self.user_admin_b, self.user_faculty_b):
            for model, record_a in self._records_a().items():
                with self.subTest(user=user.login, model=model):
                    Model = self.env[model].with_user(user)
                    self.assertFalse(Model.search([("id", "=", record_a.id)]))
                    self.assertNotIn(self.company_a, Model.search([]).company_id)
                    with self.assertRaises(AccessError):
                        record_a.with_user(user).read(["company_id"])
                    with self.assertRaises(AccessError):
                        record_a.with_user(user).write({"company_id": self.company_b.id})
        # the administrator of B sees all of B (the company rules restrict, the role rules still give)
        Meeting = self.env["op.mentor.meeting"].with_user(self.user_admin_b)
        self.assertEqual(Meeting.search([]), self.meeting_b)
        self.assertEqual(self.env["op.mentor.details"].with_user(self.user_admin_b).search([]), self.application_b)
        report = self.env["op.mentor.report"].with_user(self.user_admin_b).search([])
        self.assertTrue(report)
        self.assertEqual(report.company_id, self.company_b)
        with self.assertRaises(AccessError):
            self.meeting.with_user(self.user_admin_b).unlink()
        self.assertTrue(self.meeting.exists())
        self.assertEqual(self.meeting.status, "scheduled")

    def test_user_of_both_schools_sees_both(self):
        Meeting = self.env["op.mentor.meeting"].with_user(self.user_admin_ab)
        both = Meeting.with_context(allowed_company_ids=(self.company_a | self.company_b).ids).search([])
        self.assertIn(self.meeting, both)
        self.assertIn(self.meeting_b, both)
        only_a = Meeting.with_context(allowed_company_ids=self.company_a.ids).search([])
        self.assertIn(self.meeting, only_a)
        self.assertNotIn(self.meeting_b, only_a)
        only_b = Meeting.with_context(allowed_company_ids=self.company_b.ids).search([])
        self.assertEqual(only_b, self.meeting_b)
        for model in MENTOR_MODELS:
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.user_admin_ab)
                companies = Model.with_context(allowed_company_ids=(self.company_a | self.company_b).ids).search([])
                self.assertLessEqual(companies.company_id, self.company_a | self.company_b)

    # ------------------------------------------------------------
    # Cross-company links
    # ------------------------------------------------------------

    def test_cross_company_links_refused(self):
        """A company-B student as mentee of a company-A mentor: refused, naming the field, nothing written."""
        message = r"belongs? to another company"
        with self.assertRaisesRegex(UserError, message) as refusal, self.env.cr.savepoint():
            self.allocation.student_ids = [Command.link(self.student_free_b.id)]
        self.assertIn("Mentees", str(refusal.exception))
        self.assertIn("Bix Free", str(refusal.exception))
        self.assertEqual(self.allocation.student_ids, self.student_mentee)
        Details = self.env["op.mentor.details"]
        count = Details.search_count([])
        with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
            self._create_application(self.student_other, self.student_free_b, faculty=self.faculty)
        # a company-A candidate (or faculty) in an application of company B
        self.student_other.partner_id.company_id = self.company_a
        with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
            self._create_application(
                self.student_other, self.student_free_b, faculty=self.faculty_b, company_id=self.company_b.id
            )
        self.faculty.partner_id.company_id = self.company_a
        with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
            self._create_application(
                self.student_free_b, self.student_mentee_b.browse(), faculty=self.faculty, company_id=self.company_b.id
            )
        self.assertEqual(Details.search_count([]), count, "nothing written")

    # ------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------

    def test_portal_mentor_of_school_b(self):
        pages = {
            "/my/mentor/meetings": "School B check-in",
            "/my/mentor/mentees": "Bo Mentee",
            f"/my/mentor/meetings/{self.meeting_b.id}": "School B check-in",
        }
        for url, own in pages.items():
            with self.subTest(url=url):
                response = self._get(url, "mentor_b")
                self.assertEqual(response.status_code, 200)
                self.assertIn(own, response.text)
                self.assertNotIn("Weekly check-in", response.text)
                self.assertNotIn("Eli Mentee", response.text)
        for url in (f"/my/mentor/meetings/{self.meeting.id}", f"/my/mentorship/meetings/{self.meeting.id}"):
            with self.subTest(url=url):
                response = self._get(url, "mentor_b")
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Weekly check-in", response.text)
        data = {"date": (datetime.now() + timedelta(days=30)).strftime("%Y-%m-%d"), "time": "11:00"}
        for action in ("done", "cancel", "reschedule"):
            with self.subTest(action=action):
                response = self._post(f"/my/mentor/meetings/{self.meeting.id}/{action}", data, login="mentor_b")
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.meeting.status, "scheduled")
        self.assertFalse(self.meeting.rescheduled_to_ids)

    def test_portal_user_of_school_b_sees_no_meeting_of_school_a(self):
        """Even a student with no company of their own (a shared partner), mentee of a company-A meeting: their
        portal user belongs to company B, so company A's meetings stay out of their portal."""
        self._move_to_company(self.user_mentee, self.company_b)
        self.student_mentee.partner_id.company_id = False
        self.student_mentee.partner_id.company_id = False
        Meeting = self.env["op.mentor.meeting"].with_user(self.user_mentee)
        self.assertFalse(Meeting.search([("id", "=", self.meeting.id)]))
        response = self._get("/my/mentorship/meetings", "mentee")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Weekly check-in", response.text)
        self.assertEqual(self._get(f"/my/mentorship/meetings/{self.meeting.id}", "mentee").status_code, 404)
        # the mentee of company B sees their own meeting
        response = self._get("/my/mentorship/meetings", "mentee_b")
        self.assertIn("School B check-in", response.text)
        self.assertNotIn("Weekly check-in", response.text)

    # ------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------

    def test_settings_form_writes_the_current_company(self):
        form = Form(self.env["res.config.settings"].with_company(self.company_b))
        form.mentor_capacity = 2
        form.mentor_late_cancel_hours = 0
        form.save().execute()
        self.assertEqual((self.company_b.mentor_capacity, self.company_b.mentor_late_cancel_hours), (2, 0))
        self.assertEqual((self.company_a.mentor_capacity, self.company_a.mentor_late_cancel_hours), (5, 24))
        self.assertEqual(Form(self.env["res.config.settings"].with_company(self.company_a)).mentor_capacity, 5)
        self.assertEqual(Form(self.env["res.config.settings"].with_company(self.company_b)).mentor_capacity, 2)

    def test_each_school_settings_apply_to_its_records(self):
        self.company_a.write({"mentor_duration_self_funded": 40, "mentor_late_cancel_hours": 72})
        self.company_b.write(
            {
                "mentor_duration_self_funded": 25,
                "mentor_late_cancel_hours": 0,
                "mentor_calendar_faculty_attendee": True,
                "mentor_calendar_alarm_ids": [Command.clear()],
            }
        )
        meeting_a = self._create_meeting(self.student_mentor, self.student_mentee, "A session", days=1)
        meeting_b = self._create_meeting(self.student_mentor_b, self.student_mentee_b, "B session", days=1)
        self.assertEqual((meeting_a.duration, meeting_b.duration), (40, 25))
        # reminders and faculty attendees of each school
        self.assertTrue(meeting_a.calendar_event_id.alarm_ids)
        self.assertFalse(meeting_b.calendar_event_id.alarm_ids)
        self.assertIn(self.faculty_b.partner_id, meeting_b.calendar_event_id.partner_ids)
        self.assertNotIn(self.faculty.partner_id, meeting_a.calendar_event_id.partner_ids)
        # a day before the start: late in A (72 h), never late in B (0)
        for meeting, login, late in ((meeting_a, "mentor", True), (meeting_b, "mentor_b", False)):
            with self.subTest(meeting=meeting.meeting_name):
                self._post(f"/my/mentor/meetings/{meeting.id}/cancel", {"close_reason": "illness"}, login=login)
                self.assertEqual(meeting.status, "cancel")
                self.assertEqual(meeting.late_cancellation, late)
        # program rules: the capacity of the mentor's school
        self.company_b.mentor_capacity = 1
        limits = (self.student_mentor | self.student_mentor_b)._mentor_capacity_limits()
        self.assertEqual(limits, {self.student_mentor.id: 5, self.student_mentor_b.id: 1})

    def test_inactivity_alerts_follow_each_school(self):
        (self.allocation | self.allocation_b).write({"date_start": date(2031, 1, 1)})
        self.company_a.mentor_inactivity_days = 30
        self.company_b.mentor_inactivity_days = 5
        with freeze_time("2031-01-10 06:00:00"):
            self.env["op.mentor.allocation"]._cron_mentor_inactivity()
        self.env.invalidate_all()
        self.assertEqual(self.allocation.escalation_state, "none")
        self.assertEqual(self.allocation_b.escalation_state, "faculty")

    def test_migration_copies_the_global_settings_to_every_company(self):
        """An upgrade from 18.0.1.4.0 changes nothing: the global parameters become each company's values."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("op_student_mentor.mentor_capacity", "0")
        params.set_param("op_student_mentor.late_cancel_hours", "abc")  # read as the default before: the same after
        params.set_param("op_student_mentor.calendar_alarm_ids", " ")
        params.set_param("op_student_mentor.calendar_faculty_attendee", "True")
        self.company_a.mentor_capacity = 9
        path = os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "migrations", "18.0.1.5.0", "post-migrate.py"
        )
        load_script(path, "op_student_mentor_18_0_1_5_0").migrate(self.env.cr, "18.0.1.4.0")
        self.env.invalidate_all()
        for company in self.company_a | self.company_b:
            with self.subTest(company=company.name):
                self.assertEqual(company.mentor_capacity, 0)
                self.assertEqual(company.mentor_late_cancel_hours, 24)
                self.assertFalse(company.mentor_calendar_alarm_ids)
                self.assertTrue(company.mentor_calendar_faculty_attendee)
        self.assertFalse(params.get_param("op_student_mentor.mentor_capacity"), "nothing reads it any more")
        self.assertFalse(params.get_param("op_student_mentor.calendar_alarm_ids"))
