from datetime import date, datetime, timedelta

import lxml.html
import pytz

from odoo import Command, http
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MentorPortalCommon


@tagged("post_install", "-at_install")
class TestMentorPracticePortal(MentorPortalCommon):
    """The mentoring practice on the portal: session record, next session, the mentee's goals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Followup = cls.env["op.mentor.followup"]
        cls.Goal = cls.env["op.mentor.goal"]
        cls._mark_done(cls.meeting)
        cls.session_url = f"/my/mentor/meetings/{cls.meeting.id}/session"
        cls.next_url = f"/my/mentor/meetings/{cls.meeting.id}/next"
        # last week's notes, readable by the mentor, with two open goals to review
        cls.previous = cls.Followup.create(
            {
                "student_id": cls.student_mentee.id,
                "allocation_id": cls.allocation.id,
                "meeting_date": date.today() - timedelta(days=7),
                "visibility": "mentor",
            }
        )
        cls.goal_done = cls.Goal.create({"followup_id": cls.previous.id, "name": "Course part 2", "indicator": "100%"})
        cls.goal_carry = cls.Goal.create({"followup_id": cls.previous.id, "name": "Deliverable 1", "indicator": "v1"})

    # ------------------------------------------------------------
    # Tools
    # ------------------------------------------------------------

    def _session_form(self, **overrides):
        m = f"{self.student_mentee.id}-"
        data = {
            m + "visibility": "mentee",
            m + "catch_up": "Moved house, less study time.",
            m + "progress": "Deliverable 1 half done; clear structure.",
            m + "obstacles": "Unsure about the weighting.",
            m + "project_progress": "40",
            m + f"review-{self.goal_done.id}": "achieved",
            m + f"review-{self.goal_carry.id}": "carry",
            m + "goal-0-name": "Deliverable 2",
            m + "goal-0-indicator": "first version of the comparison table",
            m + "goal-0-shared": "1",
            m + "goal-1-name": "Weighting criteria",
            m + "goal-1-indicator": "one slide",
            m + "goal-1-deadline": (date.today() + timedelta(days=5)).isoformat(),
        }
        data.update({m + key: value for key, value in overrides.items()})
        return data

    @staticmethod
    def _brussels(value):
        """The mentor's (and mentee's) timezone in the fixtures."""
        return pytz.utc.localize(value).astimezone(pytz.timezone("Europe/Brussels"))

    def _session_followups(self):
        return self.Followup.search([("meeting_id", "=", self.meeting.id)])

    def assertNotFound(self, response):
        self.assertEqual(response.status_code, 404, response.url)
        self.assertNotIn("Eli Mentee", response.text)

    # ------------------------------------------------------------
    # Meeting form: duration from the funding type
    # ------------------------------------------------------------

    def test_new_meeting_duration_follows_funding(self):
        response = self._get("/my/mentor/meetings/new", "mentor")
        self.assertRegex(response.text, r'name="duration"[^>]*value="30"')
        self.student_mentee.write({"mentor_funding_type": "employee", "training_end_date": date(2027, 6, 30)})
        response = self._get("/my/mentor/meetings/new", "mentor")
        self.assertRegex(response.text, r'name="duration"[^>]*value="45"')
        self.assertIn('data-duration="45"', response.text, "the script sets it when mentees change")
        self.assertIn('data-self-funded="30"', response.text)
        # a form sent without a duration gets the funding type's length, like the backend
        data = {
            "meeting_name": "Funded session",
            "meeting_link": "https://meet.example.com/funded",
            "date": (date.today() + timedelta(days=20)).isoformat(),
            "time": "10:00",
            "duration": "",
            "mentee_ids": [str(self.student_mentee.id)],
            "token": "f" * 32,
        }
        response = self._post("/my/mentor/meetings/new", data)
        self.assertIn(response.status_code, (302, 303), response.text[:500])
        meeting = self.env["op.mentor.meeting"].search([("meeting_name", "=", "Funded session")])
        self.assertEqual(meeting.duration, 45)

    def test_tour_new_meeting_duration(self):
        """The form's script: the duration follows the mentees ticked until the mentor types one."""
        self.allocation.student_ids = [Command.link(self.student_other.id)]
        self.student_other.write({"mentor_funding_type": "apprenticeship", "training_end_date": date(2027, 6, 30)})
        self.start_tour("/my/mentor/meetings/new", "op_student_mentor_meeting_duration", login="mentor")

    # ------------------------------------------------------------
    # Session record: access
    # ------------------------------------------------------------

    def test_session_page_as_host(self):
        response = self._get(self.session_url, "mentor")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Eli Mentee", response.text)
        self.assertIn("Deliverable 1", response.text, "last session's open goals to review")
        self.assertIn("o_mentor_next_form", response.text)
        self.assertNotIn("Iris Mentee", response.text)
        # the meeting page links to it once done
        self.assertIn("o_mentor_record_session", self._get(f"/my/mentor/meetings/{self.meeting.id}", "mentor").text)

    def test_session_page_says_what_the_mentee_reads(self):
        """As the mentor writes, the form marks the parts the mentee reads."""

        def marks(html):
            doc = lxml.html.fromstring(html)
            shown = doc.xpath("//*[contains(@class, 'o_mentor_read_by_mentee') and not(contains(@class, 'd-none'))]")
            audience = doc.xpath(
                "//*[contains(@class, 'o_mentor_session_audience')]/span[not(contains(@class, 'd-none'))]"
            )
            return len(shown), " ".join(audience[0].text_content().split())

        count, audience = marks(self._get(self.session_url, "mentor").content)
        self.assertEqual(count, 0, "a new record stays between the mentor and the faculty")
        self.assertEqual(audience, "Only you, the faculty and the mentorship administrators read these notes.")
        self._post(self.session_url, self._session_form())
        count, audience = marks(self._get(self.session_url, "mentor").content)
        self.assertEqual(count, 4, "catch-up, progress and feedback, obstacles and questions, project progress")
        self.assertIn("Eli Mentee reads the notes marked below", audience)
        self.assertIn("never Eli Mentee", self._get(self.session_url, "mentor").text)  # the at-risk reason

    @mute_logger("odoo.http")
    def test_session_routes_foreign(self):
        for url in (self.session_url, f"/my/mentor/meetings/{self.meeting_other.id}/session"):
            login = "mentor_other" if url == self.session_url else "mentor"
            with self.subTest(url=url):
                self.assertNotFound(self._get(url, login))
        for login in ("mentee", "student_other", "mentor_admin"):
            with self.subTest(login=login):
                self.assertRefused(self._get(self.session_url, login))
                self.assertRefused(self._post(self.session_url, self._session_form(), login=login))
                self.assertRefused(self._post(self.next_url, {"date": "2031-01-01", "time": "10:00"}, login=login))
        self.assertNotFound(self._post(self.session_url, self._session_form(), login="mentor_other"))
        self.assertNotFound(self._post(self.next_url, {"date": "2031-01-01", "time": "10:00"}, login="mentor_other"))
        self.assertNotFound(self._get("/my/mentor/meetings/99999999999/session", "mentor"))
        for url in (self.session_url, "/my/mentorship/goals"):
            response = self._get(url)
            self.assertIn(response.status_code, (302, 303))
            self.assertIn("/web/login", response.headers["Location"])
        self.assertFalse(self._session_followups())
        self.assertEqual(self.env["op.mentor.meeting"].search_count([("student_id", "=", self.student_mentor.id)]), 1)

    def test_session_page_needs_a_done_meeting(self):
        meeting = self._create_meeting(self.student_mentor, self.student_mentee, "Not yet")
        response = self._get(f"/my/mentor/meetings/{meeting.id}/session", "mentor")
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("message=not_done", response.headers["Location"])
        response = self._post(f"/my/mentor/meetings/{meeting.id}/session", self._session_form())
        self.assertIn(response.status_code, (302, 303))
        self.assertFalse(self.Followup.search([("meeting_id", "=", meeting.id)]))

    def test_next_session_needs_a_done_meeting(self):
        """The next session starts from the same check as the session record (_mentor_done_meeting)."""
        meeting = self._create_meeting(self.student_mentor, self.student_mentee, "Not yet")
        Meeting = self.env["op.mentor.meeting"]
        count = Meeting.search_count([("student_id", "=", self.student_mentor.id)])
        response = self._post(f"/my/mentor/meetings/{meeting.id}/next", self._next_form())
        self.assertIn(response.status_code, (302, 303))
        self.assertIn(f"/my/mentor/meetings/{meeting.id}?message=not_done", response.headers["Location"])
        self.assertEqual(Meeting.search_count([("student_id", "=", self.student_mentor.id)]), count)

    def test_session_without_csrf(self):
        with mute_logger("odoo.http"):
            response = self._post(self.session_url, self._session_form(), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._session_followups())

    # ------------------------------------------------------------
    # Session record: writes
    # ------------------------------------------------------------

    def test_record_session(self):
        response = self._post(self.session_url, self._session_form())
        self.assertIn(response.status_code, (302, 303), response.text[:1000])
        self.assertTrue(response.headers["Location"].endswith(f"{self.session_url}?message=saved"))
        followup = self._session_followups()
        self.assertRecordValues(
            followup,
            [
                {
                    "student_id": self.student_mentee.id,
                    "allocation_id": self.allocation.id,
                    "visibility": "mentee",
                    "note_catch_up": "Moved house, less study time.",
                    "note_progress": "Deliverable 1 half done; clear structure.",
                    "project_progress": 40,
                    "status": "completed",
                    "meeting_date": self._brussels(self.meeting.date).date(),
                }
            ],
        )
        self.assertEqual(self.goal_done.state, "achieved")
        self.assertEqual(self.goal_carry.state, "carried_over")
        goals = followup.goal_ids.sorted("id")
        self.assertEqual(goals.mapped("name"), ["Deliverable 1", "Deliverable 2", "Weighting criteria"])
        self.assertEqual(goals.mapped("visibility"), ["mentor", "mentee", "mentor"])
        self.assertEqual(goals[0].carried_from_id, self.goal_carry)
        self.assertEqual(goals[2].deadline, date.today() + timedelta(days=5))
        self.assertTrue(goals[1].deadline, "empty deadline: the next session, else a week")
        self.assertFalse(self.student_mentee.mentor_at_risk)
        # the page shows it recorded; sending it again updates the same record
        page = self._get(f"{self.session_url}?message=saved", "mentor").text
        self.assertIn("Session recorded", page)
        self.assertIn("o_mentor_session_recorded", page)
        self._post(self.session_url, self._session_form(project_progress="55"))
        self.assertEqual(self._session_followups(), followup)
        self.assertEqual(followup.project_progress, 55)

    def test_record_session_bad_input(self):
        past = (date.today() - timedelta(days=3)).isoformat()
        cases = [
            ({"project_progress": "150"}, "between 0 and 100"),
            ({"project_progress": "abc"}, "between 0 and 100"),
            ({"project_progress": "9" * 40}, "between 0 and 100"),
            ({"visibility": "faculty"}, "choose who may read the notes"),
            ({"visibility": ""}, "choose who may read the notes"),
            ({"goal-0-deadline": "not-a-date"}, "not a valid date"),
            ({"goal-0-deadline": past}, "in the past"),
            ({"goal-0-name": "", "goal-0-indicator": "an indicator"}, "name the skill or criterion"),
            ({"goal-0-name": "x" * 300}, "too long"),
            ({f"review-{self.goal_done.id}": "bogus"}, "how each goal went"),
            ({"on_track": "maybe"}, "training calendar"),
            ({"catch_up": "x" * 10001}, "too long"),
        ]
        for overrides, message in cases:
            with self.subTest(overrides=str(overrides)[:80]):
                response = self._post(self.session_url, self._session_form(**{"catch_up": "Kept note", **overrides}))
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn("o_mentor_form_errors", response.text)
                if "catch_up" not in overrides:
                    self.assertIn("Kept note", response.text)  # what was typed comes back
                self.assertFalse(self._session_followups(), "nothing written")
                self.assertEqual((self.goal_done | self.goal_carry).mapped("state"), ["open", "open"])
                self.assertEqual(self.Goal.search_count([("followup_id", "=", self.previous.id)]), 2)

    def test_hostile_input(self):
        """NUL characters and files posted under a field's name: the page says so, never a 500, nothing written."""
        m = f"{self.student_mentee.id}-"
        response = self._post(self.session_url, self._session_form(catch_up="Kept\x00note"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("NUL character", response.text)
        self.assertFalse(self._session_followups())
        response = self._post(self.next_url, self._next_form(meeting_link="https://meet.example.com/\x00x"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("NUL character", response.text)
        self._login("mentor")
        for url, data in ((self.session_url, self._session_form()), (self.next_url, self._next_form())):
            with self.subTest(url=url):
                data = dict(data, csrf_token=http.Request.csrf_token(self))
                field = m + "project_progress" if url == self.session_url else "date"
                data.pop(field, None)
                response = self.url_open(url, data=data, files={field: ("x.txt", b"40", "text/plain")})
                self.assertLess(response.status_code, 500)
        self.assertEqual(self.env["op.mentor.meeting"].search_count([("student_id", "=", self.student_mentor.id)]), 1)

    def test_record_session_flags_at_risk(self):
        response = self._post(self.session_url, self._session_form(at_risk="No progress for three weeks."))
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(self.student_mentee.mentor_at_risk)
        self.assertIn("No progress", self.student_mentee.mentor_at_risk_reason)
        self.assertEqual(self._session_followups().at_risk_reason, "No progress for three weeks.")
        # the mentee never reads it, even on a shared follow-up
        page = self._get("/my/mentorship/goals", "mentee").text
        self.assertIn("Deliverable 1 half done", page)
        self.assertNotIn("No progress for three weeks", page)

    def test_record_session_absent(self):
        """ "Did not come" marks the mentee absent from the meeting held (a no-show of theirs); unticked, present."""
        m = f"{self.student_mentee.id}-"
        page = self._get(self.session_url, "mentor").text
        self.assertIn(f'name="{m}absent"', page)
        self.assertNotIn('checked="checked"', page.split(f'name="{m}absent"')[1].split(">")[0])
        response = self._post(self.session_url, self._session_form(absent="1"))
        self.assertIn(response.status_code, (302, 303), response.text[:1000])
        self.assertEqual(self.meeting.absent_student_ids, self.student_mentee)
        self.assertEqual(self._session_followups().status, "completed", "the notes are kept (why, what next)")
        self.assertEqual(self.student_mentee.with_user(self.user_faculty).mentee_missed_count, 1)
        page = self._get(self.session_url, "mentor").text
        self.assertIn('checked="checked"', page.split(f'name="{m}absent"')[1].split(">")[0])
        self._post(self.session_url, self._session_form())
        self.assertFalse(self.meeting.absent_student_ids)
        self.assertEqual(self.student_mentee.with_user(self.user_faculty).mentee_missed_count, 0)

    @mute_logger("odoo.http")
    def test_record_session_absent_refused(self):
        """Only the host marks absences, only for the meeting's mentees, and nothing on a refused form."""
        data = self._session_form(absent="1")
        data[f"{self.student_mentee_other.id}-absent"] = "1"  # not a mentee of this meeting: ignored
        self.assertNotFound(self._post(self.session_url, data, login="mentor_other"))
        for login in ("mentee", "student_other"):
            with self.subTest(login=login):
                self.assertRefused(self._post(self.session_url, data, login=login))
        response = self._post(self.session_url, data, login=None)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        response = self._post(self.session_url, dict(data, **{f"{self.student_mentee.id}-project_progress": "150"}))
        self.assertEqual(response.status_code, 200)
        self.assertIn("between 0 and 100", response.text)
        self.assertIn('checked="checked"', response.text.split(f'name="{self.student_mentee.id}-absent"')[1][:200])
        self.assertFalse(self.meeting.absent_student_ids, "nothing written")
        self.assertFalse(self._session_followups())
        self._post(self.session_url, data)
        self.assertEqual(self.meeting.absent_student_ids, self.student_mentee)

    def test_faculty_only_record_is_not_the_mentors(self):
        self.Followup.create(
            {
                "student_id": self.student_mentee.id,
                "allocation_id": self.allocation.id,
                "meeting_id": self.meeting.id,
                "visibility": "faculty",
                "note_progress": "Faculty eyes only",
            }
        )
        page = self._get(self.session_url, "mentor").text
        self.assertIn("The faculty recorded this session", page)
        self.assertNotIn("Faculty eyes only", page)
        response = self._post(self.session_url, self._session_form())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Nothing to record", response.text)
        self.assertEqual(self._session_followups().note_progress, "Faculty eyes only")

    # ------------------------------------------------------------
    # Next session
    # ------------------------------------------------------------

    def _next_form(self, **overrides):
        local = self._brussels(self.meeting.date + timedelta(days=7))
        data = {
            "date": local.strftime("%Y-%m-%d"),
            "time": local.strftime("%H:%M"),
            "meeting_link": self.meeting.meeting_link,
            "token": "n" * 32,
        }
        data.update(overrides)
        return data

    def test_plan_next_session(self):
        page = self._get(self.session_url, "mentor").text
        self.assertIn(f'value="{self.meeting.meeting_link}"', page)
        response = self._post(self.next_url, self._next_form())
        self.assertIn(response.status_code, (302, 303), response.text[:1000])
        new = self.env["op.mentor.meeting"].search(
            [("student_id", "=", self.student_mentor.id), ("id", "!=", self.meeting.id)]
        )
        self.assertEqual(len(new), 1)
        self.assertTrue(response.headers["Location"].endswith(f"/my/mentor/meetings/{new.id}?message=created"))
        self.assertRecordValues(
            new,
            [
                {
                    "meeting_name": self.meeting.meeting_name,
                    "meeting_link": self.meeting.meeting_link,
                    "date": (self.meeting.date + timedelta(days=7)).replace(second=0),  # typed to the minute
                    "meeting_students": self.student_mentee.ids,
                    "session_type": "regular",
                    "status": "scheduled",
                }
            ],
        )
        # the same form again: no second meeting
        response = self._post(self.next_url, self._next_form())
        self.assertTrue(response.headers["Location"].endswith(f"/my/mentor/meetings/{new.id}?message=duplicate"))
        self.assertIn("Already planned", self._get(self.session_url, "mentor").text)

    def test_plan_next_session_bad_input(self):
        past = (date.today() - timedelta(days=2)).isoformat()
        for overrides, message in (
            ({"date": past}, "in the future"),
            ({"date": "nope"}, "not valid"),
            ({"meeting_link": "javascript:alert(1)"}, "http:// or https://"),
            ({"meeting_link": ""}, "http:// or https://"),
        ):
            with self.subTest(overrides=overrides):
                response = self._post(self.next_url, self._next_form(**overrides))
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn("o_mentor_next_errors", response.text)
        self.assertEqual(self.env["op.mentor.meeting"].search_count([("student_id", "=", self.student_mentor.id)]), 1)

    # ------------------------------------------------------------
    # Mentee: goals and shared notes
    # ------------------------------------------------------------

    def _shared_world(self):
        shared = self.Followup.create(
            {
                "student_id": self.student_mentee.id,
                "allocation_id": self.allocation.id,
                "meeting_date": date.today(),
                "visibility": "mentee",
                "note_progress": "Shared progress note",
            }
        )
        internal = self.Followup.create(
            {
                "student_id": self.student_mentee.id,
                "allocation_id": self.allocation.id,
                "meeting_date": date.today(),
                "visibility": "mentor",
                "note_progress": "Mentor-level note",
            }
        )
        self.Goal.create({"followup_id": shared.id, "name": "Shared goal", "indicator": "v2"})
        self.Goal.create({"followup_id": shared.id, "name": "Mentor-level goal", "visibility": "mentor"})
        self.Goal.create({"followup_id": shared.id, "name": "Achieved goal", "state": "achieved"})
        self.Goal.create({"followup_id": internal.id, "name": "Faculty goal", "visibility": "faculty"})
        other = self.Followup.create(
            {
                "student_id": self.student_mentee_other.id,
                "allocation_id": self.allocation_other.id,
                "visibility": "mentee",
                "note_progress": "Iris's note",
            }
        )
        self.Goal.create({"followup_id": other.id, "name": "Iris's goal"})

    def test_mentee_goals_page(self):
        self._shared_world()
        page = self._get("/my/mentorship/goals", "mentee")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Shared goal", page.text)
        self.assertIn("Shared progress note", page.text)
        self.assertIn("Maya Mentor", page.text)
        for hidden in ("Mentor-level goal", "Faculty goal", "Mentor-level note", "Iris"):
            self.assertNotIn(hidden, page.text)
        self.assertEqual(page.text.count("o_mentorship_goal_row"), 1)
        # a goal reached stays on the page, as achieved, apart from the open ones
        doc = lxml.html.fromstring(page.content)
        achieved = doc.xpath("//li[contains(@class, 'o_mentorship_goal_achieved')]")
        self.assertEqual([" ".join(li.text_content().split()) for li in achieved], ["Achieved goal Achieved"])
        page = self._get("/my/mentorship/goals", "mentee_other").text
        self.assertIn("Iris&#39;s goal", page)
        self.assertNotIn("Shared goal", page)
        for login in ("student_other", "mentor"):
            page = self._get("/my/mentorship/goals", login).text
            self.assertIn("No open goal yet", page)
            self.assertNotIn("Shared goal", page)
        self.assertIn("/my/mentorship/goals", self._get("/my/mentorship/meetings", "mentee").text)

    def test_home_goal_counter(self):
        self._shared_world()
        expected = {"mentee": 1, "mentee_other": 1, "student_other": None, "mentor": None}
        for login, count in expected.items():
            with self.subTest(login=login):
                self._login(login)
                result = self.make_jsonrpc_request("/my/counters", {"counters": ["mentorship_goal_count"]})
                self.assertEqual(result.get("mentorship_goal_count"), count)

    # ------------------------------------------------------------
    # Performance
    # ------------------------------------------------------------

    def _history(self, count):
        """``count`` more past follow-ups of the mentee, shared, each with two open shared goals."""
        followups = self.Followup.create(
            [
                {
                    "student_id": self.student_mentee.id,
                    "allocation_id": self.allocation.id,
                    "meeting_date": date.today() - timedelta(days=30 + index),
                    "visibility": "mentee",
                    "note_progress": f"History {index}",
                }
                for index in range(count)
            ]
        )
        self.Goal.create(
            [
                {"followup_id": followup.id, "name": f"Goal {followup.id}-{n}", "indicator": "x"}
                for followup in followups
                for n in range(2)
            ]
        )

    def test_query_count_constant(self):
        pages = (("/my/mentorship/goals", "mentee"), (self.session_url, "mentor"))
        self._history(3)
        small = self.assertUrlQueryCountConstant(pages, lambda: self._history(20))
        self.assertEqual(self._get("/my/mentorship/goals", "mentee").text.count("o_mentorship_goal_row"), 46)
        # absences shown on the session page: the same count
        self.meeting.absent_student_ids = self.student_mentee
        self.assertUrlQueryCount(self.session_url, "mentor", small[self.session_url, "mentor"])

    # ------------------------------------------------------------
    # Tour: a mentor's week
    # ------------------------------------------------------------

    def test_tour_mentor_week(self):
        """Meet (mark done), record progress and new goals, plan the next session; the mentee sees the goals."""
        self.goal_done.visibility = "mentee"  # shared: once achieved, the mentee still sees it
        meeting = self._create_meeting(
            self.student_mentor,
            self.student_mentee,
            "Week 12 session",
            days=1,
            meeting_link="https://meet.example.com/week-12",
        )
        # the session took place: it started a quarter of an hour ago (done is refused before the start)
        meeting.date = datetime.now().replace(microsecond=0) - timedelta(minutes=15)
        self.start_tour(f"/my/mentor/meetings/{meeting.id}", "op_student_mentor_mentor_week", login="mentor")
        self.assertEqual(meeting.status, "done")
        followup = self.Followup.search([("meeting_id", "=", meeting.id)])
        self.assertRecordValues(
            followup,
            [
                {
                    "student_id": self.student_mentee.id,
                    "project_progress": 60,
                    "visibility": "mentee",
                    "status": "completed",
                }
            ],
        )
        self.assertEqual(self.goal_done.state, "achieved")
        self.assertEqual(self.goal_carry.state, "carried_over")
        self.assertIn("Deliverable 2 review", followup.goal_ids.mapped("name"))
        next_meeting = self.env["op.mentor.meeting"].search(
            [("student_id", "=", self.student_mentor.id), ("date", ">", meeting.date), ("status", "=", "scheduled")]
        )
        self.assertEqual(len(next_meeting), 1)
        self.assertEqual(next_meeting.date, (meeting.date + timedelta(days=7)).replace(second=0))
        self.assertEqual(next_meeting.meeting_students, self.student_mentee)
        self.assertEqual(next_meeting.meeting_link, "https://meet.example.com/week-12")
        self.start_tour("/my", "op_student_mentor_mentee_goals", login="mentee")
