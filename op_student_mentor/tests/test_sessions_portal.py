"""Issue 11 part B in the portal: cancel / mark missed with a reason."""

from datetime import datetime, timedelta

from odoo import fields, http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import MentorCommon
from .test_portal import REFUSAL


@tagged("post_install", "-at_install")
class TestSessionsPortal(HttpCase, MentorCommon):
    # ------------------------------------------------------------
    # Tools (as in test_portal)
    # ------------------------------------------------------------

    def _login(self, login):
        self.authenticate(login, login) if login else self.authenticate(None, None)

    def _get(self, url, login=None):
        self._login(login)
        response = self.url_open(url, allow_redirects=False)
        self.env.invalidate_all()
        return response

    def _post(self, url, data, login="mentor", csrf=True, allow_redirects=False):
        self._login(login)
        data = dict(data)
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        response = self.url_open(url, data=data, allow_redirects=allow_redirects)
        self.env.invalidate_all()
        return response

    def assertRefused(self, response):
        self.assertEqual(response.status_code, 403, response.url)
        self.assertIn(REFUSAL, response.text)

    def assertNotFound(self, response):
        self.assertEqual(response.status_code, 404, response.url)
        self.assertNotIn("Weekly check-in", response.text)

    def assertLoginRedirect(self, response):
        self.assertIn(response.status_code, (302, 303), response.url)
        self.assertIn("/web/login", response.headers["Location"])

    # ------------------------------------------------------------
    # Cancel / missed with a reason
    # ------------------------------------------------------------

    def test_cancel_page_has_reason_form(self):
        text = self._get(f"/my/mentor/meetings/{self.meeting.id}", "mentor").text
        self.assertIn('name="close_reason"', text)
        self.assertIn('value="illness"', text)
        self.assertIn('name="close_note"', text)
        self.assertNotIn("o_mentor_missed", text, "a meeting to come cannot be missed yet")

    def test_cancel_with_reason(self):
        url = f"/my/mentor/meetings/{self.meeting.id}"
        response = self._post(f"{url}/cancel", {"close_reason": "other", "close_note": "Exam moved to that day"})
        self.assertTrue(response.headers["Location"].endswith(f"{url}?message=cancel"))
        self.assertRecordValues(
            self.meeting,
            [
                {
                    "status": "cancel",
                    "close_reason": "other",
                    "close_note": "Exam moved to that day",
                    "close_user_id": self.user_mentor.id,
                    "late_cancellation": False,  # three days ahead
                }
            ],
        )
        text = self._get(url, "mentor").text
        self.assertIn("Exam moved to that day", text)
        self.assertNotIn("o_mentor_late", text)
        # the mentee sees the cancellation, not the reason
        text = self._get(f"/my/mentorship/meetings/{self.meeting.id}", "mentee").text
        self.assertIn("This meeting was cancelled", text)
        self.assertNotIn("Exam moved to that day", text)

    def test_cancel_late_is_marked(self):
        soon = self._create_meeting(self.student_mentor, self.student_mentee, "Soon", days=0.5)
        self._post(f"/my/mentor/meetings/{soon.id}/cancel", {"close_reason": "illness"})
        self.assertTrue(soon.late_cancellation)
        self.assertIn("o_mentor_late", self._get(f"/my/mentor/meetings/{soon.id}", "mentor").text)

    def test_cancel_bad_reason_writes_nothing(self):
        url = f"/my/mentor/meetings/{self.meeting.id}/cancel"
        cases = [
            ({}, "Choose the reason"),
            ({"close_reason": ""}, "Choose the reason"),
            ({"close_reason": "bogus", "close_note": "Kept text"}, "Choose the reason"),
            ({"close_reason": "x" * 5000}, "Choose the reason"),
            ({"close_reason": "other", "close_note": "  "}, "Explain the reason"),
            ({"close_reason": "illness", "close_note": "y" * 3000}, "too long"),
        ]
        for data, message in cases:
            with self.subTest(data=str(data)[:60]):
                response = self._post(url, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn("o_mentor_error", response.text)
                self.assertEqual(self.meeting.status, "scheduled")
                self.assertFalse(self.meeting.close_reason)
        response = self._post(url, {"close_reason": "bogus", "close_note": "Kept text"})
        self.assertIn("Kept text", response.text, "the details typed are kept")

    def test_mark_missed(self):
        past = self._create_meeting(
            self.student_mentor,
            self.student_mentee,
            "Started",
            date=fields.Datetime.now().replace(microsecond=0) + timedelta(minutes=1),
        )
        url = f"/my/mentor/meetings/{past.id}"
        response = self._post(f"{url}/missed", {"close_reason": "mentee_no_show"})
        self.assertEqual(response.status_code, 200, "not started yet: the page with the error")
        self.assertIn("has not started yet", response.text)
        self.assertEqual(past.status, "scheduled")
        past.sudo().with_context(mentor_meeting_allow_past=True).date = datetime.now() - timedelta(hours=1)
        self.assertIn("o_mentor_missed", self._get(url, "mentor").text)
        response = self._post(f"{url}/missed", {})
        self.assertIn("Choose the reason", response.text)
        self.assertEqual(past.status, "scheduled")
        response = self._post(f"{url}/missed", {"close_reason": "mentee_no_show"})
        self.assertTrue(response.headers["Location"].endswith(f"{url}?message=missed"))
        self.assertEqual(past.status, "missed")
        response = self._post(f"{url}/missed", {"close_reason": "mentee_no_show"}, allow_redirects=True)
        self.assertIn("already marked as missed", response.text)
        response = self._post(f"{url}/cancel", {"close_reason": "illness"}, allow_redirects=True)
        self.assertIn("Only scheduled meetings can be changed", response.text)
        self.assertEqual(past.status, "missed")
        self.assertIn("did not take place", self._get(f"/my/mentorship/meetings/{past.id}", "mentee").text)

    def test_close_routes_foreign(self):
        data = {"close_reason": "illness"}
        for action in ("cancel", "missed"):
            url = f"/my/mentor/meetings/{self.meeting.id}/{action}"
            with self.subTest(action=action):
                self.assertNotFound(self._post(url, data, login="mentor_other"))
                self.assertRefused(self._post(url, data, login="mentee"))
                self.assertRefused(self._post(url, data, login="student_other"))
                self.assertLoginRedirect(self._post(url, data, login=None))
                with mute_logger("odoo.http"):
                    self.assertEqual(self._post(url, data, csrf=False).status_code, 400)
        self.assertEqual(self.meeting.status, "scheduled")
        self.assertFalse(self.meeting.close_reason)
