"""The portal home and the meeting lists as a school's students meet them on day one:
entries only for the students they concern, the next meeting with Join, the lists on a phone."""

from datetime import datetime, timedelta

import lxml.html
from freezegun import freeze_time

from odoo.tests import tagged

from .common import MentorPortalCommon

ENTRIES = {
    "mentor": 'href="/my/mentor/meetings"',
    "mentee": 'href="/my/mentorship/meetings"',
    "goals": 'href="/my/mentorship/goals"',
}


@tagged("post_install", "-at_install")
class TestPortalHome(MentorPortalCommon):
    def _home(self, login):
        response = self._get("/my", login)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_entries_only_for_the_students_they_concern(self):
        expected = {
            "mentor": {"mentor"},
            "mentee": {"mentee", "goals"},
            "student_other": set(),  # enrolled, not in the program
            "faculty": set(),  # an internal user
            "mentor_admin": set(),
        }
        for login, entries in expected.items():
            with self.subTest(login=login):
                html = self._home(login)
                shown = {entry for entry, href in ENTRIES.items() if href in html}
                self.assertEqual(shown, entries)

    def test_entry_of_an_allocated_mentee_without_meeting(self):
        self.meeting.sudo().unlink()
        html = self._home("mentee")
        self.assertIn(ENTRIES["mentee"], html)
        self.assertNotIn("o_mentor_home_next", html)

    def test_next_meeting_with_join(self):
        later = self._create_meeting(self.student_mentor, self.student_mentee, "Later check-in", days=10)
        for login, url in (
            ("mentor", f"/my/mentor/meetings/{self.meeting.id}"),
            ("mentee", f"/my/mentorship/meetings/{self.meeting.id}"),
        ):
            with self.subTest(login=login):
                html = self._home(login)
                self.assertIn('class="card mt-3 o_mentor_home_next"', html)
                self.assertIn(f'data-meeting="{self.meeting.id}"', html)  # the soonest, not the later one
                self.assertIn(f'href="{url}"', html)
                self.assertIn('href="https://meet.example.com/weekly-check-in"', html)
                self.assertNotIn("Later check-in", html)
        html = self._home("mentor")
        self.assertIn("With Eli Mentee", html)
        self.assertIn("With your mentor Maya Mentor", self._home("mentee"))
        # cancelled: the next one comes up
        self.meeting._action_cancel("illness", "")
        self.assertIn(f'data-meeting="{later.id}"', self._home("mentee"))
        later._action_cancel("illness", "")
        self.assertNotIn("o_mentor_home_next", self._home("mentee"))
        # nobody else sees a meeting
        self.assertNotIn("o_mentor_home_next", self._home("student_other"))
        html = self._home("mentor_other")  # their own meeting, never Maya's
        self.assertIn(f'data-meeting="{self.meeting_other.id}"', html)
        self.assertNotIn("Weekly check-in", html)

    def test_lists_join_only_meetings_to_come(self):
        self.meeting._action_cancel("illness", "")
        upcoming = self._create_meeting(self.student_mentor, self.student_mentee, "Upcoming check-in", days=4)
        for url, login in (("/my/mentor/meetings", "mentor"), ("/my/mentorship/meetings", "mentee")):
            with self.subTest(url=url):
                html = self._get(url, login).text
                self.assertEqual(html.count("o_mentor_join"), 1)
                self.assertIn('href="https://meet.example.com/upcoming-check-in"', html)
        self.assertTrue(upcoming)

    def test_new_meeting_out_of_the_search_bar(self):
        """The search bar folds into a menu on phones: New Meeting stays out of it."""
        doc = lxml.html.fromstring(self._get("/my/mentor/meetings", "mentor").content)
        self.assertEqual(len(doc.xpath("//a[contains(@class, 'o_mentor_new_meeting')]")), 1)
        self.assertFalse(doc.xpath("//*[@id='o_portal_navbar_content']//a[contains(@class, 'o_mentor_new_meeting')]"))

    def test_home_query_count_constant(self):
        def more_meetings():
            for days in range(4, 24):
                self._create_meeting(self.student_mentor, self.student_mentee, f"Check-in {days}", days=days)

        self.assertUrlQueryCountConstant((("/my", "mentor"), ("/my", "mentee")), more_meetings)


@tagged("post_install", "-at_install")
class TestPortalPhone(MentorPortalCommon):
    """The tours on a phone's screen (390 x 844, touch), as a student opens the portal from the link of an
    e-mail."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Long names that differ only at their end: cut, the rows would look the same.
        # held last week: created then, for two days later (the model refuses a meeting created in the past)
        with freeze_time(datetime.now() - timedelta(days=9)):
            held = cls._create_meeting(
                cls.student_mentor,
                cls.student_mentee,
                "Weekly check-in with the whole group of mentees (week 1)",
                days=2,
            )
        held.action_done()
        cancelled = cls._create_meeting(
            cls.student_mentor, cls.student_mentee, "Weekly check-in with the whole group of mentees (week 3)", days=5
        )
        cancelled._action_cancel("illness", "")

    def test_phone_mentor(self):
        self.start_tour("/my", "op_student_mentor_phone_mentor", login="mentor")

    def test_phone_mentee(self):
        self.start_tour("/my", "op_student_mentor_phone_mentee", login="mentee")
