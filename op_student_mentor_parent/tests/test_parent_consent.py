from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ParentCommon

WAITING = "waiting for a parent's consent"


@tagged("post_install", "-at_install")
class TestParentConsent(ParentCommon):
    def _meeting_vals(self, **vals):
        return {
            "meeting_name": "First meeting",
            "meeting_link": "https://meet.example.com/first",
            "date": datetime.now().replace(microsecond=0) + timedelta(days=5),
            "student_id": self.student_mentor.id,
            "meeting_students": [Command.set(self.student_mentee.ids)],
            **vals,
        }

    def _schedule_as_mentor(self, **vals):
        return self.env["op.mentor.meeting"].with_user(self.user_mentor).create(self._meeting_vals(**vals))

    def _consent(self, student=None):
        student = student or self.student_mentee
        return self.env["op.mentor.parent.consent"]._mentor_for_students(student)[student.id]

    # ------------------------------------------------------------
    # Who needs a consent
    # ------------------------------------------------------------

    def test_consent_is_off_by_default(self):
        self.assertFalse(self.env["res.config.settings"]._mentor_parent_setting("consent_required"))
        self.assertEqual(self.student_mentee.mentor_parent_consent_state, "not_needed")
        self.assertTrue(self._schedule_as_mentor())

    @freeze_time("2026-06-01")
    def test_minor_from_birth_date(self):
        self._set_parent_settings(consent_required=True)
        student = self.student_mentee
        for birth_date, minor in (
            (date(2012, 4, 2), True),
            (date(2008, 6, 2), True),  # 18 tomorrow
            (date(2008, 6, 1), False),  # 18 today
            (date(1999, 1, 1), False),
        ):
            student.birth_date = birth_date
            student.invalidate_recordset(["mentor_parent_consent_state"])
            with self.subTest(birth_date=birth_date):
                self.assertEqual(student._mentor_is_minor(), minor)
                self.assertEqual(student.mentor_parent_consent_state, "pending" if minor else "not_needed")
        # without a birth date (OpenEduCat refuses to store none, imports may lack it) the consent is asked
        self.assertTrue(self.env["op.student"].new({"birth_date": False})._mentor_is_minor())

    def test_first_meeting_waits_for_a_consent(self):
        self._set_parent_settings(consent_required=True)
        meetings_before = self.env["op.mentor.meeting"].search_count([])
        with self.assertRaisesRegex(ValidationError, f"Eli Mentee: {WAITING}"), self.env.cr.savepoint():
            self._schedule_as_mentor()
        self.assertEqual(self.env["op.mentor.meeting"].search_count([]), meetings_before)
        # an adult mentee meets without one
        self.student_mentee.birth_date = date(2000, 1, 1)
        self.student_mentee.invalidate_recordset(["mentor_parent_consent_state"])
        self.assertTrue(self._schedule_as_mentor())

    def test_consent_given_lets_the_mentor_schedule(self):
        self._set_parent_settings(consent_required=True)
        consent = self._consent()
        self.assertEqual(consent.state, "pending")
        # as the portal route calls it: in the parent's name, on the system's records (parents have no rights on them)
        consent.with_user(self.user_parent).sudo()._mentor_give(self.parent, "portal")
        self.assertRecordValues(
            consent,
            [{"state": "given", "parent_id": self.parent.id, "user_id": self.user_parent.id, "channel": "portal"}],
        )
        self.assertTrue(consent.decision_date)
        self.student_mentee.invalidate_recordset(["mentor_parent_consent_state"])
        self.assertEqual(self.student_mentee.mentor_parent_consent_state, "given")
        self.assertTrue(self._schedule_as_mentor())
        # the history says who and when, in the parent's name
        message = consent.message_ids.filtered(lambda m: "gave their consent" in (m.body or ""))
        self.assertEqual(message.author_id, self.user_parent.partner_id)

    def test_mentee_added_to_a_meeting_needs_the_consent_too(self):
        self._add_second_mentee()
        self.student_mentee_2.birth_date = date(2000, 1, 1)
        meeting = self._create_meeting(self.student_mentor, self.student_mentee_2, "Adults only")
        self._set_parent_settings(consent_required=True)
        with self.assertRaisesRegex(ValidationError, WAITING):
            meeting.with_user(self.user_mentor).meeting_students = [Command.link(self.student_mentee.id)]

    def test_existing_meetings_can_still_be_moved(self):
        """Meetings planned before the school switched the consent on are not the first one: they move."""
        self._set_parent_settings(consent_required=True)
        new = self.meeting.with_user(self.user_mentor)._action_reschedule(self.meeting.date + timedelta(days=1))
        self.assertEqual(new.status, "scheduled")

    # ------------------------------------------------------------
    # Withdrawal
    # ------------------------------------------------------------

    def test_withdrawal_cancels_upcoming_meetings(self):
        self._set_parent_settings(consent_required=True)
        self._add_second_mentee()
        consent = self._consent()
        consent._mentor_give(self.parent, "portal")
        group = self._create_meeting(self.student_mentor, self.student_mentee | self.student_mentee_2, "Group")
        past = self._create_meeting(self.student_mentor, self.student_mentee, "Held")
        past.sudo().write({"date": datetime.now() - timedelta(days=2)})
        past.action_done()
        parent_env_consent = consent.with_user(self.user_parent).sudo()  # as the portal route calls it
        cancelled = parent_env_consent._mentor_withdraw(self.parent, "  We moved abroad.  ")
        self.assertIn(self.meeting, cancelled)
        self.assertRecordValues(
            self.meeting,
            [{"status": "cancel", "close_reason": "other", "close_user_id": self.user_parent.id}],
        )
        self.assertIn("We moved abroad.", self.meeting.close_note)
        # a group meeting goes on for the others, without the child
        self.assertEqual(group.status, "scheduled")
        self.assertEqual(group.meeting_students, self.student_mentee_2)
        self.assertEqual(past.status, "done")  # the past stays as it was
        self.assertRecordValues(
            consent,
            [
                {
                    "state": "withdrawn",
                    "parent_id": self.parent.id,
                    "user_id": self.user_parent.id,
                    "withdraw_reason": "We moved abroad.",
                }
            ],
        )
        self.assertTrue(consent.message_ids.filtered(lambda m: "withdrew their consent" in (m.body or "")))
        # and no new meeting until a parent consents again
        self.student_mentee.invalidate_recordset(["mentor_parent_consent_state"])
        with self.assertRaisesRegex(ValidationError, WAITING):
            self._schedule_as_mentor()

    def test_withdrawal_needs_a_reason_and_a_consent(self):
        consent = self._consent()
        with self.assertRaisesRegex(UserError, "no consent to withdraw"):
            consent._mentor_withdraw(self.parent, "Changed my mind")
        consent._mentor_give(self.parent, "portal")
        for reason in ("", "   ", None, "x" * 1501):
            with self.subTest(reason=reason), self.assertRaises(UserError):
                consent._mentor_withdraw(self.parent, reason)
        self.assertEqual(consent.state, "given")
        self.assertEqual(self.meeting.status, "scheduled")
        # the longest reason still fits in the details of the cancelled meetings
        consent._mentor_withdraw(self.parent, "y" * 1500)
        self.assertEqual(self.meeting.status, "cancel")

    # ------------------------------------------------------------
    # E-mails: consent request, new mentor, meetings
    # ------------------------------------------------------------

    def _parent_mails(self, parent=None):
        partner = (parent or self.parent).name
        return self._new_mails.filtered(lambda m: partner in m.recipient_ids)

    def test_new_mentor_sends_the_consent_request(self):
        self._set_parent_settings(consent_required=True)
        with self.mock_mail_gateway():
            self.allocation.student_ids = [Command.unlink(self.student_mentee.id)]
            self.allocation.student_ids = [Command.link(self.student_mentee.id)]
        mail = self._parent_mails()
        self.assertEqual(len(mail), 1)
        self.assertIn("consent", mail.subject)
        consent = self.env["op.mentor.parent.consent"].search([("student_id", "=", self.student_mentee.id)])
        self.assertEqual(consent.state, "pending")
        self.assertTrue(consent.request_date)
        self.assertIn(consent._mentor_consent_url(self.parent), mail.body_html)
        self.assertFalse(self._parent_mails(self.parent_other))

    def test_consent_link_token(self):
        consent = self._consent()
        token = consent._mentor_link_token(self.parent)
        self.assertTrue(consent._mentor_check_link_token(self.parent, token))
        self.assertFalse(consent._mentor_check_link_token(self.parent_other, token))
        self.assertFalse(consent._mentor_check_link_token(self.parent, token[:-1] + "x"))
        self.assertFalse(consent._mentor_check_link_token(self.parent, ""))
        consent._mentor_give(self.parent, "email")
        self.assertFalse(consent._mentor_check_link_token(self.parent, token), "a used link works once")

    def test_parents_hear_of_the_new_mentor(self):
        with self.mock_mail_gateway():
            self.allocation.student_ids = [Command.unlink(self.student_mentee.id)]
            self.allocation.student_ids = [Command.link(self.student_mentee.id)]
        self.assertFalse(self._parent_mails(), "off by default")
        self._set_parent_settings(notify_mentor=True)
        with self.mock_mail_gateway():
            self.allocation.student_ids = [Command.unlink(self.student_mentee.id)]
            self.allocation.student_ids = [Command.link(self.student_mentee.id)]
        mail = self._parent_mails()
        self.assertEqual(len(mail), 1)
        self.assertIn("Eli Mentee", mail.subject)
        self.assertIn("Maya Mentor", mail.body_html)

    def test_parents_hear_of_meetings(self):
        with self.mock_mail_gateway():
            self._schedule_as_mentor()
        self.assertFalse(self._parent_mails(), "off by default")
        self._set_parent_settings(notify_meetings=True)
        with self.mock_mail_gateway():
            meeting = self._schedule_as_mentor()
        self.assertEqual(len(self._parent_mails()), 1)
        self.assertNotIn(meeting.meeting_link, self._parent_mails().body_html, "the link only when allowed")
        self._set_parent_settings(show_link=True)
        with self.mock_mail_gateway():
            moved = meeting.with_user(self.user_mentor)._action_reschedule(meeting.date + timedelta(days=1))
        self.assertIn("moved", self._parent_mails().subject)
        self.assertIn(moved.meeting_link, self._parent_mails().body_html)
        with self.mock_mail_gateway():
            moved.with_user(self.user_mentor)._action_cancel(reason="illness")
        self.assertIn("cancelled", self._parent_mails().subject)
        self.assertFalse(self._parent_mails(self.parent_other), "never another family's")
