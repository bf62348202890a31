"""Hostile input on every portal form and route (property-based, hypothesis).

Each property posts or requests random and adversarial values (unicode, 100 kB strings,
HTML/JS, SQL fragments, NUL characters, files instead of text, foreign ids, missing fields,
negative and huge numbers, impossible dates) and checks that the portal never answers with
a server error, writes nothing for invalid input, leaves the user's other data alone and
never shows another user's data. ``MENTOR_HYPOTHESIS_EXAMPLES`` (default 15) sets the
number of examples per property; the whole file runs in about a minute.
"""

import hashlib
import os
import uuid
from datetime import datetime, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from odoo import Command, fields, http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import MentorCommon

HOSTILE_SETTINGS = settings(
    deadline=None,  # one example is one or two HTTP requests through Odoo: seconds on a loaded machine
    max_examples=int(os.environ.get("MENTOR_HYPOTHESIS_EXAMPLES", "15")),
    database=None,  # no .hypothesis/ folder in the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

ADVERSARIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\n\r\t",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://meet.example.com/<script>",
    "https://",
    "http://exa mple.com",
    "'; DROP TABLE op_mentor_meeting; --",
    "1 OR 1=1",
    "%s %(name)s {0} {{7*7}} ${7*7}",
    "../../../../etc/passwd",
    "\u202etxt.exe",
    "\ufeff",
    "\U0001f4a5" * 50,
    "e\u0301" * 300,
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "None",
    "null",
    "[]",
    "{}",
    "99999999999999999999",
    "2147483648",
    "\u0663\u0660",  # Arabic-Indic 30
    "\u00b2",  # superscript two: isdigit() but not int()
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "0000-00-00",
    "99999-01-01",
    "24:00",
    "23:60",
    "-01:00",
    "10:00:00+25:00",
    "Europe/Nowhere",
]

text_values = st.one_of(
    st.sampled_from(ADVERSARIAL),
    st.text(max_size=300),
    st.builds(lambda char, size: char * size, st.characters(codec="utf-8"), st.sampled_from([1001, 100_000])),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
# A form field: missing, adversarial text, or (multipart) a file under the field's name.
FILE = object()
MISSING = object()


def _as_int(value):
    """The id the portal reads in a posted value (digits only, like the controller), else None."""
    value = value.strip()
    return int(value) if value.isdecimal() and len(value) <= 10 else None


def _stored_tokens(token):
    """What the portal may store for a posted token: itself, or its SHA-256 when it is not a plain token."""
    token = token.strip()
    return [token, hashlib.sha256(token.encode(errors="replace")).hexdigest()] if token else []


def field_value(valid):
    return st.one_of(st.just(MISSING), st.just(FILE), text_values, st.just(valid), st.just(valid))


# Path segments where the routes expect an id (what is not one reaches the addon's catch-all 404 route;
# before it, a NUL gave a 500 in Odoo's attachment lookup of unknown URLs).
GARBAGE_IDS = ["%00", "1%00", "%001", "%2F", "9" * 30, "2147483648", "-2147483649", "%FF"]
path_ids = st.one_of(
    st.sampled_from(["-1", "0", "abc", "99999999999999999999", "1.5", "1;DROP", "%2e%2e", "1e3", "%20", "0x10"]),
    st.sampled_from(GARBAGE_IDS),
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
)
# Every route with an id in its path: (method, URL pattern).
ID_ROUTES = [
    ("GET", "/my/mentor/meetings/{}"),
    ("GET", "/my/mentor/meetings/page/{}"),
    ("GET", "/my/mentor/meetings/{}/session"),
    ("POST", "/my/mentor/meetings/{}/session"),
    ("POST", "/my/mentor/meetings/{}/next"),
    ("POST", "/my/mentor/meetings/{}/done"),
    ("POST", "/my/mentor/meetings/{}/cancel"),
    ("POST", "/my/mentor/meetings/{}/missed"),
    ("POST", "/my/mentor/meetings/{}/reschedule"),
    ("GET", "/my/mentorship/meetings/{}"),
    ("GET", "/my/mentorship/meetings/page/{}"),
    ("GET", "/my/mentorship/meetings/{}/ics"),
    ("POST", "/my/mentorship/meetings/{}/rate"),
]

# What each login must never see: the names and links of the other "world" of MentorCommon.
WORLD_A = ("Weekly check-in", "weekly-check-in", "Eli Mentee", "Maya Mentor")
WORLD_B = ("Other check-in", "other-check-in", "Iris Mentee", "Noah Mentor")
FOREIGN = {
    "mentor": WORLD_B,
    "mentee": WORLD_B,
    "mentor_other": WORLD_A,
    "student_other": WORLD_A + WORLD_B,
    None: WORLD_A + WORLD_B,
}
SERVER_ERROR_MARKERS = ("Traceback", "Internal Server Error", "psycopg2")


@tagged("post_install", "-at_install")
class TestPortalHostileInput(HttpCase, MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Meeting = cls.env["op.mentor.meeting"].sudo()
        cls.next_winter = datetime(fields.Datetime.now().year + 2, 1, 15)

    # ------------------------------------------------------------
    # Tools
    # ------------------------------------------------------------

    def _send(self, url, login="mentor", data=None, method="POST"):
        """One request as ``login``; ``data`` may hold MISSING (left out) and FILE (uploaded) values."""
        self.authenticate(login, login) if login else self.authenticate(None, None)
        if method == "GET":
            response = self.opener.get(self.base_url() + url, timeout=30, allow_redirects=False)
        else:
            form, files = {"csrf_token": http.Request.csrf_token(self)}, {}
            for key, value in (data or {}).items():
                if value is MISSING:
                    continue
                if value is FILE:
                    files[key] = ("evil.txt", b"<script>alert(1)</script>\x00\xff", "text/plain")
                else:
                    form[key] = value
            response = self.opener.post(
                self.base_url() + url, data=form, files=files or None, timeout=30, allow_redirects=False
            )
        self.env.invalidate_all()
        return response

    def _snapshot(self):
        """Every meeting with what a portal form could change, and the foreign meeting's values."""
        self.env.invalidate_all()
        return {
            meeting.id: (
                meeting.meeting_name,
                meeting.meeting_link,
                meeting.date,
                meeting.status,
                meeting.description,
                tuple(meeting.meeting_students.ids),
                meeting.student_id.id,
            )
            for meeting in self.Meeting.search([])
        }

    def assertSafeResponse(self, response, login="mentor", sent=()):
        self.assertLess(response.status_code, 500, response.text[:2000])
        text = response.text
        for marker in SERVER_ERROR_MARKERS + FOREIGN[login]:
            self.assertNotIn(marker, text)
        for value in sent:
            # what the user typed comes back escaped, never as markup
            if isinstance(value, str) and "<script>" in value:
                self.assertNotIn("<script>alert(1)</script>", text)
            if isinstance(value, str) and "onerror=" in value:
                self.assertNotIn("<img src=x onerror", text)

    def assertOnlyChanged(self, before, allowed_ids=()):
        after = self._snapshot()
        new_ids = set(after) - set(before)
        for meeting_id, values in before.items():
            if meeting_id not in allowed_ids:
                self.assertEqual(after.get(meeting_id), values, f"meeting {meeting_id} changed")
        return self.Meeting.browse(sorted(new_ids))

    def _own_meeting(self, name, past=False):
        """A scheduled meeting of the mentor; ``past``: it started an hour ago (a no-show can be marked)."""
        if not past:
            return self._create_meeting(self.student_mentor, self.student_mentee, name)
        return self.Meeting.with_context(no_mail_to_attendees=True).create(
            {
                "meeting_name": name,
                "meeting_link": "https://meet.example.com/past",
                "date": fields.Datetime.now() - timedelta(hours=1),
                "student_id": self.student_mentor.id,
                "meeting_students": [Command.set(self.student_mentee.ids)],
            }
        )

    def _valid_form(self):
        return {
            "meeting_name": "Goal setting",
            "meeting_link": "https://meet.example.com/goal-setting",
            "date": self.next_winter.strftime("%Y-%m-%d"),
            "time": "10:00",
            "duration": "45",
            "description": "SMART goals",
            "token": uuid.uuid4().hex,
        }

    def assertValidMeeting(self, meeting, mentor=None):
        """A meeting the form created from partly random input is still a valid meeting of the mentor."""
        mentor = mentor or self.student_mentor
        self.assertEqual(meeting.student_id, mentor)
        self.assertTrue(meeting.meeting_name and len(meeting.meeting_name) <= 200)
        self.assertNotIn("\x00", meeting.meeting_name + (meeting.description or ""))
        self.assertTrue(meeting.meeting_link.startswith(("http://", "https://")))
        self.assertLessEqual(len(meeting.meeting_link), 2000)
        self.assertGreater(meeting.date, fields.Datetime.now() - timedelta(minutes=5))
        self.assertTrue(meeting.meeting_students)
        self.assertLessEqual(meeting.meeting_students, mentor._mentor_active_mentees())
        self.assertTrue(1 <= meeting.duration <= 600)

    # ------------------------------------------------------------
    # Properties
    # ------------------------------------------------------------

    @HOSTILE_SETTINGS
    @given(data=st.data())
    def test_new_meeting_form(self, data):
        valid = self._valid_form()
        form = {key: data.draw(field_value(value), label=key) for key, value in valid.items()}
        form["token"] = valid["token"]  # a new form each time; the token itself is tried below
        mentee_ids = data.draw(
            st.lists(
                st.one_of(
                    st.just(str(self.student_mentee.id)),
                    st.just(str(self.student_mentee_other.id)),
                    st.just(str(self.student_other.id)),
                    st.just(str(self.student_mentor.id)),
                    text_values,
                ),
                max_size=4,
            ),
            label="mentee_ids",
        )
        form["mentee_ids"] = mentee_ids
        before = self._snapshot()
        with mute_logger("odoo.http"):
            response = self._send("/my/mentor/meetings/new", data=form)
        self.assertSafeResponse(response, sent=[v for v in form.values() if isinstance(v, str)])
        created = self.assertOnlyChanged(before)
        if response.status_code in (302, 303):
            self.assertIn("message=created", response.headers["Location"])
            self.assertEqual(len(created), 1)
            self.assertValidMeeting(created)
            # a created meeting means every value was the valid one or an acceptable variant
            self.assertEqual({_as_int(value) for value in mentee_ids}, {self.student_mentee.id})
        else:
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_mentor_form_errors", response.text)
            self.assertFalse(created, "invalid input wrote a meeting")

    @HOSTILE_SETTINGS
    @given(token=text_values)
    def test_new_meeting_token(self, token):
        """Any token: at most one meeting per token, and another mentor's token reveals nothing."""
        # examples share the test's transaction: a token an earlier example used is not a new form
        # a token with a NUL character is never stored (PostgreSQL refuses it in a string): not searched either
        stored = [value for value in _stored_tokens(token) if "\x00" not in value]
        assume(not self.Meeting.search_count([("portal_submit_token", "in", stored)]))
        form = {**self._valid_form(), "token": token, "mentee_ids": [str(self.student_mentee.id)]}
        before = self._snapshot()
        first = self._send("/my/mentor/meetings/new", data=form)
        second = self._send("/my/mentor/meetings/new", data=form)
        other = self._send(
            "/my/mentor/meetings/new",
            login="mentor_other",
            data={**form, "mentee_ids": [str(self.student_mentee_other.id)]},
        )
        for response in (first, second):
            self.assertSafeResponse(response)
            self.assertIn(response.status_code, (302, 303))
        self.assertSafeResponse(other, login="mentor_other")
        created = self.assertOnlyChanged(before)
        mine = created.filtered(lambda m: m.student_id == self.student_mentor)
        if not token.strip():
            # no token at all (a hand-made post: the form always has one): nothing to recognise it by
            self.assertEqual(len(mine), 2)
            self.assertEqual(other.status_code, 303)
            return
        self.assertEqual(len(mine), 1)
        self.assertTrue(first.headers["Location"].endswith(f"/my/mentor/meetings/{mine.id}?message=created"))
        self.assertTrue(second.headers["Location"].endswith(f"/my/mentor/meetings/{mine.id}?message=duplicate"))
        # another mentor's form with the same token: refused, and it does not say which meeting it made
        self.assertEqual(other.status_code, 200)
        self.assertIn("This form was already sent", other.text)
        self.assertFalse(created - mine)

    @HOSTILE_SETTINGS
    @given(
        action=st.sampled_from(["cancel", "missed"]),
        reason=field_value("illness"),
        note=field_value("Exam moved"),
        login=st.sampled_from(["mentor", "mentor", "mentor_other", "mentee"]),
    )
    def test_close_form(self, action, reason, note, login):
        """Cancel / Mark missed with any reason and details: a valid one closes the own meeting once,
        anything else writes nothing."""
        meeting = self._own_meeting("Hostile close", past=action == "missed")
        before = self._snapshot()
        form = {"close_reason": reason, "close_note": note}
        with mute_logger("odoo.http"):
            response = self._send(f"/my/mentor/meetings/{meeting.id}/{action}", login=login, data=form)
        self.assertSafeResponse(response, login, sent=[v for v in form.values() if isinstance(v, str)])
        if login == "mentor" and response.status_code in (302, 303):
            self.assertTrue(response.headers["Location"].endswith(f"?message={action}"))
            self.assertOnlyChanged(before, allowed_ids={meeting.id})
            self.assertEqual(meeting.status, action)
            self.assertIn(meeting.close_reason, dict(meeting._fields["close_reason"].selection))
            self.assertNotIn("\x00", meeting.close_note or "")
        else:
            self.assertFalse(self.assertOnlyChanged(before))
            self.assertEqual(meeting.status, "scheduled")
            if login == "mentor":
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_mentor_error", response.text)

    @HOSTILE_SETTINGS
    @given(
        date=field_value("2000-01-01"),
        time=field_value("10:00"),
        link=field_value("https://meet.example.com/moved"),
        target=st.sampled_from(["own", "foreign", "done"]),
        login=st.sampled_from(["mentor", "mentor", "mentor_other", "mentee", "student_other"]),
    )
    def test_reschedule_form(self, date, time, link, target, login):
        if date == "2000-01-01":
            date = self.next_winter.strftime("%Y-%m-%d")
        meeting = {
            "own": self._create_meeting(self.student_mentor, self.student_mentee, "Hostile reschedule"),
            "foreign": self._create_meeting(self.student_mentor_other, self.student_mentee_other, "Other check-in"),
            "done": self._create_meeting(self.student_mentor, self.student_mentee, "Closed", status="done"),
        }[target]
        before = self._snapshot()
        form = {"date": date, "time": time, "meeting_link": link}
        with mute_logger("odoo.http"):
            response = self._send(f"/my/mentor/meetings/{meeting.id}/reschedule", login=login, data=form)
        self.assertSafeResponse(response, login, sent=[v for v in form.values() if isinstance(v, str)])
        owner = {"own": "mentor", "done": "mentor", "foreign": "mentor_other"}[target] == login
        if owner and response.status_code in (302, 303) and "message=rescheduled" in response.headers["Location"]:
            created = self.assertOnlyChanged(before, allowed_ids={meeting.id})
            self.assertEqual(meeting.status, "reschedule")
            self.assertEqual(created, meeting.rescheduled_to_ids)
            self.assertValidMeeting(created, mentor=meeting.student_id)
        else:
            self.assertFalse(self.assertOnlyChanged(before))
            if owner and target != "done":
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_mentor_error", response.text)

    @HOSTILE_SETTINGS
    @given(
        action=st.sampled_from(["done", "cancel", "missed", "reschedule"]),
        meeting_id=path_ids,
        extra=st.dictionaries(st.sampled_from(["status", "student_id", "id", "date", "x"]), text_values, max_size=3),
        login=st.sampled_from(["mentor", "mentor_other", "mentee", None]),
    )
    def test_actions_on_any_id(self, action, meeting_id, extra, login):
        """Done / Cancel / Reschedule on ids that are not the user's: nothing changes, never a 5xx."""
        before = self._snapshot()
        if meeting_id == str(self.meeting.id) and login == "mentor":
            meeting_id = str(self.meeting_other.id)
        with mute_logger("odoo.http"):
            response = self._send(f"/my/mentor/meetings/{meeting_id}/{action}", login=login, data=extra)
        self.assertSafeResponse(response, login)
        self.assertIn(response.status_code, (302, 303, 400, 403, 404) if login else (302, 303, 400, 404))
        self.assertFalse(self.assertOnlyChanged(before))

    def test_garbage_ids_in_urls(self):
        """A NUL, a slash, a number out of PostgreSQL's range… where a route expects an id: a 404 (or
        Odoo's redirect of a doubled slash, then a 404), never a 5xx, for every role; nothing written."""
        before = self._snapshot()
        for login, garbage in (
            ("mentor", GARBAGE_IDS),
            (None, GARBAGE_IDS),
            ("mentee", ["%00", "1%00"]),
            ("mentor_other", ["%00", "1%00"]),
        ):
            for method, route in ID_ROUTES:
                for junk in garbage:
                    url = route.format(junk)
                    with self.subTest(login=login, url=url, method=method), mute_logger("odoo.http"):
                        response = self._send(url, login=login, data={"close_reason": "illness"}, method=method)
                        redirects = 0
                        while response.status_code in (301, 308) and redirects < 3:
                            # Odoo's routing: "//" merged, then the trailing "/" dropped (the list, a page
                            # of meetings or a 404: what the URL without the slash is)
                            location = response.headers["Location"].split(self.base_url())[-1]
                            self.assertTrue(location.startswith(route.split("{}")[0].rstrip("/")), location)
                            response = self._send(location, login=login, method=method)
                            redirects += 1
                        self.assertSafeResponse(response, login)
                        if "%2F" in junk:
                            self.assertLess(response.status_code, 500)
                        elif "%00" in junk or "%FF" in junk:
                            self.assertEqual(response.status_code, 404)  # the catch-all route's page
                        elif route.endswith("page/{}"):
                            # a page number (the last page), or no page at all
                            self.assertIn(response.status_code, (200, 303, 403, 404))
                        else:
                            # out of range: the route's 404 (a refusal for non-mentors, a login for visitors)
                            self.assertIn(response.status_code, (404, 403) if login else (303, 404))
        self.assertFalse(self.assertOnlyChanged(before))

    def test_export_ics_garbage_ids(self):
        """The backend's calendar export with ids that are not ids (NUL, huge, a file): a 404."""
        for ids in ("\x00", "1\x00", "9" * 30, "2147483648", "1,,abc", FILE):
            with self.subTest(ids=ids), mute_logger("odoo.http"):
                if ids is FILE:
                    response = self._send("/op_student_mentor/meetings.ics", login="mentor_admin", data={"ids": FILE})
                else:
                    self.authenticate("mentor_admin", "mentor_admin")
                    response = self.opener.get(
                        self.base_url() + "/op_student_mentor/meetings.ics", params={"ids": ids}, timeout=30
                    )
                self.assertEqual(response.status_code, 404, response.text[:500])

    @HOSTILE_SETTINGS
    @given(
        action=st.sampled_from(["done", "cancel", "missed"]),
        extra=st.dictionaries(st.text(max_size=20), text_values, max_size=4),
    )
    def test_actions_repeated(self, action, extra):
        """Done / Cancel / Missed posted twice with junk fields: changes the own meeting once, then only a message."""
        # done and no-show can only be marked once the meeting started
        meeting = self._own_meeting("Twice", past=action in ("done", "missed"))
        extra.pop("csrf_token", None)
        extra.update(close_reason="illness", close_note="")  # the reason Cancel and Missed ask for
        url = f"/my/mentor/meetings/{meeting.id}/{action}"
        first = self._send(url, data=extra)
        second = self._send(url, data=extra)
        self.assertTrue(first.headers["Location"].endswith(f"?message={action}"))
        self.assertTrue(second.headers["Location"].endswith(f"?message=already_{action}"))
        self.assertEqual(meeting.status, action)
        self.assertEqual(meeting.close_reason, "illness" if action != "done" else False)
        page = self._send(second.headers["Location"], method="GET")
        self.assertEqual(page.status_code, 200)
        self.assertSafeResponse(page)

    @HOSTILE_SETTINGS
    @given(
        route=st.sampled_from(
            [
                "/my/mentor/meetings",
                "/my/mentor/meetings/page/{page}",
                "/my/mentorship/meetings",
                "/my/mentorship/meetings/page/{page}",
                "/my/mentor/mentees",
                "/my/mentor/meetings/new",
                "/my/mentor/meetings/{id}",
                "/my/mentorship/meetings/{id}",
                "/my/mentorship/meetings/{id}/ics",
            ]
        ),
        page=path_ids,
        meeting_id=st.one_of(path_ids, st.sampled_from(["own", "foreign"])),
        params=st.dictionaries(
            st.sampled_from(["sortby", "filterby", "search", "search_in", "page", "message", "groupby", "x"]),
            # at most 500 characters a value: 4 of them stay under 64 kB of URL once %-encoded, the request
            # line limit of the test server (longer URLs are the proxy's business: 414)
            text_values.map(lambda value: value[:500]),
            max_size=4,
        ),
        login=st.sampled_from(["mentor", "mentee", "mentor_other", "student_other", None]),
    )
    def test_get_routes(self, route, page, meeting_id, params, login):
        """Every page with random query strings and path ids: never a 5xx, never foreign data."""
        meeting_id = {"own": str(self.meeting.id), "foreign": str(self.meeting_other.id)}.get(meeting_id, meeting_id)
        url = route.format(page=page, id=meeting_id)
        before = self._snapshot()
        self.authenticate(login, login) if login else self.authenticate(None, None)
        with mute_logger("odoo.http"):
            response = self.opener.get(self.base_url() + url, params=params, timeout=30, allow_redirects=False)
        self.assertSafeResponse(response, login, sent=params.values())
        self.assertFalse(self.assertOnlyChanged(before))

    @HOSTILE_SETTINGS
    @given(
        route=st.sampled_from(["session", "session", "next", "goals"]),
        names=st.lists(
            st.sampled_from(
                [
                    "visibility",
                    "catch_up",
                    "progress",
                    "obstacles",
                    "project_progress",
                    "on_track",
                    "at_risk",
                    "goal-0-name",
                    "goal-0-indicator",
                    "goal-0-deadline",
                    "goal-0-shared",
                    "date",
                    "time",
                    "meeting_link",
                    "token",
                ]
            ),
            max_size=8,
        ),
        values=st.lists(st.one_of(text_values, st.just(FILE)), min_size=8, max_size=8),
        foreign_prefix=st.booleans(),
        login=st.sampled_from(["mentor", "mentor", "mentor_other", "mentee"]),
    )
    def test_session_record_routes(self, route, names, values, foreign_prefix, login):
        """The session record, the next-session form and the goals page (mentoring practice) with any
        values, for the mentee's fields or a foreign mentee's: never a 5xx, never foreign data, and no
        meeting other than the one the form is about (or the next session it makes) changes."""
        meeting = self._own_meeting("Hostile session", past=True)
        self._mark_done(meeting)
        prefix = (
            "" if route == "next" else f"{(self.student_mentee_other if foreign_prefix else self.student_mentee).id}-"
        )
        form = {
            prefix + name if name not in ("date", "time", "meeting_link", "token") else name: value
            for name, value in zip(names, values, strict=False)
        }
        before = self._snapshot()
        with mute_logger("odoo.http"):
            if route == "goals":
                response = self._send(
                    "/my/mentorship/goals", login="mentee" if login == "mentor" else login, method="GET"
                )
                login = "mentee" if login == "mentor" else login
            else:
                response = self._send(f"/my/mentor/meetings/{meeting.id}/{route}", login=login, data=form)
        self.assertSafeResponse(response, login, sent=[v for v in form.values() if isinstance(v, str)])
        created = self.assertOnlyChanged(before, allowed_ids={meeting.id})
        if login != "mentor" or route != "next":
            self.assertFalse(created)
        for new_meeting in created:
            self.assertValidMeeting(new_meeting)


# What cannot be saved as text, posted in each field of each POST route (TestPortalPostMatrix).
INVALID_UTF8 = b"caf\xe9 \xff\xfe"  # latin-1 bytes: werkzeug decodes them as U+FFFD
HOSTILE_VALUES = {
    "nul": "Goal\x00setting",
    "invalid_utf8": INVALID_UTF8,
    "1mb": "x" * 1_000_000,
    "file": FILE,
    "missing": MISSING,
}
# Dates out of the window of op.mentor.meeting (_check_date_window), for the date fields.
OUT_OF_WINDOW_DATES = {"year_9999": "9999-12-31", "year_1999": "1999-12-31"}
UNSAVABLE = ("\x00", "\ufffd")
ANY_VALUE = set(HOSTILE_VALUES)


@tagged("post_install", "-at_install")
class TestPortalPostMatrix(HttpCase, MentorCommon):
    """Every POST route of the portal x every field it reads x a NUL, invalid UTF-8, a 1 MB value, a file
    in place of the text, the field left out (and dates out of range): never a 5xx. A value the route
    cannot save is refused with the page and its error and writes nothing; a value it may take (an
    optional field left out, any text in a checkbox or in the form's one-time token) writes a valid
    record. One HTTP session per route, the values in a loop."""

    # route: the fields it reads with a valid value, those that may be left out, the hostile values a
    # field takes (the one-time token is any text: one that is not a plain token is hashed)
    ROUTES = {
        "new": {
            "fields": {
                "meeting_name": "Goal setting",
                "meeting_link": "https://meet.example.com/goal-setting",
                "date": "{next_winter}",
                "time": "10:00",
                "duration": "45",
                "description": "SMART goals",
                "mentee_ids": "{mentee}",
                "token": "{token}",
            },
            # no link: the meeting gets a Discuss video room
            "optional": {"meeting_link", "duration", "description", "token"},
            "accepts": {"token": ANY_VALUE},
            "dates": {"date"},
        },
        "reschedule": {
            "fields": {"date": "{next_winter}", "time": "10:00", "meeting_link": "https://meet.example.com/moved"},
            "optional": {"meeting_link"},
            "dates": {"date"},
        },
        "cancel": {"fields": {"close_reason": "illness", "close_note": "Exam moved"}, "optional": {"close_note"}},
        "missed": {"fields": {"close_reason": "illness", "close_note": "No answer"}, "optional": {"close_note"}},
        # Mark done reads no field: whatever comes with it changes nothing but the status
        "done": {"fields": {"note": "unused"}, "accepts": {"note": ANY_VALUE}},
        "session": {
            "fields": {
                "{mentee}-visibility": "mentor",
                "{mentee}-catch_up": "Caught up on the project",
                "{mentee}-progress": "Tests written",
                "{mentee}-obstacles": "Time",
                "{mentee}-project_progress": "50",
                "{mentee}-on_track": "yes",
                "{mentee}-at_risk": "",
                "{mentee}-goal-0-name": "Unit tests",
                "{mentee}-goal-0-indicator": "Three tests pass",
                "{mentee}-goal-0-deadline": "{next_week}",
                "{mentee}-goal-0-shared": "on",
                "{mentee}-absent": "",
            },
            "optional": {
                "{mentee}-catch_up",
                "{mentee}-progress",
                "{mentee}-obstacles",
                "{mentee}-project_progress",
                "{mentee}-on_track",
                "{mentee}-at_risk",
                "{mentee}-goal-0-indicator",
                "{mentee}-goal-0-deadline",
                "{mentee}-goal-0-shared",
                "{mentee}-absent",
            },
            # checkboxes: any text ticks them
            "accepts": {"{mentee}-goal-0-shared": {"1mb"}, "{mentee}-absent": {"1mb"}},
            "dates": {"{mentee}-goal-0-deadline"},
        },
        "next": {
            "fields": {
                "date": "{next_winter}",
                "time": "10:00",
                "meeting_link": "https://meet.example.com/next",
                "token": "{token}",
            },
            "optional": {"token"},
            "accepts": {"token": ANY_VALUE},
            "dates": {"date"},
        },
        "rate": {"fields": {"rating": "4", "comment": "Helpful"}, "optional": {"comment"}},
        # the mentee's answer to the invitation: only "accept" / "decline" (any other value is a 400)
        "rsvp": {"fields": {"answer": "accept"}},
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Meeting = cls.env["op.mentor.meeting"].sudo()

    # ------------------------------------------------------------
    # Tools
    # ------------------------------------------------------------

    def _target(self, route):
        """A fresh meeting in the state the route acts on, and the URL to post to."""
        if route == "new":
            return self.Meeting, "/my/mentor/meetings/new"
        past = route not in ("reschedule", "cancel", "rsvp")
        meeting = self.Meeting.with_context(no_mail_to_attendees=True).create(
            {
                "meeting_name": f"Matrix {route}",
                "meeting_link": "https://meet.example.com/matrix",
                "date": fields.Datetime.now() + (timedelta(hours=-1) if past else timedelta(days=3)),
                "student_id": self.student_mentor.id,
                "meeting_students": [Command.set(self.student_mentee.ids)],
            }
        )
        if route in ("session", "next", "rate"):
            meeting.action_done()
        if route in ("rate", "rsvp"):
            return meeting, f"/my/mentorship/meetings/{meeting.id}/{route}"
        return meeting, f"/my/mentor/meetings/{meeting.id}/{route}"

    def _placeholders(self):
        today = fields.Date.today()
        return {
            "next_winter": f"{today.year + 2}-01-15",
            "next_week": fields.Date.to_string(today + timedelta(days=7)),
            "mentee": str(self.student_mentee.id),
            "token": uuid.uuid4().hex,
        }

    def _state(self):
        """What any portal form could write: meetings, follow-ups, goals and ratings, with their values."""
        self.env.invalidate_all()
        env = self.env(su=True)
        state = {}
        for model, fnames in (
            (
                "op.mentor.meeting",
                [
                    "meeting_name",
                    "meeting_link",
                    "date",
                    "duration",
                    "description",
                    "status",
                    "close_reason",
                    "close_note",
                    "meeting_students",
                    "absent_student_ids",
                ],
            ),
            (
                "op.mentor.followup",
                [
                    "student_id",
                    "visibility",
                    "note_catch_up",
                    "note_progress",
                    "note_obstacles",
                    "project_progress",
                    "on_track_training",
                    "at_risk_reason",
                    "status",
                ],
            ),
            ("op.mentor.goal", ["name", "indicator", "deadline", "state", "visibility", "followup_id"]),
            ("op.mentor.meeting.rating", ["rating", "comment"]),
            ("calendar.attendee", ["state", "partner_id", "event_id"]),
        ):
            state[model] = {
                record["id"]: record
                for record in env[model].with_context(active_test=False).search_read([], fnames, order="id")
            }
        return state

    def _changed_text(self, before, after):
        """Every text value written between two states (new records and changed values)."""
        texts = []
        for model, records in after.items():
            for record_id, values in records.items():
                old = before[model].get(record_id, {})
                texts += [v for k, v in values.items() if isinstance(v, str) and old.get(k) != v]
        return texts

    def _post_case(self, url, form):
        data, files = {"csrf_token": http.Request.csrf_token(self)}, {}
        for key, value in form.items():
            if value is FILE:
                files[key] = ("evil.txt", b"<script>alert(1)</script>\x00\xff", "text/plain")
            elif value is not MISSING:
                data[key] = value
        response = self.opener.post(
            self.base_url() + url, data=data, files=files or None, timeout=60, allow_redirects=False
        )
        self.env.invalidate_all()
        return response

    def _run_matrix(self, route):
        spec = self.ROUTES[route]
        login = "mentee" if route in ("rate", "rsvp") else "mentor"
        self.authenticate(login, login)  # one session for the whole route
        cases = [(name, kind, value) for name in spec["fields"] for kind, value in HOSTILE_VALUES.items()]
        cases += [(name, kind, value) for name in spec.get("dates", ()) for kind, value in OUT_OF_WINDOW_DATES.items()]
        for name, kind, value in cases:
            placeholders = self._placeholders()
            form = {key.format(**placeholders): valid.format(**placeholders) for key, valid in spec["fields"].items()}
            field = name.format(**placeholders)
            form[field] = value
            accepted = kind in spec.get("accepts", {}).get(name, ()) or (
                kind == "missing" and name in spec.get("optional", ())
            )
            with self.subTest(route=route, field=field, value=kind):
                meeting, url = self._target(route)
                before = self._state()
                with mute_logger("odoo.http"):
                    response = self._post_case(url, form)
                self.assertLess(response.status_code, 500, response.text[:3000])
                for marker in SERVER_ERROR_MARKERS:
                    self.assertNotIn(marker, response.text)
                after = self._state()
                if accepted:
                    self.assertEqual(response.status_code, 303, response.text[:3000])
                    self.assertNotIn("error", response.headers["Location"])
                    written = self._changed_text(before, after)
                    self.assertTrue(all(c not in text for text in written for c in UNSAVABLE), written)
                    self.assertTrue(all(len(text) <= 10_000 for text in written))
                else:
                    # the page again with its error (or a 4xx), and nothing written
                    self.assertIn(response.status_code, (200, 400, 403, 404, 413), response.headers.get("Location"))
                    if response.status_code == 200:
                        self.assertRegex(response.text, "o_mentor_(form_|next_)?errors?")
                    self.assertEqual(after, before, "a refused form wrote something")
                if meeting:
                    self.assertLess(self.Meeting.browse(meeting.id).date.year, 9999)

    # ------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------

    def test_matrix_covers_every_post_route(self):
        """Every route of the addon that takes a POST is in the matrix (a new route fails here until it is)."""
        covered = {
            "/my/mentor/meetings/new",
            "/my/mentor/meetings/<int:meeting_id>/reschedule",
            "/my/mentor/meetings/<int:meeting_id>/cancel",
            "/my/mentor/meetings/<int:meeting_id>/missed",
            "/my/mentor/meetings/<int:meeting_id>/done",
            "/my/mentor/meetings/<int:meeting_id>/session",
            "/my/mentor/meetings/<int:meeting_id>/next",
            "/my/mentorship/meetings/<int:meeting_id>/rate",
            "/my/mentorship/meetings/<int:meeting_id>/rsvp",
        }
        self.assertEqual(len(covered), len(self.ROUTES))
        # the routes of the installed addons as Odoo builds its routing map (without a request's thread)
        post_routes = {
            url
            for url, endpoint in http._generate_routing_rules(self.env.registry._init_modules, nodb_only=False)
            if endpoint.__module__.startswith("odoo.addons.op_student_mentor.")
            and "POST" in (endpoint.routing.get("methods") or ())
        }
        self.assertIn("/my/mentor/meetings/new", post_routes)
        self.assertEqual(post_routes, covered)

    def test_matrix_rsvp(self):
        self._run_matrix("rsvp")

    def test_matrix_new_meeting(self):
        self._run_matrix("new")

    def test_matrix_reschedule(self):
        self._run_matrix("reschedule")

    def test_matrix_cancel(self):
        self._run_matrix("cancel")

    def test_matrix_missed(self):
        self._run_matrix("missed")

    def test_matrix_done(self):
        self._run_matrix("done")

    def test_matrix_session_record(self):
        self._run_matrix("session")

    def test_matrix_next_session(self):
        self._run_matrix("next")

    def test_matrix_rating(self):
        self._run_matrix("rate")

    def test_date_window_model(self):
        """The model refuses a date out of range whatever sends it (backend, import, another addon)."""
        for date in (datetime(9999, 12, 31), datetime(1999, 12, 31), fields.Datetime.now() + timedelta(days=6 * 366)):
            with self.subTest(date=date), self.assertRaisesRegex(ValidationError, "out of range"):
                self.Meeting.create(
                    {
                        "meeting_name": "Far away",
                        "meeting_link": "https://meet.example.com/far",
                        "date": date,
                        "student_id": self.student_mentor.id,
                        "meeting_students": [Command.set(self.student_mentee.ids)],
                    }
                )
            with self.subTest(date=date, write=True), self.assertRaisesRegex(ValidationError, "out of range"):
                self.meeting.write({"date": date})
        # the window's edges: 2000-01-01 (a past meeting of the records) and five years ahead are fine
        self.meeting.write({"date": datetime(2000, 1, 1)})
        self.meeting.write({"date": fields.Datetime.now() + timedelta(days=5 * 365)})
