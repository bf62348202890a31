"""Screenshots of the running demo (``tools/dev run``) with headless Chromium.

Logs in through ``/web/login`` with requests, hands the session cookie to
Chromium through the DevTools protocol (websocket-client, already in the venv),
opens each page, waits until the view has rendered and saves a PNG.

    python tools/screenshots.py [--url http://localhost:8069] [--out docs/screenshots] [--only name,name]
"""

import argparse
import base64
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
APPLICATIONS = "/odoo/action-op_student_mentor.op_mentor_details_action"
MEETINGS = "/odoo/action-op_student_mentor.op_mentor_meeting_action"
OVERVIEW = "/odoo/action-op_student_mentor.op_mentor_report_action"
REPORT_MEETINGS = "/odoo/action-op_student_mentor.op_mentor_report_action_meetings"

# name, login, path (None: the approved application's form), CSS selector that proves the view
# rendered, JS steps run one after the other once it is there (e.g. clicks).
CLICK_TEXT = (
    "(() => {{ const e = [...document.querySelectorAll({selector!r})]"
    ".find(e => e.textContent.trim() === {text!r}); if (e) {{ e.click(); }} return !!e; }})()"
)
SHOTS = [
    ("backend-applications-kanban", "admin", APPLICATIONS + "?view_type=kanban", ".o_kanban_record", []),
    ("backend-application-form", "admin", None, ".o_form_view .o_field_widget", []),
    (
        "backend-meetings-calendar",
        "admin",
        MEETINGS + "?view_type=calendar",
        ".o_calendar_renderer",
        [
            # All meetings, not only the upcoming ones, on a month: the demo spans four weeks.
            "document.querySelector('.o_searchview_facet .o_facet_remove')?.click() || true",
            CLICK_TEXT.format(selector=".o_calendar_header button, .o_cp_bottom_left button", text="Week"),
            CLICK_TEXT.format(selector=".dropdown-item, .o-dropdown-item", text="Month"),
        ],
    ),
    ("backend-mentorship-overview", "admin", REPORT_MEETINGS, ".o_graph_renderer canvas", []),
    ("backend-mentorship-overview-pivot", "admin", OVERVIEW + "?view_type=pivot", ".o_pivot table", []),
    (
        "report-mentor-activity",
        "admin",
        "/report/html/op_student_mentor.report_mentor_activity/{allocation}",
        ".o_mentor_report",
        [],
    ),
    # Matching: {draft}, {wizard}, {student} are prepared by matching_records() below.
    (
        "backend-application-suggest",
        "admin",
        APPLICATIONS + "/{draft}",
        ".o_form_view .o_field_widget",
        [
            CLICK_TEXT.format(selector="button", text="Suggest Mentees"),
            # down to the mentees and why each was suggested
            "(() => { const e = document.querySelector('.o_content'); if (e) { e.scrollTop = 380; } return !!e; })()",
        ],
    ),
    ("backend-match-batch", "admin", "/odoo/op.mentor.match.wizard/{wizard}", ".o_form_view .o_list_renderer", []),
    (
        "backend-find-mentor",
        "admin",
        "/odoo/op.student/{student}",
        ".o_form_view .o_notebook",
        [
            CLICK_TEXT.format(selector=".o_notebook .nav-link", text="Mentorship"),
            CLICK_TEXT.format(selector="button", text="Find a Mentor"),
        ],
    ),
    (
        "backend-unmatched-students",
        "admin",
        "/odoo/action-op_student_mentor.op_mentor_unmatched_report_action",
        ".o_list_renderer .o_group_header",
        [
            "(() => { const e = [...document.querySelectorAll('.o_group_header')]"
            ".find(e => e.textContent.includes('BSc CS 2025')); if (e) { e.click(); } return !!e; })()"
        ],
    ),
    ("portal-home-mentor", "mentor@demo.school", "/my", ".o_portal_docs", []),
    ("portal-mentor-meetings", "mentor@demo.school", "/my/mentor/meetings", "table", []),
    ("portal-mentor-new-meeting", "mentor@demo.school", "/my/mentor/meetings/new", "form", []),
    ("portal-mentee-meetings", "mentee@demo.school", "/my/mentorship/meetings", "table", []),
    # {session}: the demo's second session (done, not yet recorded), whose page reviews the discovery's goals
    ("portal-mentor-session-record", "mentor@demo.school", "/my/mentor/meetings/{session}/session", "form", []),
    ("portal-mentee-goals", "mentee@demo.school", "/my/mentorship/goals", "table", []),
]
SESSION_MEETING = "Debugging habits: reading a traceback"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_session(url, login, password):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    reply = session.post(
        f"{url}/web/login",
        data={"login": login, "password": password, "csrf_token": token, "redirect": "/odoo"},
        timeout=60,
    )
    if "/web/login" in reply.url:
        sys.exit(f"error: could not log in as {login}")
    return session


def call_kw(session, url, model, method, args, kwargs=None):
    reply = session.post(
        f"{url}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        },
        timeout=60,
    ).json()
    if "error" in reply:
        sys.exit(f"error: {model}.{method}: {reply['error']['data']['message']}")
    return reply["result"]


class Chromium:
    def __init__(self, width, height):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="op_mentor_chromium_")
        binary = shutil.which("chromium") or "/usr/bin/chromium"
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--window-size={width},{height}",
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        target = None
        for _ in range(100):
            try:
                targets = requests.get(f"http://127.0.0.1:{self.port}/json/list", timeout=2).json()
                target = next(t for t in targets if t["type"] == "page")
                break
            except (requests.ConnectionError, StopIteration):
                time.sleep(0.2)
        if not target:
            self.close()
            sys.exit("error: Chromium did not start")
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.msg_id = 0

    def send(self, method, **params):
        self.msg_id += 1
        self.ws.send(json.dumps({"id": self.msg_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return True
            time.sleep(0.3)
        return False

    def close(self):
        with contextlib.suppress(Exception):
            self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def matching_records(session, url):
    """The records of the matching shots: Tom's draft application (mentees emptied, so the shot's click on
    Suggest Mentees fills them again), a proposal of Match the batch for the demo batch, and Omar, who needs help."""
    draft = call_kw(session, url, "op.mentor.details", "search", [[("status", "=", "draft")]], {"limit": 1})
    batch = call_kw(session, url, "op.batch", "search", [[("code", "=", "RC-BSCS-2025")]], {"limit": 1})
    student = call_kw(session, url, "op.student", "search", [[("name", "=", "Omar Haddad")]], {"limit": 1})
    if not (draft and batch and student):
        sys.exit("error: the matching demo records are missing: is this the demo database?")
    call_kw(session, url, "op.mentor.details", "write", [draft, {"student_detail_ids": [(6, 0, [])]}])
    wizard = call_kw(session, url, "op.mentor.match.wizard", "create", [{"batch_id": batch[0]}])
    call_kw(session, url, "op.mentor.match.wizard", "action_propose", [[wizard]])
    return {"{draft}": draft[0], "{wizard}": wizard, "{student}": student[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("ODOO_URL", "http://localhost:8069"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--only", default="", help="comma-separated screenshot names (default: all)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    passwords = {"admin": "admin", "mentor@demo.school": "mentor", "mentee@demo.school": "mentee"}

    sessions = {login: odoo_session(args.url, login, pw) for login, pw in passwords.items()}
    # The form of the approved application: the one with an allocation (the demo's first, Maya's: mentees filled).
    approved = call_kw(
        sessions["admin"],
        args.url,
        "op.mentor.details",
        "search_read",
        [[("status", "=", "approve")]],
        {"limit": 1, "order": "id"},
    )
    if not approved:
        sys.exit("error: no approved application: is this the demo database?")
    allocation = call_kw(sessions["admin"], args.url, "op.mentor.allocation", "search", [[]], {"limit": 1})

    session = call_kw(
        sessions["admin"],
        args.url,
        "op.mentor.meeting",
        "search",
        [[("meeting_name", "=", SESSION_MEETING)]],
        {"limit": 1},
    )
    if not session:
        sys.exit(f"error: no meeting {SESSION_MEETING!r}: is this the demo database?")

    only_names = set(filter(None, args.only.split(",")))
    matching = (
        matching_records(sessions["admin"], args.url)
        if not only_names or only_names & {"backend-application-suggest", "backend-match-batch", "backend-find-mentor"}
        else {}
    )
    database = (
        sessions["admin"]
        .post(f"{args.url}/web/session/get_session_info", json={"jsonrpc": "2.0", "params": {}}, timeout=30)
        .json()["result"]["db"]
    )
    chromium = Chromium(args.width, args.height)
    try:
        chromium.send("Page.enable")
        chromium.send(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=False,
        )
        chromium.send("Network.enable")
        host = urlsplit(args.url).hostname
        only = set(filter(None, args.only.split(",")))
        for name, login, path, selector, steps in SHOTS:
            if only and name not in only:
                continue
            chromium.send("Network.clearBrowserCookies")
            cookies = {
                "session_id": sessions[login].cookies["session_id"],
                # OpenEduCat opens a "review us on G2" dialog after 5 s unless this cookie is set.
                f"g2_review_{database}": "true",
            }
            for cookie, value in cookies.items():
                chromium.send("Network.setCookie", name=cookie, value=value, domain=host, path="/")
            path = (
                (path or f"{APPLICATIONS}/{approved[0]['id']}")
                .replace("{session}", str(session[0]))
                .replace("{allocation}", str(allocation[0]))
            )
            for placeholder, record_id in matching.items():
                path = path.replace(placeholder, str(record_id))
            chromium.send("Page.navigate", url=args.url + path)
            if not chromium.wait_for(selector):
                sys.exit(f"error: {name}: {selector} did not appear on {path}")
            for step in steps:
                time.sleep(1)
                if not chromium.evaluate(step):
                    print(f"warning: {name}: step had no effect: {step[:80]}", file=sys.stderr)
            time.sleep(1.5)  # fonts, avatars, transitions
            png = chromium.send("Page.captureScreenshot", format="png")["data"]
            target = out / f"{name}.png"
            target.write_bytes(base64.b64decode(png))
            print(f"{target}")
    finally:
        chromium.close()


if __name__ == "__main__":
    main()
