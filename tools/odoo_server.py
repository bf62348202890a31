"""Odoo for the tools (load.py, uninstall_check.py, bench.py): a registry in this process, or the real
HTTP server in a child process, on the throwaway cluster that `tools/dev` started.

    from odoo_server import OdooServer, odoo_options, open_registry

    options = odoo_options(os.environ["LOAD_ADDONS"], os.environ["LOAD_PG_PORT"], f"{workdir}/filestore")
    registry = open_registry(db, options)                     # parse_config + Registry, log level warn
    with OdooServer(db, options, f"{workdir}/odoo.log", workers=2) as server:   # answers /web/health
        requests.get(server.base + "/my")
        server.request_log(since=0)                            # werkzeug lines of its log, parsed

Importing this module puts $ODOO_SRC on sys.path, so `import odoo` works after it.
"""

import os
import re
import socket
import subprocess
import sys
import time

import requests

ODOO_SRC = os.environ["ODOO_SRC"]
if ODOO_SRC not in sys.path:
    sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402


def free_port():
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def odoo_options(addons_path, pg_port, data_dir):
    """The command-line options of Odoo on tools/dev's cluster (shared by the registry and the server)."""
    return [
        f"--addons-path={addons_path}",
        "--db_host=127.0.0.1",
        f"--db_port={pg_port}",
        "--db_user=root",
        f"--data-dir={data_dir}",
    ]


def open_registry(db, options, log_level="warn", logfile=None):
    """Odoo configured with ``options`` in this process, and the registry of ``db`` (loaded, ready)."""
    odoo.tools.config.parse_config(
        [*options, f"--log-level={log_level}", *([f"--logfile={logfile}"] if logfile else [])]
    )
    return odoo.modules.registry.Registry(db)


def portal_user(student, login, password, **extra):
    """A portal user for ``student`` (op.student), on the student's own partner, linked to the student."""
    env = student.env
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": student.name,
                "login": login,
                "password": password,
                "partner_id": student.partner_id.id,
                "groups_id": [(6, 0, env.ref("base.group_portal").ids)],
                **extra,
            }
        )
    )
    student.user_id = user
    return user


class OdooServer:
    """The real Odoo HTTP server (odoo-bin) on a free loopback port, started and ready when built:
    it answered ``/web/health``. ``workers=0`` is the threaded server; with workers it is prefork
    (its own gevent port). Its log, werkzeug request lines included, goes to ``logfile``.
    Use it as a context manager, or call ``stop()``."""

    # werkzeug line of Odoo's log: method, path, status, SQL queries, SQL time (s), other time (s)
    REQUEST_LINE = re.compile(r'"(GET|POST) (\S+) HTTP/[0-9.]+" (\d+) \S+ (\d+) ([0-9.]+) ([0-9.]+)')
    ERROR_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")

    def __init__(self, db, options, logfile, workers=0, extra=(), start_timeout=120):
        self.db = db
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.logfile = logfile
        open(logfile, "w").close()  # this run's log only
        command = [
            sys.executable,
            os.path.join(ODOO_SRC, "odoo-bin"),
            *options,
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--log-level=info",
            "--log-handler=werkzeug:INFO",
            f"--logfile={logfile}",
            *extra,
        ]
        if workers:
            command += [f"--gevent-port={free_port()}", "--limit-time-real=600"]
        self.proc = subprocess.Popen(command)  # noqa: S603 - our own odoo-bin, no shell
        try:
            self._wait_ready(start_timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"Odoo stopped at start (exit code {self.proc.returncode}), see {self.logfile}")
            try:
                if requests.get(self.base + "/web/health", timeout=10).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or slow to answer on a loaded machine
                pass
            time.sleep(0.5)
        raise SystemExit(f"Odoo did not answer in {timeout} s, see {self.logfile}")

    def stop(self, timeout=30):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def log_size(self):
        """Where the log ends now: pass it as ``since`` to read only what comes next."""
        return os.path.getsize(self.logfile)

    def request_log(self, since=0):
        """The requests served after byte ``since`` of the log, from werkzeug's lines:
        (method, path, status, queries, sql_seconds, other_seconds)."""
        with open(self.logfile, errors="replace") as f:
            f.seek(since)
            return [
                (m.group(1), m.group(2), int(m.group(3)), int(m.group(4)), float(m.group(5)), float(m.group(6)))
                for m in self.REQUEST_LINE.finditer(f.read())
            ]

    def errors(self):
        """ERROR / CRITICAL lines of the log."""
        with open(self.logfile, errors="replace") as f:
            return [line.rstrip() for line in f if self.ERROR_LINE.match(line)]
