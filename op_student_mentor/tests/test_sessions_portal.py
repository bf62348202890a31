"""Cancellations in the portal: cancel / mark missed with a reason."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MentorPortalCommon


@tagged("post_install", "-at_install")
class TestSessionsPortal(MentorPortalCommon):
    # ------------------------------------------------------------
    # Tools
    # ------------------------------------------------------------

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
        past.sudo().date = datetime.now() - timedelta(hours=1)
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

    # ------------------------------------------------------------
    # Post-meeting pulse
    # ------------------------------------------------------------

    def _held(self, name="Held session", mentees=None):
        meeting = self._create_meeting(self.student_mentor, mentees or self.student_mentee, name, days=1)
        self._mark_done(meeting)
        return meeting

    def _ratings(self, meeting):
        return self.env["op.mentor.meeting.rating"].search([("meeting_id", "=", meeting.id)])

    def test_pulse_form_only_on_meetings_held(self):
        self.assertNotIn("o_mentor_pulse_form", self._get(f"/my/mentorship/meetings/{self.meeting.id}", "mentee").text)
        held = self._held()
        text = self._get(f"/my/mentorship/meetings/{held.id}", "mentee").text
        self.assertIn("o_mentor_pulse_form", text)
        self.assertIn(f'action="/my/mentorship/meetings/{held.id}/rate"', text)
        self.assertIn("Send my rating", text)
        # posting on a meeting not held yet writes nothing
        response = self._post(f"/my/mentorship/meetings/{self.meeting.id}/rate", {"rating": "4"}, login="mentee")
        self.assertIn(response.status_code, (302, 303))
        self.assertFalse(self._ratings(self.meeting))

    def test_pulse_rate_then_update(self):
        held = self._held()
        url = f"/my/mentorship/meetings/{held.id}"
        response = self._post(f"{url}/rate", {"rating": "4", "comment": "Clear"}, login="mentee")
        self.assertTrue(response.headers["Location"].endswith(f"{url}?message=rated"))
        rating = self._ratings(held)
        self.assertRecordValues(rating, [{"student_id": self.student_mentee.id, "rating": 4, "comment": "Clear"}])
        # posted again (changed mind, or the same form twice): the same rating is updated, never a second one
        for _post in range(2):
            response = self._post(f"{url}/rate", {"rating": "5", "comment": ""}, login="mentee")
            self.assertTrue(response.headers["Location"].endswith(f"{url}?message=rating_updated"))
        self.assertEqual(self._ratings(held), rating)
        self.assertRecordValues(rating, [{"rating": 5, "comment": False}])
        text = self._get(f"{url}?message=rating_updated", "mentee").text
        self.assertIn("Your rating is updated", text)
        self.assertIn("Update my rating", text)
        self.assertIn('value="5" checked', text)

    def test_pulse_absent_mentee_cannot_rate(self):
        """A mentee the mentor marked absent is told so instead of the form; a posted rating is refused, unwritten."""
        held = self._held()
        held.absent_student_ids = self.student_mentee
        url = f"/my/mentorship/meetings/{held.id}"
        text = self._get(url, "mentee").text
        self.assertIn("o_mentor_pulse_absent", text)
        self.assertNotIn("o_mentor_pulse_form", text)
        response = self._post(f"{url}/rate", {"rating": "1", "comment": "Never there"}, login="mentee")
        self.assertEqual(response.status_code, 200)
        self.assertIn("was marked absent from this meeting and cannot rate it", response.text)
        self.assertFalse(self._ratings(held))
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["op.mentor.meeting.rating"].create(
                {"meeting_id": held.id, "student_id": self.student_mentee.id, "rating": 3}
            )

    def test_pulse_bad_input_writes_nothing(self):
        held = self._held()
        url = f"/my/mentorship/meetings/{held.id}/rate"
        cases = [
            ({}, "between 1 and 5"),
            ({"rating": ""}, "between 1 and 5"),
            ({"rating": "0"}, "between 1 and 5"),
            ({"rating": "6"}, "between 1 and 5"),
            ({"rating": "-1"}, "between 1 and 5"),
            ({"rating": "abc", "comment": "Kept comment"}, "between 1 and 5"),
            ({"rating": "9" * 30}, "between 1 and 5"),
            ({"rating": "3", "comment": "x" * 2001}, "too long"),
        ]
        for data, message in cases:
            with self.subTest(data=str(data)[:60]):
                response = self._post(url, data, login="mentee")
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn("o_mentor_error", response.text)
                self.assertFalse(self._ratings(held))
        self.assertIn(
            "Kept comment", self._post(url, {"rating": "abc", "comment": "Kept comment"}, login="mentee").text
        )

    def test_pulse_routes_foreign(self):
        held = self._held()
        url = f"/my/mentorship/meetings/{held.id}/rate"
        for login in ("mentee_other", "student_other", "mentor", "mentor_other", "mentor_admin"):
            with self.subTest(login=login):
                self.assertNotFound(self._post(url, {"rating": "1"}, login=login))
        self.assertLoginRedirect(self._post(url, {"rating": "1"}, login=None))
        with mute_logger("odoo.http"):
            self.assertEqual(self._post(url, {"rating": "1"}, login="mentee", csrf=False).status_code, 400)
        self.assertNotFound(self._post("/my/mentorship/meetings/99999999999/rate", {"rating": "1"}, login="mentee"))
        self.assertFalse(self._ratings(held))

    def _add_mentees(self, count):
        mentees = self.env["op.student"]
        for index in range(count):
            mentees |= self._create_student(f"extra_{index}", f"Extra{index}", "Mentee", self.batch, portal=False)[1]
        self.allocation.student_ids |= mentees
        return mentees

    def test_pulse_mentor_sees_aggregate_only(self):
        mentees = self._add_mentees(2)
        held = self._held(mentees=self.student_mentee | mentees)
        Rating = self.env["op.mentor.meeting.rating"]
        Rating.create({"meeting_id": held.id, "student_id": self.student_mentee.id, "rating": 2, "comment": "Too fast"})
        url = f"/my/mentor/meetings/{held.id}"
        text = self._get(url, "mentor").text
        self.assertIn("o_mentor_pulse_pending", text, "one rating: no average, it would be that mentee's")
        self.assertNotIn("o_mentor_pulse_average", text)
        self.assertNotIn("Too fast", text)
        for mentee, value in zip(mentees, (5, 5), strict=True):
            Rating.create({"meeting_id": held.id, "student_id": mentee.id, "rating": value})
        text = self._get(url, "mentor").text
        self.assertIn('<strong class="o_mentor_pulse_average">4.0</strong> / 5', text)
        self.assertNotIn("Too fast", text)
        self.assertNotIn("o_mentor_pulse_pending", text)
        text = self._get("/my/mentor/meetings", "mentor").text
        self.assertIn('<strong class="o_mentor_pulse_average">4.0</strong> / 5', text)
        # the other mentor sees none of it
        self.assertNotIn("o_mentor_pulse", self._get("/my/mentor/meetings", "mentor_other").text)
        # the minimum is a setting
        self.env.company.mentor_pulse_min_ratings = 4
        self.assertIn("o_mentor_pulse_pending", self._get(url, "mentor").text)

    def test_pulse_pages_query_count_constant(self):
        mentees = self._add_mentees(4)
        held = self._held(mentees=self.student_mentee | mentees)
        Rating = self.env["op.mentor.meeting.rating"]
        Rating.create({"meeting_id": held.id, "student_id": self.student_mentee.id, "rating": 4})
        pages = (
            (f"/my/mentor/meetings/{held.id}", "mentor"),
            ("/my/mentor/meetings", "mentor"),
            (f"/my/mentorship/meetings/{held.id}", "mentee"),
        )

        def more_ratings():
            Rating.create([{"meeting_id": held.id, "student_id": mentee.id, "rating": 3} for mentee in mentees])
            for _index in range(3):
                other = self._held(name="More", mentees=mentees)
                Rating.create([{"meeting_id": other.id, "student_id": mentee.id, "rating": 5} for mentee in mentees])

        self.assertUrlQueryCountConstant(pages, more_ratings)
