import base64
from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestMentorMeeting(MentorCommon):
    def _meeting_vals(self, **vals):
        return {
            "meeting_name": "Progress review",
            "meeting_link": "https://meet.example.com/review",
            "date": datetime(2031, 1, 15, 13, 0),
            "student_id": self.student_mentor.id,
            "meeting_students": [Command.set(self.student_mentee.ids)],
            **vals,
        }

    # ------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------

    def test_host_must_be_approved_mentor(self):
        with self.assertRaisesRegex(ValidationError, "Cannot create meeting: Sam Student is not an approved mentor"):
            self.env["op.mentor.meeting"].create(self._meeting_vals(student_id=self.student_other.id))

    def test_attendees_must_be_allocated_mentees(self):
        with self.assertRaisesRegex(ValidationError, "Iris Mentee is not allocated to mentor Maya Mentor"):
            self.env["op.mentor.meeting"].create(
                self._meeting_vals(meeting_students=[Command.set(self.student_mentee_other.ids)])
            )

    def test_meeting_link_must_be_http_url(self):
        bad_links = [
            "javascript:alert(1)",
            "JavaScript:alert(document.cookie)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "ftp://files.example.com/x",
            "meet.example.com/abc",
            "https://meet.example.com/a b",
            " https://meet.example.com/abc",
            "https://",
        ]
        for link in bad_links:
            with self.subTest(link=link), self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.env["op.mentor.meeting"].create(self._meeting_vals(meeting_link=link))
        for link in ("https://meet.example.com/abc?pwd=1", "http://zoom.example.org/j/123"):
            self.assertTrue(self.env["op.mentor.meeting"].create(self._meeting_vals(meeting_link=link)))
        for link in ("", False):  # no link: a Discuss video room (test_mentor_calendar)
            meeting = self.env["op.mentor.meeting"].create(self._meeting_vals(meeting_link=link))
            self.assertIn("/calendar/join_videocall/", meeting.meeting_link)

    def test_new_meeting_is_in_the_future(self):
        # as the administrator: only superuser code (data files, upgrades, seeding tools) records past meetings
        with self.assertRaisesRegex(ValidationError, "in the future"):
            self.env["op.mentor.meeting"].with_user(self.user_admin).create(
                self._meeting_vals(date=datetime.now() - timedelta(hours=1))
            )

    def test_duration_defaults_and_bounds(self):
        meeting = self.env["op.mentor.meeting"].create(self._meeting_vals())
        self.assertEqual(meeting.duration, 30)
        self.assertEqual(meeting.date_end, datetime(2031, 1, 15, 13, 30))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            meeting.duration = 0
            meeting.flush_recordset()

    # ------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------

    def test_reschedule_creates_linked_meeting(self):
        new_date = datetime(2031, 2, 1, 9, 0)
        action = self.meeting.with_user(self.user_admin).action_open_reschedule_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.user_admin).with_context(**action["context"]))
        wizard.date = new_date
        result = wizard.save().action_reschedule()
        new_meeting = self.env["op.mentor.meeting"].browse(result["res_id"])
        self.assertEqual(self.meeting.status, "reschedule")
        self.assertEqual(new_meeting.status, "scheduled")
        self.assertEqual(new_meeting.date, new_date)
        self.assertEqual(new_meeting.rescheduled_from_id, self.meeting)
        self.assertEqual(self.meeting.rescheduled_to_ids, new_meeting)
        self.assertEqual(new_meeting.meeting_students, self.meeting.meeting_students)
        self.assertEqual(new_meeting.meeting_link, self.meeting.meeting_link)
        # A second reschedule extends the chain, visible from every meeting of it.
        third = new_meeting._action_reschedule(datetime(2031, 2, 8, 9, 0))
        chain = self.meeting._reschedule_chain()
        self.assertEqual(chain, self.meeting | new_meeting | third)
        self.assertEqual(third._reschedule_chain(), chain)

    def test_reschedule_to_the_past_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "in the future"):
            self.meeting.with_user(self.user_admin)._action_reschedule(datetime.now() - timedelta(days=1))
        self.assertEqual(self.meeting.status, "scheduled")
        self.assertFalse(self.meeting.rescheduled_to_ids)

    def test_done_and_cancel_only_from_scheduled(self):
        self._mark_done(self.meeting)
        self.assertEqual(self.meeting.status, "done")
        for method in ("action_done", "action_cancel", "action_open_reschedule_wizard"):
            with self.subTest(method=method), self.assertRaisesRegex(UserError, "only scheduled meetings"):
                getattr(self.meeting, method)()
        self.meeting_other._action_cancel("illness")
        self.assertEqual(self.meeting_other.status, "cancel")
        with self.assertRaisesRegex(UserError, "is cancelled; only scheduled meetings can be done"):
            self._mark_done(self.meeting_other)

    def test_date_of_a_closed_meeting_cannot_change(self):
        self._mark_done(self.meeting)
        with self.assertRaisesRegex(UserError, "no longer scheduled"):
            self.meeting.date = datetime(2031, 3, 1, 10, 0)

    # ------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------

    def _mails_to(self, student):
        return self._new_mails.filtered(lambda m: student.partner_id in m.recipient_ids)

    def test_scheduled_email_with_local_time_and_ics(self):
        """The invitation is Odoo calendar's, in the mentee's timezone, with the meeting's .ics."""
        with self.mock_mail_gateway():
            meeting = self.env["op.mentor.meeting"].create(self._meeting_vals())
        mail = self._mails_to(self.student_mentee)
        self.assertEqual(len(mail), 1)
        self.assertIn("Progress review", mail.subject)
        # 13:00 UTC is 14:00 in Brussels, the mentee's timezone.
        self.assertIn("2:00 PM", mail.body_html)
        self.assertIn("Europe/Brussels", mail.body_html)
        self.assertIn("https://meet.example.com/review", mail.body_html)
        ics = mail.attachment_ids
        self.assertEqual(ics.mimetype, "text/calendar")
        content = base64.b64decode(ics.datas).decode()
        self.assertIn("DTSTART:20310115T130000Z", content)
        self.assertIn("DTEND:20310115T133000Z", content)
        self.assertIn(f"UID:op-mentor-meeting-{meeting.id}@", content)
        self.assertIn("METHOD:REQUEST", content)
        self.assertFalse(self._mails_to(self.student_mentee_other), "only the attendees are told")

    def test_rescheduled_and_cancelled_emails(self):
        with self.mock_mail_gateway():
            new_meeting = self.meeting._action_reschedule(datetime(2031, 2, 1, 9, 0))
        mails = self._mails_to(self.student_mentee)
        self.assertEqual(len(mails), 2, "the old meeting is cancelled, the new one is an invitation")
        cancel = mails.filtered(lambda m: "Cancelled" in m.subject)
        invitation = mails - cancel
        self.assertIn("It was moved", cancel.body_html)
        self.assertIn("10:00 AM", invitation.body_html, "the new date in Brussels time")
        with self.mock_mail_gateway():
            new_meeting._action_cancel("illness")
        mail = self._mails_to(self.student_mentee)
        self.assertIn("Cancelled: Weekly check-in", mail.subject)
        content = base64.b64decode(mail.attachment_ids.datas).decode()
        self.assertIn("METHOD:CANCEL", content)
        self.assertIn("STATUS:CANCELLED", content)
        self.assertIn(f"UID:op-mentor-meeting-{new_meeting.id}@", content)

    def test_ics_escapes_and_folds(self):
        self.meeting.description = "Agenda; catch-up, goals\nand more " + "x" * 120
        content = self.meeting._mentor_ics_file()
        self.assertIn("Agenda\\; catch-up\\, goals\\nand more", content.replace("\r\n ", ""))
        self.assertTrue(all(len(line.encode()) <= 75 for line in content.split("\r\n")))
