"""Reliability under faults; run through `tools/dev faults [check ...]`.

tools/dev starts a throwaway PostgreSQL with OpenEduCat installed in database FAULTS_BASE_DB (no
addon), then runs one command of this script per check. Each check works on its own copy of that
database (and its filestore), on loopback only, with bounded loop counts and times:

- ``multinode``: two Odoo servers (HTTP workers and a cron worker each) on one database; mentors post
  through both at once (the same form to both nodes, and different forms) meetings whose 1-hour calendar
  alarm falls due during the drill; calendar's alarm cron on both nodes, Run Manually twice at once and
  the cron's method with no last call send the reminders. Every meeting is stored once with its mentees
  and one calendar event, every e-mail reaches the local SMTP sink (aiosmtpd) once, each mentee gets one
  invitation, each attendee one reminder per alarm (none when declined or cancelled), no request fails.
- ``pg-restart``: the portal under load while the PostgreSQL cluster is stopped for a few seconds and
  started again: during the outage Odoo's own error page without a traceback, afterwards every
  request succeeds without restarting Odoo, nothing half-written.
- ``restore``: a school dumped and loaded again with ``odoo-bin db dump`` / ``odoo-bin db load``
  (zip with the filestore): the same rows per model, the same files (checksums), the addon works.
- ``upgrade-seed`` / ``upgrade-check``: the two halves of the upgrade path (tools/dev installs the
  previous release, runs ``upgrade-seed`` with the previous release's code, updates the addon to this
  code, runs ``upgrade-check``): no row lost per model, the migrations of the new versions ran.

Each check prints ``check <name>: PASS|FAIL`` and its figures, and exits 1 on failure.
"""

import argparse
import base64
import hashlib
import json
import logging
import os
import re
import shlex
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy

import load  # tools/load.py: the seeded school and its portal users (it imports odoo_server first)
import pytz
import requests
from odoo_server import ODOO_SRC, OdooServer, free_port, odoo_options, open_registry

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.service.model import retrying

ENV = os.environ
ADDON = "op_student_mentor"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "psycopg2.", "odoo/http.py")
# calendar's templates (calendar_template_meeting_invitation, calendar_template_meeting_reminder)
INVITATION_SUBJECT = re.compile(r"^Invitation to ")
REMINDER_SUBJECT = re.compile(r" - Reminder$")


def read_text(path):
    with open(path, errors="replace") as f:
        return f.read()


def log(msg):
    print(f"[faults {datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def result(name, ok, lines):
    print(f"check {name}: {'PASS' if ok else 'FAIL'}")
    for line in lines:
        print(f"  {line}")
    sys.stdout.flush()
    return ok


# ------------------------------------------------------------
# Databases of the throwaway cluster
# ------------------------------------------------------------


class Cluster:
    """The cluster tools/dev started: databases copied with their filestore, stopped and started again."""

    def __init__(self):
        self.port = ENV["FAULTS_PG_PORT"]
        self.pg_bin = ENV["FAULTS_PG_BIN"]
        self.pg_dir = ENV["FAULTS_PG_DIR"]
        self.data_dir = ENV["FAULTS_DATA_DIR"]
        self.work = ENV["FAULTS_WORK"]
        self.addons = ENV["FAULTS_ADDONS"]
        self.options = odoo_options(self.addons, self.port, self.data_dir)

    def psql(self, db, sql):
        out = subprocess.run(
            [f"{self.pg_bin}/psql", "-h", "127.0.0.1", "-p", self.port, "-U", "root", "-d", db, "-tAc", sql],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()

    def copy(self, source, target):
        """``target`` as a copy of ``source`` (CREATE DATABASE … TEMPLATE) with a copy of its filestore."""
        self.psql("postgres", f'DROP DATABASE IF EXISTS "{target}"')
        self.psql("postgres", f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        src = os.path.join(self.data_dir, "filestore", source)
        if os.path.isdir(src):
            subprocess.run(["cp", "-a", src, os.path.join(self.data_dir, "filestore", target)], check=True)

    def odoo_bin(self, *args, logfile=None, addons=None):
        """odoo-bin with the cluster's options (``args`` after them); its exit code."""
        command = [
            sys.executable,
            os.path.join(ODOO_SRC, "odoo-bin"),
            *odoo_options(addons or self.addons, self.port, self.data_dir),
            *args,
        ]
        if args[:1] == ("db",):  # `odoo-bin db` takes its own options before its command (dump, load)
            command = [sys.executable, os.path.join(ODOO_SRC, "odoo-bin"), "db", *self._db_options(), *args[1:]]
        with open(logfile or os.devnull, "a") as out:
            return subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False).returncode

    def _db_options(self):
        return [
            f"--addons-path={self.addons}",
            "--db_host=127.0.0.1",
            f"--db_port={self.port}",
            "--db_user=root",
            f"--data-dir={self.data_dir}",
        ]

    def install(self, db, logfile):
        """Install the addon in ``db`` (a copy of the test database already has it: nothing to do)."""
        if self.psql(db, f"SELECT state FROM ir_module_module WHERE name = '{ADDON}'") == "installed":
            return
        rc = self.odoo_bin("-d", db, "-i", ADDON, "--without-demo=all", "--stop-after-init", logfile=logfile)
        if rc:
            raise SystemExit(f"install of {ADDON} in {db} failed, see {logfile}")

    def pg_ctl(self, *args):
        """pg_ctl on the cluster of tools/dev, as the postgres user that owns it."""
        command = ["runuser", "-u", "postgres", "--", f"{self.pg_bin}/pg_ctl", "-D", f"{self.pg_dir}/data", *args]
        subprocess.run(command, check=True, capture_output=True)

    def stop(self):
        self.pg_ctl("-m", "fast", "-w", "stop")

    def start(self):
        # the options it was started with (tools/dev's pg_start), from postmaster.opts
        with open(f"{self.pg_dir}/data/postmaster.opts") as f:
            words = shlex.split(f.read())[1:]
        options = []
        while words:
            word = words.pop(0)
            if word == "-D":
                words.pop(0)
            else:
                options.append(word)
        self.pg_ctl("-l", f"{self.pg_dir}/postgres.log", "-w", "-o", shlex.join(options), "start")


def env_of(cr):
    return api.Environment(cr, SUPERUSER_ID, {"no_mail_to_attendees": True, "tracking_disable": True})


# ------------------------------------------------------------
# A school with every kind of record of the addon
# ------------------------------------------------------------


def meeting_action(meeting, name, *args):
    """Cancel or reschedule as the wizards do: ``_action_<name>(...)`` of this code, or ``action_<name>(...)``
    with the same arguments in the previous release (18.0.1.3.0), which the upgrade drill seeds."""
    method = getattr(meeting, f"_action_{name}", None) or getattr(meeting, f"action_{name}")
    return method(*args)


def seed_school(env, users=6, meetings=6):
    """tools/load.py's school (portal mentors and mentees, approved applications, allocations, meetings
    done and scheduled), plus what a term leaves: follow-ups with checklist files, SMART goals, pulse
    ratings, cancelled, missed and rescheduled meetings."""
    logins = load.seed(env, users, meetings)
    env = env(context={**env.context, "no_mail_to_attendees": True, "tracking_disable": True})
    Meeting = env["op.mentor.meeting"]
    done = Meeting.search([("status", "=", "done")])
    for index, meeting in enumerate(done):
        mentee = meeting.meeting_students[:1]
        allocation = env["op.mentor.allocation"].search(
            [("mentor_id", "=", meeting.student_id.id), ("student_ids", "in", mentee.ids)], limit=1
        )
        checklist = hashlib.sha256(f"checklist {meeting.id}".encode()).hexdigest().encode() * 40
        followup = env["op.mentor.followup"].create(
            {
                "student_id": mentee.id,
                "allocation_id": allocation.id,
                "meeting_date": meeting.date.date(),
                "feedback": f"<p>Session {index}</p>",
                "followup_notes": "Next: tests",
                "checklist": base64.b64encode(checklist),
                "checklist_filename": f"checklist-{meeting.id}.txt",
            }
        )
        env["op.mentor.goal"].create(
            {"followup_id": followup.id, "name": f"Goal {index}", "indicator": "three tests pass"}
        )
        if index % 2 == 0:
            env["op.mentor.meeting.rating"].create(
                {"meeting_id": meeting.id, "student_id": mentee.id, "rating": 3 + index % 3, "comment": "Useful"}
            )
    scheduled = Meeting.search([("status", "=", "scheduled")], order="id")
    if len(scheduled) >= 3:
        meeting_action(scheduled[0], "cancel", "illness", "Flu")
        meeting_action(scheduled[1], "reschedule", scheduled[1].date + timedelta(days=1))
    env.flush_all()
    return logins


def model_counts(cr, extra_tables=()):
    """{table: rows} for the addon's models (ir_model_data of the addon), OpenEduCat's op_* tables, the
    users and partners, and the attachments of the addon's models."""
    cr.execute(
        """SELECT m.model FROM ir_model m JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
           WHERE d.module = %s""",
        [ADDON],
    )
    tables = {model.replace(".", "_") for (model,) in cr.fetchall()}
    cr.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'op\\_%%'")
    tables |= {name for (name,) in cr.fetchall()}
    tables |= {"res_partner", "res_users", *extra_tables}
    cr.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    existing = {name for (name,) in cr.fetchall()}
    counts = {}
    for table in sorted(tables & existing):
        cr.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - table names from the catalogue
        counts[table] = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM ir_attachment WHERE res_model LIKE 'op.%%'")
    counts["ir_attachment (op.*)"] = cr.fetchone()[0]
    return counts


def attachment_files(cr, data_dir, db):
    """{(model, field, record id, name): (stored checksum, sha1 of the file on disk)} of the addon's files."""
    cr.execute(
        """SELECT res_model, res_field, res_id, name, checksum, store_fname FROM ir_attachment
           WHERE res_model LIKE 'op.%%' AND store_fname IS NOT NULL ORDER BY id"""
    )
    files = {}
    for model, field, res_id, name, checksum, store_fname in cr.fetchall():
        path = os.path.join(data_dir, "filestore", db, store_fname)
        try:
            with open(path, "rb") as f:
                on_disk = hashlib.sha1(f.read()).hexdigest()  # noqa: S324 - Odoo's own checksum is SHA-1
        except FileNotFoundError:
            on_disk = None
        files[(model, field or "", res_id, name)] = (checksum, on_disk)
    return files


def counts_diff(before, after):
    """Lines for the tables whose row count went down (records lost) or that disappeared."""
    return [
        f"{table}: {count} before, {after.get(table, 'no table')} after"
        for table, count in before.items()
        if after.get(table, -1) < count
    ]


# ------------------------------------------------------------
# Portal clients
# ------------------------------------------------------------


class Portal:
    """A portal user's browser on one node: logged in through the login form."""

    def __init__(self, base, login):
        self.base, self.login = base, login
        self.session = requests.Session()
        page = self.session.get(base + "/web/login", timeout=60)
        response = self.session.post(
            base + "/web/login",
            data={"login": login, "password": load.PASSWORD, "csrf_token": CSRF.search(page.text).group(1)},
            timeout=60,
            allow_redirects=False,
        )
        if response.status_code not in (302, 303):
            raise SystemExit(f"{login} could not log in on {base}: HTTP {response.status_code}")

    def on(self, base):
        """The same browser (its session cookie) on another node: the nodes share the sessions."""
        other = object.__new__(Portal)
        other.base, other.login = base, self.login
        other.session = requests.Session()
        other.session.cookies.update(self.session.cookies)
        return other

    def new_meeting_form(self):
        page = self.session.get(self.base + "/my/mentor/meetings/new", timeout=60)
        page.raise_for_status()
        return self.parse_form(page.text)

    @staticmethod
    def parse_form(html):
        """The hidden values of the new-meeting form and its first mentee, or None."""
        csrf, token = CSRF.search(html), re.search(r'name="token" value="([^"]+)"', html)
        if not csrf or not token:
            return None
        mentees = re.findall(r'name="mentee_ids"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="mentee_ids"', html)
        return {"csrf_token": csrf.group(1), "token": token.group(1), "mentee_ids": [a or b for a, b in mentees][:1]}

    def post(self, path, data, timeout=60):
        return self.session.post(self.base + path, data=data, timeout=timeout, allow_redirects=False)


# ------------------------------------------------------------
# SMTP sink
# ------------------------------------------------------------


class SmtpSink:
    """aiosmtpd on a free loopback port: every message Odoo sends, kept (envelope recipients, headers)."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
        self.messages = []
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                message = message_from_bytes(envelope.content, policy=policy.default)
                with sink.lock:
                    sink.messages.append(
                        {
                            "to": sorted(envelope.rcpt_tos),
                            "subject": str(message["Subject"] or ""),
                            "message_id": str(message["Message-Id"] or ""),
                        }
                    )
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


# ------------------------------------------------------------
# Check: two nodes, one database
# ------------------------------------------------------------


def check_multinode(cluster, args):
    db = "mentor_multinode"
    cluster.copy(ENV["FAULTS_BASE_DB"], db)
    cluster.install(db, os.path.join(cluster.work, "multinode-install.log"))
    sink = SmtpSink()
    registry = open_registry(db, cluster.options)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        logins = load.seed(env, args.users, 2)
        env["ir.mail_server"].create(
            {"name": "SMTP sink", "smtp_host": "127.0.0.1", "smtp_port": sink.port, "smtp_encryption": "none"}
        )
        # Calendar sends the alarms that fall due between the cron's last call and now: from now on, only
        # the alarms of this drill's meetings (their 1-hour e-mail) come due while it runs.
        alarm_cron = env.ref("calendar.ir_cron_scheduler_alarm")
        alarm_cron.lastcall = fields.Datetime.now()
        alarms = env.company.mentor_calendar_alarm_ids
        hour_alarm = env.ref(f"{ADDON}.calendar_alarm_mentor_email_1hour")
        if hour_alarm not in alarms:
            raise SystemExit("the 1-hour e-mail alarm is not among the meetings' default reminders")
        # every meeting starts lead + 60 minutes from now (whole minute): its 1-hour alarm falls due after the
        # forms are posted, while both nodes run
        start_at = (fields.Datetime.now() + timedelta(minutes=60 + args.alarm_lead, seconds=59)).replace(
            second=0, microsecond=0
        )
        hour_due = start_at - timedelta(minutes=hour_alarm.duration_minutes)
        tz_of = {u.login: u.tz or "UTC" for u in env["res.users"].search([("login", "in", list(logins))])}
        # the seeded meetings already had their invitations: only what the nodes do now is counted
        cr.execute("DELETE FROM mail_mail")
        cr.execute("SELECT coalesce(max(id), 0) FROM op_mentor_meeting")
        (last_seeded,) = cr.fetchone()
    mentors = sorted(login for login, role in logins.items() if role == "mentor")
    extra = ["--max-cron-threads=1", "--limit-time-real-cron=120"]
    lines, errors = [], []
    started = time.monotonic()
    with (
        OdooServer(db, cluster.options, os.path.join(cluster.work, "node-a.log"), workers=2, extra=extra) as node_a,
        OdooServer(db, cluster.options, os.path.join(cluster.work, "node-b.log"), workers=2, extra=extra) as node_b,
    ):
        nodes = (node_a, node_b)
        # every mentor logged in on node A, the same browser session on node B (sessions are shared through
        # the data dir, as behind a load balancer)
        with ThreadPoolExecutor(max_workers=len(mentors)) as pool:
            clients = list(pool.map(lambda login: Portal(node_a.base, login), mentors))
        by_mentor = {client.login: (client, client.on(node_b.base)) for client in clients}
        expected = {}  # token -> (mentor, meeting name)
        lock = threading.Lock()

        def drive(mentor):
            client_a, client_b = by_mentor[mentor]
            local = pytz.utc.localize(start_at).astimezone(pytz.timezone(tz_of.get(mentor, "UTC")))
            for round_ in range(args.rounds):
                form = client_a.new_meeting_form()
                name = f"Multinode {mentor} {round_} {uuid.uuid4().hex[:6]}"
                data = {
                    **form,
                    "meeting_name": name,
                    "meeting_link": "https://meet.example.com/multinode",
                    "date": local.strftime("%Y-%m-%d"),
                    "time": local.strftime("%H:%M"),
                    "duration": "30",
                }
                with lock:
                    expected[form["token"]] = (mentor, name)
                # the same form to both nodes at the same moment (the double click of a user behind a
                # load balancer), then a different form on each node at once
                with ThreadPoolExecutor(max_workers=2) as pool:
                    replies = list(
                        pool.map(lambda c, d=data: c.post("/my/mentor/meetings/new", d), (client_a, client_b))
                    )
                kinds = sorted(r.headers.get("Location", str(r.status_code)).rsplit("message=", 1)[-1] for r in replies)
                if kinds != ["created", "duplicate"]:
                    with lock:
                        errors.append(f"{mentor}: the same form on both nodes answered {kinds}")
                forms = [c.new_meeting_form() for c in (client_a, client_b)]
                datas = []
                for node_index, other in enumerate(forms):
                    other_name = f"Multinode {mentor} {round_}{'ab'[node_index]} {uuid.uuid4().hex[:6]}"
                    datas.append({**data, **other, "meeting_name": other_name})
                    with lock:
                        expected[other["token"]] = (mentor, other_name)
                with ThreadPoolExecutor(max_workers=2) as pool:
                    replies = list(
                        pool.map(
                            lambda cd: cd[0].post("/my/mentor/meetings/new", cd[1]), zip((client_a, client_b), datas)
                        )
                    )
                for reply in replies:
                    if reply.status_code != 303 or "message=created" not in reply.headers.get("Location", ""):
                        with lock:
                            errors.append(
                                f"{mentor}: a form answered {reply.status_code} {reply.headers.get('Location')}"
                            )

        with ThreadPoolExecutor(max_workers=len(mentors)) as pool:
            list(pool.map(drive, mentors))
        write_seconds = time.monotonic() - started
        log(f"multinode: {len(expected)} forms posted through two nodes in {write_seconds:.0f} s")

        # Before the alarm is due: each mentor's first meeting cancelled, one mentee of their second declines.
        cancelled, declined = set(), set()  # meeting names; (meeting name, e-mail)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for mentor in mentors:
                names = [name for m, name in expected.values() if m == mentor]
                mine = env["op.mentor.meeting"].search([("id", ">", last_seeded), ("meeting_name", "in", names)])
                mine = mine.sorted("id")
                if len(mine) < 2:
                    continue
                mine[0]._action_cancel(reason="mentor_unavailable")
                cancelled.add(mine[0].meeting_name)
                attendee = mine[1].calendar_event_id.attendee_ids.filtered(
                    lambda a, m=mine[1]: a.partner_id in m.meeting_students.partner_id
                )[:1]
                attendee.do_decline()
                declined.add((mine[1].meeting_name, attendee.email))
        if fields.Datetime.now() >= hour_due - timedelta(seconds=5):
            errors.append(
                f"the forms took {write_seconds:.0f} s: the 1-hour alarm was due before the cancellations "
                f"and declines (raise --alarm-lead, now {args.alarm_lead} min)"
            )
        wait = (hour_due - fields.Datetime.now()).total_seconds() + 2
        log(f"multinode: the 1-hour alarm falls due at {hour_due:%H:%M:%S} UTC; waiting {max(wait, 0):.0f} s")
        time.sleep(max(wait, 0))
        cron_started = time.monotonic()

        def node_alarm_runs():
            return [
                len(re.findall(r"Job (['\"])Calendar: Event Reminder\1 \(\d+\) completed", read_text(node.logfile)))
                for node in nodes
            ]

        # The alarm cron of both nodes: calendar triggered it at the alarm's time (calendar.event._setup_alarms),
        # and it is triggered again until each node has run it (both cron threads wake on the trigger, one of
        # them takes the job: a few tries, 3 s apart, usually give each node its turn; at most 10).
        triggers = 0
        while time.monotonic() - cron_started < args.cron_timeout / 2 and (
            triggers < 2 or (triggers < 10 and not all(node_alarm_runs()))
        ):
            time.sleep(3 if triggers else 0)
            runs = sum(node_alarm_runs())
            with registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {}).ref("calendar.ir_cron_scheduler_alarm")._trigger()
            triggers += 1
            for _i in range(20):
                time.sleep(1)
                if sum(node_alarm_runs()) > runs:
                    break
        alarm_runs = node_alarm_runs()

        # An administrator's Run Manually, twice at the same moment (ir.cron.method_direct_trigger, with Odoo's
        # retry as an RPC has; one of them may find the job running: Odoo's "currently being executed"
        # message), then the method the cron calls run twice at once with no last call (as after a
        # restore): the claim table must keep each attendee at one mail per alarm.
        manual = {"run": 0, "refused": 0, "stale": 0, "stale_tries": 0}

        def run_manually():
            for _try in range(30):
                try:
                    with registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        retrying(
                            lambda env=env: env.ref("calendar.ir_cron_scheduler_alarm").method_direct_trigger(), env
                        )
                    with lock:
                        manual["run"] += 1
                    return
                except UserError:
                    with lock:
                        manual["refused"] += 1
                    time.sleep(1)

        def run_stale():
            # not behind the cron's lock: the two runs claim the same (attendee, alarm) rows at once, and
            # the one that loses fails to serialize ("bad query" in this drill's log) and is retried
            def send(env):
                with lock:
                    manual["stale_tries"] += 1
                env["calendar.alarm_manager"]._send_reminder()

            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {"lastcall": False})
                retrying(lambda env=env: send(env), env)
            with lock:
                manual["stale"] += 1

        for job in (run_manually, run_stale):
            with ThreadPoolExecutor(max_workers=2) as pool:
                for future in [pool.submit(job) for _i in range(2)]:
                    try:
                        future.result()
                    except Exception as exc:  # noqa: BLE001 - what would reach the administrator
                        errors.append(f"{job.__name__}: {exc.__class__.__name__}: {str(exc)[:200]}")

        # The mail queue, triggered until it is empty.
        deadline = time.monotonic() + args.cron_timeout / 2
        while time.monotonic() < deadline:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                pending = env["mail.mail"].search_count([("state", "=", "outgoing")])
                cr.execute("SELECT count(*) FROM ir_cron_trigger WHERE call_at <= now() at time zone 'utc'")
                (due_triggers,) = cr.fetchone()
                if not pending and not due_triggers:
                    break
                if pending:
                    env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
            time.sleep(3)
        time.sleep(2)  # the sink's last messages
        cron_seconds = time.monotonic() - cron_started
        for node in nodes:
            errors += [f"{node.base}: {line[:300]}" for line in node.errors()]
            bad = [r for r in node.request_log() if r[2] >= 500]
            errors += [f"{node.base}: {method} {path} answered {status}" for method, path, status, *_ in bad]
            node_requests = len(node.request_log())
            jobs = [m[1] for m in re.findall(r"Job (['\"])(.+?)\1 \(\d+\) completed", read_text(node.logfile))]
            ours = {name: jobs.count(name) for name in sorted(set(jobs)) if re.search("Mail|Mentor|Calendar", name)}
            lines.append(
                f"node {node.base}: {node_requests} requests, {len(bad)} answers 5xx; cron jobs run: {len(jobs)}, "
                f"of them {ours or 'no mail or meeting job'}"
            )
        serialization_retries = sum(read_text(node.logfile).count("SERIALIZATION_FAILURE") for node in nodes)
    sink.stop()
    if not any(alarm_runs):
        errors.append("no node ran calendar's alarm cron")

    # Every meeting once, with its mentees and one calendar event with its attendees.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
        meetings = env["op.mentor.meeting"].search([("id", ">", last_seeded)])
        by_token = {}
        for meeting in meetings:
            by_token.setdefault(meeting.portal_submit_token, []).append(meeting)
        for token, (mentor, name) in expected.items():
            stored = by_token.get(token, [])
            if len(stored) != 1:
                errors.append(f"form {name}: {len(stored)} meetings stored")
                continue
            meeting = stored[0]
            if not meeting.meeting_students or meeting.student_id.user_id.login != mentor:
                errors.append(f"meeting {name}: stored without its mentees or host")
            events = env["calendar.event"].search(
                [("res_model", "=", "op.mentor.meeting"), ("res_id", "=", meeting.id)]
            )
            wanted = meeting.meeting_students.partner_id | meeting.student_id.partner_id
            if len(events) != 1 or meeting.calendar_event_id != events:
                errors.append(f"meeting {name}: {len(events)} calendar events")
            elif events.attendee_ids.partner_id != wanted or len(events.attendee_ids) != len(wanted):
                errors.append(f"meeting {name}: the event's attendees are not the mentor and mentees")
        unexpected = set(by_token) - set(expected)
        if unexpected:
            errors.append(f"{len(unexpected)} meetings stored that no form asked for")
        pending = env["mail.mail"].search_count([("state", "in", ("outgoing", "exception"))])
        if pending:
            errors.append(f"{pending} e-mails not sent (outgoing or in exception)")
        # who is invited (the mentees: the mentor creates the event) and who is reminded of what (the claims)
        invited = {(m.meeting_name, p.email) for m in meetings for p in m.meeting_students.partner_id}
        attendees = {}  # (meeting name, e-mail) -> (attendee, meeting)
        for meeting in meetings:
            for attendee in meeting.calendar_event_id.attendee_ids:
                attendees[(meeting.meeting_name, attendee.email)] = attendee
        claims = {key: set(attendee.mentor_reminder_alarm_ids.ids) for key, attendee in attendees.items()}
        cr.execute(
            "SELECT count(*), count(DISTINCT (attendee_id, alarm_id)) FROM op_mentor_attendee_reminder_rel "
            "WHERE attendee_id = ANY(%s)",
            [[a.id for a in attendees.values()]],
        )
        claim_rows, claim_pairs = cr.fetchone()
        alarm_names = {a.id: a.name for a in env["calendar.alarm"].search([])}
        names = {m.meeting_name for m in meetings}
        meeting_count = len(meetings)
    ids = [m["message_id"] for m in sink.messages]
    if len(ids) != len(set(ids)):
        errors.append(f"{len(ids) - len(set(ids))} e-mails received twice (same Message-Id)")
    per_kind = {"invitation": {}, "reminder": {}, "other": {}}
    for message in sink.messages:
        name = next((n for n in names if n in message["subject"]), None)
        if not name:
            continue
        subject = message["subject"]
        kind = (
            "invitation"
            if INVITATION_SUBJECT.search(subject)
            else "reminder"
            if REMINDER_SUBJECT.search(subject)
            else "other"
        )
        for rcpt in message["to"]:
            key = (name, rcpt)
            per_kind[kind][key] = per_kind[kind].get(key, 0) + 1
    invitations, reminders = per_kind["invitation"], per_kind["reminder"]
    for key in sorted(invited):
        if invitations.get(key, 0) != 1:
            errors.append(f"{invitations.get(key, 0)} invitations of {key[0]} for {key[1]}")
    for key in sorted(set(invitations) - invited):
        errors.append(f"an invitation of {key[0]} for {key[1]}, who is not a mentee")
    reminded = 0
    for key in sorted(attendees):
        name, email = key
        excluded = name in cancelled or key in declined
        got, claimed = reminders.get(key, 0), claims.get(key, set())
        if excluded and (got or claimed):
            why = "cancelled meeting" if name in cancelled else "declined attendee"
            errors.append(f"{got} reminders of {name} for {email} ({why})")
        elif not excluded and hour_alarm.id not in claimed:
            errors.append(f"no 1-hour reminder of {name} for {email}")
        if got != len(claimed):
            errors.append(f"{got} reminder mails of {name} for {email}, {len(claimed)} alarms claimed")
        reminded += 0 if excluded else 1
    for key in sorted(set(reminders) - set(attendees)):
        errors.append(f"a reminder of {key[0]} for {key[1]}, who does not attend it")
    if claim_rows != claim_pairs:
        errors.append(f"{claim_rows - claim_pairs} reminder claims twice (attendee, alarm)")
    per_alarm = {}
    for claimed in claims.values():
        for alarm_id in claimed:
            per_alarm[alarm_names.get(alarm_id, alarm_id)] = per_alarm.get(alarm_names.get(alarm_id, alarm_id), 0) + 1
    ok = not errors
    lines += [
        f"{len(expected)} forms posted through both nodes ({len(expected) // 3} of them to both nodes at once) in "
        f"{write_seconds:.0f} s; {meeting_count} meetings stored, each once with its mentees and one calendar "
        f"event with its attendees: {'yes' if not any('stored' in e or 'event' in e for e in errors) else 'no'}",
        f"invitations (calendar's 'Invitation to …'): {sum(invitations.values())} for {len(invited)} "
        f"(mentee x meeting), each once: {'yes' if not any('invitation' in e for e in errors) else 'no'}",
        f"reminders: meetings at {start_at:%H:%M} UTC, 1-hour alarm due {hour_due:%H:%M:%S}; alarm cron run by "
        f"the nodes {alarm_runs[0]} and {alarm_runs[1]} times ({triggers} triggers), then Run Manually twice at once "
        f"({manual['run']} ran, {manual['refused']} refused while the job ran) and the cron's method twice at once "
        f"with no last call ({manual['stale']} ran, {manual['stale_tries'] - manual['stale']} serialization "
        "failures retried)",
        f"reminders: {sum(reminders.values())} mails for {reminded} attendees of {meeting_count - len(cancelled)} "
        f"meetings, claims per alarm {per_alarm}, one mail per claim and one claim per (attendee, alarm): "
        f"{'yes' if not any('reminder' in e for e in errors) else 'no'}; {len(cancelled)} cancelled meetings and "
        f"{len(declined)} declined attendees: none",
        f"{len(sink.messages)} e-mails in the SMTP sink in all ({sum(per_kind['other'].values())} others: "
        f"cancellations, answers), crons and mail queue for {cron_seconds:.0f} s",
        f"serialization failures retried by Odoo (log): {serialization_retries}; errors: {len(errors)}",
        *[f"error: {e}" for e in errors[:20]],
    ]
    return result("multinode", ok, lines)


# ------------------------------------------------------------
# Check: PostgreSQL restarts under load
# ------------------------------------------------------------


def check_pg_restart(cluster, args):
    db = "mentor_pgrestart"
    cluster.copy(ENV["FAULTS_BASE_DB"], db)
    cluster.install(db, os.path.join(cluster.work, "pgrestart-install.log"))
    registry = open_registry(db, cluster.options)
    with registry.cursor() as cr:
        logins = load.seed(api.Environment(cr, SUPERUSER_ID, {}), args.users, 4)
        cr.execute("SELECT coalesce(max(id), 0) FROM op_mentor_meeting")
        (last_seeded,) = cr.fetchone()
    odoo_db_close(db)
    errors, samples = [], []  # samples: (start, end, kind, status, body has traceback)
    tokens = {}  # token -> answer status
    lock = threading.Lock()
    outage = {}
    with OdooServer(db, cluster.options, os.path.join(cluster.work, "pgrestart.log"), workers=2) as server:
        clients = [Portal(server.base, login) for login in sorted(logins)]
        until = time.monotonic() + args.duration

        def run(client):
            mentor = logins[client.login] == "mentor"
            i = 0
            while time.monotonic() < until:
                i += 1
                start = time.monotonic()
                status, body, token = None, "", None
                try:
                    if mentor and i % 3 == 0:
                        reply = client.session.get(client.base + "/my/mentor/meetings/new", timeout=30)
                        form = client.parse_form(reply.text) if reply.status_code == 200 else None
                        if form:
                            token = form["token"]
                            reply = client.post(
                                "/my/mentor/meetings/new",
                                {
                                    **form,
                                    "meeting_name": f"Restart {client.login} {i}",
                                    "meeting_link": "https://meet.example.com/restart",
                                    "date": (date.today() + timedelta(days=3)).isoformat(),
                                    "time": "10:00",
                                },
                                timeout=30,
                            )
                    else:
                        path = "/my/mentor/meetings" if mentor else "/my/mentorship/meetings"
                        reply = client.session.get(client.base + path, timeout=30, allow_redirects=False)
                    status, body = reply.status_code, reply.text
                except requests.RequestException as exc:
                    status, body = exc.__class__.__name__, ""
                end = time.monotonic()
                with lock:
                    title = re.search(r"<title>([^<]*)</title>", body)
                    samples.append(
                        (
                            start,
                            end,
                            status,
                            any(m in body for m in TRACEBACK_MARKERS),
                            title and title.group(1).strip(),
                        )
                    )
                    if token:
                        tokens[token] = status
                time.sleep(0.2)

        def restart():
            time.sleep(args.duration / 3)
            outage["start"] = time.monotonic()
            log(f"pg-restart: stopping PostgreSQL for {args.outage} s")
            cluster.stop()
            time.sleep(args.outage)
            cluster.start()
            outage["end"] = time.monotonic()
            log("pg-restart: PostgreSQL is back")

        with ThreadPoolExecutor(max_workers=len(clients) + 1) as pool:
            futures = [pool.submit(run, client) for client in clients] + [pool.submit(restart)]
            for future in futures:
                future.result()
        server_log = read_text(server.logfile)
    grace = args.grace
    before = [s for s in samples if s[1] < outage["start"]]
    during = [s for s in samples if s[0] < outage["end"] + grace and s[1] > outage["start"]]
    after = [s for s in samples if s[0] >= outage["end"] + grace]
    for label, group in (("before", before), ("after", after)):
        bad = [s for s in group if s[2] not in (200, 303)]
        if bad:
            errors.append(f"{len(bad)} of {len(group)} requests {label} the outage failed, e.g. {bad[0][2]}")
    tracebacks = [s for s in samples if s[3]]
    if tracebacks:
        errors.append(f"{len(tracebacks)} answers show a traceback")
    if not after:
        errors.append("no request after the outage")
    during_statuses = {}
    for s in during:
        key = f"{s[2]} {s[4]!r}" if s[2] not in (200, 303) else s[2]
        during_statuses[key] = during_statuses.get(key, 0) + 1
    # nothing half-written: every meeting with its mentees (and its calendar event once meetings have one)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        meetings = env["op.mentor.meeting"].search([("id", ">", last_seeded)])
        stored = {m.portal_submit_token: m for m in meetings}
        half = meetings.filtered(lambda m: not m.meeting_students)
        if "calendar_event_id" in meetings._fields:
            # one calendar event per meeting, whose attendees are the mentor and the mentees
            events = env["calendar.event"].with_context(active_test=False)
            half |= meetings.filtered(
                lambda m: not m.calendar_event_id
                or events.search_count([("res_model", "=", m._name), ("res_id", "=", m.id)]) != 1
                or m.calendar_event_id.partner_ids != m.meeting_students.partner_id | m.student_id.partner_id
            )
        if half:
            errors.append(f"{len(half)} meetings half-written (no mentees or no calendar event)")
        lost = [t for t, status in tokens.items() if status == 303 and t not in stored]
        if lost:
            errors.append(f"{len(lost)} meetings answered as created but not stored")
        unknown = set(stored) - set(tokens)
        if unknown:
            errors.append(f"{len(unknown)} meetings stored that no form asked for")
    ok = not errors
    return result(
        "pg-restart",
        ok,
        [
            f"{len(samples)} requests in {args.duration} s by {len(clients)} portal users, Odoo --workers=2; "
            f"PostgreSQL stopped (fast) for {args.outage} s at {args.duration // 3} s, started again, Odoo not "
            "restarted",
            f"before the outage: {len(before)} requests, all 200/303: {'yes' if before else 'none'}; "
            f"during (+{grace} s): {len(during)} requests, answers {during_statuses}",
            f"after: {len(after)} requests, failed: {sum(1 for s in after if s[2] not in (200, 303))}; "
            f"answers with a traceback: {len(tracebacks)}",
            f"meetings: {len(tokens)} forms posted, {len(stored)} stored, "
            f"{sum(1 for t, s in tokens.items() if s == 303)} answered created; half-written: {len(half)}",
            f"server log: {server_log.count(' ERROR ')} ERROR lines (the outage's failed connections)",
            *[f"error: {e}" for e in errors[:20]],
        ],
    )


def odoo_db_close(db):
    """Close this process's connections to ``db`` (the check restarts the cluster under them)."""
    odoo.sql_db.close_db(db)


# ------------------------------------------------------------
# Check: restore drill
# ------------------------------------------------------------


def check_restore(cluster, args):
    source, target = "mentor_restore_src", "mentor_restored"
    cluster.copy(ENV["FAULTS_BASE_DB"], source)
    cluster.install(source, os.path.join(cluster.work, "restore-install.log"))
    registry = open_registry(source, cluster.options)
    with registry.cursor() as cr:
        seed_school(api.Environment(cr, SUPERUSER_ID, {}))
    with registry.cursor() as cr:
        counts_before = model_counts(cr)
        files_before = attachment_files(cr, cluster.data_dir, source)
    odoo_db_close(source)
    dump = os.path.join(cluster.work, f"{source}.zip")
    logfile = os.path.join(cluster.work, "restore-db.log")
    t0 = time.monotonic()
    if cluster.odoo_bin("db", "dump", source, dump, logfile=logfile):
        return result("restore", False, [f"odoo-bin db dump failed, see {logfile}"])
    dump_seconds = time.monotonic() - t0
    t0 = time.monotonic()
    if cluster.odoo_bin("db", "load", "--force", target, dump, logfile=logfile):
        return result("restore", False, [f"odoo-bin db load failed, see {logfile}"])
    load_seconds = time.monotonic() - t0
    registry = odoo.modules.registry.Registry(target)  # Odoo is configured once per process (open_registry)
    errors = []
    with registry.cursor() as cr:
        counts_after = model_counts(cr)
        files_after = attachment_files(cr, cluster.data_dir, target)
    changed = [
        f"{t}: {n} before, {counts_after.get(t)} after" for t, n in counts_before.items() if counts_after.get(t) != n
    ]
    errors += changed
    broken = [key for key, (checksum, on_disk) in files_after.items() if checksum != on_disk]
    if files_after != files_before or broken:
        errors.append(f"files differ: {len(files_before)} before, {len(files_after)} after, {len(broken)} broken")
    checklists = sum(1 for key in files_after if key[0] == "op.mentor.followup")
    if not checklists:
        errors.append("no checklist file in the school")
    # the addon works on the restored database: a portal page renders, a meeting is created
    works = ""
    with OdooServer(target, cluster.options, os.path.join(cluster.work, "restored.log")) as server:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            mentor = env["op.student"].search([("is_mentor", "=", True)], limit=1)
            login = mentor.user_id.login
        client = Portal(server.base, login)
        page = client.session.get(server.base + "/my/mentor/meetings", timeout=60)
        form = client.new_meeting_form()
        reply = client.post(
            "/my/mentor/meetings/new",
            {
                **form,
                "meeting_name": "After the restore",
                "meeting_link": "https://meet.example.com/restored",
                "date": (date.today() + timedelta(days=2)).isoformat(),
                "time": "10:00",
            },
        )
        if page.status_code != 200 or "Seeded" not in page.text:
            errors.append(f"the mentor's meetings page answered {page.status_code} without the meetings")
        if reply.status_code != 303 or "message=created" not in reply.headers.get("Location", ""):
            errors.append(f"creating a meeting answered {reply.status_code} {reply.headers.get('Location')}")
        works = (
            f"mentor's meetings page {page.status_code}, new meeting {reply.headers.get('Location', reply.status_code)}"
        )
        errors += [f"server: {line[:300]}" for line in server.errors()]
    odoo_db_close(target)
    ok = not errors
    return result(
        "restore",
        ok,
        [
            f"school: {counts_before.get('op_mentor_meeting')} meetings, {counts_before.get('op_mentor_followup')} "
            f"follow-ups ({checklists} checklist files), {counts_before.get('op_mentor_goal')} goals, "
            f"{counts_before.get('op_mentor_meeting_rating')} ratings; {len(counts_before)} tables counted",
            f"`odoo-bin db dump {source} {os.path.basename(dump)}` {dump_seconds:.0f} s "
            f"({os.path.getsize(dump) // 1024} kB zip with the filestore), `odoo-bin db load --force {target} …` "
            f"{load_seconds:.0f} s",
            f"rows per table equal: {'yes' if not changed else 'no'}; files {len(files_after)}, checksums equal: "
            f"{'yes' if files_after == files_before and not broken else 'no'}",
            f"restored database works: {works}",
            *[f"error: {e}" for e in errors[:20]],
        ],
    )


# ------------------------------------------------------------
# Check: upgrade path from the previous release
# ------------------------------------------------------------


def upgrade_seed(cluster, args):
    """Run with the previous release's code: a school, then its counts (JSON) for upgrade-check."""
    registry = open_registry(args.db, cluster.options)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        seed_school(env)
        cr.execute("SELECT latest_version FROM ir_module_module WHERE name = %s", [ADDON])
        version = cr.fetchone()[0]
    with registry.cursor() as cr:
        state = {
            "version": version,
            "counts": model_counts(cr),
            "files": [list(k) + list(v) for k, v in attachment_files(cr, cluster.data_dir, args.db).items()],
        }
    with open(args.state, "w") as f:
        json.dump(state, f, indent=1, default=str)
    log(f"upgrade: school seeded with the previous release ({version}), {sum(state['counts'].values())} rows counted")


def upgrade_check(cluster, args):
    with open(args.state) as f:
        state = json.load(f)
    registry = open_registry(args.db, cluster.options)
    errors = []
    with registry.cursor() as cr:
        counts = model_counts(cr)
        files = [list(k) + list(v) for k, v in attachment_files(cr, cluster.data_dir, args.db).items()]
        cr.execute("SELECT latest_version, state FROM ir_module_module WHERE name = %s", [ADDON])
        version, module_state = cr.fetchone()
    lost = counts_diff(state["counts"], counts)
    errors += [f"lost: {line}" for line in lost]
    if files != state["files"]:
        errors.append(f"files differ: {len(state['files'])} before, {len(files)} after")
    manifest = {}
    with open(os.path.join(ENV["FAULTS_ROOT"], ADDON, "__manifest__.py")) as f:
        manifest = eval(f.read(), {})  # noqa: S307 - our own manifest, a dict literal
    if module_state != "installed" or version != manifest["version"]:
        errors.append(f"after the update: {ADDON} {module_state} {version}, manifest {manifest['version']}")
    # the migrations of the versions between the two releases ran (Odoo logs each script it runs)
    update_log = read_text(args.update_log)
    migrations_dir = os.path.join(ENV["FAULTS_ROOT"], ADDON, "migrations")
    old = tuple(int(x) for x in state["version"].split("."))
    expected = [
        v
        for v in sorted(os.listdir(migrations_dir))
        if old < tuple(int(x) for x in v.split(".")) <= tuple(int(x) for x in manifest["version"].split("."))
    ]
    ran = [
        v for v in expected if re.search(rf"module {ADDON}: Running migration \[[>$]?{re.escape(v)}>?\]", update_log)
    ]
    missing = sorted(set(expected) - set(ran))
    if missing:
        errors.append(f"migrations not run: {missing}")
    grown = {t: (state["counts"][t], n) for t, n in counts.items() if t in state["counts"] and n > state["counts"][t]}
    ok = not errors
    return result(
        "upgrade",
        ok,
        [
            f"{ADDON} {state['version']} (previous release {ENV.get('FAULTS_PREVIOUS', '?')}) -> {version}: "
            f"{len(state['counts'])} tables, {sum(state['counts'].values())} rows before, "
            f"{sum(counts[t] for t in state['counts'] if t in counts)} after; lost: {len(lost)}",
            f"migrations to run: {expected or 'none (same version)'}, ran: {ran or 'none'}",
            f"tables with more rows after the update: {grown or 'none'}; files equal: {files == state['files']}",
            *[f"error: {e}" for e in errors[:20]],
        ],
    )


# ------------------------------------------------------------
# Main
# ------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="check", required=True)
    p = sub.add_parser("multinode", help="two Odoo nodes on one database")
    p.add_argument("--users", type=int, default=6, help="portal users, half of them mentors (default 6)")
    p.add_argument("--rounds", type=int, default=3, help="rounds of forms per mentor (default 3: 9 forms each)")
    p.add_argument("--cron-timeout", type=int, default=180, help="seconds for the crons to send everything")
    p.add_argument("--alarm-lead", type=int, default=3, help="minutes from the start to the 1-hour alarm (default 3)")
    p = sub.add_parser("pg-restart", help="PostgreSQL restarted under portal load")
    p.add_argument("--users", type=int, default=6, help="portal users (default 6)")
    p.add_argument("--duration", type=int, default=45, help="seconds of load (default 45)")
    p.add_argument("--outage", type=int, default=5, help="seconds PostgreSQL stays down (default 5)")
    p.add_argument("--grace", type=int, default=3, help="seconds after the restart still counted as outage")
    sub.add_parser("restore", help="dump and load with odoo-bin db")
    p = sub.add_parser("upgrade-seed", help="(tools/dev) seed with the previous release")
    p.add_argument("--db", required=True)
    p.add_argument("--state", required=True)
    p = sub.add_parser("upgrade-check", help="(tools/dev) compare after the update")
    p.add_argument("--db", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--update-log", required=True)
    args = parser.parse_args()
    cluster = Cluster()
    check = {
        "multinode": check_multinode,
        "pg-restart": check_pg_restart,
        "restore": check_restore,
        "upgrade-seed": upgrade_seed,
        "upgrade-check": upgrade_check,
    }[args.check]
    ok = check(cluster, args)
    sys.exit(0 if ok is not False else 1)


if __name__ == "__main__":
    main()
