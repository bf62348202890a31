"""Load test of the op_student_mentor portal; run through `tools/dev load`.

tools/dev starts a throwaway PostgreSQL and installs the addon in database LOAD_DB; this
script seeds a school (mentors and mentees as portal users, with allocations and meetings),
starts the real Odoo server with ``--workers=2`` on a free loopback port, logs every portal
user in through the login form and drives their pages and meeting creation for a fixed
time (each user: a page, a think time, the next page; mentors also create meetings, some of
them with a double click). It then reports requests/s, p50/p95/p99 latency and the errors,
and checks in the database that every meeting created was stored exactly once.

Exit code 1 when there is an error, a meeting stored twice or missing, or when p95 of the
portal pages exceeds the target.
"""

import argparse
import os
import platform
import random
import re
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import requests
from freezegun import freeze_time
from odoo_server import OdooServer, odoo_options, open_registry, portal_user  # first: it puts $ODOO_SRC on the path

from odoo import SUPERUSER_ID, Command, api

PASSWORD = "load-password"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--users", type=int, default=20, help="portal users, half mentors, half mentees (default 20)")
    p.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    p.add_argument("--think", type=float, default=1.0, help="mean think time between two pages of a user, s")
    p.add_argument("--workers", type=int, default=2, help="Odoo HTTP workers (default 2)")
    p.add_argument("--meetings", type=int, default=30, help="meetings seeded per mentor (default 30)")
    p.add_argument("--create-share", type=float, default=0.2, help="share of mentor actions creating a meeting")
    p.add_argument("--double-share", type=float, default=0.25, help="share of creations posted twice at once")
    p.add_argument("--p95-target", type=float, default=300.0, help="target p95 of the portal pages, ms")
    p.add_argument("--output", help="also write the report (markdown) to this file")
    return p.parse_args()


def log(msg):
    print(f"[load {datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------
# Seeding
# ------------------------------------------------------------


def seed(env, n_users, meetings_per_mentor):
    """A course, a batch, n_users/2 approved mentors each with one mentee, all portal users."""
    env = env(context={"mail_create_nolog": True, "tracking_disable": True, "no_mail_to_attendees": True})
    subject = env["op.subject"].create({"name": "Load", "code": "LOAD"})
    course = env["op.course"].create({"name": "Load Course", "code": "LOAD", "subject_ids": [Command.set(subject.ids)]})
    batch = env["op.batch"].create(
        {
            "name": "L1",
            "code": "L1",
            "course_id": course.id,
            "start_date": date(2026, 1, 1),
            "end_date": date(2030, 1, 1),
        }
    )
    exam_type = env["op.exam.type"].create({"name": "Load final", "code": "LF"})
    session = env["op.exam.session"].create(
        {
            "name": "Load finals",
            "course_id": course.id,
            "batch_id": batch.id,
            "exam_code": "LFIN",
            "start_date": date(2026, 6, 1),
            "end_date": date(2026, 6, 30),
            "exam_type": exam_type.id,
        }
    )
    template = env["op.result.template"].create({"exam_session_id": session.id, "name": "Load results"})
    register = env["op.marksheet.register"].create(
        {"exam_session_id": session.id, "name": "Load marksheets", "result_template_id": template.id}
    )
    faculty_user = env["res.users"].create(
        {
            "name": "Load Faculty",
            "login": "faculty@load.test",
            "password": PASSWORD,
            "groups_id": [Command.set([env.ref("base.group_user").id, env.ref("openeducat_core.group_op_faculty").id])],
        }
    )
    faculty = env["op.faculty"].create(
        {
            "partner_id": faculty_user.partner_id.id,
            "first_name": "Load",
            "last_name": "Faculty",
            "birth_date": date(1980, 1, 1),
            "gender": "female",
            "faculty_subject_ids": [Command.set(subject.ids)],
        }
    )
    users = {}
    n_mentors = n_users // 2
    for role, count in (("mentor", n_mentors), ("mentee", n_users - n_mentors)):
        for i in range(count):
            login = f"{role}{i}@load.test"
            student = env["op.student"].create(
                {
                    "first_name": role.title(),
                    "last_name": str(i),
                    "name": f"{role.title()} {i}",
                    "birth_date": date(2005, 1, 1),
                    "gender": "f",
                    "email": login,
                    "course_detail_ids": [Command.create({"course_id": course.id, "batch_id": batch.id})],
                }
            )
            portal_user(student, login, PASSWORD, tz="Europe/Brussels")
            users[login] = (role, student)
    mentors = [student for role, student in users.values() if role == "mentor"]
    mentees = [student for role, student in users.values() if role == "mentee"]
    env["op.marksheet.line"].create([{"marksheet_reg_id": register.id, "student_id": s.id} for s in mentors])
    focus = env.ref("op_student_mentor.mentor_focus_academic")
    applications = env["op.mentor.details"].create(
        [
            {
                "faculty_id": faculty.id,
                "course_id": course.id,
                "batch_id": batch.id,
                "student_id": mentor.id,
                "student_detail_ids": [Command.set(mentees[i % len(mentees)].ids)],
                "mentor_focus_id": [Command.set(focus.ids)],
                "reason_for_mentorship": "load",
            }
            for i, mentor in enumerate(mentors)
        ]
    )
    applications.action_submit()
    applications.action_approve()
    now = datetime.now().replace(microsecond=0, second=0, minute=0)
    # Created ahead of their dates, as any release allows (the upgrade drill seeds the previous one): the clock
    # stands before the earliest; the past half is recorded done, as superuser code may.
    with freeze_time(now - timedelta(days=meetings_per_mentor // 2 + 1)):
        env["op.mentor.meeting"].create(
            [
                {
                    "meeting_name": f"Seeded {i} of {mentor.name}",
                    "meeting_link": f"https://meet.example.com/seed-{mentor.id}-{i}",
                    "date": now + timedelta(days=i - meetings_per_mentor // 2, hours=1),
                    "student_id": mentor.id,
                    "meeting_students": [Command.set(mentees[k % len(mentees)].ids)],
                    "status": "done" if i < meetings_per_mentor // 2 else "scheduled",
                }
                for k, mentor in enumerate(mentors)
                for i in range(meetings_per_mentor)
            ]
        )
        env.flush_all()
    return {login: role for login, (role, _student) in users.items()}


# ------------------------------------------------------------
# Server (tools/odoo_server.py)
# ------------------------------------------------------------


def portal_page_times(server, since):
    """Milliseconds Odoo itself spent on each portal GET after byte ``since`` of its log (werkzeug
    line: SQL time + other time), i.e. the latency without the wait for a free worker or CPU."""
    return [
        (sql + other) * 1000
        for method, path, _status, _queries, sql, other in server.request_log(since)
        if method == "GET" and path.startswith("/my")
    ]


# ------------------------------------------------------------
# Users
# ------------------------------------------------------------


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TOKEN = re.compile(r'name="token" value="([^"]+)"')
MEETING_LINK = {
    "mentor": re.compile(r'href="/my/mentor/meetings/(\d+)"'),
    "mentee": re.compile(r'href="/my/mentorship/meetings/(\d+)"'),
}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)  # label -> [ms]
        self.errors = []  # (label, detail)
        self.tokens = {}  # token -> (login, expected meetings)

    def add(self, label, ms, error=None):
        with self.lock:
            self.samples[label].append(ms)
            if error:
                self.errors.append((label, error))


class User:
    def __init__(self, server, login, role, stats, args, rng):
        self.server, self.login, self.role, self.stats, self.args, self.rng = server, login, role, stats, args, rng
        self.session = requests.Session()
        self.meeting_ids = []

    def request(self, label, method, path, expect=(200,), **kw):
        start = time.perf_counter()
        error = None
        response = None
        try:
            response = self.session.request(method, self.server.base + path, timeout=120, allow_redirects=False, **kw)
            if response.status_code not in expect:
                error = f"{method} {path}: HTTP {response.status_code}"
        except requests.RequestException as exc:
            error = f"{method} {path}: {exc.__class__.__name__} {exc}"
        self.stats.add(label, (time.perf_counter() - start) * 1000, error)
        return response

    def log_in(self):
        page = self.session.get(self.server.base + "/web/login", timeout=120)
        response = self.session.post(
            self.server.base + "/web/login",
            data={"login": self.login, "password": PASSWORD, "csrf_token": CSRF.search(page.text).group(1)},
            timeout=120,
            allow_redirects=False,
        )
        if response.status_code not in (302, 303):
            raise SystemExit(f"{self.login} could not log in: HTTP {response.status_code}")

    def remember_meetings(self, response):
        if response is not None and response.status_code == 200:
            found = MEETING_LINK[self.role].findall(response.text)
            if found:
                self.meeting_ids = sorted(set(map(int, found)))

    def step(self):
        rng = self.rng
        if self.role == "mentor":
            if rng.random() < self.args.create_share:
                return self.create_meeting()
            choice = rng.choice(["home", "list", "list", "mentees", "detail", "detail", "counters"])
            if choice == "home":
                self.request("GET /my", "GET", "/my")
            elif choice == "list":
                self.remember_meetings(self.request("GET /my/mentor/meetings", "GET", "/my/mentor/meetings"))
            elif choice == "mentees":
                self.request("GET /my/mentor/mentees", "GET", "/my/mentor/mentees")
            elif choice == "counters":
                self.counters()
            elif self.meeting_ids:
                meeting_id = rng.choice(self.meeting_ids)
                self.request("GET /my/mentor/meetings/<id>", "GET", f"/my/mentor/meetings/{meeting_id}")
            else:
                self.remember_meetings(self.request("GET /my/mentor/meetings", "GET", "/my/mentor/meetings"))
        else:
            choice = rng.choice(["home", "list", "list", "detail", "detail", "ics", "counters"])
            if choice == "home":
                self.request("GET /my", "GET", "/my")
            elif choice == "counters":
                self.counters()
            elif choice in ("detail", "ics") and self.meeting_ids:
                meeting_id = rng.choice(self.meeting_ids)
                if choice == "detail":
                    self.request("GET /my/mentorship/meetings/<id>", "GET", f"/my/mentorship/meetings/{meeting_id}")
                else:
                    self.request(
                        "GET /my/mentorship/meetings/<id>/ics", "GET", f"/my/mentorship/meetings/{meeting_id}/ics"
                    )
            else:
                self.remember_meetings(self.request("GET /my/mentorship/meetings", "GET", "/my/mentorship/meetings"))

    def counters(self):
        self.request(
            "POST /my/counters (json)",
            "POST",
            "/my/counters",
            json={"jsonrpc": "2.0", "method": "call", "params": {"counters": ["mentor_meeting_count"]}},
        )

    def create_meeting(self):
        form_page = self.request("GET /my/mentor/meetings/new", "GET", "/my/mentor/meetings/new")
        if form_page is None or form_page.status_code != 200:
            return
        mentee_ids = re.findall(
            r'name="mentee_ids"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="mentee_ids"', form_page.text
        )
        mentee_ids = [a or b for a, b in mentee_ids]
        token = TOKEN.search(form_page.text).group(1)
        day = date.today() + timedelta(days=self.rng.randint(2, 60))
        data = {
            "csrf_token": CSRF.search(form_page.text).group(1),
            "meeting_name": f"Load {self.login} {uuid.uuid4().hex[:6]}",
            "meeting_link": "https://meet.example.com/load",
            "date": day.isoformat(),
            "time": f"{self.rng.randint(8, 18):02d}:{self.rng.choice(['00', '30'])}",
            "duration": "30",
            "description": "",
            "mentee_ids": mentee_ids[:1],
            "token": token,
        }
        with self.stats.lock:
            self.stats.tokens[token] = self.login
        if self.rng.random() < self.args.double_share:
            # a double click: the same form twice at the same moment
            with ThreadPoolExecutor(max_workers=2) as pool:
                replies = list(
                    pool.map(
                        lambda _i: self.request(
                            "POST /my/mentor/meetings/new (double)",
                            "POST",
                            "/my/mentor/meetings/new",
                            expect=(303,),
                            data=data,
                        ),
                        range(2),
                    )
                )
            kinds = sorted(re.sub(r".*message=", "", r.headers.get("Location", "")) for r in replies if r is not None)
            if kinds != ["created", "duplicate"]:
                self.stats.add("double click answers", 0, f"double click answered {kinds}")
        else:
            reply = self.request(
                "POST /my/mentor/meetings/new", "POST", "/my/mentor/meetings/new", expect=(303,), data=data
            )
            if reply is not None and "message=created" not in reply.headers.get("Location", ""):
                self.stats.add("creation answers", 0, f"creation answered {reply.headers.get('Location')}")

    def run(self, until):
        while time.monotonic() < until:
            self.step()
            time.sleep(self.rng.expovariate(1 / self.args.think) if self.args.think else 0)


# ------------------------------------------------------------
# Report
# ------------------------------------------------------------


def percentile(values, pct):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main():
    args = parse_args()
    db = os.environ["LOAD_DB"]
    workdir = os.environ["LOAD_WORK"]
    options = odoo_options(os.environ["LOAD_ADDONS"], os.environ["LOAD_PG_PORT"], f"{workdir}/filestore")
    registry = open_registry(db, options)
    t0 = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        users = seed(env, args.users, args.meetings)
        cr.execute("SELECT coalesce(max(id), 0) FROM op_mentor_meeting")
        (last_seeded,) = cr.fetchone()
    log(f"seeded {len(users)} portal users in {time.perf_counter() - t0:.0f} s; starting Odoo --workers={args.workers}")

    server = OdooServer(db, options, os.path.join(workdir, "odoo-load.log"), workers=args.workers)
    stats = Stats()
    rng = random.Random(9)
    try:
        clients = [User(server, login, role, stats, args, random.Random(rng.random())) for login, role in users.items()]
        with ThreadPoolExecutor(max_workers=len(clients)) as pool:
            list(pool.map(User.log_in, clients))
        log(f"{len(clients)} users logged in; driving them for {args.duration} s (think time {args.think} s)")
        load_before = os.getloadavg()
        log_start = server.log_size()
        started = time.monotonic()
        until = started + args.duration
        with ThreadPoolExecutor(max_workers=len(clients)) as pool:
            list(pool.map(lambda client: client.run(until), clients))
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()
    finally:
        server.stop()
    server_errors = server.errors()
    server_ms = portal_page_times(server, log_start)

    # Every creation stored exactly once: one meeting per form token, nothing else created.
    with registry.cursor() as cr:
        cr.execute(
            "SELECT portal_submit_token, count(*) FROM op_mentor_meeting WHERE id > %s GROUP BY portal_submit_token",
            [last_seeded],
        )
        stored = dict(cr.fetchall())
    missing = [token for token in stats.tokens if stored.get(token, 0) == 0]
    twice = {token: count for token, count in stored.items() if count != 1 or token not in stats.tokens}

    all_ms = [ms for label, values in stats.samples.items() for ms in values if not label.endswith("answers")]
    page_ms = [ms for label, values in stats.samples.items() for ms in values if label.startswith("GET ")]
    p95_pages = percentile(page_ms, 95)
    ok = not stats.errors and not missing and not twice and not server_errors and p95_pages < args.p95_target
    lines = [
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{datetime.now():%Y-%m-%d %H:%M} (local time)",
        f"Run: `tools/dev load --duration {args.duration} --users {args.users} --think {args.think}`: Odoo "
        f"--workers={args.workers} on loopback, {len(users)} portal users ({sum(r == 'mentor' for r in users.values())} "
        f"mentors, {sum(r == 'mentee' for r in users.values())} mentees, {args.meetings} seeded meetings per mentor), "
        f"think time {args.think} s (exponential), {args.duration} s.",
        f"Machine load (1 min average) before / after the run: {load_before[0]:.1f} / {load_after[0]:.1f} "
        "(other engineers' test runs share the 2 cores).",
        "",
        f"- requests: {len(all_ms)} in {elapsed:.0f} s = **{len(all_ms) / elapsed:.1f} requests/s**",
        f"- latency, all requests: p50 {percentile(all_ms, 50):.0f} ms, p95 {percentile(all_ms, 95):.0f} ms, "
        f"p99 {percentile(all_ms, 99):.0f} ms",
        f"- latency, portal pages (GET): p50 {percentile(page_ms, 50):.0f} ms, **p95 {p95_pages:.0f} ms** "
        f"(target < {args.p95_target:.0f} ms), p99 {percentile(page_ms, 99):.0f} ms",
        f"- time spent by Odoo itself on the portal pages (its request log: SQL + other time, without the "
        f"wait for a free worker or CPU): p50 {percentile(server_ms, 50):.0f} ms, p95 {percentile(server_ms, 95):.0f} ms",
        f"- errors: **{len(stats.errors)}** (HTTP status not the expected one, or no answer); "
        f"server log ERROR lines: {len(server_errors)}",
        f"- meetings created: {len(stats.tokens)} forms posted "
        f"({stats.samples.get('POST /my/mentor/meetings/new (double)', []).__len__() // 2} of them twice at once); "
        f"stored once: {sum(1 for t in stats.tokens if stored.get(t) == 1)}, missing: {len(missing)}, "
        f"stored twice or unexpected: {len(twice)}",
        "",
        "| request | count | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label in sorted(stats.samples):
        values = stats.samples[label]
        if label.endswith("answers"):
            continue
        lines.append(
            f"| {label} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 95):.0f} | "
            f"{percentile(values, 99):.0f} | {max(values):.0f} |"
        )
    lines += ["", f"Result: **{'PASS' if ok else 'FAIL'}**"]
    for label, error in stats.errors[:20]:
        lines.append(f"- error: {label}: {error}")
    for line in server_errors[:10]:
        lines.append(f"- server: {line[:300]}")
    report = "\n".join(lines)
    print(report)
    if args.output:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w") as f:
            f.write("# Load test of the portal\n\n" + report + "\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
