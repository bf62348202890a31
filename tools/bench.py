"""Benchmark of op_student_mentor at school scale; run through `tools/dev bench`.

tools/dev starts a throwaway PostgreSQL and installs the addon in database BENCH_DB; this
script seeds it at a small scale, measures every path, grows the data to the full
scale, measures again, and prints (and writes, with --output) a table of SQL query
counts and server times (median of --runs runs) with their full/small ratios.

Portal pages go through a real Odoo HTTP server started on a free loopback port;
their query count and server time come from Odoo's werkzeug request log. Backend
paths run in-process, counted with the cursor's ``sql_log_count``. Write paths run
in a savepoint that is rolled back after each run.

The rows "history: ..." measure the portal lists of one mentor and one mentee of their own
batch who have --history-small meetings together at the small scale and --history at the
full scale (100 and 10,000): what a user's own history costs them (`--only history` measures
just those).
"""

import argparse
import os
import platform
import re
import shutil
import statistics
import sys
import time
from datetime import date, datetime, timedelta

import psycopg2
import requests
from lxml import etree
from odoo_server import OdooServer, odoo_options, open_registry, portal_user  # first: it puts $ODOO_SRC on sys.path

import odoo
from odoo import SUPERUSER_ID, Command, api

PASSWORD = "bench-password"
BATCH_SIZE = 100  # students per batch; a tenth of them are mentors
# pending applications created last at the full scale, as the 500 of the bulk approval are at the small
NEWEST_PENDING = 100


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--students", type=int, default=5000)
    p.add_argument("--mentors", type=int, default=500)
    p.add_argument("--meetings", type=int, default=100000)
    p.add_argument("--followups", type=int, default=50000)
    p.add_argument("--goals", type=int, default=20000, help="SMART goals (op.mentor.goal) on the follow-ups")
    p.add_argument(
        "--small-factor",
        type=int,
        default=10,
        help="small scale = full scale / this (default 10: a tenth of 100,000 meetings is about the 10,001 rows the "
        "web client counts, and a page of 80 rows holds as many distinct students at both scales)",
    )
    p.add_argument("--small", action="store_true", help="quick run: full scale divided by 20")
    p.add_argument("--runs", type=int, default=5, help="runs per page (median)")
    p.add_argument("--bulk-runs", type=int, default=3, help="runs per bulk path (median)")
    p.add_argument("--approve", type=int, default=500, help="applications approved in one call")
    p.add_argument("--create", type=int, default=1000, help="meetings created in one call")
    p.add_argument("--match-students", type=int, default=2000, help="students of the batch matched")
    p.add_argument("--match-mentors", type=int, default=200, help="its approved mentors, each of capacity 5")
    p.add_argument("--match-subjects", type=int, default=10, help="subjects with an exam result per student")
    p.add_argument(
        "--history",
        type=int,
        default=10000,
        help="meetings of the 'history' mentor and mentee at the full scale (one mentor hosting them all, one "
        "mentee attending them all; not divided by --small)",
    )
    p.add_argument("--history-small", type=int, default=100, help="their meetings at the small scale")
    p.add_argument(
        "--only",
        choices=("all", "history"),
        default="all",
        help="'history': measure only the portal lists of the history mentor and mentee (the school is seeded "
        "all the same)",
    )
    p.add_argument(
        "--output",
        default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks", "results.md"),
        help="write the results (machine, versions, table) to this markdown file (default benchmarks/results.md; "
        "'-' for none)",
    )
    args = p.parse_args()
    if args.small:
        for name in (
            "students",
            "mentors",
            "meetings",
            "followups",
            "goals",
            "approve",
            "create",
            "match_students",
            "match_mentors",
        ):
            setattr(args, name, max(getattr(args, name) // 20, 1))
    return args


def log(msg):
    print(f"[bench {datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------
# Seeding
# ------------------------------------------------------------


class Seeder:
    def __init__(self, env):
        self.env = env(
            context={
                "tracking_disable": True,
                "mail_create_nolog": True,
                "mail_notrack": True,
                "no_mail_to_attendees": True,  # superuser seeding: no invitations (past dates allowed too)
            }
        )
        self.n_students = 0

    def base(self):
        env = self.env
        # A school of this size runs about ten mentees per mentor: lift the default capacity (5).
        env.company.mentor_capacity = 0
        self.subject = env["op.subject"].create({"name": "Algorithms", "code": "BALG"})
        self.course = env["op.course"].create(
            {"name": "Bench Course", "code": "BENCH", "subject_ids": [Command.set(self.subject.ids)]}
        )
        self.batches = env["op.batch"]
        exam_type = env["op.exam.type"].create({"name": "Bench final", "code": "BF"})
        batch = self._batch()
        session = env["op.exam.session"].create(
            {
                "name": "Bench finals",
                "course_id": self.course.id,
                "batch_id": batch.id,
                "exam_code": "BFIN",
                "start_date": date(2026, 6, 1),
                "end_date": date(2026, 6, 30),
                "exam_type": exam_type.id,
            }
        )
        template = env["op.result.template"].create({"exam_session_id": session.id, "name": "Bench results"})
        self.register = env["op.marksheet.register"].create(
            {"exam_session_id": session.id, "name": "Bench marksheets", "result_template_id": template.id}
        )
        self.faculty_users = env["res.users"]
        self.faculties = env["op.faculty"]
        for i in range(10):
            user = env["res.users"].create(
                {
                    "name": f"Faculty {i}",
                    "login": f"faculty{i}@bench.test",
                    "password": PASSWORD,
                    "groups_id": [
                        Command.set([env.ref("base.group_user").id, env.ref("openeducat_core.group_op_faculty").id])
                    ],
                }
            )
            self.faculty_users |= user
            self.faculties |= env["op.faculty"].create(
                {
                    "partner_id": user.partner_id.id,
                    "first_name": "Faculty",
                    "last_name": str(i),
                    "birth_date": date(1980, 1, 1),
                    "gender": "female",
                    "faculty_subject_ids": [Command.set(self.subject.ids)],
                }
            )
        self.admin = env.ref("base.user_admin")
        self.admin.password = PASSWORD

    def _batch(self):
        n = len(self.batches)
        batch = self.env["op.batch"].create(
            {
                "name": f"B{n}",
                "code": f"B{n}",
                "course_id": self.course.id,
                "start_date": date(2026, 1, 1),
                "end_date": date(2030, 12, 31),
            }
        )
        self.batches |= batch
        return batch

    def students(self, count, batch, marks=False):
        vals = []
        for _i in range(count):
            self.n_students += 1
            n = self.n_students
            vals.append(
                {
                    "first_name": "Student",
                    "last_name": str(n),
                    "name": f"Student {n}",
                    "birth_date": date(2005, 1, 1),
                    "gender": "f",
                    "email": f"s{n}@bench.test",
                    "course_detail_ids": [Command.create({"course_id": self.course.id, "batch_id": batch.id})],
                }
            )
        students = self.env["op.student"].create(vals)
        if marks:
            self.env["op.marksheet.line"].create(
                [{"marksheet_reg_id": self.register.id, "student_id": s.id} for s in students]
            )
        return students

    def applications(self, mentors, mentees_by_mentor, status, faculties=None):
        Details = self.env["op.mentor.details"]
        focus = self.env.ref("op_student_mentor.mentor_focus_academic")
        faculties = faculties or self.faculties
        vals = []
        for i, mentor in enumerate(mentors):
            batch = mentor.course_detail_ids[:1].batch_id
            vals.append(
                {
                    "faculty_id": faculties[i % len(faculties)].id,
                    "course_id": self.course.id,
                    "batch_id": batch.id,
                    "student_id": mentor.id,
                    "student_detail_ids": [Command.set(mentees_by_mentor.get(mentor.id, []))],
                    "mentor_focus_id": [Command.set(focus.ids)],
                    "reason_for_mentorship": "bench",
                }
            )
        apps = Details.create(vals)
        apps.action_submit()
        if status == "approve":
            apps.action_approve()
        return apps

    def grow(self, students, mentors):
        """Add batches of BATCH_SIZE students (a tenth mentors, approved, with their mentees allocated)."""
        per_batch_mentors = max(1, BATCH_SIZE * mentors // max(students, 1))
        added = 0
        while added < students:
            size = min(BATCH_SIZE, students - added)
            batch = self._batch()
            n_mentors = max(1, size * mentors // students) if size < BATCH_SIZE else per_batch_mentors
            group = self.students(size, batch)
            mentors_rs, mentees = group[:n_mentors], group[n_mentors:]
            self.env["op.marksheet.line"].create(
                [{"marksheet_reg_id": self.register.id, "student_id": s.id} for s in mentors_rs]
            )
            mentees_by_mentor = {m.id: [] for m in mentors_rs}
            for j, mentee in enumerate(mentees):
                mentees_by_mentor[mentors_rs[j % len(mentors_rs)].id].append(mentee.id)
            self.applications(mentors_rs, mentees_by_mentor, "approve")
            added += size
        self.env.flush_all()

    def matching_batch(self, students, mentors, subjects):
        """A batch to match: ``students`` with one exam result in each of ``subjects`` subjects,
        the first ``mentors`` of them approved mentors of capacity 5 without mentees. Results by SQL (one
        INSERT): marks spread over 0-99 by student and subject, the mentors strong in most subjects."""
        env = self.env
        batch = self._batch()
        batch.code = f"BMATCH-{students}"
        group = self.students(students, batch)
        session = env["op.exam.session"].create(
            {
                "name": f"Match term {students}",
                "course_id": self.course.id,
                "batch_id": batch.id,
                "exam_code": f"BM{students}",
                "start_date": date(2026, 9, 1),
                "end_date": date(2026, 9, 30),
                "exam_type": env["op.exam.type"].search([("code", "=", "BF")]).id,
            }
        )
        exams = env["op.exam"]
        for i in range(subjects):
            subject = env["op.subject"].create({"name": f"Match subject {i}", "code": f"BMS{students}-{i}"})
            exams |= env["op.exam"].create(
                {
                    "session_id": session.id,
                    "subject_id": subject.id,
                    "exam_code": f"BM{students}-{i}",
                    "name": f"Match exam {i}",
                    "start_time": datetime(2026, 9, 2 + i, 9, 0),
                    "end_time": datetime(2026, 9, 2 + i, 11, 0),
                    "total_marks": 100,
                    "min_marks": 40,
                    "state": "done",
                }
            )
        mentors_rs = group[:mentors]
        # a gradebook line per mentor (their application needs one); the results are inserted below
        self.env["op.marksheet.line"].create(
            [{"marksheet_reg_id": self.register.id, "student_id": s.id} for s in mentors_rs]
        )
        mentor_ids = tuple(mentors_rs.ids)
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO op_result_line (exam_id, student_id, marks, status, create_uid, write_uid, create_date,
                                        write_date)
            SELECT x.id, s.id,
                   CASE WHEN s.id IN %s AND (s.id + x.id) %% 4 != 0 THEN 80 + (s.id * 7 + x.id * 3) %% 20
                        ELSE (s.id * 37 + x.id * 11) %% 100 END,
                   'pass', 1, 1, now(), now()
              FROM op_student s CROSS JOIN op_exam x
             WHERE s.id IN %s AND x.session_id = %s
            """,
            [mentor_ids, tuple(group.ids), session.id],
        )
        self.applications(mentors_rs, {}, "approve")
        self.env.cr.execute("UPDATE op_student SET mentor_capacity = 5 WHERE id IN %s", [mentor_ids])
        self.env.invalidate_all()
        return batch

    def history(self, meetings):
        """The 'history' pair: one mentor and one mentee of their own batch, allocated, who log in to the portal
        (history-mentor@ / history-mentee@bench.test), with ``meetings`` meetings (hosted by the one, attended by
        the other) and a follow-up with one goal per past meeting (closed, the three latest open)."""
        batch = self._batch()
        batch.code = "BHISTORY"
        mentor, mentee = self.students(2, batch)
        self.env["op.marksheet.line"].create({"marksheet_reg_id": self.register.id, "student_id": mentor.id})
        self.applications(mentor, {mentor.id: mentee.ids}, "approve")
        for login, student in (("history-mentor@bench.test", mentor), ("history-mentee@bench.test", mentee)):
            portal_user(student, login, PASSWORD)
        self.history_rows(meetings)

    def history_rows(self, meetings):
        """Grow the history pair's meetings to ``meetings`` (by SQL, as ``bulk_rows``). Meeting g is g / 2 half
        days after now (odd g) or before it (even g): any run of rows is half past, half to come."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            """SELECT a.id, a.mentor_id, r.student_id, a.faculty_id
                 FROM op_mentor_allocation a JOIN op_mentor_allocation_student_rel r ON r.allocation_id = a.id
                 JOIN op_student s ON s.id = a.mentor_id JOIN res_users u ON u.id = s.user_id
                WHERE u.login = 'history-mentor@bench.test'"""
        )
        allocation, mentor, mentee, faculty = cr.fetchone()
        cr.execute("SELECT count(*) FROM op_mentor_meeting WHERE student_id = %s", [mentor])
        (have,) = cr.fetchone()
        params = {"start": have + 1, "end": int(meetings), "mentor": mentor, "mentee": mentee}
        cr.execute(
            """
            CREATE TEMP TABLE bench_history_m (id int, date timestamp, status varchar);
            WITH rows AS (
                SELECT g, date_trunc('hour', now() AT TIME ZONE 'UTC')
                          + (CASE WHEN g %% 2 = 1 THEN 1 ELSE -1 END) * (g / 2 + 1) * interval '12 hours' AS d
                  FROM generate_series(%(start)s, %(end)s) g
            ), ins AS (
                INSERT INTO op_mentor_meeting (meeting_name, meeting_link, date, date_end, duration, student_id,
                        session_type, description, status, company_id, create_uid, write_uid, create_date, write_date)
                SELECT 'History session ' || g, 'https://meet.example.com/h' || g, d, d + interval '30 minutes', 30,
                       %(mentor)s, 'regular', 'Agenda', CASE WHEN d < now() AT TIME ZONE 'UTC'
                       THEN (CASE WHEN g %% 10 = 0 THEN 'cancel' ELSE 'done' END) ELSE 'scheduled' END,
                       1, 1, 1, now(), now()
                  FROM rows
             RETURNING id, date, status
            ), rel AS (
                INSERT INTO op_mentor_meeting_student_rel (meeting_id, student_id) SELECT id, %(mentee)s FROM ins
            )
            INSERT INTO bench_history_m SELECT id, date, status FROM ins
            """,
            params,
        )
        if faculty:
            cr.execute(
                "INSERT INTO op_mentor_meeting_faculty_rel (meeting_id, faculty_id) SELECT id, %s FROM bench_history_m",
                [faculty],
            )
        cr.execute(
            """
            WITH f AS (
                INSERT INTO op_mentor_followup (name, student_id, allocation_id, mentor_id, faculty_id, meeting_id,
                        meeting_date, status, visibility, company_id, create_uid, write_uid, create_date, write_date)
                SELECT 'HFUP' || m.id, %(mentee)s, %(allocation)s, %(mentor)s, %(faculty)s, m.id, m.date::date,
                       'completed', 'mentee', 1, 1, 1, now(), now()
                  FROM bench_history_m m WHERE m.status = 'done'
             RETURNING id, meeting_date
            )
            INSERT INTO op_mentor_goal (followup_id, student_id, mentor_id, faculty_id, company_id, name, indicator,
                    deadline, state, is_smart, visibility, create_uid, write_uid, create_date, write_date)
            SELECT f.id, %(mentee)s, %(mentor)s, %(faculty)s, 1, 'History skill ' || f.id, 'Checked at the next session',
                   f.meeting_date + 7, 'achieved', true, 'mentee', 1, 1, now(), now()
              FROM f
            """,
            {"mentee": mentee, "mentor": mentor, "allocation": allocation, "faculty": faculty},
        )
        # the three latest goals stay open (the page lists every open goal: a handful at any history)
        cr.execute(
            """UPDATE op_mentor_goal SET state = 'achieved' WHERE student_id = %(mentee)s AND state = 'open';
               UPDATE op_mentor_goal SET state = 'open' WHERE id IN (
                   SELECT id FROM op_mentor_goal WHERE student_id = %(mentee)s ORDER BY deadline DESC, id DESC LIMIT 3)""",
            {"mentee": mentee},
        )
        cr.execute("DROP TABLE bench_history_m")
        self.env.invalidate_all()

    def bulk_rows(self, meetings, followups, goals, new_allocations_only=False):
        """Meetings, follow-ups and goals by SQL (INSERT … SELECT): 100,000 ORM creates with mail.thread take too long.

        Every row is what the ORM would store: host = a mentor, attendee = one of that mentor's mentees,
        the meeting's faculty = those of the host's active allocations (the stored ``faculty_ids``),
        dates spread over two years around today, statuses mixed; goals on the newest follow-ups.
        With ``new_allocations_only``, only the allocations without meetings yet get rows: a school grows by more
        mentors, each with the same load, so the measured mentor and mentee keep their own history at both scales.
        """
        cr = self.env.cr
        new_only = " AND NOT EXISTS (SELECT 1 FROM op_mentor_meeting m WHERE m.student_id = a.mentor_id)"
        cr.execute(
            """
            CREATE TEMP TABLE bench_pairs AS
            SELECT row_number() OVER (ORDER BY a.id, r.student_id) - 1 AS n, a.mentor_id, r.student_id, a.id AS allocation_id
              FROM op_mentor_allocation a JOIN op_mentor_allocation_student_rel r ON r.allocation_id = a.id
             WHERE a.active"""
            + (new_only if new_allocations_only else "")
        )
        cr.execute("SELECT count(*) FROM bench_pairs")
        (pairs,) = cr.fetchone()
        cr.execute(
            """
            WITH rows AS (
                SELECT g, p.mentor_id, p.student_id,
                       date_trunc('hour', now() AT TIME ZONE 'UTC') + ((g % 730) - 365) * interval '1 day'
                           + (g % 9) * interval '1 hour' AS d
                  FROM generate_series(1, %(n)s) g JOIN bench_pairs p ON p.n = g %% %(pairs)s
            ), ins AS (
                INSERT INTO op_mentor_meeting (meeting_name, meeting_link, date, date_end, duration, student_id,
                        session_type, description, status, company_id, create_uid, write_uid, create_date, write_date)
                SELECT 'Bench session ' || g, 'https://meet.example.com/b' || g, d, d + interval '30 minutes', 30,
                       mentor_id, 'regular', 'Agenda', CASE WHEN d < now() AT TIME ZONE 'UTC'
                       THEN (CASE WHEN g %% 10 = 0 THEN 'cancel' ELSE 'done' END) ELSE 'scheduled' END,
                       1, 1, 1, now(), now()
                  FROM rows
             RETURNING id, student_id, meeting_name
            )
            INSERT INTO op_mentor_meeting_student_rel (meeting_id, student_id)
            SELECT ins.id, r.student_id FROM ins JOIN rows r ON ins.meeting_name = 'Bench session ' || r.g
        """.replace("%(n)s", str(int(meetings)))
            .replace("%(pairs)s", str(int(pairs)))
            .replace("%%", "%")
        )
        cr.execute("""
            INSERT INTO op_mentor_meeting_faculty_rel (meeting_id, faculty_id)
            SELECT DISTINCT m.id, a.faculty_id
              FROM op_mentor_meeting m
              JOIN op_mentor_allocation a ON a.mentor_id = m.student_id AND a.active AND a.faculty_id IS NOT NULL
             WHERE NOT EXISTS (SELECT 1 FROM op_mentor_meeting_faculty_rel r WHERE r.meeting_id = m.id)
        """)
        cr.execute(
            """
            INSERT INTO op_mentor_followup (name, student_id, allocation_id, mentor_id, faculty_id, meeting_date,
                    status, visibility, company_id, create_uid, write_uid, create_date, write_date)
            SELECT 'BFUP' || g, p.student_id, p.allocation_id, p.mentor_id, a.faculty_id,
                   current_date + ((g %% 730) - 365), (ARRAY['draft','scheduled','completed','missed'])[1 + g %% 4],
                   (ARRAY['mentee','mentor','faculty'])[1 + g %% 3], 1, 1, 1, now(), now()
              FROM generate_series(1, %s) g JOIN bench_pairs p ON p.n = g %% %s
              JOIN op_mentor_allocation a ON a.id = p.allocation_id
        """,
            [int(followups), int(pairs)],
        )
        cr.execute(
            """
            INSERT INTO op_mentor_goal (followup_id, student_id, mentor_id, faculty_id, company_id, name, indicator,
                    deadline, state, is_smart, visibility, create_uid, write_uid, create_date, write_date)
            SELECT f.id, f.student_id, f.mentor_id, f.faculty_id, f.company_id, 'Bench skill ' || g,
                   'Checked at the next session', f.meeting_date + 7,
                   (ARRAY['open','achieved','partly','not_achieved'])[1 + g %% 4], true, f.visibility,
                   1, 1, now(), now()
              FROM generate_series(1, %s) g
              JOIN (SELECT id, student_id, mentor_id, faculty_id, company_id, meeting_date, visibility,
                           row_number() OVER (ORDER BY id DESC) - 1 AS n
                      FROM op_mentor_followup) f ON f.n = (g - 1) / 2
        """,
            [int(goals)],
        )
        cr.execute("DROP TABLE bench_pairs")
        cr.execute("ANALYZE")
        self.env.invalidate_all()


# ------------------------------------------------------------
# Measures
# ------------------------------------------------------------


def execute_autocommit(db, sql):
    """Run ``sql`` on its own autocommit connection to ``db``: VACUUM and CREATE DATABASE cannot run in a
    transaction, which every Odoo cursor is."""
    _name, info = odoo.sql_db.connection_info_for(db)
    cnx = psycopg2.connect(**info)
    try:
        cnx.autocommit = True
        with cnx.cursor() as cur:
            cur.execute(sql)
    finally:
        cnx.close()


def vacuum(db):
    """VACUUM ANALYZE, as autovacuum does after bulk inserts on a live database: fresh statistics and the
    visibility map that index-only scans (the capped counts) rely on."""
    execute_autocommit(db, "VACUUM ANALYZE")


def median(values):
    return statistics.median(values) if values else float("nan")


class Portal(OdooServer):
    """The real Odoo HTTP server (tools/odoo_server.py) serving both databases; figures from its request log."""

    def session(self, login, db):
        s = requests.Session()
        r = s.post(
            self.base + "/web/session/authenticate",
            timeout=60,
            json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": PASSWORD}},
        )
        r.raise_for_status()
        assert r.json().get("result", {}).get("uid"), f"login {login} on {db} failed: {r.text[:300]}"
        return s

    def measure_once(self, session, path):
        """(queries, server seconds) of one GET, from Odoo's werkzeug line for it."""
        since = self.log_size()
        r = session.get(self.base + path, timeout=300)
        assert r.status_code == 200, f"{path}: HTTP {r.status_code}"
        found = []
        for _j in range(50):  # the log line may be written just after the response
            found = [line for line in self.request_log(since) if line[1] == path]
            if found:
                break
            time.sleep(0.1)
        _method, _path, _status, count, sql_s, other_s = found[-1]
        return count, sql_s + other_s


SCALES = ("small", "full")


def interleave(measure, runs):
    """``measure``: {scale: callable() -> (queries, seconds)}. Each is run once to warm, then the scales take
    turns (small-full, full-small, ...): a machine that slows down for a while (a shared VM does) weighs on
    both alike, not on one scale. Median per scale."""
    samples = {scale: [] for scale in SCALES}
    for scale in SCALES:
        measure[scale]()
    for i in range(runs):
        for scale in SCALES if i % 2 == 0 else SCALES[::-1]:
            samples[scale].append(measure[scale]())
    return {
        scale: (median([q for q, _t in values]), median([t for _q, t in values])) for scale, values in samples.items()
    }


def env_measure(cr, uid, func, ctx, rollback):
    """One run of ``func(env, ctx)`` on cursor ``cr`` as ``uid``: (queries, seconds); ``rollback`` undoes it."""

    def once():
        env = api.Environment(cr, uid, {"lang": "en_US", "tz": "UTC"})
        env.invalidate_all()
        if rollback:
            cr.execute("SAVEPOINT bench")
        count0, t0 = cr.sql_log_count, time.perf_counter()
        func(env, ctx)
        env.flush_all()
        elapsed, count = time.perf_counter() - t0, cr.sql_log_count - count0
        if rollback:
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.invalidate_all()
        return count, elapsed

    return once


def measure_env_pair(registries, contexts, uid_key, func, runs, rollback):
    """``func(env, ctx)`` measured on both databases in turn, as the user ``contexts[scale][uid_key]``."""
    with registries["small"].cursor() as cr_small, registries["full"].cursor() as cr_full:
        crs = {"small": cr_small, "full": cr_full}
        result = interleave(
            {
                scale: env_measure(crs[scale], contexts[scale][uid_key], func, contexts[scale], rollback)
                for scale in SCALES
            },
            runs,
        )
        for cr in crs.values():
            cr.rollback()
    return result


def list_request(env, model):
    """What the web client sends for the model's list view: the view's fields, and its count limit (the list's
    ``count_limit`` attribute, else 10,000: the client asks for one more row to show "10000+")."""
    views = env[model].get_views([(False, "list")])
    spec = {
        fname: ({"fields": {"display_name": {}}} if f["type"] in ("many2one", "many2many") else {})
        for fname, f in views["models"][model]["fields"].items()
    }
    arch = etree.fromstring(views["views"]["list"]["arch"])
    return spec, int(arch.get("count_limit") or 10000) + 1


CRON_LOAD = {}  # scale -> (meetings due tomorrow, their mentees): the cron's work is per e-mail sent
MATCH_LOAD = {}  # scale -> (students needing help, pairs proposed) of the batch matched


def scale_context(registry):
    """The ids each path needs, in one database."""
    from odoo.addons.portal.controllers.portal import CustomerPortal  # importable once a registry is loaded

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Meeting = env["op.mentor.meeting"]
        ctx = {
            "faculty_uid": env["res.users"].search([("login", "=", "faculty0@bench.test")]).id,
            "admin_uid": env.ref("base.user_admin").id,
            "superuser": SUPERUSER_ID,
            "mentor": env["op.student"].search([("user_id.login", "=", "mentor@bench.test")]),
            "mentee": env["op.student"].search([("user_id.login", "=", "mentee@bench.test")]),
            "pending_batch": env["op.batch"].search([("code", "=", "BPENDING")]).id,
            # the largest batch to match of this database (the full scale also holds the small one)
            "match_batch": env["op.batch"].search([("code", "=like", "BMATCH-%")], order="id desc", limit=1).id,
        }
        mentor, mentee = ctx["mentor"], ctx["mentee"]
        ctx["mentee_meeting"] = Meeting.search([("meeting_students", "in", mentee.ids)], limit=1).id
        ctx["host_meeting"] = Meeting.search([("student_id", "=", mentor.id)], limit=1).id
        meeting_count = Meeting.search_count([("student_id", "=", mentor.id)])
        upcoming_count = Meeting.search_count([("student_id", "=", mentor.id), ("date_end", ">=", datetime.now())])
        # The mentor's list shows the meetings to come, then the past ones: a page that holds both runs one
        # more search than a page of one kind. The middle page is taken among the pages of past meetings, so
        # that it has the same shape at both scales (the first page holds meetings to come at both).
        per_page = CustomerPortal._items_per_page
        first_past, last = -(-upcoming_count // per_page) + 1, max(1, -(-meeting_count // per_page))
        ctx["middle"] = max(first_past, (first_past + last) // 2) if first_past <= last else last
        user = env["res.users"].browse(ctx["faculty_uid"])
        ctx["faculty_partner"], ctx["faculty_ids"] = user.partner_id.id, user.mentor_faculty_ids.ids
        ctx["mentor"], ctx["mentee"] = mentor.id, mentee.id
    return ctx


def run_measures(registries, dbs, argv, args, workdir):
    """Every path on both databases, the scales taking turns run by run (see ``interleave``)."""
    log("measuring both scales, in turn")
    contexts = {scale: scale_context(registries[scale]) for scale in SCALES}
    results = {}

    db_filter = "|".join(re.escape(dbs[scale]) for scale in SCALES)
    portal = Portal(
        dbs["full"], argv, os.path.join(workdir, "http.log"), start_timeout=240, extra=[f"--db-filter=^({db_filter})$"]
    )
    try:
        sessions = {
            scale: tuple(
                portal.session(login, dbs[scale])
                for login in (
                    "mentor@bench.test",
                    "mentee@bench.test",
                    "history-mentor@bench.test",
                    "history-mentee@bench.test",
                )
            )
            for scale in SCALES
        }
        # The history pair: the same pages at --history-small and --history meetings of the user's own.
        history_pages = (
            ("history: portal /my (mentor)", 2, lambda c: "/my"),
            ("history: portal /my (mentee)", 3, lambda c: "/my"),
            ("history: mentor meetings, first page", 2, lambda c: "/my/mentor/meetings"),
            ("history: mentor meetings, by name", 2, lambda c: "/my/mentor/meetings?sortby=name"),
            ("history: mentor meetings, past", 2, lambda c: "/my/mentor/meetings?filterby=past"),
            ("history: mentor meetings, search", 2, lambda c: "/my/mentor/meetings?search=session"),
            ("history: mentor mentees", 2, lambda c: "/my/mentor/mentees"),
            ("history: mentee meetings, first page", 3, lambda c: "/my/mentorship/meetings"),
            ("history: mentee meetings, by name", 3, lambda c: "/my/mentorship/meetings?sortby=name"),
            ("history: mentee meetings, past", 3, lambda c: "/my/mentorship/meetings?filterby=past"),
            ("history: mentee goals", 3, lambda c: "/my/mentorship/goals"),
        )
        school_pages = (
            ("portal /my (mentor)", 0, lambda c: "/my"),
            ("portal /my (mentee)", 1, lambda c: "/my"),
            ("mentor meetings, first page", 0, lambda c: "/my/mentor/meetings"),
            ("mentor meetings, middle page (past)", 0, lambda c: f"/my/mentor/meetings/page/{c['middle']}"),
            ("mentor mentees", 0, lambda c: "/my/mentor/mentees"),
            ("mentee meetings", 1, lambda c: "/my/mentorship/meetings"),
            ("meeting detail (mentor)", 0, lambda c: f"/my/mentor/meetings/{c['host_meeting']}"),
            ("meeting detail (mentee)", 1, lambda c: f"/my/mentorship/meetings/{c['mentee_meeting']}"),
        )
        pages = history_pages if args.only == "history" else school_pages + history_pages
        for label, who, path in pages:
            results[label] = interleave(
                {
                    scale: (
                        lambda scale=scale, who=who, path=path: portal.measure_once(
                            sessions[scale][who], path(contexts[scale])
                        )
                    )
                    for scale in SCALES
                },
                args.runs,
            )
    finally:
        portal.stop()
    if args.only == "history":
        return {scale: {label: by_scale[scale] for label, by_scale in results.items()} for scale in SCALES}

    lists = [
        ("op.mentor.meeting", "meetings"),
        ("op.mentor.followup", "follow-ups"),
        ("op.mentor.details", "applications"),
        ("op.mentor.goal", "goals"),
    ]
    for model, label in lists:
        for role in ("admin", "faculty"):

            def web_list(env, ctx, model=model):
                spec, count_limit = list_request(env, model)
                env[model].web_search_read([], spec, limit=80, count_limit=count_limit)

            results[f"list {label} ({role})"] = measure_env_pair(
                registries, contexts, f"{role}_uid", web_list, args.runs, False
            )

    def kanban(env, ctx):
        env["op.mentor.details"].web_read_group([], ["status"], ["status"])

    results["applications by status (admin)"] = measure_env_pair(
        registries, contexts, "admin_uid", kanban, args.runs, False
    )

    # The SQL alone of the faculty's first page of meetings: the record rule's domain of today (the stored
    # faculty compared with the ids of the user's faculty records), its first version (the stored faculty
    # through a subquery with an OR, which PostgreSQL misjudged) and the rule it replaced (a join through
    # every allocation of the faculty's mentors).
    rule_domains = {
        "rule: stored faculty, ids": lambda c: [("faculty_ids", "in", c["faculty_ids"])],
        "stored faculty, subquery with OR": lambda c: [
            (
                "faculty_ids",
                "any",
                ["|", ("partner_id", "=", c["faculty_partner"]), ("emp_id.user_id", "=", c["faculty_uid"])],
            )
        ],
        "old rule via allocations": lambda c: [
            "|",
            ("student_id.mentor_allocation_ids.faculty_id.partner_id", "=", c["faculty_partner"]),
            ("student_id.mentor_allocation_ids.faculty_id.emp_id.user_id", "=", c["faculty_uid"]),
        ],
    }
    for name, domain in rule_domains.items():

        def search_sql(env, ctx, domain=domain):
            Meeting = env["op.mentor.meeting"]
            Meeting.search(domain(ctx), limit=80)
            Meeting.search_count(domain(ctx), limit=10001)

        results[f"SQL: faculty meetings, 80 + count ({name})"] = measure_env_pair(
            registries, contexts, "superuser", search_sql, args.runs, False
        )

    def approve(env, ctx):
        apps = env["op.mentor.details"].search([("batch_id", "=", ctx["pending_batch"]), ("status", "=", "pending")])
        assert len(apps) == args.approve, len(apps)
        apps.action_approve()

    results[f"approve {args.approve} applications"] = measure_env_pair(
        registries, contexts, "admin_uid", approve, args.bulk_runs, True
    )

    def create(env, ctx):
        start = datetime.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=30)
        env["op.mentor.meeting"].create(
            [
                {
                    "meeting_name": f"New {i}",
                    "meeting_link": f"https://meet.example.com/n{i}",
                    "date": start + timedelta(hours=i),
                    "student_id": ctx["mentor"],
                    "meeting_students": [Command.set([ctx["mentee"]])],
                }
                for i in range(args.create)
            ]
        )

    results[f"create {args.create} meetings"] = measure_env_pair(
        registries, contexts, "admin_uid", create, args.bulk_runs, True
    )

    def cron(env, ctx):
        # Odoo calendar's reminder run (mentor meetings: once per attendee and alarm), from a fresh install's
        # last call (a week back): the events whose reminder falls in that window.
        manager = env["calendar.alarm_manager"].with_context(lastcall=False)
        due = manager.with_context(mentor_reminder_all=True)._get_events_by_alarm_to_notify("email")
        events = env["calendar.event"].browse({event_id for ids in due.values() for event_id in ids})
        CRON_LOAD[ctx["scale"]] = (len(events), len(events.attendee_ids))
        manager._send_reminder()

    for scale in SCALES:
        contexts[scale]["scale"] = scale
    results["reminder cron"] = measure_env_pair(registries, contexts, "superuser", cron, args.bulk_runs, True)

    def match(env, ctx):
        wizard = env["op.mentor.match.wizard"].create({"batch_id": ctx["match_batch"]})
        wizard.action_propose()
        MATCH_LOAD[ctx["scale"]] = (wizard.needing_count, len(wizard.line_ids))

    results["match the batch: proposal"] = measure_env_pair(
        registries, contexts, "admin_uid", match, args.bulk_runs, True
    )
    return {scale: {label: by_scale[scale] for label, by_scale in results.items()} for scale in SCALES}


def copy_database(src, dst, data_dir):
    """``dst``: a copy of ``src`` (CREATE DATABASE ... TEMPLATE) and of its filestore."""
    odoo.sql_db.close_db(src)  # a template must have no open connection
    execute_autocommit("postgres", f'CREATE DATABASE "{dst}" TEMPLATE "{src}"')
    src_store = os.path.join(data_dir, "filestore", src)
    if os.path.isdir(src_store):
        shutil.copytree(src_store, os.path.join(data_dir, "filestore", dst))


def main():
    args = parse_args()
    db = os.environ["BENCH_DB"]
    workdir = os.environ["BENCH_WORK"]
    argv = odoo_options(os.environ["BENCH_ADDONS"], os.environ["BENCH_PG_PORT"], f"{workdir}/filestore")
    registry = open_registry(db, argv)
    f = args.small_factor
    small = {
        "students": max(args.students // f, BATCH_SIZE // 2),
        "mentors": max(args.mentors // f, 5),
        "meetings": max(args.meetings // f, 100),
        "followups": max(args.followups // f, 50),
        "goals": max(args.goals // f, 20),
        "match_students": max(args.match_students // f, 20),
        "match_mentors": max(args.match_mentors // f, 2),
    }
    seeding = {}

    # Small scale: the base, the measured users, the pending applications of the bulk approval.
    t0 = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        seeder = Seeder(env)
        seeder.base()
        seeder.grow(small["students"], small["mentors"])
        # the measured mentor and mentee log in: portal users of the first batch's first mentor and mentee
        alloc = env["op.mentor.allocation"].search([], order="id asc", limit=1)
        for login, student in (("mentor@bench.test", alloc.mentor_id), ("mentee@bench.test", alloc.student_ids[:1])):
            portal_user(student, login, PASSWORD)
        pending_batch = seeder._batch()
        pending_batch.code = "BPENDING"
        candidates = seeder.students(args.approve, pending_batch, marks=True)
        # nominated by half of the faculty: the measured faculty (faculty0) then has a full first page of
        # applications (80) at the small scale too, so its list runs the capped count at both scales
        seeder.applications(candidates, {}, "pending", faculties=seeder.faculties[:5])
        seeder.matching_batch(small["match_students"], small["match_mentors"], args.match_subjects)
        seeder.bulk_rows(small["meetings"], small["followups"], small["goals"])
        # after the school's rows: the history pair has only its own meetings
        seeder.history(args.history_small)
        env.cr.commit()
    vacuum(db)
    seeding["small"] = time.perf_counter() - t0
    log(f"small scale seeded in {seeding['small']:.0f} s: {small}")
    # The small scale is kept as a copy; both are measured in turn once the full scale is grown.
    db_small = f"{db}_small"
    copy_database(db, db_small, f"{workdir}/filestore")

    t0 = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        seeder = Seeder(env)
        seeder.course = env["op.course"].search([("code", "=", "BENCH")])
        seeder.register = env["op.marksheet.register"].search([("name", "=", "Bench marksheets")])
        seeder.faculties = env["op.faculty"].search([("last_name", "in", [str(i) for i in range(10)])], order="id")
        seeder.batches = env["op.batch"].search([("course_id", "=", seeder.course.id)])
        seeder.n_students = env["op.student"].search_count([])
        t1 = time.perf_counter()
        seeder.grow(args.students - small["students"] - args.approve - NEWEST_PENDING, args.mentors - small["mentors"])
        seeder.matching_batch(args.match_students, args.match_mentors, args.match_subjects)
        # The newest applications are pending at both scales, so the first page of the list has the same
        # shape (activities to read) at both: at the small scale they are the 500 of the bulk approval.
        seeder.applications(
            seeder.students(NEWEST_PENDING, seeder._batch(), marks=True), {}, "pending", faculties=seeder.faculties[:5]
        )
        orm_time = time.perf_counter() - t1
        cr.commit()
        t1 = time.perf_counter()
        seeder.bulk_rows(
            args.meetings - small["meetings"],
            args.followups - small["followups"],
            args.goals - small["goals"],
            new_allocations_only=True,
        )
        seeder.history_rows(args.history)
        cr.commit()
        sql_time = time.perf_counter() - t1
    vacuum(db)
    seeding["full"] = time.perf_counter() - t0
    log(
        f"full scale seeded in {seeding['full']:.0f} s (ORM students/applications {orm_time:.0f} s, SQL rows {sql_time:.0f} s)"
    )
    measured = run_measures(
        {"small": odoo.modules.registry.Registry(db_small), "full": registry},
        {"small": db_small, "full": db},
        argv,
        args,
        workdir,
    )
    small_results, full_results = measured["small"], measured["full"]

    with registry.cursor() as cr:
        cr.execute(
            "SELECT (SELECT count(*) FROM op_student), (SELECT count(*) FROM op_student WHERE is_mentor),"
            " (SELECT count(*) FROM op_mentor_meeting), (SELECT count(*) FROM op_mentor_followup),"
            " (SELECT count(*) FROM op_mentor_details), (SELECT count(*) FROM op_mentor_goal), version()"
        )
        *counts, pg_version = cr.fetchone()
    text = report(args, small, seeding, orm_time, sql_time, counts, pg_version, small_results, full_results)
    print(text)
    if args.output and args.output != "-":
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w") as fh:
            fh.write(text)
        log(f"results written to {args.output}")


def machine():
    """Cores, RAM, CPU model and load: the figures depend on them."""
    ram = cpu = "?"
    try:
        with open("/proc/meminfo") as fh:
            kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
        ram = f"{kb / 1024 / 1024:.0f} GiB"
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?")
    except (OSError, StopIteration, ValueError):
        pass
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores (nproc), {ram} RAM, {cpu}; load average at the end {load}"


def report(args, small, seeding, orm_time, sql_time, counts, pg_version, small_results, full_results):
    students, mentors, meetings, followups, applications, goals = counts
    lines = [
        "# Benchmark results",
        "",
        "Written by `tools/dev bench` (tools/bench.py); see docs/performance.md for what is measured and how.",
        "",
        f"- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- Machine: {machine()}",
        f"- Software: Odoo {odoo.release.version}, {pg_version.split(',')[0]} (throwaway cluster, fsync off), "
        f"Python {platform.python_version()}",
        f"- Command: `tools/dev bench {' '.join(sys.argv[1:])}`".rstrip(),
        f"- Full scale: {students:,} students, {mentors:,} approved mentors, {meetings:,} meetings, "
        f"{followups:,} follow-ups, {goals:,} SMART goals, {applications:,} applications",
        f"- Small scale: {', '.join(f'{v:,} {k}' for k, v in small.items())}",
        f"- History pair (rows 'history: …'): one mentor hosting and one mentee attending {args.history_small:,} "
        f"meetings of their own (small) and {args.history:,} (full), half past, half to come; a follow-up and a "
        "goal per past meeting, three goals open",
        f"- Seeding: small {seeding['small']:.0f} s, growing to full {seeding['full']:.0f} s "
        f"(ORM creates {orm_time:.0f} s, SQL rows {sql_time:.0f} s)",
        f"- Runs: median of {args.runs} for pages, {args.bulk_runs} for bulk paths and the cron, after one warm-up",
        "- The reminder cron's work is per e-mail: events with a reminder due (their attendees) "
        + ", ".join(f"{scale} {m:,} ({n:,})" for scale, (m, n) in CRON_LOAD.items()),
        f"- Match the batch: a batch of {args.match_students:,} students with {args.match_subjects} subjects "
        f"and {args.match_mentors:,} mentors of capacity 5 (small: a tenth), on top of the students above; students "
        "needing help (pairs proposed) " + ", ".join(f"{scale} {m:,} ({n:,})" for scale, (m, n) in MATCH_LOAD.items()),
        "",
        "| path | queries small | queries full | ms small | ms full | time full/small |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, (q_small, t_small) in small_results.items():
        q_full, t_full = full_results[label]
        lines.append(
            f"| {label} | {q_small:g} | {q_full:g} | {t_small * 1000:.0f} | {t_full * 1000:.0f} | "
            f"{t_full / t_small if t_small else float('nan'):.2f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
