from odoo.tests import tagged

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestMentorDetailsSmoke(MentorCommon):
    def test_fixture_workflow(self):
        self.assertEqual(self.application.status, "approve")
        self.assertTrue(self.student_mentor.is_mentor)
        self.assertEqual(self.allocation.student_ids, self.student_mentee)
        self.assertEqual(self.allocation.faculty_id, self.faculty)
        self.assertEqual(self.followup.faculty_id, self.faculty)
        self.assertTrue(self.application.name.startswith("APP"))
        self.assertAlmostEqual(self.application.percentage, 91.0)
