from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestMentorAllocation(MentorCommon):
    def _allocate(self, mentor, mentees, batch=None, **vals):
        batch = batch or self.batch
        return (
            self.env["op.mentor.allocation"]
            .with_user(self.user_admin)
            .create(
                {
                    "mentor_id": mentor.id,
                    "course_id": batch.course_id.id,
                    "batch_id": batch.id,
                    "student_ids": [Command.set(mentees.ids)],
                    **vals,
                }
            )
        )

    def test_allocation_from_approval(self):
        self.assertRegex(self.allocation.name, r"^ALLOC\d{4}$")
        self.assertEqual(self.allocation.application_id, self.application)
        self.assertEqual(self.allocation.faculty_id, self.faculty)
        self.assertEqual(self.allocation.mentee_count, 1)

    def test_only_approved_mentors(self):
        with self.assertRaisesRegex(ValidationError, "is not an approved mentor"):
            self._allocate(self.student_other, self.student_mentee_other)

    def test_mentor_is_never_own_mentee(self):
        with self.assertRaisesRegex(ValidationError, "cannot be their own mentee"):
            self._allocate(self.student_mentor, self.student_mentor | self.student_other)

    def test_mentees_of_the_batch_only(self):
        _user, outsider = self._create_student("outsider", "Olga", "Outsider", self.batch_other)
        with self.assertRaisesRegex(ValidationError, "Mentees must be enrolled in batch CS-2026"):
            self._allocate(self.student_mentor, outsider)

    def test_one_active_allocation_per_mentee_and_batch(self):
        with (
            self.assertRaisesRegex(ValidationError, "Eli Mentee already has an active mentor in batch"),
            self.env.cr.savepoint(),
        ):
            self._allocate(self.student_mentor_other, self.student_mentee)
        # Once the first allocation is archived, the mentee can be allocated again.
        self.allocation.active = False
        allocation = self._allocate(self.student_mentor_other, self.student_mentee)
        self.assertEqual(allocation.student_ids, self.student_mentee)
        # ... but the archived one cannot come back while the new one is active.
        with self.assertRaisesRegex(ValidationError, "already has an active mentor"):
            self.allocation.active = True

    def test_faculty_from_the_mentor_application(self):
        self.allocation.active = False
        allocation = self._allocate(self.student_mentor, self.student_mentee | self.student_other)
        self.assertEqual(allocation.faculty_id, self.faculty, "the faculty of the mentor's approved application")

    def test_smart_buttons(self):
        self._create_meeting(self.student_mentor, self.student_mentee, "Second")
        self.assertEqual(self.allocation.meeting_count, 2)
        self.assertEqual(self.allocation.followup_count, 1)
        meetings = self.env["op.mentor.meeting"].search(self.allocation.action_view_meetings()["domain"])
        self.assertEqual(len(meetings), 2)
        followups = self.env["op.mentor.followup"].search(self.allocation.action_view_followups()["domain"])
        self.assertEqual(followups, self.followup)
