"""Concurrent users in real, separate PostgreSQL transactions.

The other test classes run in one transaction that is rolled back; here the school is
committed in setUpClass (and deleted again afterwards), then two threads act at the same
moment, each in its own database transaction:

* through the ORM (``registry.cursor()``), with a barrier placed after both transactions
  have read the application, so the race is certain; each thread goes through
  ``odoo.service.model.retrying`` like a request of the real server (serialization
  failures are retried there, and the loser then gets the UserError of the new state);
* through HTTP, against the threaded server pytest-odoo starts (``--odoo-http``): outside an
  HttpCase the registry is not in test mode, so each request has its own cursor, its own
  transaction and the server's retry loop, as with ``--workers``.
"""

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial

import requests

import odoo
from odoo import Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from .common import MentorBuilders

PREFIX = "conc_"
TIMEOUT = 60  # seconds: the loser waits for the winner's lock, then the server's retry (up to 2 s, random)


class _Fixture(MentorBuilders):
    """The builders of MentorCommon, on a committed environment."""

    env = None
    exam = None


@tagged("post_install", "-at_install")
class TestConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"mail_create_nolog": True, "tracking_disable": False})
            cls._build(env)

    @classmethod
    def _build(cls, env):
        """A course with two batches, two administrators, two approved mentors sharing a mentee
        (one per batch) and pending applications to decide, all committed."""
        fx = _Fixture
        fx.env = env
        admins = [
            odoo.tests.new_test_user(
                env,
                f"{PREFIX}admin{i}",
                groups="base.group_user,op_student_mentor.group_op_mentor_admin",
                name=f"Admin {i} Concurrency",
            )
            for i in (1, 2)
        ]
        subject = env["op.subject"].create({"name": "Concurrency", "code": f"{PREFIX}SUB"})
        course = env["op.course"].create(
            {"name": "Concurrency Course", "code": f"{PREFIX}C", "subject_ids": [Command.set(subject.ids)]}
        )
        batch = fx._create_batch(f"{PREFIX}B1", course)
        batch_b = fx._create_batch(f"{PREFIX}B2", course)
        faculty_user, faculty = fx._create_faculty(f"{PREFIX}faculty", "Fay", "Concurrency", subject)
        faculty_user2, faculty2 = fx._create_faculty(f"{PREFIX}faculty2", "Flo", "Concurrency", subject)
        users, students = {}, {}
        fx.exam = fx._create_exam(batch)
        for login in ("mentor1", "mentee"):
            users[login], students[login] = fx._create_student(
                f"{PREFIX}{login}", login.title(), "Concurrency", batch, marks=90 if login == "mentor1" else 60
            )
        fx.exam = fx._create_exam(batch_b)
        users["mentor2"], students["mentor2"] = fx._create_student(
            f"{PREFIX}mentor2", "Mentor2", "Concurrency", batch_b, marks=90
        )
        # the mentee is in both batches: one mentor in each
        students["mentee"].course_detail_ids = [Command.create({"course_id": course.id, "batch_id": batch_b.id})]
        fx.exam = env["op.exam"].search([("session_id.batch_id", "=", batch.id)], limit=1)
        app1 = fx._create_application(students["mentor1"], students["mentee"], faculty=faculty, batch=batch)
        app2 = fx._create_application(students["mentor2"], students["mentee"], faculty=faculty, batch=batch_b)
        (app1 | app2).with_user(admins[0]).action_submit()
        (app1 | app2).with_user(admins[0]).action_approve()
        pending = env["op.mentor.details"]
        for i in range(4):
            _user, candidate = fx._create_student(
                f"{PREFIX}cand{i}", f"Cand{i}", "Concurrency", batch, marks=80 + i, portal=False
            )
            pending |= fx._create_application(candidate, env["op.student"], faculty=faculty, batch=batch)
        pending.with_user(admins[0]).action_submit()
        # a candidate nobody nominated yet (two faculty will nominate them at once)
        _user, nominee = fx._create_student(f"{PREFIX}nominee", "Nominee", "Concurrency", batch, marks=95, portal=False)
        cls.nominee_id = nominee.id
        cls.faculty_ids = {faculty_user.id: faculty.id, faculty_user2.id: faculty2.id}
        cls.admin_ids = [admin.id for admin in admins]
        cls.logins = {login: user.login for login, user in users.items()}
        cls.student_ids = {login: student.id for login, student in students.items()}
        cls.pending_ids = pending.ids
        cls.record_ids = {
            "subject": subject.ids,
            "course": course.ids,
            "batch": (batch | batch_b).ids,
            "faculty": (faculty | faculty2).ids,
        }
        fx.env = None

    @classmethod
    def _cleanup(cls):
        """Delete what setUpClass and the tests committed (it escapes the usual rollback)."""
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"active_test": False})
            course = env["op.course"].browse(cls.record_ids["course"])
            batches = env["op.batch"].browse(cls.record_ids["batch"])
            students = env["op.student"].search([("course_detail_ids.batch_id", "in", batches.ids)])
            env["op.mentor.meeting"].search([("student_id", "in", students.ids)]).unlink()
            env["op.mentor.followup"].search([("student_id", "in", students.ids)]).unlink()
            env["op.mentor.allocation"].search([("batch_id", "in", batches.ids)]).unlink()
            applications = env["op.mentor.details"].search([("batch_id", "in", batches.ids)])
            applications.with_context(mentor_status_update=True).write({"status": "draft"})
            applications.unlink()
            sessions = env["op.exam.session"].search([("batch_id", "in", batches.ids)])
            env["op.marksheet.line"].search([("student_id", "in", students.ids)]).unlink()
            env["op.marksheet.register"].search([("exam_session_id", "in", sessions.ids)]).unlink()
            env["op.result.template"].search([("exam_session_id", "in", sessions.ids)]).unlink()
            exams = env["op.exam"].search([("session_id", "in", sessions.ids)])
            exam_types = sessions.exam_type
            env["op.result.line"].search([("exam_id", "in", exams.ids)]).unlink()
            exams.unlink()
            sessions.unlink()
            exam_types.unlink()
            users = students.user_id | env["res.users"].search([("login", "=like", f"{PREFIX}%")])
            partners = students.partner_id | users.partner_id
            students.course_detail_ids.unlink()
            students.unlink()
            faculty = env["op.faculty"].browse(cls.record_ids["faculty"])
            partners |= faculty.partner_id
            faculty.unlink()
            batches.unlink()
            course.unlink()
            env["op.subject"].browse(cls.record_ids["subject"]).unlink()
            users.unlink()
            partners.exists().unlink()

    # ------------------------------------------------------------
    # Tools
    # ------------------------------------------------------------

    def _race(self, *calls):
        """Run each ``call(env)`` in its own thread and transaction, as its user, from a common start.

        :param calls: ``(uid, function)``; the function receives the environment and is run
            through ``retrying`` like a request (retried on serialization failures).
        :return: for each call, ``(result or exception, number of tries)``
        """
        barrier = threading.Barrier(len(calls))

        def run(uid, function):
            tries = []

            def attempt(env):
                tries.append(1)
                return function(env)

            with self.registry.cursor() as cr:
                env = api.Environment(cr, uid, {})
                cr.execute("SELECT 1")  # the transaction's snapshot (repeatable read) starts here
                barrier.wait(timeout=TIMEOUT)
                try:
                    result = retrying(partial(attempt, env), env)
                except Exception as error:  # noqa: BLE001 - the outcome of the race is what the test checks
                    cr.rollback()
                    return error, len(tries)
                return result, len(tries)

        with ThreadPoolExecutor(max_workers=len(calls)) as executor, mute_logger("odoo.service.model"):
            futures = [executor.submit(run, uid, function) for uid, function in calls]
            return [future.result(timeout=TIMEOUT * 2) for future in futures]

    def _env(self, cr):
        return api.Environment(cr, odoo.SUPERUSER_ID, {"active_test": False})

    def _check_decided_once(self, application_id, winner_status, outcomes):
        """One call won, the other got a clear UserError, and the application was decided once."""
        errors = [outcome for outcome, _tries in outcomes if isinstance(outcome, Exception)]
        self.assertEqual(len(errors), 1, outcomes)
        self.assertIsInstance(errors[0], UserError, repr(errors[0]))
        self.assertRegex(str(errors[0]), r"cannot be moved|changed by someone else")
        with self.registry.cursor() as cr:
            application = self._env(cr)["op.mentor.details"].browse(application_id)
            self.assertEqual(application.status, winner_status)
            allocations = application.allocation_ids
            self.assertEqual(len(allocations), 1 if winner_status == "approve" else 0)
            self.assertEqual(application.student_id.is_mentor, winner_status == "approve")
            self.assertEqual(
                len(self._env(cr)["op.mentor.allocation"].search([("mentor_id", "=", application.student_id.id)])),
                1 if winner_status == "approve" else 0,
            )
            # one status change in the chatter, one notification of the faculty
            changes = application.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "status" and t.new_value_char in ("Approved", "Rejected")
            )
            self.assertEqual(len(changes), 1)
            notices = application.message_ids.filtered(
                lambda m: "was approved" in str(m.body) or "was rejected" in str(m.body)
            )
            self.assertEqual(len(notices), 1)

    # ------------------------------------------------------------
    # ORM, two transactions
    # ------------------------------------------------------------

    def test_two_admins_approve_at_once(self):
        application_id = self.pending_ids[0]

        def approve(env):
            return env["op.mentor.details"].browse(application_id).action_approve()

        outcomes = self._race((self.admin_ids[0], approve), (self.admin_ids[1], approve))
        self._check_decided_once(application_id, "approve", outcomes)

    def test_approve_and_reject_at_once(self):
        application_id = self.pending_ids[1]

        def approve(env):
            return env["op.mentor.details"].browse(application_id).action_approve()

        def reject(env):
            return env["op.mentor.details"].browse(application_id)._action_reject("Not this term.")

        outcomes = self._race((self.admin_ids[0], approve), (self.admin_ids[1], reject))
        winner = "approve" if outcomes[0][0] is True else "reject"
        self._check_decided_once(application_id, winner, outcomes)

    def test_two_faculty_nominate_the_same_student_at_once(self):
        """Exactly one nomination is stored; the other faculty gets the usual "Duplicate mentor"
        message (after one replay: they waited for the student's row lock), and nothing of theirs."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            batch = env["op.batch"].browse(self.record_ids["batch"][0])
            vals = {
                "course_id": batch.course_id.id,
                "batch_id": batch.id,
                "student_id": self.nominee_id,
                "mentor_focus_id": [Command.set(env.ref("op_student_mentor.mentor_focus_academic").ids)],
                "reason_for_mentorship": "Nominated twice at once.",
            }

        def nominate(faculty_id, env):
            application = env["op.mentor.details"].create({**vals, "faculty_id": faculty_id})
            application.action_submit()
            return application.id

        outcomes = self._race(*((uid, partial(nominate, faculty_id)) for uid, faculty_id in self.faculty_ids.items()))
        created = [outcome for outcome, _tries in outcomes if isinstance(outcome, int)]
        errors = [(outcome, tries) for outcome, tries in outcomes if isinstance(outcome, Exception)]
        self.assertEqual(len(created), 1, outcomes)
        self.assertEqual(len(errors), 1, outcomes)
        error, tries = errors[0]
        self.assertIsInstance(error, UserError, repr(error))
        self.assertRegex(str(error), r"^Duplicate mentor: Nominee Concurrency already has application APP\d+")
        # the loser waited for the student's lock and replayed on the snapshot where the winner's nomination is
        # (more than one replay only if the machine is slow enough for an unrelated conflict)
        self.assertGreaterEqual(tries, 2)
        with self.registry.cursor() as cr:
            applications = self._env(cr)["op.mentor.details"].search([("student_id", "=", self.nominee_id)])
            self.assertEqual(applications.ids, created)
            self.assertEqual(applications.status, "pending")
            self.assertIn(str(error).split("application ")[1].split(" ")[0], applications.name)

    def test_two_mentors_create_meetings_for_one_mentee(self):
        """Both succeed at the first try: nothing they write is shared."""
        mentee_id = self.student_ids["mentee"]
        with self.registry.cursor() as cr:
            uids = self._env(cr)["res.users"].search(
                [("login", "in", [self.logins["mentor1"], self.logins["mentor2"]])], order="login"
            )
            uids = uids.ids

        def create(mentor, env):
            return (
                env["op.mentor.meeting"]
                .create(
                    {
                        "meeting_name": f"Race {mentor}",
                        "meeting_link": "https://meet.example.com/race",
                        "date": datetime(datetime.now().year + 2, 3, 1, 10, 0),
                        "student_id": self.student_ids[mentor],
                        "meeting_students": [Command.set([mentee_id])],
                    }
                )
                .id
            )

        outcomes = self._race((uids[0], partial(create, "mentor1")), (uids[1], partial(create, "mentor2")))
        for outcome, tries in outcomes:
            self.assertIsInstance(outcome, int, repr(outcome))
            self.assertEqual(tries, 1, "a serialization failure: the two creations touched the same row")
        with self.registry.cursor() as cr:
            meetings = self._env(cr)["op.mentor.meeting"].browse([outcome for outcome, _tries in outcomes])
            self.assertEqual(
                sorted(meetings.student_id.ids), sorted([self.student_ids["mentor1"], self.student_ids["mentor2"]])
            )
            for meeting in meetings:
                self.assertEqual(meeting.meeting_students.ids, [mentee_id])

    # ------------------------------------------------------------
    # HTTP, the threaded server: real requests, each in its own transaction
    # ------------------------------------------------------------

    def _base_url(self):
        return f"http://127.0.0.1:{odoo.tools.config['http_port']}"

    def _session(self, login):
        """A browser session logged in through the login form."""
        session = requests.Session()
        page = session.get(f"{self._base_url()}/web/login", timeout=TIMEOUT)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = session.post(
            f"{self._base_url()}/web/login",
            data={"login": login, "password": login, "csrf_token": csrf, "redirect": "/my"},
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303), f"{login} could not log in")
        return session

    def _csrf(self, session, url):
        page = session.get(f"{self._base_url()}{url}", timeout=TIMEOUT)
        self.assertEqual(page.status_code, 200, page.text[:500])
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _at_once(self, *requests_to_send):
        """Send the requests from threads released together; the responses in the same order."""
        barrier = threading.Barrier(len(requests_to_send))

        def send(function):
            barrier.wait(timeout=TIMEOUT)
            return function()

        with ThreadPoolExecutor(max_workers=len(requests_to_send)) as executor:
            futures = [executor.submit(send, function) for function in requests_to_send]
            return [future.result(timeout=TIMEOUT * 2) for future in futures]

    def _call_button(self, session, method, application_id, **kwargs):
        model, record_id = "op.mentor.details", application_id
        if kwargs:
            # a reason is given through the reject wizard, as in the web client: made first, its button at once
            model = "op.mentor.reject.wizard"
            record_id = self._rpc(
                session, "call_kw", model, "create", [{"application_ids": [application_id], **kwargs}]
            )
            self.assertIsInstance(record_id, int, record_id)
            kwargs = {}

        def call():
            return self._rpc(session, "call_button", model, method, [[record_id]], full=True)

        return call

    def _rpc(self, session, route, model, method, args, full=False):
        response = session.post(
            f"{self._base_url()}/web/dataset/{route}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": args, "kwargs": {}},
            },
            timeout=TIMEOUT,
        )
        self.assertEqual(response.status_code, 200)
        return response.json() if full else response.json().get("result", response.json())

    def test_http_two_admins_decide_at_once(self):
        sessions = [self._session(f"{PREFIX}admin1"), self._session(f"{PREFIX}admin2")]
        for application_id, methods in (
            (self.pending_ids[2], [("action_approve", {}), ("action_approve", {})]),
            (self.pending_ids[3], [("action_approve", {}), ("action_reject", {"reason": "Full."})]),
        ):
            with self.subTest(methods=methods):
                replies = self._at_once(
                    *(
                        self._call_button(session, method, application_id, **kwargs)
                        for session, (method, kwargs) in zip(sessions, methods, strict=True)
                    )
                )
                failed = [reply for reply in replies if "error" in reply]
                self.assertEqual(len(failed), 1, replies)
                # the web client shows this message in its dialog: not a traceback, not a 500
                error = failed[0]["error"]["data"]
                self.assertEqual(error["name"], "odoo.exceptions.UserError", error)
                self.assertRegex(error["message"], r"cannot be moved|changed by someone else")
                winner = {"action_approve": "approve", "action_reject": "reject"}[
                    next(method for (method, _kw), reply in zip(methods, replies, strict=True) if "error" not in reply)
                ]
                outcomes = [(UserError(error["message"]) if "error" in r else True, 1) for r in replies]
                self._check_decided_once(application_id, winner, outcomes)

    def test_http_meetings_at_once(self):
        """Two mentors post the new-meeting form for the same mentee at once: both meetings are made.
        One mentor's form posted twice at once (double click): one meeting, both answers lead to it."""
        sessions = {login: self._session(self.logins[login]) for login in ("mentor1", "mentor2")}
        mentee_id = self.student_ids["mentee"]
        year = datetime.now().year + 2

        def form(login, token):
            return {
                "csrf_token": self._csrf(sessions[login], "/my/mentor/meetings/new"),
                "meeting_name": f"HTTP race {login}",
                "meeting_link": "https://meet.example.com/http-race",
                "date": f"{year}-04-01",
                "time": "10:00",
                "duration": "30",
                "description": "",
                "mentee_ids": [str(mentee_id)],
                "token": token,
            }

        def post(login, data):
            return lambda: sessions[login].post(
                f"{self._base_url()}/my/mentor/meetings/new", data=data, timeout=TIMEOUT, allow_redirects=False
            )

        tokens = {"mentor1": uuid.uuid4().hex, "mentor2": uuid.uuid4().hex}
        replies = self._at_once(*(post(login, form(login, tokens[login])) for login in ("mentor1", "mentor2")))
        for reply in replies:
            self.assertEqual(reply.status_code, 303, reply.text[:1000])
            self.assertIn("message=created", reply.headers["Location"])
        # the double click
        data = form("mentor1", uuid.uuid4().hex)
        replies = self._at_once(post("mentor1", data), post("mentor1", data))
        locations = sorted(reply.headers.get("Location", f"status {reply.status_code}") for reply in replies)
        for reply in replies:
            self.assertEqual(reply.status_code, 303, reply.text[:1000])
        with self.registry.cursor() as cr:
            Meeting = self._env(cr)["op.mentor.meeting"]
            for login, token in (*tokens.items(), ("mentor1", data["token"])):
                meetings = Meeting.search([("portal_submit_token", "=", token)])
                self.assertEqual(len(meetings), 1, token)
                self.assertEqual(meetings.student_id.id, self.student_ids[login])
                self.assertEqual(meetings.meeting_students.ids, [mentee_id])
            twice = Meeting.search([("portal_submit_token", "=", data["token"])])
        self.assertEqual(
            [re.sub(r"^.*/my/mentor/meetings/", "", location) for location in locations],
            [f"{twice.id}?message=created", f"{twice.id}?message=duplicate"],
        )

    def test_http_meeting_actions_at_once(self):
        """Reschedule, then Mark done, each clicked twice at once: one new meeting, one change, no error."""
        session = self._session(self.logins["mentor1"])
        with self.registry.cursor() as cr:
            meeting = (
                self._env(cr)["op.mentor.meeting"]
                .with_context(no_mail_to_attendees=True)
                .create(
                    {
                        "meeting_name": "Clicked twice",
                        "meeting_link": "https://meet.example.com/twice",
                        "date": datetime(datetime.now().year + 2, 5, 1, 10, 0),
                        "student_id": self.student_ids["mentor1"],
                        "meeting_students": [Command.set([self.student_ids["mentee"]])],
                    }
                )
            )
            meeting_id = meeting.id
        url = f"{self._base_url()}/my/mentor/meetings/{meeting_id}"
        data = {"csrf_token": self._csrf(session, f"/my/mentor/meetings/{meeting_id}")}
        year = datetime.now().year + 2
        replies = self._at_once(
            *(
                lambda: session.post(
                    f"{url}/reschedule",
                    data={**data, "date": f"{year}-05-08", "time": "10:00"},
                    timeout=TIMEOUT,
                    allow_redirects=False,
                )
                for _i in range(2)
            )
        )
        with self.registry.cursor() as cr:
            original = self._env(cr)["op.mentor.meeting"].browse(meeting_id)
            self.assertEqual(original.status, "reschedule")
            self.assertEqual(len(original.rescheduled_to_ids), 1)
            new_id = original.rescheduled_to_ids.id
            # a meeting is marked done from its start time on: let the new one have started
            cr.execute(
                "UPDATE op_mentor_meeting SET date = (now() at time zone 'UTC') - interval '5 minutes' WHERE id = %s",
                [new_id],
            )
        self.assertEqual(
            sorted(reply.headers.get("Location", str(reply.status_code)).split("/")[-1] for reply in replies),
            [f"{new_id}?message=already_rescheduled", f"{new_id}?message=rescheduled"],
        )
        replies = self._at_once(
            *(
                lambda: session.post(
                    f"{self._base_url()}/my/mentor/meetings/{new_id}/done",
                    data=data,
                    timeout=TIMEOUT,
                    allow_redirects=False,
                )
                for _i in range(2)
            )
        )
        self.assertEqual(
            sorted(reply.headers.get("Location", str(reply.status_code)).split("?")[-1] for reply in replies),
            ["message=already_done", "message=done"],
        )
        with self.registry.cursor() as cr:
            done = self._env(cr)["op.mentor.meeting"].browse(new_id)
            self.assertEqual(done.status, "done")
            changes = done.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "status")
            self.assertEqual(len(changes), 1)
