"""Accessibility of the portal pages: axe-core in Chromium, WCAG 2.1 A and AA.

``tools/dev test`` installs axe-core from npm into its cache and passes its path in ``AXE_CORE_JS``;
without it the test is skipped, which the project's test run counts as a failure (conftest.py).
"""

import json
import logging
import os
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.tests import tagged

from .common import MentorPortalCommon

# What axe-core must not find in the addon's markup.
FAILING_IMPACTS = ("serious", "critical")

# Odoo's own markup inside the page content, which the addon calls or extends: the portal's search bar,
# the pictograms of portal.portal_docs_entry (no alt text), the account form (labels without ids). What the
# addon adds inside them (an element with an o_mentor* class) is checked.
ODOO_MARKUP = (".o_portal_navbar", ".o_portal_icon", ".o_portal_details")

# Run in the page by Chromium: the violations inside the page content (main, not the website's header and
# footer) and not in Odoo's markup; the console error is what the test fails on.
AXE_RUN = """
(async () => {
    const results = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
    const ours = (node) => {
        const el = document.querySelector(node.target[0]);
        if (!el || !el.closest("main")) return false;
        const odoo = el.closest(%(odoo_markup)s);
        return !odoo || odoo.contains(el.closest("[class*='o_mentor']"));
    };
    const found = [];
    for (const violation of results.violations) {
        if (!%(impacts)s.includes(violation.impact)) continue;
        for (const node of violation.nodes.filter(ours)) {
            found.push(`${violation.id} (${violation.impact}): ${node.target.join(" ")}: ${node.failureSummary}`);
        }
    }
    if (found.length) {
        console.error("axe-core found on " + location.pathname + ":\\n" + found.join("\\n"));
    } else {
        console.log("test successful");
    }
})();
"""


class _ShortEvaluateLog(logging.Filter):
    """Odoo's browser logs each evaluated script in full: not axe-core's 500 kB."""

    def filter(self, record):
        if isinstance(record.msg, str) and record.msg.startswith("Evaluate test code") and record.args:
            record.args = (str(record.args[0])[-300:],)
        return True


@tagged("post_install", "-at_install")
class TestPortalAccessibility(MentorPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one meeting in each status, so that every pill is on the lists
        cls.meeting_done = cls._held_meeting("Held session")
        cls.meeting_missed = cls._held_meeting("No-show session", done=False)
        cls.meeting_missed._action_mark_missed("mentee_no_show", "")
        cls.meeting_cancelled = cls._create_meeting(cls.student_mentor, cls.student_mentee, "Cancelled session", days=5)
        cls.meeting_cancelled._action_cancel("illness", "")
        moved = cls._create_meeting(cls.student_mentor, cls.student_mentee, "Moved session", days=6)
        moved._action_reschedule(fields.Datetime.now() + timedelta(days=9))

    @classmethod
    def _held_meeting(cls, name, done=True):
        """A meeting of the mentor and the mentee that started yesterday (the dates are written directly:
        the model refuses a meeting created in the past)."""
        meeting = cls._create_meeting(cls.student_mentor, cls.student_mentee, name, days=1)
        cls.env.cr.execute(
            "UPDATE op_mentor_meeting SET date = date - interval '2 days', date_end = date_end - interval '2 days' "
            "WHERE id = %s",
            [meeting.id],
        )
        meeting.invalidate_recordset(["date", "date_end"])
        if done:
            meeting.action_done()
        return meeting

    def _check_page(self, url, login):
        axe_path = os.environ.get("AXE_CORE_JS")
        if not axe_path or not Path(axe_path).is_file():
            self.skipTest("AXE_CORE_JS does not name axe-core's axe.min.js (tools/dev test installs it)")
        code = Path(axe_path).read_text() + AXE_RUN % {
            "impacts": json.dumps(FAILING_IMPACTS),
            "odoo_markup": json.dumps(", ".join(ODOO_MARKUP)),
        }
        log_filter = _ShortEvaluateLog()
        browser_logger = self._logger.getChild("browser")
        browser_logger.addFilter(log_filter)
        try:
            self.browser_js(url, code, login=login, timeout=120)
        except AssertionError as error:
            # what axe-core found, without the script (the message of browser_js quotes it in full)
            raise AssertionError(str(error).rpartition('" failed')[2].strip()) from None
        finally:
            browser_logger.removeFilter(log_filter)

    def test_mentor_pages(self):
        for url in (
            "/my",
            "/my/mentor/meetings",
            "/my/mentor/mentees",
            "/my/mentor/meetings/new",
            f"/my/mentor/meetings/{self.meeting.id}",
            f"/my/mentor/meetings/{self.meeting_done.id}",
            f"/my/mentor/meetings/{self.meeting_cancelled.id}",
            f"/my/mentor/meetings/{self.meeting_done.id}/session",
            "/my/account",
        ):
            with self.subTest(url=url):
                self._check_page(url, "mentor")

    def test_mentee_pages(self):
        for url in (
            "/my",
            "/my/mentorship/meetings",
            f"/my/mentorship/meetings/{self.meeting.id}",
            f"/my/mentorship/meetings/{self.meeting_done.id}",
            "/my/mentorship/goals",
        ):
            with self.subTest(url=url):
                self._check_page(url, "mentee")

    def test_refusal_page(self):
        self._check_page("/my/mentor/meetings", "student_other")
