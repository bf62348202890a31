from datetime import date, datetime, timedelta

from odoo import Command, http
from odoo.tests import tagged

from .common import ParentPortalCommon


@tagged("post_install", "-at_install")
class TestParentPortal(ParentPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meeting.meeting_link = "https://meet.example.com/eli-weekly"
        cls.past = cls._create_meeting(cls.student_mentor, cls.student_mentee, "Held before")
        cls.past.write({"date": datetime.now() - timedelta(days=9)})
        cls.past.action_done()
        cls.past.meeting_link = "https://meet.example.com/eli-held"
        Followup = cls.env["op.mentor.followup"]
        cls.followup_shared = Followup.create(
            {
                "student_id": cls.student_mentee.id,
                "allocation_id": cls.allocation.id,
                "meeting_date": date.today(),
                "visibility": "mentee",
                "feedback": "<p>Shared summary: fractions mastered</p>",
                "followup_notes": "Shared next step: practise decimals",
            }
        )
        cls.followup_mentor = Followup.create(
            {
                "student_id": cls.student_mentee.id,
                "allocation_id": cls.allocation.id,
                "meeting_date": date.today(),
                "visibility": "mentor",
                "feedback": "<p>Mentor-only remark</p>",
            }
        )
        cls.followup.write({"feedback": "<p>Faculty-only concern</p>"})
        cls.followup_other.write({"visibility": "mentee", "feedback": "<p>Iris shared summary</p>"})
        Goal = cls.env["op.mentor.goal"]
        Goal.create({"followup_id": cls.followup_shared.id, "name": "Shared goal: decimals", "visibility": "mentee"})
        Goal.create({"followup_id": cls.followup_shared.id, "name": "Mentor-only goal", "visibility": "mentor"})
        Goal.create({"followup_id": cls.followup.id, "name": "Faculty-only goal"})
        cls.env["op.mentor.meeting.rating"].create(
            {"meeting_id": cls.past.id, "student_id": cls.student_mentee.id, "rating": 1, "comment": "Secret pulse"}
        )

    def assertNotFound(self, response):
        self.assertEqual(response.status_code, 404, response.url)
        # the website's 404 page (the user's own name is in its header): nothing of the child's mentorship
        for secret in ("eli-weekly", "o_parent_", "Waiting for", "Next meeting"):
            self.assertNotIn(secret, response.text)

    def assertLoginRedirect(self, response):
        self.assertIn(response.status_code, (302, 303), response.url)
        self.assertIn("/web/login", response.headers["Location"])

    def _child_url(self, student=None):
        return f"/my/child/{(student or self.student_mentee).id}"

    def _consent(self, student=None):
        student = student or self.student_mentee
        return self.env["op.mentor.parent.consent"]._mentor_for_students(student)[student.id]

    # ------------------------------------------------------------
    # Landing after login, home
    # ------------------------------------------------------------

    def test_login_lands_on_a_working_page(self):
        """OpenEduCat sends parents to /my/child after login: a page of theirs, never a 404."""
        self.authenticate(None, None)
        response = self.url_open(
            "/web/login",
            data={"login": "parent", "password": "parent", "csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))  # OpenEduCat's redirect is a 302
        self.assertTrue(response.headers["Location"].endswith("/my/child"), response.headers["Location"])
        response = self._get("/my/child", "parent")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Eli Mentee", response.text)
        # anyone else reaching /my/child lands on /my
        for login in ("mentee", "student_other", "mentor"):
            with self.subTest(login=login):
                response = self._get("/my/child", login)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith("/my"))
        self.assertLoginRedirect(self._get("/my/child", None))

    def test_home_counter_for_parents_only(self):
        for login, expected in (("parent", {"parent_child_count": 1}), ("mentee", {}), ("mentor_admin", {})):
            with self.subTest(login=login):
                self._login(login)
                result = self.make_jsonrpc_request("/my/counters", {"counters": ["parent_child_count"]})
                self.assertEqual({k: v for k, v in result.items() if k == "parent_child_count"}, expected)
        self.assertIn("My Children's Mentorship", self._get("/my", "parent").text)

    # ------------------------------------------------------------
    # What a parent sees
    # ------------------------------------------------------------

    def test_children_list(self):
        page = self._get("/my/child", "parent").text
        self.assertIn("Eli Mentee", page)
        self.assertIn("Maya Mentor", page)
        self.assertEqual(page.count("o_parent_child_row"), 1)
        self.assertNotIn("Iris Mentee", page)

    def test_child_page_schedule(self):
        """The default: the mentor and the meetings (date, duration, status), no link, no notes."""
        response = self._get(self._child_url(), "parent")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Maya Mentor", page)
        self.assertEqual(page.count("o_parent_meeting_row"), 2)
        self.assertIn("Scheduled", page)
        self.assertIn("Done", page)
        self.assertIn(f"{self.meeting.duration} min", page)
        for secret in (
            "eli-weekly",
            "eli-held",  # video links: not allowed by default
            "Shared summary",
            "Shared goal",  # goals: not at this level
            "Mentor-only",
            "Faculty-only",
            "Secret pulse",
            "Iris",
            "Other check-in",
        ):
            self.assertNotIn(secret, page)

    def test_child_page_goals_and_link(self):
        self._set_parent_settings(visibility="goals", show_link=True)
        page = self._get(self._child_url(), "parent").text
        for shown in ("Shared summary: fractions mastered", "Shared next step", "Shared goal: decimals", "eli-weekly"):
            self.assertIn(shown, page)
        for secret in ("eli-held", "Mentor-only", "Faculty-only", "Secret pulse", "Iris shared summary"):
            self.assertNotIn(secret, page)

    def test_child_page_nothing(self):
        self._set_parent_settings(visibility="none", show_link=True)
        page = self._get(self._child_url(), "parent").text
        self.assertIn("does not share the details", page)
        self.assertNotIn("o_parent_meeting_row", page)
        self.assertNotIn("eli-weekly", page)
        self.assertNotIn("Shared summary", page)

    def test_child_page_refused_to_everyone_else(self):
        for login in ("parent_other", "mentee", "student_other", "mentor", "mentee_other"):
            with self.subTest(login=login):
                self.assertNotFound(self._get(self._child_url(), login))
        self.assertLoginRedirect(self._get(self._child_url(), None))
        # and garbage in place of an id
        for url in ("/my/child/0", "/my/child/99999999999", "/my/child/abc", "/my/child/%00"):
            with self.subTest(url=url):
                self.assertEqual(self._get(url, "parent").status_code, 404)

    def test_query_count_constant(self):
        self._set_parent_settings(visibility="goals")
        self.parent.student_ids = [Command.link(self.student_mentee_other.id)]  # two children, two mentors
        self.assertUrlQueryCountConstant((("/my/child", "parent"), (self._child_url(), "parent")), self._noise)

    def _noise(self):
        """Many more meetings, session notes and goals."""
        for i in range(15):
            self._create_meeting(self.student_mentor, self.student_mentee, f"Noise {i}", days=10 + i)
            self._create_meeting(self.student_mentor_other, self.student_mentee_other, f"Other noise {i}", days=10 + i)
            followup = self.env["op.mentor.followup"].create(
                {"student_id": self.student_mentee.id, "allocation_id": self.allocation.id, "visibility": "mentee"}
            )
            self.env["op.mentor.goal"].create({"followup_id": followup.id, "name": f"Noise goal {i}"})

    # ------------------------------------------------------------
    # Consent from the portal
    # ------------------------------------------------------------

    def test_consent_from_the_portal(self):
        self._set_parent_settings(consent_required=True)
        page = self._get(self._child_url(), "parent").text
        self.assertIn("Waiting for your consent", page)
        self.assertIn("o_parent_consent_give", page)
        # nobody else can give it, and a form without its CSRF token changes nothing
        for login in ("parent_other", "mentee", "student_other", "mentor"):
            with self.subTest(login=login):
                self.assertEqual(self._post(f"{self._child_url()}/consent", {}, login=login).status_code, 404)
        self.assertEqual(
            self._post(f"{self._child_url()}/consent", {"x": "1"}, login="parent", csrf=False).status_code, 400
        )
        self.assertLoginRedirect(self._post(f"{self._child_url()}/consent", {"x": "1"}, login=None, csrf=False))
        self.assertEqual(self._consent().state, "pending")

        response = self._post(f"{self._child_url()}/consent", {}, login="parent")
        self.assertEqual(response.status_code, 303)
        self.assertRecordValues(
            self._consent(), [{"state": "given", "channel": "portal", "user_id": self.user_parent.id}]
        )
        self.assertIn("your consent is recorded", self._get(f"{self._child_url()}?message=given", "parent").text)

        # withdrawal: a reason, then the upcoming meetings are cancelled
        response = self._post(f"{self._child_url()}/consent/withdraw", {"reason": " "}, login="parent")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Say why you withdraw", response.text)
        self.assertEqual(self._consent().state, "given")
        self.assertEqual(
            self._post(f"{self._child_url()}/consent/withdraw", {"reason": "No"}, login="parent_other").status_code, 404
        )
        response = self._post(
            f"{self._child_url()}/consent/withdraw", {"reason": "Too much screen time"}, login="parent"
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._consent().state, "withdrawn")
        self.assertEqual(self.meeting.status, "cancel")
        # the mentor sees why no meeting can be scheduled
        self.assertIn("Waiting for a parent's consent", self._get("/my/mentor/mentees", "mentor").text)

    # ------------------------------------------------------------
    # Consent from the e-mailed link
    # ------------------------------------------------------------

    def test_consent_from_the_email_link(self):
        self._set_parent_settings(consent_required=True)
        consent = self._consent()
        url = consent._mentor_consent_url(self.parent).removeprefix(consent.get_base_url())
        # opening the link (as a visitor, as e-mail scanners do) changes nothing
        response = self._get(url, None)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Paula Parent", response.text)
        self.assertEqual(consent.state, "pending")
        # another parent's id, a wrong token: not valid
        other = url.replace(f"/{self.parent.id}/", f"/{self.parent_other.id}/")
        for bad in (other, url[:-2] + "xx", f"/mentorship/consent/{consent.id + 1000}/{self.parent.id}/abc"):
            with self.subTest(url=bad):
                self.assertEqual(self._post(bad, {}, login=None).status_code, 404)
        self.assertEqual(consent.state, "pending")
        response = self._post(url, {}, login=None)
        self.assertEqual(response.status_code, 200)
        self.assertIn("is recorded", response.text)
        self.assertRecordValues(
            consent,
            [{"state": "given", "channel": "email", "parent_id": self.parent.id, "user_id": self.user_parent.id}],
        )
        # the link worked once
        self.assertEqual(self._post(url, {}, login=None).status_code, 404)

    # ------------------------------------------------------------
    # Tour
    # ------------------------------------------------------------

    def test_tour_parent_consents(self):
        self._set_parent_settings(consent_required=True)
        self.start_tour("/my", "op_student_mentor_parent_consent", login="parent")
        self.assertRecordValues(self._consent(), [{"state": "given", "channel": "portal", "parent_id": self.parent.id}])
