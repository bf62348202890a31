"""Query counts that do not grow with the data (issue 8).

Each page is measured at a small size, the data is grown, and the same page must
then run in exactly the same number of queries (``assertQueryCount`` with the
count measured first). Bulk paths are measured at two batch sizes: the extra
queries of the bigger batch must stay below a bound per record that only the
unavoidable per-record work (sequence numbers, chatter messages) explains.
"""

import logging
from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import MentorCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install", "mentor_performance")
class TestMentorPerformance(MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Portal notifications are measured by the benchmark; here the ORM paths only.
        cls.env = cls.env(context=dict(cls.env.context, mentor_meeting_no_notify=True, tracking_disable=True))
        cls.candidate_seq = 0

    # ------------------------------------------------------------
    # Tools
    # ------------------------------------------------------------

    def _count(self, func):
        """Queries of ``func()`` with warm ORM caches: run once to warm, then measured."""
        self.env.flush_all()
        self.env.invalidate_all()
        self.cr.execute("SAVEPOINT perf_warmup")
        func()
        self.env.flush_all()
        self.cr.execute("ROLLBACK TO SAVEPOINT perf_warmup")
        self.env.invalidate_all()
        count0 = self.cr.sql_log_count
        func()
        self.env.flush_all()
        count = self.cr.sql_log_count - count0
        self.env.invalidate_all()
        return count

    def _assert_same_count(self, func, grow):
        """``func`` runs in as many queries after ``grow()`` as before."""
        small = self._count(func)
        _logger.info("%s: %s queries", func, small)
        grow()
        self.env.flush_all()
        self.env.invalidate_all()
        self.cr.execute("SAVEPOINT perf_warmup")
        func()
        self.env.flush_all()
        self.cr.execute("ROLLBACK TO SAVEPOINT perf_warmup")
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            func()
        return small

    def _list_spec(self, model):
        """The ``web_search_read`` specification of the model's list view, as the web client builds it."""
        views = self.env[model].get_views([(False, "list")])
        spec = {}
        for fname, field in views["models"][model]["fields"].items():
            if field["type"] in ("many2one", "many2many"):
                spec[fname] = {"fields": {"display_name": {}}}
            else:
                spec[fname] = {}
        return spec

    def _web_list(self, model, user):
        Model = self.env[model].with_user(user)
        spec = self._list_spec(model)

        def run():
            Model.web_search_read([], spec, limit=80, count_limit=10001)

        return run

    def _meetings(self, count, days=3, mentor=None, mentees=None):
        start = datetime.now().replace(microsecond=0) + timedelta(days=days)
        return self.env["op.mentor.meeting"].create(
            [
                {
                    "meeting_name": f"Session {i}",
                    "meeting_link": f"https://meet.example.com/s{i}",
                    "date": start + timedelta(hours=i),
                    "student_id": (mentor or self.student_mentor).id,
                    "meeting_students": [Command.set((mentees or self.student_mentee).ids)],
                }
                for i in range(count)
            ]
        )

    def _followups(self, count):
        return self.env["op.mentor.followup"].create(
            [
                {"student_id": self.student_mentee.id, "allocation_id": self.allocation.id, "meeting_date": "2026-02-01"}
                for _i in range(count)
            ]
        )

    def _pending_applications(self, count):
        """``count`` submitted applications of new candidates, each with a marksheet."""
        applications = self.env["op.mentor.details"]
        for _i in range(count):
            type(self).candidate_seq += 1
            seq = self.candidate_seq
            _user, candidate = self._create_student(f"cand{seq}", "Cand", f"N{seq}", self.batch, marks=80, portal=False)
            applications |= self._create_application(candidate, self.env["op.student"])
        applications.with_user(self.user_admin).action_submit()
        return applications

    # ------------------------------------------------------------
    # Backend lists: the same count at 5 and at 40 records
    # ------------------------------------------------------------

    def test_list_meetings(self):
        self._meetings(3)  # 5 with the fixture's two meetings
        for user in (self.user_admin, self.user_faculty):
            with self.subTest(user=user.login):
                self._assert_same_count(self._web_list("op.mentor.meeting", user), lambda: self._meetings(35, days=9))

    def test_list_followups(self):
        self._followups(3)
        for user in (self.user_admin, self.user_faculty):
            with self.subTest(user=user.login):
                self._assert_same_count(self._web_list("op.mentor.followup", user), lambda: self._followups(35))

    def test_list_applications(self):
        self._pending_applications(3)
        for user in (self.user_admin, self.user_faculty):
            with self.subTest(user=user.login):
                self._assert_same_count(
                    self._web_list("op.mentor.details", user), lambda: self._pending_applications(18)
                )

    def test_group_applications_by_status(self):
        self._pending_applications(3)
        Details = self.env["op.mentor.details"].with_user(self.user_admin)

        def run():
            Details.web_read_group([], ["status"], ["status"])

        self._assert_same_count(run, lambda: self._pending_applications(18))

    # ------------------------------------------------------------
    # Bulk paths: queries per batch, not per record
    # ------------------------------------------------------------

    def _bulk_count(self, func, make):
        """Queries of ``func(records)`` on a batch of 5 and on a batch of 20 (both measured warm)."""
        counts = []
        for size in (5, 20):
            records = make(size)
            self.env.flush_all()
            self.env.invalidate_all()
            count0 = self.cr.sql_log_count
            func(records)
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - count0)
        _logger.info("%s: %s queries for 5 records, %s for 20", func, *counts)
        return counts

    def test_bulk_approve(self):
        self._pending_applications(2)[0].with_user(self.user_admin).action_approve()  # warm the caches
        small, big = self._bulk_count(
            lambda apps: apps.with_user(self.user_admin).action_approve(), self._pending_applications
        )
        # Left per application: the allocation's sequence number (2 queries) and the chatter message
        # that notifies the faculty (about 17: message, followers, mail, notification), the new
        # allocation's enrolment and one-active-allocation checks. Everything else
        # (status, duplicate check, allocations, activities) is done once per batch.
        self.assertLess(big - small, 15 * 25, f"approving 5 then 20 applications: {small} then {big} queries")

    def test_bulk_create_meetings(self):
        Meeting = self.env["op.mentor.meeting"].with_user(self.user_admin)
        start = datetime.now().replace(microsecond=0) + timedelta(days=5)

        def create(size):
            return [
                {
                    "meeting_name": f"Bulk {i}",
                    "meeting_link": f"https://meet.example.com/b{i}",
                    "date": start + timedelta(hours=i),
                    "student_id": self.student_mentor.id,
                    "meeting_students": [Command.set(self.student_mentee.ids)],
                }
                for i in range(size)
            ]

        Meeting.create(create(1))  # warm
        small, big = self._bulk_count(Meeting.create, create)
        self.assertLess(big - small, 15, f"creating 5 then 20 meetings: {small} then {big} queries")

    # ------------------------------------------------------------
    # Reminder cron: an indexed date range
    # ------------------------------------------------------------

    def test_cron_reminders(self):
        Meeting = self.env["op.mentor.meeting"]
        tomorrow = fields.Date.context_today(Meeting) + timedelta(days=1)
        tomorrow_noon = datetime.combine(tomorrow, time(12, 0))
        self._meetings(1, days=2).write({"date": tomorrow_noon})

        def run():
            Meeting._cron_send_reminders()

        # meetings on other days do not cost anything
        self._assert_same_count(run, lambda: self._meetings(40, days=4))
        reminded = Meeting._cron_send_reminders()
        self.assertEqual(reminded.mapped("date"), [tomorrow_noon])
        self.cr.execute(
            """SELECT indexdef FROM pg_indexes WHERE tablename = 'op_mentor_meeting'
               AND indexdef LIKE '%%(date)%%'"""
        )
        self.assertTrue(self.cr.fetchall(), "op_mentor_meeting.date has an index for the cron's range")

    # ------------------------------------------------------------
    # Indexes the domains need
    # ------------------------------------------------------------

    def test_relation_indexes(self):
        """Mentor / attendee relations are searched by student: each has an index led by that column."""
        for table, column in (
            ("op_mentor_meeting_student_rel", "student_id"),
            ("op_mentor_allocation_student_rel", "student_id"),
            ("op_mentor_meeting", "student_id"),
            ("op_mentor_allocation", "mentor_id"),
            ("op_mentor_followup", "allocation_id"),
            ("op_mentor_details", "faculty_id"),
        ):
            self.cr.execute(
                """SELECT 1 FROM pg_index i
                     JOIN pg_class t ON t.oid = i.indrelid
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
                    WHERE t.relname = %s AND a.attname = %s""",
                [table, column],
            )
            self.assertTrue(self.cr.fetchone(), f"{table}.{column} leads an index")
