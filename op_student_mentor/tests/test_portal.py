from datetime import datetime, timedelta

import pytz

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MentorPortalCommon


@tagged("post_install", "-at_install")
class TestMentorPortal(MentorPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Meeting = cls.env["op.mentor.meeting"]
        # 15 January, two years ahead: Brussels is UTC+1 then (no daylight saving time).
        cls.next_winter = datetime(fields.Datetime.now().year + 2, 1, 15)

    # ------------------------------------------------------------
    # Tools
    # ------------------------------------------------------------

    def _form(self, **overrides):
        data = {
            "meeting_name": "Goal setting",
            "meeting_link": "https://meet.example.com/goal-setting",
            "date": self.next_winter.strftime("%Y-%m-%d"),
            "time": "10:00",
            "duration": "45",
            "description": "SMART goals for the term",
            "mentee_ids": [str(self.student_mentee.id)],
            "token": "a" * 32,
        }
        data.update(overrides)
        return data

    @staticmethod
    def _brussels(value):
        return pytz.utc.localize(value).astimezone(pytz.timezone("Europe/Brussels")).replace(tzinfo=None)

    def _mentor_meetings(self):
        return self.Meeting.search([("student_id", "=", self.student_mentor.id)])

    def assertRefused(self, response):
        self.assertNotIn("Weekly check-in", response.text)  # and never the mentor's meetings
        return super().assertRefused(response)

    def assertNotFound(self, response):
        self.assertEqual(response.status_code, 404, response.url)
        self.assertNotIn("Weekly check-in", response.text)
        self.assertNotIn("weekly-check-in", response.text)

    def assertLoginRedirect(self, response):
        self.assertIn(response.status_code, (302, 303), response.url)
        self.assertIn("/web/login", response.headers["Location"])

    # ------------------------------------------------------------
    # Home
    # ------------------------------------------------------------

    def test_home_counters(self):
        counters = ["mentor_meeting_count", "mentorship_meeting_count"]
        expected = {
            "mentor": {"mentor_meeting_count": 1},
            "mentee": {"mentorship_meeting_count": 1},
            "student_other": {},
            "mentor_admin": {},
        }
        for login, values in expected.items():
            with self.subTest(login=login):
                self._login(login)
                result = self.make_jsonrpc_request("/my/counters", {"counters": counters})
                self.assertEqual({key: result[key] for key in counters if key in result}, values)
        response = self._get("/my", "mentor")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Mentor Meetings", response.text)
        # the entries only for the students they concern (tests/test_portal_home.py)
        self.assertNotIn("My Mentorship", response.text)
        self.assertIn("My Mentorship", self._get("/my", "mentee").text)

    def test_home_counter_new_mentor_without_meeting(self):
        """An approved mentor without meetings still gets the counter (at 0), so the card shows."""
        self.meeting.sudo().unlink()
        self._login("mentor")
        result = self.make_jsonrpc_request("/my/counters", {"counters": ["mentor_meeting_count"]})
        self.assertEqual(result.get("mentor_meeting_count"), 0)

    # ------------------------------------------------------------
    # Access matrix
    # ------------------------------------------------------------

    def test_mentor_routes_as_host(self):
        for url in (
            "/my/mentor/mentees",
            "/my/mentor/meetings",
            "/my/mentor/meetings/page/2",
            "/my/mentor/meetings/new",
            f"/my/mentor/meetings/{self.meeting.id}",
        ):
            with self.subTest(url=url):
                response = self._get(url, "mentor")
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("Other check-in", response.text)
                self.assertNotIn("Iris Mentee", response.text)
        self.assertIn("Weekly check-in", self._get("/my/mentor/meetings", "mentor").text)
        mentees = self._get("/my/mentor/mentees", "mentor").text
        self.assertIn("Eli Mentee", mentees)
        self.assertIn("Weekly check-in", mentees)  # the next meeting of the mentee

    def test_mentor_routes_as_other_mentor(self):
        for url in ("/my/mentor/meetings", "/my/mentor/mentees", "/my/mentor/meetings/new"):
            with self.subTest(url=url):
                response = self._get(url, "mentor_other")
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("Weekly check-in", response.text)
                self.assertNotIn("Eli Mentee", response.text)
        for url in (
            f"/my/mentor/meetings/{self.meeting.id}",
            "/my/mentor/meetings/999999999",
            "/my/mentor/meetings/99999999999999999999",
        ):
            with self.subTest(url=url):
                self.assertNotFound(self._get(url, "mentor_other"))

    def test_mentor_routes_refused_to_non_mentors(self):
        for login in ("mentee", "student_other", "mentor_admin"):
            for url in (
                "/my/mentor/mentees",
                "/my/mentor/meetings",
                "/my/mentor/meetings/new",
                f"/my/mentor/meetings/{self.meeting.id}",
            ):
                with self.subTest(login=login, url=url):
                    self.assertRefused(self._get(url, login))

    def test_routes_public_redirect_to_login(self):
        for url in (
            "/my/mentor/mentees",
            "/my/mentor/meetings",
            "/my/mentor/meetings/new",
            f"/my/mentor/meetings/{self.meeting.id}",
            "/my/mentorship/meetings",
            f"/my/mentorship/meetings/{self.meeting.id}",
            f"/my/mentorship/meetings/{self.meeting.id}/ics",
        ):
            with self.subTest(url=url):
                self.assertLoginRedirect(self._get(url))

    def test_mentee_routes(self):
        response = self._get("/my/mentorship/meetings", "mentee")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Weekly check-in", response.text)
        self.assertIn("Maya Mentor", response.text)
        self.assertNotIn("Other check-in", response.text)
        response = self._get(f"/my/mentorship/meetings/{self.meeting.id}", "mentee")
        self.assertEqual(response.status_code, 200)
        self.assertIn('href="https://meet.example.com/weekly-check-in"', response.text)
        self.assertIn("Maya Mentor", response.text)
        response = self._get(f"/my/mentorship/meetings/{self.meeting.id}/ics", "mentee")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/calendar"))
        self.assertIn("BEGIN:VCALENDAR", response.text)
        self.assertIn("SUMMARY:Weekly check-in", response.text)

    def test_mentee_routes_foreign(self):
        for login in ("mentee_other", "mentor_other", "student_other"):
            with self.subTest(login=login):
                response = self._get("/my/mentorship/meetings", login)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("Weekly check-in", response.text)
                self.assertNotFound(self._get(f"/my/mentorship/meetings/{self.meeting.id}", login))
                self.assertNotFound(self._get(f"/my/mentorship/meetings/{self.meeting.id}/ics", login))
        self.assertNotFound(self._get("/my/mentorship/meetings/99999999999", "mentee"))
        # no meeting yet: the empty state
        self.assertIn("No meetings yet", self._get("/my/mentorship/meetings", "student_other").text)

    def test_mentee_routes_as_host(self):
        """The host is sent to the mentor page; the calendar file is theirs too."""
        response = self._get(f"/my/mentorship/meetings/{self.meeting.id}", "mentor")
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith(f"/my/mentor/meetings/{self.meeting.id}"))
        response = self._get(f"/my/mentorship/meetings/{self.meeting.id}/ics", "mentor")
        self.assertEqual(response.status_code, 200)
        self.assertIn("BEGIN:VEVENT", response.text)

    def test_post_routes_foreign(self):
        data = {"date": self.next_winter.strftime("%Y-%m-%d"), "time": "11:00"}
        for action in ("done", "cancel", "reschedule"):
            url = f"/my/mentor/meetings/{self.meeting.id}/{action}"
            with self.subTest(action=action):
                self.assertNotFound(self._post(url, data, login="mentor_other"))
                self.assertRefused(self._post(url, data, login="mentee"))
                self.assertRefused(self._post(url, data, login="student_other"))
        self.assertEqual(self.meeting.status, "scheduled")
        self.assertFalse(self.meeting.rescheduled_to_ids)

    def test_mentor_meeting_date_in_user_timezone(self):
        meeting = self._create_meeting(
            self.student_mentor, self.student_mentee, "Timezone check", date=self.next_winter.replace(hour=9)
        )
        for url, login in (
            (f"/my/mentor/meetings/{meeting.id}", "mentor"),
            (f"/my/mentorship/meetings/{meeting.id}", "mentee"),
        ):
            with self.subTest(url=url):
                text = self._get(url, login).text
                self.assertIn("10:00", text)  # Europe/Brussels, UTC+1 in January
                self.assertNotIn("09:00", text)
                self.assertIn("Europe/Brussels", text)

    # ------------------------------------------------------------
    # Create
    # ------------------------------------------------------------

    def test_create_meeting(self):
        response = self._post("/my/mentor/meetings/new", self._form())
        meeting = self._mentor_meetings() - self.meeting
        self.assertEqual(len(meeting), 1)
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith(f"/my/mentor/meetings/{meeting.id}?message=created"))
        self.assertRecordValues(
            meeting,
            [
                {
                    "meeting_name": "Goal setting",
                    "meeting_link": "https://meet.example.com/goal-setting",
                    "date": self.next_winter.replace(hour=9),  # typed in Brussels, stored in UTC
                    "duration": 45,
                    "description": "SMART goals for the term",
                    "student_id": self.student_mentor.id,
                    "meeting_students": self.student_mentee.ids,
                    "status": "scheduled",
                }
            ],
        )
        response = self._get(f"/my/mentor/meetings/{meeting.id}?message=created", "mentor")
        self.assertIn("Meeting scheduled", response.text)
        # the mentee is invited by e-mail (calendar's invitation of the meeting's event)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "calendar.event"), ("res_id", "=", meeting.calendar_event_id.id)])
        )
        self.assertIn(self.user_mentee.partner_id, mails.recipient_ids)

    def test_create_form_lists_own_mentees_only(self):
        text = self._get("/my/mentor/meetings/new", "mentor").text
        self.assertIn(f'value="{self.student_mentee.id}"', text)
        self.assertNotIn(f'value="{self.student_mentee_other.id}"', text)
        self.assertIn('name="csrf_token"', text)
        self.assertIn('name="token"', text)

    def test_create_meeting_bad_input(self):
        past = (fields.Datetime.now() - timedelta(days=2)).strftime("%Y-%m-%d")
        cases = [
            ({"meeting_link": "javascript:alert(1)"}, "http:// or https://"),
            ({"meeting_link": "ftp://files.example.com/x"}, "http:// or https://"),
            ({"date": past}, "in the future"),
            ({"date": "not-a-date"}, "not valid"),
            ({"date": "99999-01-01"}, "not valid"),
            ({"time": "25:99"}, "not valid"),
            ({"time": ""}, "date and the time"),
            ({"meeting_name": ""}, "Give the meeting a name"),
            ({"meeting_name": "x" * 300}, "too long"),
            ({"duration": "abc"}, "between 1 and 600"),
            ({"duration": "0"}, "between 1 and 600"),
            ({"duration": "601"}, "between 1 and 600"),
            ({"duration": "-5"}, "between 1 and 600"),
            ({"duration": "9" * 40}, "between 1 and 600"),
            ({"mentee_ids": [str(self.student_mentee_other.id)]}, "among the students allocated to you"),
            ({"mentee_ids": [str(self.student_other.id)]}, "among the students allocated to you"),
            ({"mentee_ids": ["abc"]}, "among the students allocated to you"),
            ({"mentee_ids": ["9" * 40]}, "among the students allocated to you"),
            ({"mentee_ids": [str(self.student_mentee.id), str(self.student_mentee_other.id)]}, "allocated to you"),
            ({"mentee_ids": []}, "at least one mentee"),
        ]
        count = len(self._mentor_meetings())
        for overrides, message in cases:
            with self.subTest(overrides=str(overrides)[:80]):
                data = self._form(**{"meeting_name": "Kept name", **overrides})
                response = self._post("/my/mentor/meetings/new", data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn("o_mentor_form_errors", response.text)
                if "meeting_name" not in overrides:
                    self.assertIn('value="Kept name"', response.text)  # the user's input is kept
                self.assertEqual(len(self._mentor_meetings()), count)

    def test_create_meeting_without_csrf(self):
        with mute_logger("odoo.http"):
            response = self._post("/my/mentor/meetings/new", self._form(), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._mentor_meetings(), self.meeting)

    def test_create_meeting_double_submit(self):
        first = self._post("/my/mentor/meetings/new", self._form())
        second = self._post("/my/mentor/meetings/new", self._form())
        meeting = self._mentor_meetings() - self.meeting
        self.assertEqual(len(meeting), 1)
        self.assertTrue(first.headers["Location"].endswith(f"/my/mentor/meetings/{meeting.id}?message=created"))
        self.assertTrue(second.headers["Location"].endswith(f"/my/mentor/meetings/{meeting.id}?message=duplicate"))
        # another form (another token) is another meeting
        self._post("/my/mentor/meetings/new", self._form(token="b" * 32))
        self.assertEqual(len(self._mentor_meetings() - self.meeting), 2)

    def test_create_meeting_token_of_other_mentor(self):
        """A token only finds the meetings of the mentor who posts it."""
        self._post("/my/mentor/meetings/new", self._form(), login="mentor")
        data = self._form(mentee_ids=[str(self.student_mentee_other.id)])
        response = self._post("/my/mentor/meetings/new", data, login="mentor_other")
        self.assertEqual(response.status_code, 200)
        self.assertIn("This form was already sent", response.text)
        self.assertNotIn("/my/mentor/meetings/", response.text.replace("/my/mentor/meetings/new", ""))
        self.assertFalse(self.Meeting.search([("student_id", "=", self.student_mentor_other.id)]) - self.meeting_other)

    # ------------------------------------------------------------
    # Meeting actions
    # ------------------------------------------------------------

    def test_done_twice(self):
        url = f"/my/mentor/meetings/{self.meeting.id}"
        done_button = 'class="btn btn-success o_mentor_done"'
        # before its start the page offers no "Mark done", and says when it can be
        page = self._get(url, login="mentor")
        self.assertNotIn(done_button, page.text)
        self.assertIn("It can be marked done from its start time on.", page.text)
        response = self._post(f"{url}/done", {}, allow_redirects=True)
        self.assertIn("has not started yet", response.text, "not before its start time")
        self.assertEqual(self.meeting.status, "scheduled")
        self.meeting.date = datetime.now().replace(microsecond=0) - timedelta(minutes=1)
        page = self._get(url, login="mentor")
        self.assertIn(done_button, page.text)
        self.assertNotIn("o_mentor_done_later", page.text)
        response = self._post(f"{url}/done", {})
        self.assertTrue(response.headers["Location"].endswith(f"{url}?message=done"))
        self.assertEqual(self.meeting.status, "done")
        response = self._post(f"{url}/done", {}, allow_redirects=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn("already marked as done", response.text)
        response = self._post(f"{url}/cancel", {}, allow_redirects=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Only scheduled meetings can be changed", response.text)
        self.assertEqual(self.meeting.status, "done")
        self.assertNotIn("o_mentor_done", response.text)

    def test_cancel_twice(self):
        url = f"/my/mentor/meetings/{self.meeting.id}"
        response = self._post(f"{url}/cancel", {"close_reason": "illness"})
        self.assertTrue(response.headers["Location"].endswith(f"{url}?message=cancel"))
        self.assertEqual(self.meeting.status, "cancel")
        response = self._post(f"{url}/cancel", {"close_reason": "illness"}, allow_redirects=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn("already cancelled", response.text)
        self.assertEqual(self.meeting.status, "cancel")

    def test_action_without_csrf(self):
        with mute_logger("odoo.http"):
            for action in ("done", "cancel", "reschedule"):
                data = {"date": self.next_winter.strftime("%Y-%m-%d"), "time": "10:00"}
                response = self._post(f"/my/mentor/meetings/{self.meeting.id}/{action}", data, csrf=False)
                self.assertEqual(response.status_code, 400)
        self.assertEqual(self.meeting.status, "scheduled")
        self.assertFalse(self.meeting.rescheduled_to_ids)

    def test_reschedule(self):
        url = f"/my/mentor/meetings/{self.meeting.id}"
        data = {"date": self.next_winter.strftime("%Y-%m-%d"), "time": "14:30"}
        response = self._post(f"{url}/reschedule", data)
        new_meeting = self.meeting.rescheduled_to_ids
        self.assertEqual(len(new_meeting), 1)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/mentor/meetings/{new_meeting.id}?message=rescheduled")
        )
        self.assertEqual(self.meeting.status, "reschedule")
        self.assertEqual(new_meeting.date, self.next_winter.replace(hour=13, minute=30))
        self.assertEqual(new_meeting.meeting_link, self.meeting.meeting_link)
        # the same form again: no second meeting, sent to the new one
        response = self._post(f"{url}/reschedule", data)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/mentor/meetings/{new_meeting.id}?message=already_rescheduled")
        )
        self.assertEqual(len(self.meeting.rescheduled_to_ids), 1)
        # the history on both pages
        text = self._get(f"/my/mentor/meetings/{new_meeting.id}", "mentor").text
        self.assertIn(f'href="/my/mentor/meetings/{self.meeting.id}"', text)
        self.assertIn("Rescheduled", text)
        # the mentee sees where it moved
        text = self._get(f"/my/mentorship/meetings/{self.meeting.id}", "mentee").text
        self.assertIn(f'href="/my/mentorship/meetings/{new_meeting.id}"', text)

    def test_reschedule_new_link(self):
        data = {
            "date": self.next_winter.strftime("%Y-%m-%d"),
            "time": "14:30",
            "meeting_link": "https://meet.example.com/new-room",
        }
        self._post(f"/my/mentor/meetings/{self.meeting.id}/reschedule", data)
        self.assertEqual(self.meeting.rescheduled_to_ids.meeting_link, "https://meet.example.com/new-room")

    def test_reschedule_bad_input(self):
        past = (fields.Datetime.now() - timedelta(days=1)).strftime("%Y-%m-%d")
        day = self.next_winter.strftime("%Y-%m-%d")
        cases = [
            ({"date": past, "time": "10:00"}, "in the future"),
            ({"date": "tomorrow", "time": "10:00"}, "not valid"),
            ({"date": "", "time": ""}, "date and the time"),
            ({"date": day, "time": "10:00", "meeting_link": "javascript:alert(1)"}, "http:// or https://"),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self._post(f"/my/mentor/meetings/{self.meeting.id}/reschedule", data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn("o_mentor_error", response.text)
                self.assertEqual(self.meeting.status, "scheduled")
                self.assertFalse(self.meeting.rescheduled_to_ids)

    def test_reschedule_closed_meeting(self):
        self.meeting._action_cancel("illness")
        data = {"date": self.next_winter.strftime("%Y-%m-%d"), "time": "10:00"}
        response = self._post(f"/my/mentor/meetings/{self.meeting.id}/reschedule", data, allow_redirects=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Only scheduled meetings can be changed", response.text)
        self.assertFalse(self.meeting.rescheduled_to_ids)

    # ------------------------------------------------------------
    # Lists: filters, search, pager, query count
    # ------------------------------------------------------------

    def _create_noise(self, count):
        """``count`` meetings of the mentor with the mentee, half of them past."""
        Meeting = self.Meeting.with_context(no_mail_to_attendees=True)
        now = fields.Datetime.now().replace(microsecond=0)
        return Meeting.create(
            [
                {
                    "meeting_name": f"Noise {index:02d}",
                    "meeting_link": f"https://meet.example.com/noise-{index}",
                    "date": now + timedelta(days=index + 1) * (1 if index % 2 else -1),
                    "student_id": self.student_mentor.id,
                    "meeting_students": [Command.set(self.student_mentee.ids)],
                    "status": "done" if index % 2 == 0 else "scheduled",
                }
                for index in range(count)
            ]
        )

    def test_list_filters_and_search(self):
        self._create_noise(6)
        response = self._get("/my/mentor/meetings?filterby=done", "mentor")
        self.assertIn("Noise 00", response.text)
        self.assertNotIn("Noise 01", response.text)
        self.assertNotIn("Weekly check-in", response.text)
        response = self._get("/my/mentor/meetings?filterby=upcoming", "mentor")
        self.assertIn("Noise 01", response.text)
        self.assertIn("Weekly check-in", response.text)
        self.assertNotIn("Noise 00", response.text)
        response = self._get("/my/mentor/meetings?search=weekly&search_in=name", "mentor")
        self.assertIn("Weekly check-in", response.text)
        self.assertNotIn("Noise", response.text)
        response = self._get("/my/mentor/meetings?filterby=nonsense&sortby=nonsense&search=" + "x" * 500, "mentor")
        self.assertEqual(response.status_code, 200)
        self.assertIn("No meeting matches your search", response.text)
        for url in ("/my/mentor/meetings/page/99999999999999999999", "/my/mentorship/meetings/page/0"):
            with self.subTest(url=url):
                self.assertEqual(self._get(url, "mentor").status_code, 200)
        for sortby in ("date", "date_desc", "name"):
            with self.subTest(sortby=sortby):
                self.assertEqual(self._get(f"/my/mentor/meetings?sortby={sortby}", "mentor").status_code, 200)
        response = self._get("/my/mentorship/meetings?filterby=past", "mentee")
        self.assertIn("Noise 00", response.text)
        self.assertNotIn("Weekly check-in", response.text)

    def test_list_upcoming_first(self):
        self._create_noise(6)
        text = self._get("/my/mentor/meetings", "mentor").text
        # soonest upcoming first, then the most recent past meetings
        order = [
            text.index(name)
            for name in ("Noise 01", "Weekly check-in", "Noise 03", "Noise 05", "Noise 00", "Noise 02", "Noise 04")
        ]
        self.assertEqual(order, sorted(order))

    def test_list_pager(self):
        self._create_noise(85)
        page1 = self._get("/my/mentor/meetings", "mentor").text
        page2 = self._get("/my/mentor/meetings/page/2", "mentor").text
        self.assertIn("/my/mentor/meetings/page/2", page1)
        self.assertEqual(page2.count("o_mentor_meeting_row"), 86 - 80)
        # the first page ends with the oldest meetings of the first 80, page 2 has the rest
        self.assertIn("Noise 84", page2)
        self.assertNotIn("Noise 84", page1)
        self.assertEqual(
            self._get("/my/mentorship/meetings/page/2", "mentee").text.count("o_mentorship_meeting_row"), 6
        )

    def test_query_count_constant(self):
        self._create_noise(5)
        self.assertUrlQueryCountConstant(
            (
                ("/my/mentor/meetings", "mentor"),
                ("/my/mentorship/meetings", "mentee"),
                ("/my/mentor/mentees", "mentor"),
            ),
            lambda: self._create_noise(25),
        )
        self.assertEqual(self._get("/my/mentor/meetings", "mentor").text.count("o_mentor_meeting_row"), 31)

    # ------------------------------------------------------------
    # Tours
    # ------------------------------------------------------------

    def test_tour_mentor_and_mentee(self):
        self.start_tour("/my", "op_student_mentor_portal_schedule", login="mentor")
        original = self.Meeting.search([("meeting_name", "=", "Tour kick-off"), ("rescheduled_from_id", "=", False)])
        self.assertEqual(len(original), 1)
        self.assertEqual(original.status, "reschedule")
        new_meeting = original.rescheduled_to_ids
        self.assertEqual(len(new_meeting), 1)
        self.assertRecordValues(
            new_meeting,
            [
                {
                    "status": "scheduled",
                    "meeting_link": "https://meet.example.com/tour-kick-off",
                    "meeting_students": self.student_mentee.ids,
                }
            ],
        )
        # one week later at the same time of the mentor's day (Brussels; DST may change in between)
        self.assertEqual(self._brussels(new_meeting.date), self._brussels(original.date) + timedelta(days=7))
        self.start_tour("/my", "op_student_mentor_portal_mentee", login="mentee")
        # a meeting is marked done from its start time on: the mentor comes back once it has started
        new_meeting.date = datetime.now().replace(microsecond=0) - timedelta(minutes=10)
        self.start_tour("/my/mentor/meetings", "op_student_mentor_portal_done", login="mentor")
        self.assertEqual(new_meeting.status, "done")
