"""Inactivity alerts of allocations, escalated to the administrators, closed by a meeting."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestInactivityEscalation(MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Day 0 of both mentorships; N = 21 days without a meeting held, M = 7 more days.
        (cls.allocation | cls.allocation_other).write({"date_start": date(2031, 1, 1)})
        cls.env.company.write({"mentor_inactivity_days": 21, "mentor_escalation_days": 7})
        cls.activity_type = cls.env.ref("op_student_mentor.mail_act_mentor_inactivity")
        cls.admins = cls.env.ref("op_student_mentor.group_op_mentor_admin").users.filtered(
            lambda u: u.active and not u.share
        )

    def _run(self, when):
        with freeze_time(when):
            self.env["op.mentor.allocation"]._cron_mentor_inactivity()
        self.env.invalidate_all()

    def _activities(self, allocation=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "op.mentor.allocation"),
                ("res_id", "=", (allocation or self.allocation).id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_escalation_timeline(self):
        # day 0 and day N - 1: nothing
        for when in ("2031-01-01 06:00:00", "2031-01-21 06:00:00"):
            self._run(when)
            self.assertFalse(self._activities(), when)
            self.assertEqual(self.allocation.escalation_state, "none")
        # day N: the nominating faculty, once, however many runs
        for _run in range(2):
            self._run("2031-01-22 06:00:00")
            activity = self._activities()
            self.assertEqual(activity.user_id, self.user_faculty)
            self.assertRecordValues(
                self.allocation, [{"escalation_state": "faculty", "escalation_date": date(2031, 1, 22)}]
            )
        self.assertIn("No meeting held in the 21 days", self.allocation.escalation_reason)
        self.assertIn("No meeting held", activity.note)
        self.assertEqual(self._activities(self.allocation_other).user_id, self.user_faculty_other)
        # day N + M - 1: still the faculty only
        self._run("2031-01-28 06:00:00")
        self.assertEqual(self._activities().user_id, self.user_faculty)
        # day N + M: the administrators too, once each
        for _run in range(2):
            self._run("2031-01-29 06:00:00")
            self.assertEqual(self._activities().user_id, self.user_faculty | self.admins)
            self.assertEqual(len(self._activities()), 1 + len(self.admins))
            self.assertEqual(self.allocation.escalation_state, "admin")
        # a meeting held (marked done by the mentor in the portal's name) closes every alert, with a note
        with freeze_time("2031-01-29 10:00:00"):
            meeting = self._create_meeting(
                self.student_mentor, self.student_mentee, "Back on track", date=datetime(2031, 1, 29, 11, 0)
            )
        with freeze_time("2031-01-29 12:00:00"):
            meeting.with_user(self.user_mentor).action_done()
        self.assertFalse(self._activities())
        self.assertEqual(self.allocation.escalation_state, "none")
        self.assertFalse(self.allocation.escalation_date)
        done_messages = self.allocation.message_ids.filtered(lambda m: m.mail_activity_type_id == self.activity_type)
        self.assertEqual(len(done_messages), 1 + len(self.admins))
        self.assertIn("Back on track", done_messages[0].body)
        self.assertEqual(self.allocation.last_meeting_date, datetime(2031, 1, 29, 11, 0))
        # the other mentorship is still escalated
        self.assertEqual(self.allocation_other.escalation_state, "admin")
        # the clock starts again from the meeting held
        self._run("2031-02-18 06:00:00")
        self.assertFalse(self._activities())
        self._run("2031-02-19 06:00:00")
        self.assertEqual(self._activities().user_id, self.user_faculty)
        self.assertIn("last one on 2031-01-29", self.allocation.escalation_reason)

    def test_overdue_followup_alerts_then_resolves(self):
        with freeze_time("2031-01-02 08:00:00"):
            self.followup.meeting_date = date(2031, 1, 3)
            self.followup.with_user(self.user_faculty).action_schedule()
        self._run("2031-01-03 06:00:00")
        self.assertFalse(self._activities(), "due today: not overdue yet")
        self._run("2031-01-04 06:00:00")
        self.assertEqual(self._activities().user_id, self.user_faculty)
        self.assertIn("follow-up is overdue since 2031-01-03", self.allocation.escalation_reason)
        self.assertFalse(self._activities(self.allocation_other))
        self.followup.with_user(self.user_faculty).action_complete()
        self._run("2031-01-05 06:00:00")
        self.assertFalse(self._activities())
        self.assertEqual(self.allocation.escalation_state, "none")
        self.assertIn("No longer inactive", self.allocation.message_ids[0].body)

    def test_settings_drive_the_clock(self):
        self.env.company.write({"mentor_inactivity_days": 5, "mentor_escalation_days": 0})
        self._run("2031-01-05 06:00:00")
        self.assertFalse(self._activities())
        self._run("2031-01-06 06:00:00")
        self.assertEqual(self._activities().user_id, self.user_faculty)
        self._run("2031-01-06 18:00:00")  # M = 0: the administrators at the next run
        self.assertEqual(self._activities().user_id, self.user_faculty | self.admins)

    def test_archived_or_empty_allocations_are_left_alone(self):
        self.allocation_other.active = False
        self._run("2031-03-01 06:00:00")
        self.assertFalse(self._activities(self.allocation_other))
        self.assertTrue(self._activities())
