"""Exports: meetings to .ics (portal feeds of mentors and mentees, backend action) and follow-ups to a spreadsheet."""

import io
import json
from datetime import date

from odoo import Command, http
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MentorPortalCommon

EXPORT_TEMPLATE = "op_student_mentor.op_mentor_followup_export_school_report"


@tagged("post_install", "-at_install", "mentor_export")
class TestMentorExports(MentorPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meeting_cancelled = cls._create_meeting(cls.student_mentor, cls.student_mentee, "Called off", days=6)
        cls.meeting_cancelled._action_cancel("illness")
        # Odoo's export needs "Access to export feature" (Settings > Users), which the school grants
        cls.user_faculty.groups_id = [Command.link(cls.env.ref("base.group_allow_export").id)]

    def _get(self, url, login=None):
        self.authenticate(login, login) if login else self.authenticate(None, None)
        return self.url_open(url, allow_redirects=False)

    def _events(self, response):
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertTrue(response.headers["Content-Type"].startswith("text/calendar"))
        self.assertIn("attachment", response.headers["Content-Disposition"])
        body = response.text
        self.assertTrue(body.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertTrue(body.endswith("END:VCALENDAR\r\n"))
        unfolded = body.replace("\r\n ", "")
        return {
            line.split(":", 1)[1]: block
            for block in unfolded.split("BEGIN:VEVENT")[1:]
            for line in block.split("\r\n")
            if line.startswith("SUMMARY:")
        }

    # ------------------------------------------------------------
    # Portal feeds
    # ------------------------------------------------------------

    def test_mentor_feed_as_owner(self):
        events = self._events(self._get("/my/mentor/meetings/calendar.ics", "mentor"))
        self.assertEqual(set(events), {"Weekly check-in", "Called off"})
        self.assertIn("STATUS:CONFIRMED", events["Weekly check-in"])
        self.assertIn("STATUS:CANCELLED", events["Called off"])
        self.assertIn(f"UID:op-mentor-meeting-{self.meeting.id}@", events["Weekly check-in"])
        self.assertIn("https://meet.example.com/weekly-check-in", events["Weekly check-in"])

    def test_mentor_feed_as_other_mentor_and_non_mentor(self):
        events = self._events(self._get("/my/mentor/meetings/calendar.ics", "mentor_other"))
        self.assertEqual(set(events), {"Other check-in"})
        for login in ("mentee", "student_other"):
            response = self._get("/my/mentor/meetings/calendar.ics", login)
            self.assertEqual(response.status_code, 403)
            self.assertNotIn("Weekly check-in", response.text)
            self.assertNotIn("BEGIN:VCALENDAR", response.text)

    def test_mentee_feed(self):
        events = self._events(self._get("/my/mentorship/meetings/calendar.ics", "mentee"))
        self.assertEqual(set(events), {"Weekly check-in", "Called off"})
        self.assertEqual(
            set(self._events(self._get("/my/mentorship/meetings/calendar.ics", "mentee_other"))), {"Other check-in"}
        )
        # a student with no meeting gets an empty calendar, not someone else's
        self.assertEqual(self._events(self._get("/my/mentorship/meetings/calendar.ics", "student_other")), {})

    def test_feeds_public_redirect_to_login(self):
        for url in ("/my/mentor/meetings/calendar.ics", "/my/mentorship/meetings/calendar.ics"):
            with self.subTest(url=url):
                response = self._get(url)
                self.assertIn(response.status_code, (302, 303))
                self.assertIn("/web/login", response.headers["Location"])

    def test_portal_links_to_feeds(self):
        self.assertIn("/my/mentor/meetings/calendar.ics", self._get("/my/mentor/meetings", "mentor").text)
        self.assertIn("/my/mentorship/meetings/calendar.ics", self._get("/my/mentorship/meetings", "mentee").text)

    def _more_meetings(self, count, prefix):
        for i in range(count):
            self._create_meeting(self.student_mentor, self.student_mentee, f"{prefix} {i}", days=8 + i)

    def test_feeds_query_count_constant(self):
        """The feeds read every meeting in a constant number of queries (no query per meeting)."""
        urls = (("/my/mentor/meetings/calendar.ics", "mentor"), ("/my/mentorship/meetings/calendar.ics", "mentee"))
        self._more_meetings(2, "Small")
        self.assertUrlQueryCountConstant(urls, lambda: self._more_meetings(12, "Large"))
        self.assertEqual(len(self._events(self._get(urls[0][0], "mentor"))), 16)

    # ------------------------------------------------------------
    # Backend: Action > Export to Calendar
    # ------------------------------------------------------------

    def test_backend_action_and_route(self):
        meetings = self.meeting | self.meeting_cancelled
        action = self.env.ref("op_student_mentor.op_mentor_meeting_action_export_ics").with_user(self.user_faculty)
        result = action.with_context(active_model="op.mentor.meeting", active_ids=meetings.ids).run()
        self.assertEqual(result["type"], "ir.actions.act_url")
        self.assertEqual(result["target"], "download")
        events = self._events(self._get(result["url"], "faculty"))
        self.assertEqual(set(events), {"Weekly check-in", "Called off"})
        # the administrator exports any meeting
        url = f"/op_student_mentor/meetings.ics?ids={self.meeting.id},{self.meeting_other.id}"
        self.assertEqual(set(self._events(self._get(url, "mentor_admin"))), {"Weekly check-in", "Other check-in"})

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model", "odoo.http")
    def test_backend_route_refuses_foreign_meetings(self):
        url = f"/op_student_mentor/meetings.ics?ids={self.meeting.id},{self.meeting_other.id}"
        for login in ("faculty", "faculty_other", "mentee_other"):
            with self.subTest(login=login):
                response = self._get(url, login)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("BEGIN:VCALENDAR", response.text)
        for bad in ("abc", "0", "99999999999", f"{self.meeting.id},x", ""):
            with self.subTest(ids=bad):
                self.assertEqual(
                    self._get(f"/op_student_mentor/meetings.ics?ids={bad}", "mentor_admin").status_code, 404
                )
        response = self._get(url)
        self.assertIn(response.status_code, (302, 303))

    # ------------------------------------------------------------
    # Follow-ups to a spreadsheet
    # ------------------------------------------------------------

    def test_followup_export_template(self):
        template = self.env.ref(EXPORT_TEMPLATE)
        self.assertEqual(template.name, "Follow-ups (school report)")
        self.assertEqual(template.resource, "op.mentor.followup")
        fields = template.export_fields.mapped("name")
        self.assertEqual(fields[:3], ["name", "meeting_date", "student_id"])
        self.followup.write({"project_progress": 35, "followup_notes": "Read chapter 3."})
        Followup = self.env["op.mentor.followup"].with_user(self.user_faculty)
        rows = Followup.search([]).export_data(fields)["datas"]
        self.assertEqual(len(rows), 1)  # the faculty's own follow-ups only
        row = dict(zip(fields, rows[0], strict=True))
        self.assertEqual(row["name"], self.followup.name)
        self.assertEqual(row["student_id"], "Eli Mentee")
        self.assertEqual(row["mentor_id"], "Maya Mentor")
        self.assertEqual(row["allocation_id/batch_id"], self.batch.display_name)
        self.assertEqual(row["meeting_date"], date.today())
        self.assertEqual(row["project_progress"], 35)
        self.assertEqual(row["followup_notes"], "Read chapter 3.")
        # offered in the export dialog of the follow-ups
        templates = (
            self.env["ir.exports"]
            .with_user(self.user_faculty)
            .search_read([("resource", "=", "op.mentor.followup")], ["name"])
        )
        self.assertIn("Follow-ups (school report)", [t["name"] for t in templates])

    def test_followup_export_xlsx(self):
        """The spreadsheet as the export dialog downloads it (/web/export/xlsx), as the faculty."""
        openpyxl = __import__("openpyxl")
        fields = self.env.ref(EXPORT_TEMPLATE).export_fields.mapped("name")
        self.authenticate("faculty", "faculty")
        payload = {
            "model": "op.mentor.followup",
            "fields": [{"name": name, "label": name} for name in fields],
            "ids": (self.followup | self.followup_other).ids,
            "domain": [],
            "import_compat": False,
            "context": {},
        }
        with mute_logger("odoo.addons.base.models.ir_rule", "odoo.http"):
            response = self.url_open(
                "/web/export/xlsx",
                data={"data": json.dumps(payload), "csrf_token": http.Request.csrf_token(self)},
            )
        # follow-up B is another faculty's: the export is refused as a whole
        self.assertNotEqual(response.status_code, 200)
        payload["ids"] = self.followup.ids
        response = self.url_open(
            "/web/export/xlsx", data={"data": json.dumps(payload), "csrf_token": http.Request.csrf_token(self)}
        )
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        self.assertEqual(values[0][:3], ["name", "meeting_date", "student_id"])
        self.assertEqual(values[1][0], self.followup.name)
        self.assertEqual(values[1][2], "Eli Mentee")
