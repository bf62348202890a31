import base64
from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestMentorFollowup(MentorCommon):
    def _followup(self, user=None, **vals):
        return (
            self.env["op.mentor.followup"]
            .with_user(user or self.user_faculty)
            .create({"student_id": self.student_mentee.id, "allocation_id": self.allocation.id, **vals})
        )

    def test_code_and_faculty_from_allocation(self):
        followup = self._followup()
        self.assertRegex(followup.name, r"^FUP\d{4}$")
        self.assertEqual(followup.faculty_id, self.faculty)
        self.assertEqual(followup.mentor_id, self.student_mentor)
        self.assertEqual(followup.status, "draft")

    def test_student_must_be_a_mentee_of_the_allocation(self):
        with self.assertRaisesRegex(ValidationError, "Iris Mentee is not a mentee of allocation"):
            self._followup(user=self.user_admin, student_id=self.student_mentee_other.id)

    def test_transitions_and_guards(self):
        followup = self._followup()
        with self.assertRaisesRegex(UserError, "Set the meeting date"):
            followup.action_schedule()
        followup.meeting_date = date(2031, 1, 15)
        followup.action_schedule()
        self.assertEqual(followup.status, "scheduled")
        with self.assertRaisesRegex(UserError, "is scheduled; it cannot be set to scheduled"):
            followup.action_schedule()
        followup.action_missed()
        self.assertEqual(followup.status, "missed")
        with self.assertRaisesRegex(UserError, "is missed; it cannot be set to completed"):
            followup.action_complete()
        followup.action_draft()
        followup.action_complete()
        self.assertEqual(followup.status, "completed")
        with self.assertRaisesRegex(UserError, "is completed; it cannot be set to missed"):
            followup.action_missed()

    def test_checklist_keeps_filename_and_downloads(self):
        data = base64.b64encode(b"1. goals\n2. deadlines\n")
        followup = self._followup(checklist=data, checklist_filename="week-3-checklist.txt")
        self.assertEqual(followup.checklist_filename, "week-3-checklist.txt")
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "op.mentor.followup"),
                    ("res_id", "=", followup.id),
                    ("res_field", "=", "checklist"),
                ]
            )
        )
        self.assertEqual(base64.b64decode(attachment.datas), b"1. goals\n2. deadlines\n")

    def test_html_fields_are_sanitized(self):
        followup = self._followup(
            follow_purpose="<p>Plan</p><script>alert(1)</script>",
            feedback='<p onclick="steal()">Good <b>progress</b></p>',
        )
        self.assertNotIn("<script", followup.follow_purpose)
        self.assertIn("Plan", followup.follow_purpose)
        self.assertNotIn("onclick", followup.feedback)
        self.assertIn("<b>progress</b>", followup.feedback)
