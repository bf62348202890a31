"""PDF reports rendered for real by wkhtmltopdf: Mentorship Summary (mentee), Mentor Activity (allocation) and
the Certificate of Mentoring (mentor), all on the shared report_mentor_layout."""

import io
from datetime import date

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import MentorCommon

SUMMARY = "op_student_mentor.action_report_mentee_summary"
ACTIVITY = "op_student_mentor.action_report_mentor_activity"
CERTIFICATE = "op_student_mentor.action_report_mentoring_certificate"


@tagged("post_install", "-at_install", "mentor_report")
class TestMentorPdfReports(MentorCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meeting_held = cls._create_meeting(cls.student_mentor, cls.student_mentee, "Discovery with Eli", days=2)
        cls._mark_done(cls.meeting_held)
        cls.followup.write({"project_progress": 40, "followup_notes": "Finish the parser."})
        cls.followup.action_complete()
        cls.env["op.mentor.goal"].create(
            {"followup_id": cls.followup.id, "name": "Unit tests of the parser", "indicator": "80% coverage"}
        )
        cls.followup_missed = cls.env["op.mentor.followup"].create(
            {"student_id": cls.student_mentee.id, "allocation_id": cls.allocation.id, "meeting_date": date.today()}
        )
        cls.followup_missed.action_schedule()
        cls.followup_missed.action_missed()

    # ------------------------------------------------------------
    # Tools
    # ------------------------------------------------------------

    def _report(self, user=None):
        return (
            self.env["ir.actions.report"].with_user(user or self.user_admin).with_context(force_report_rendering=True)
        )

    def _pdf(self, report, records, user=None):
        """The PDF of ``records``: produced by wkhtmltopdf, never the HTML fallback of test mode."""
        Report = self._report(user)
        # A missing wkhtmltopdf must fail here, not pass silently: tools/dev installs Debian's package.
        self.assertEqual(
            Report.get_wkhtmltopdf_state(), "ok", "wkhtmltopdf is not usable (apt-get install wkhtmltopdf)"
        )
        content, report_type = Report._render_qweb_pdf(report, records.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF-"), content[:100])
        return content

    def _pdf_pages(self, content):
        """The pages of a PDF, each checked to carry drawn content (Debian's wkhtmltopdf draws the text
        of web fonts as shapes, so there is no text to extract: the HTML render is checked for texts)."""
        reader = PdfFileReader(io.BytesIO(content))
        pages = list(reader.pages)
        for number, page in enumerate(pages, 1):
            self.assertGreater(len(page.get_contents().get_data()), 2000, f"page {number} is blank")
        return len(pages)

    def _html(self, report, records, user=None):
        return self._report(user)._render_qweb_html(report, records.ids)[0].decode()

    # ------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------

    def test_mentee_summary(self):
        html = self._html(SUMMARY, self.student_mentee)
        for text in (
            "Mentorship Summary",
            "Eli Mentee",
            "Maya Mentor",  # the mentor
            "Fiona Faculty",
            "Discovery with Eli",
            "Weekly check-in",
            self.followup.name,
            self.followup_missed.name,
            "Finish the parser.",
            "Unit tests of the parser",
            "80% coverage",
            "Project progress",
            "Meetings held",
            "Follow-ups missed",
        ):
            self.assertIn(text, html)
        self.assertNotIn("Other check-in", html)  # a meeting of another mentor and mentee
        self.assertEqual(self._pdf_pages(self._pdf(SUMMARY, self.student_mentee)), 1)

    def test_mentee_summary_in_batch(self):
        """Printed from the list: one PDF, each mentee on their own page."""
        students = self.student_mentee | self.student_mentee_other
        self.assertEqual(self._pdf_pages(self._pdf(SUMMARY, students)), 2)
        html = self._html(SUMMARY, students)
        self.assertIn("Eli Mentee", html)
        self.assertIn("Iris Mentee", html)

    def test_mentor_activity(self):
        html = self._html(ACTIVITY, self.allocation)
        for text in (
            "Mentor Activity",
            "Maya Mentor",
            "Eli Mentee",
            "CS-2026",
            "Fiona Faculty",
            "Meetings held",
            "Discovery with Eli",
            self.followup.name,
            "Finish the parser.",
        ):
            self.assertIn(text, html)
        self.assertNotIn("Iris Mentee", html)
        self.assertEqual(self._pdf_pages(self._pdf(ACTIVITY, self.allocation)), 1)
        self.assertEqual(self._pdf_pages(self._pdf(ACTIVITY, self.allocation | self.allocation_other)), 2)
        self.assertIn("Noah Mentor", self._html(ACTIVITY, self.allocation | self.allocation_other))

    def test_faculty_prints_own_program_only(self):
        """Printed as a faculty, the report shows what that faculty may read (record rules)."""
        html = self._html(SUMMARY, self.student_mentee, user=self.user_faculty)
        self.assertIn(self.followup.name, html)
        self.assertIn("Unit tests of the parser", html)
        self._pdf(ACTIVITY, self.allocation, user=self.user_faculty)
        html_other = self._html(SUMMARY, self.student_mentee, user=self.user_faculty_other)
        self.assertIn("Eli Mentee", html_other)
        self.assertNotIn(self.followup.name, html_other)
        self.assertNotIn("Unit tests of the parser", html_other)
        self.assertNotIn("Discovery with Eli", html_other)

    def test_certificate_of_mentoring(self):
        """On the shared layout (the company's header and footer) without its "Printed on" heading: the
        certificate's own title, the mentor, the figures of the term, the faculty and the award date."""
        self.env["res.config.settings"].create({"mentor_term_meetings": 1, "mentor_term_followups": 1}).execute()
        self.student_mentor._mentor_check_term()
        achievement = self.student_mentor.achievement_ids.filtered(lambda a: a.achievement_type == "mentoring")
        self.assertEqual(len(achievement), 1)
        html = self._html(CERTIFICATE, self.student_mentor, user=self.user_faculty)
        for text in (
            'class="page o_mentor_report"',  # report_mentor_layout
            "o_mentor_certificate",
            "Certificate of Mentoring",
            "This certifies that",
            "Maya Mentor",
            self.env.company.name,
            "1</span> mentoring meetings held",
            "1</span> follow-ups completed",
            "1</span> students mentored",
            "CS-2026",
            "Fiona Faculty",
            "Awarded on",
        ):
            self.assertIn(text, html)
        self.assertNotIn("o_mentor_report_heading", html)
        self.assertNotIn("Printed on", html)
        self.assertEqual(self._pdf_pages(self._pdf(CERTIFICATE, self.student_mentor, user=self.user_faculty)), 1)

    def test_print_menu_bindings(self):
        """Both reports are in the Print menu of their form and list, for faculty, not for students."""
        for user in (self.user_admin, self.user_faculty):
            bindings = self.env["ir.actions.actions"].with_user(user).get_bindings("op.student")
            self.assertIn(self.env.ref(SUMMARY).id, [b["id"] for b in bindings.get("report", [])])
            bindings = self.env["ir.actions.actions"].with_user(user).get_bindings("op.mentor.allocation")
            self.assertIn(self.env.ref(ACTIVITY).id, [b["id"] for b in bindings.get("report", [])])
        bindings = self.env["ir.actions.actions"].with_user(self.user_mentor).get_bindings("op.student")
        self.assertNotIn(self.env.ref(SUMMARY).id, [b["id"] for b in bindings.get("report", [])])
