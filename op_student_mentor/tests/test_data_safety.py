"""Deleting or archiving the school's records never silently deletes the program's history.

Meetings and follow-ups survive the deletion attempt of their student, batch, course,
faculty or allocation: the deletion is refused with a clear error (Odoo's way: "archive it
instead"), and archiving keeps every record and link.
"""

import psycopg2

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestDataSafety(MentorCommon):
    def _history(self):
        """Every meeting and follow-up with the links that matter, as plain data."""
        self.env.invalidate_all()
        meetings = self.env["op.mentor.meeting"].with_context(active_test=False).search([])
        followups = self.env["op.mentor.followup"].with_context(active_test=False).search([])
        return (
            sorted((m.id, m.student_id.id, tuple(m.meeting_students.ids), m.status) for m in meetings),
            sorted((f.id, f.student_id.id, f.allocation_id.id, f.faculty_id.id, f.mentor_id.id) for f in followups),
        )

    def assertDeleteRefused(self, records, message=None):
        """``records.unlink()`` fails (a clear UserError, or the database's restrict) and changes nothing."""
        before = self._history()
        with self.assertRaises(Exception) as caught, mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            records.unlink()
            self.env.flush_all()
        self.assertIsInstance(caught.exception, (UserError, psycopg2.IntegrityError))
        if message:
            self.assertIsInstance(caught.exception, UserError)
            self.assertIn(message, str(caught.exception))
        self.assertTrue(records.exists())
        self.assertEqual(self._history(), before)

    # ------------------------------------------------------------
    # Delete
    # ------------------------------------------------------------

    def test_delete_mentee_refused(self):
        """The mentee attends a meeting and has a follow-up: archive, not delete."""
        self.assertDeleteRefused(self.student_mentee, "Archive the student instead")

    def test_delete_mentee_of_meeting_only_refused(self):
        """A mentee who only attends a meeting (no follow-up, no allocation any more) is not removed from it."""
        _user, student = self._create_student("late_mentee", "Lea", "Late", self.batch)
        self.allocation.student_ids = [(4, student.id)]
        meeting = self._create_meeting(self.student_mentor, student, "Only meeting")
        self.allocation.student_ids = [(3, student.id)]
        self.assertDeleteRefused(student, "Archive the student instead")
        self.assertEqual(meeting.meeting_students, student)

    def test_delete_mentor_refused(self):
        self.assertDeleteRefused(self.student_mentor, "Archive the student instead")

    def test_delete_student_through_user_or_partner_restricted(self):
        """OpenEduCat deletes a student with its partner or user (SQL cascade, no ORM check):
        the foreign keys of the meetings and follow-ups stop it."""
        self.assertDeleteRefused(self.user_mentee.sudo())
        # a student without user: its partner can be deleted, and would take the student along
        _user, student = self._create_student("no_login", "Nora", "Nologin", self.batch, portal=False)
        self.allocation.student_ids = [(4, student.id)]
        meeting = self._create_meeting(self.student_mentor, student, "Partner check")
        self.assertDeleteRefused(student.partner_id)
        self.assertEqual(meeting.meeting_students, student)

    def test_delete_student_outside_program_allowed(self):
        _user, student = self._create_student("bystander", "Ben", "Bystander", self.batch, portal=False)
        student.unlink()
        self.assertFalse(student.exists())

    def test_delete_allocation_with_followups_refused(self):
        self.assertDeleteRefused(self.allocation.with_user(self.user_admin), "archive it instead")

    def test_delete_allocation_without_followups_allowed(self):
        self.followup.unlink()
        meetings = self.env["op.mentor.meeting"].search([("student_id", "=", self.student_mentor.id)])
        self.allocation.with_user(self.user_admin).unlink()
        self.assertTrue(meetings.exists())
        self.assertEqual(self.meeting.meeting_students, self.student_mentee)

    def test_delete_batch_course_faculty_refused(self):
        for records in (self.batch, self.course, self.faculty):
            with self.subTest(model=records._name):
                self.assertDeleteRefused(records)

    # ------------------------------------------------------------
    # Archive
    # ------------------------------------------------------------

    def test_archive_keeps_history(self):
        before = self._history()
        self.allocation.with_user(self.user_admin).action_archive()
        self.student_mentee.action_archive()
        self.student_mentor.action_archive()
        self.batch.action_archive()
        self.course.action_archive()
        self.assertEqual(self._history(), before)
        # archived records are hidden from lists, not unlinked: the links are all there
        self.assertEqual(self.meeting.with_context(active_test=False).meeting_students, self.student_mentee)
        self.assertEqual(self.followup.allocation_id, self.allocation)
        self.assertEqual(self.followup.faculty_id, self.faculty)
        # and back: nothing was lost on the way
        for records in (self.allocation, self.student_mentee | self.student_mentor, self.batch, self.course):
            records.action_unarchive()
        self.assertEqual(self._history(), before)
        self.assertTrue(self.allocation.active)
        self.assertIn(self.student_mentee, self.student_mentor._mentor_active_mentees())
