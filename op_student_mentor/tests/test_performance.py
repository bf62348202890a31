"""Query counts that do not grow with the data.

Each page is measured at a small size, the data is grown, and the same page must
then run in exactly the same number of queries (``assertQueryCount`` with the
count measured first). Bulk paths are measured at two batch sizes: the extra
queries of the bigger batch must stay below a bound per record that only the
unavoidable per-record work (sequence numbers, chatter messages) explains.
"""

import logging
from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import tagged, users

from .common import MentorCommon, MentorPortalCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install", "mentor_performance")
class TestMentorPerformance(MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Portal notifications are measured by the benchmark; here the ORM paths only (the fixtures' meetings are
        # created without invitations, see _meetings; calendar's mails are blocked where users create them).
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.candidate_seq = 0

    # ------------------------------------------------------------
    # Tools
    # ------------------------------------------------------------

    def _assert_list_constant(self, model, grow):
        """The list view of ``model`` costs the current user (``@users``) no more queries after ``grow()``."""
        return self.assertQueryCountConstant({self.env.user.login: self._web_list(model)}, grow)

    def _list_request(self, model):
        """The ``web_search_read`` specification and count limit of the model's list view, as the web client
        builds them: the view's fields, and its ``count_limit`` attribute (else 10,000) plus one."""
        views = self.env[model].get_views([(False, "list")])
        spec = {}
        for fname, field in views["models"][model]["fields"].items():
            if field["type"] in ("many2one", "many2many"):
                spec[fname] = {"fields": {"display_name": {}}}
            else:
                spec[fname] = {}
        arch = etree.fromstring(views["views"]["list"]["arch"])
        return spec, int(arch.get("count_limit") or 10000) + 1

    def _web_list(self, model):
        Model = self.env[model]
        spec, count_limit = self._list_request(model)

        def run():
            Model.web_search_read([], spec, limit=80, count_limit=count_limit)

        return run

    def _meetings(self, count, days=3, mentor=None, mentees=None):
        start = datetime.now().replace(microsecond=0) + timedelta(days=days)
        return (
            self.env["op.mentor.meeting"]
            .sudo()
            .with_context(no_mail_to_attendees=True)
            .create(
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
        )

    def _followups(self, count):
        return (
            self.env["op.mentor.followup"]
            .sudo()
            .create(
                [
                    {
                        "student_id": self.student_mentee.id,
                        "allocation_id": self.allocation.id,
                        "meeting_date": "2026-02-01",
                    }
                    for _i in range(count)
                ]
            )
        )

    def _pending_applications(self, count, mentees=False):
        """``count`` submitted applications of new candidates, each with a marksheet (and a new mentee).

        With ``mentees``, the nominating faculty alternates between the two faculty of the fixtures.
        """
        applications = self.env["op.mentor.details"]
        for i in range(count):
            type(self).candidate_seq += 1
            seq = self.candidate_seq
            _user, candidate = self._create_student(f"cand{seq}", "Cand", f"N{seq}", self.batch, marks=80, portal=False)
            mentee = self.env["op.student"]
            if mentees:
                _user, mentee = self._create_student(f"peer{seq}", "Peer", f"N{seq}", self.batch, portal=False)
            faculty = self.faculty_other if mentees and i % 2 else self.faculty
            applications |= self._create_application(candidate, mentee, faculty=faculty)
        applications.with_user(self.user_admin).action_submit()
        return applications

    # ------------------------------------------------------------
    # Backend lists: the same count at 5 and at 40 records
    # ------------------------------------------------------------

    @users("mentor_admin", "faculty")
    def test_list_meetings(self):
        with self.rolled_back():
            self._meetings(3)  # 5 with the fixture's two meetings
            self._assert_list_constant("op.mentor.meeting", lambda: self._meetings(35, days=9))

    @users("mentor_admin", "faculty")
    def test_list_followups(self):
        with self.rolled_back():
            self._followups(3)
            self._assert_list_constant("op.mentor.followup", lambda: self._followups(35))

    @users("mentor_admin", "faculty")
    def test_list_goals(self):
        def goals(count):
            followups = self._followups(count)
            self.env["op.mentor.goal"].sudo().create(
                [
                    {"followup_id": f.id, "name": f"Skill {i}", "indicator": "Checked next session"}
                    for i, f in enumerate(followups)
                ]
            )

        with self.rolled_back():
            goals(5)
            self._assert_list_constant("op.mentor.goal", lambda: goals(35))

    def test_history_lists_count_up_to_a_thousand(self):
        """Meetings, follow-ups and goals pile up over the years: their lists count up to 1,000 rows (the pager
        shows "1-80 / 1000+"), so a full page costs the same at any size; applications count as usual."""
        for model in ("op.mentor.meeting", "op.mentor.followup", "op.mentor.goal"):
            self.assertEqual(self._list_request(model)[1], 1001, model)
        self.assertEqual(self._list_request("op.mentor.details")[1], 10001)
        self._meetings(1002, days=30)
        spec, count_limit = self._list_request("op.mentor.meeting")
        result = (
            self.env["op.mentor.meeting"]
            .with_user(self.user_admin)
            .web_search_read([], spec, limit=80, count_limit=count_limit)
        )
        self.assertEqual((len(result["records"]), result["length"]), (80, 1001), "the pager's 1000+")

    @users("mentor_admin", "faculty")
    def test_list_applications(self):
        with self.rolled_back():
            self._pending_applications(3)
            self._assert_list_constant("op.mentor.details", lambda: self._pending_applications(18))

    def test_group_applications_by_status(self):
        self._pending_applications(3)
        Details = self.env["op.mentor.details"].with_user(self.user_admin)

        def run():
            Details.web_read_group([], ["status"], ["status"])

        self.assertQueryCountConstant({"kanban": run}, lambda: self._pending_applications(18))

    # ------------------------------------------------------------
    # Bulk paths: queries per batch, not per record
    # ------------------------------------------------------------

    def _bulk_count(self, func, make, sizes=(5, 20)):
        """Queries of ``func(records)`` on a small and on a big batch (both measured warm)."""
        counts = []
        for size in sizes:
            records = make(size)
            counts.append(self._count_queries(lambda records=records: func(records)))
        _logger.info("%s: %s queries for %s records", func, counts, sizes)
        return counts

    def test_bulk_approve(self):
        """Approval costs per batch: status, allocations and their checks, activities, one notification
        per faculty. Per application remain only its allocation's code (one ``nextval``) and a row in each
        batched insert."""
        make = lambda size: self._pending_applications(size, mentees=True)  # noqa: E731
        make(2)[0].with_user(self.user_admin).action_approve()  # warm the caches
        small, big = self._bulk_count(lambda apps: apps.with_user(self.user_admin).action_approve(), make, (5, 40))
        per_record = (big - small) / 35
        _logger.info(
            "approving 5 then 40 applications: %s then %s queries, %.2f per application", small, big, per_record
        )
        self.assertLessEqual(per_record, 1.5, f"approving 5 then 40 applications: {small} then {big} queries")
        approved = self.env["op.mentor.details"].search(
            [("status", "=", "approve"), ("student_id.last_name", "like", "N%")]
        )
        self.assertTrue(all(len(a.allocation_ids) == 1 for a in approved))
        allocation_codes = approved.allocation_ids.mapped("name")
        self.assertEqual(len(set(allocation_codes)), len(allocation_codes), "each allocation has its own code")
        self.assertTrue(all(code.startswith("ALLOC") for code in allocation_codes))

    def test_bulk_create_meetings(self):
        self.env["ir.config_parameter"].set_param("calendar.block_mail", "1")  # the ORM path, not the mails
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
        # Each meeting is a calendar event with its attendees and calendar's invitation mail to the mentee
        # (was: < 15 for the 15 more meetings, before the events): bounded per meeting, not per stored meeting.
        self.assertLessEqual(big - small, 3 * 15, f"creating 5 then 20 meetings: {small} then {big} queries")

    # ------------------------------------------------------------
    # Reminders: calendar's run, mentor meetings once per attendee and alarm
    # ------------------------------------------------------------

    def test_cron_reminders(self):
        """Calendar's reminder run picks the events whose reminder falls since its last call (one SQL query on
        the events' start); meetings on other days cost nothing."""
        Manager = self.env["calendar.alarm_manager"]
        meeting = self._meetings(1, days=2)
        due_at = meeting.date - timedelta(hours=23)  # the default e-mail reminder one day before is due
        sent = []

        def run():
            # each run sends the reminders again: the claims and mails are rolled back
            self.env.cr.execute("SAVEPOINT reminder_run")
            with freeze_time(due_at), self.mock_mail_gateway():
                Manager.with_context(lastcall=due_at - timedelta(hours=2))._send_reminder()
                self.env.flush_all()
                sent.append(len(self._new_mails))
            self.env.cr.execute("ROLLBACK TO SAVEPOINT reminder_run")
            self.env.invalidate_all()

        self.assertQueryCountConstant({"cron": run}, lambda: self._meetings(40, days=4))
        self.assertEqual(set(sent), {2}, "the mentor's and the mentee's reminder, every run")

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


@tagged("post_install", "-at_install", "mentor_performance")
class TestPortalListsHistory(MentorPortalCommon):
    """Every portal list of a mentor and of their mentee runs in as many queries at a few and at many
    meetings (and session notes, goals) of their own: the user's history costs no query."""

    def _history(self, count):
        """``count`` more meetings of the mentor with the mentee, half held in the past, half to come; a shared
        follow-up with an achieved goal per past meeting."""
        Meeting = self.env["op.mentor.meeting"].with_context(mentor_meeting_no_notify=True)
        now = datetime.now().replace(microsecond=0, second=0)
        seq = Meeting.search_count([])

        def vals(start, n):
            return [
                {
                    "meeting_name": f"History {seq + i}",
                    "meeting_link": f"https://meet.example.com/h{seq + i}",
                    "date": start + timedelta(hours=i),
                    "student_id": self.student_mentor.id,
                    "meeting_students": [Command.set(self.student_mentee.ids)],
                }
                for i in range(n)
            ]

        past_start = now - timedelta(days=60)
        with freeze_time(past_start - timedelta(days=1)):
            past = Meeting.create(vals(past_start, count // 2))
        Meeting.create(vals(now + timedelta(days=2), count - count // 2))
        followups = self.env["op.mentor.followup"].create(
            [
                {
                    "student_id": self.student_mentee.id,
                    "allocation_id": self.allocation.id,
                    "meeting_date": meeting.date.date(),
                    "visibility": "mentee",
                    "note_progress": f"Notes of {meeting.meeting_name}",
                }
                for meeting in past
            ]
        )
        self.env["op.mentor.goal"].create(
            [
                {"followup_id": followup.id, "name": f"Goal {followup.id}", "indicator": "x", "state": "achieved"}
                for followup in followups
            ]
        )

    def test_portal_lists_cost_no_query_per_own_meeting(self):
        pages = (
            ("/my", "mentor"),
            ("/my", "mentee"),
            ("/my/mentor/meetings", "mentor"),
            ("/my/mentor/meetings?filterby=past", "mentor"),
            ("/my/mentor/meetings?sortby=name", "mentor"),
            ("/my/mentor/meetings?search=History", "mentor"),
            ("/my/mentor/mentees", "mentor"),
            ("/my/mentorship/meetings", "mentee"),
            ("/my/mentorship/meetings?filterby=past", "mentee"),
            ("/my/mentorship/meetings?sortby=name", "mentee"),
            ("/my/mentorship/goals", "mentee"),
        )
        self._history(4)
        # more than a page (80) of meetings to come: the first page holds no past meeting any more
        self.assertUrlQueryCountConstant(pages, lambda: self._history(240))
        page = self._get("/my/mentorship/meetings", "mentee").text
        self.assertEqual(page.count("o_mentorship_meeting_row"), 80)
        self.assertIn("/my/mentorship/meetings/page/2", page)
        self.assertEqual(self._get("/my/mentor/meetings", "mentor").text.count("o_mentor_meeting_row"), 80)
