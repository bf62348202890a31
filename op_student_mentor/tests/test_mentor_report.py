"""Mentorship Overview (op.mentor.report): figures on seeded data, scope per role, every action loads."""

from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import MentorCommon

REPORT_ACTIONS = (
    "op_student_mentor.op_mentor_report_action",
    "op_student_mentor.op_mentor_report_action_applications",
    "op_student_mentor.op_mentor_report_action_meetings",
    "op_student_mentor.op_mentor_report_action_followups",
    "op_student_mentor.op_mentor_report_action_load",
)
MEASURES = [
    "nbr_applications:sum",
    "nbr_applications_approved:sum",
    "nbr_mentors:sum",
    "nbr_mentees:sum",
    "nbr_at_risk:sum",
    "nbr_meetings:sum",
    "nbr_meetings_done:sum",
    "nbr_meetings_cancelled:sum",
    "nbr_meetings_missed:sum",
    "nbr_followups:sum",
    "nbr_followups_completed:sum",
    "nbr_followups_missed:sum",
]


@tagged("post_install", "-at_install", "mentor_report")
class TestMentorReport(MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # World A (faculty): a second mentee, meetings held / cancelled / missed, follow-ups completed / missed.
        cls._add_second_mentee()
        cls.meeting_done = cls._create_meeting(cls.student_mentor, cls.student_mentee, "Held", days=4)
        cls._mark_done(cls.meeting_done)
        cls.meeting_cancelled = cls._create_meeting(cls.student_mentor, cls.student_mentee, "Called off", days=5)
        cls.meeting_cancelled._action_cancel("illness")
        cls.meeting_missed = (
            cls.env["op.mentor.meeting"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "meeting_name": "Forgotten",
                    "meeting_link": "https://meet.example.com/forgotten",
                    "date": datetime.now().replace(microsecond=0) - timedelta(days=2),
                    "student_id": cls.student_mentor.id,
                    "meeting_students": [Command.set(cls.student_mentee.ids)],
                }
            )
        )
        cls.followup.action_complete()
        cls.followup_missed = cls.env["op.mentor.followup"].create(
            {"student_id": cls.student_mentee_2.id, "allocation_id": cls.allocation.id, "meeting_date": date.today()}
        )
        cls.followup_missed.action_schedule()
        cls.followup_missed.action_missed()
        cls.student_mentee_2.sudo()._mentor_flag_at_risk("Behind schedule.")
        cls.Report = cls.env["op.mentor.report"]

    def _totals(self, user, domain=None, groupby=("kind",)):
        """{group value: {measure: sum}} as ``user``."""
        groups = self.Report.with_user(user)._read_group(domain or [], list(groupby), ["__count", *MEASURES])
        result = {}
        for row in groups:
            key = row[: len(groupby)]
            key = key[0] if len(key) == 1 else key
            key = key.id if hasattr(key, "_name") else key
            result[key] = dict(zip(["count", *(m.split(":")[0] for m in MEASURES)], row[len(groupby) :], strict=True))
        return result

    def test_figures_as_administrator(self):
        totals = self._totals(self.user_admin)
        self.assertEqual(totals["application"]["nbr_applications"], 2)
        self.assertEqual(totals["application"]["nbr_applications_approved"], 2)
        self.assertEqual(totals["allocation"]["nbr_mentors"], 2)
        self.assertEqual(totals["allocation"]["nbr_mentees"], 3)
        self.assertEqual(totals["allocation"]["nbr_at_risk"], 1)
        self.assertEqual(totals["meeting"]["nbr_meetings"], 5)
        self.assertEqual(totals["meeting"]["nbr_meetings_done"], 1)
        self.assertEqual(totals["meeting"]["nbr_meetings_cancelled"], 1)
        self.assertEqual(totals["meeting"]["nbr_meetings_missed"], 1)
        self.assertEqual(totals["followup"]["nbr_followups"], 3)
        self.assertEqual(totals["followup"]["nbr_followups_completed"], 1)
        self.assertEqual(totals["followup"]["nbr_followups_missed"], 1)
        # A measure only counts in its own kind of row.
        self.assertEqual(totals["meeting"]["nbr_followups"], 0)
        self.assertEqual(totals["application"]["nbr_mentees"], 0)

    def test_faculty_sees_own_program_only(self):
        totals = self._totals(self.user_faculty)
        self.assertEqual(totals["application"]["nbr_applications"], 1)
        self.assertEqual(totals["allocation"]["nbr_mentors"], 1)
        self.assertEqual(totals["allocation"]["nbr_mentees"], 2)
        self.assertEqual(totals["allocation"]["nbr_at_risk"], 1)
        self.assertEqual(totals["meeting"]["nbr_meetings"], 4)
        self.assertEqual(totals["meeting"]["nbr_meetings_missed"], 1)
        self.assertEqual(totals["followup"]["nbr_followups"], 2)
        self.assertEqual(totals["followup"]["nbr_followups_missed"], 1)
        rows = self.Report.with_user(self.user_faculty).search([])
        self.assertEqual(rows.faculty_id, self.faculty)
        other = self._totals(self.user_faculty_other)
        self.assertEqual(other["allocation"]["nbr_mentees"], 1)
        self.assertEqual(other["meeting"]["nbr_meetings"], 1)
        self.assertEqual(other["followup"]["nbr_followups_completed"], 0)
        self.assertFalse(self.Report.with_user(self.user_faculty_other).search([("faculty_id", "=", self.faculty.id)]))

    def test_mentor_load(self):
        load = self._totals(self.user_admin, [("kind", "=", "allocation")], ("mentor_id",))
        self.assertEqual(load[self.student_mentor.id]["nbr_mentees"], 2)
        self.assertEqual(load[self.student_mentor_other.id]["nbr_mentees"], 1)
        self.assertEqual(load[self.student_mentor.id]["nbr_mentors"], 1)

    def test_filters_by_course_batch_faculty(self):
        by_batch = self._totals(self.user_admin, [("batch_id", "=", self.batch.id)])
        self.assertEqual(by_batch["meeting"]["nbr_meetings"], 5)
        self.assertFalse(self._totals(self.user_admin, [("batch_id", "=", self.batch_b.id)]))
        self.assertFalse(self._totals(self.user_admin, [("course_id", "=", self.course_other.id)]))
        by_faculty = self._totals(self.user_admin, [("faculty_id", "=", self.faculty_other.id)])
        self.assertEqual(by_faculty["application"]["nbr_applications"], 1)
        grouped = self._totals(self.user_admin, [], ("course_id", "batch_id", "faculty_id"))
        self.assertEqual(
            set(grouped), {(self.course, self.batch, self.faculty), (self.course, self.batch, self.faculty_other)}
        )

    def test_inactive_allocation_leaves_the_figures(self):
        self.allocation_other.active = False
        totals = self._totals(self.user_admin)
        self.assertEqual(totals["allocation"]["nbr_mentors"], 1)
        self.assertEqual(totals["allocation"]["nbr_mentees"], 2)

    def test_actions_load_for_each_role(self):
        """Every Reporting action as administrator and faculty: the action, its views and its grouped data."""
        for login, user in (("admin", self.user_admin), ("faculty", self.user_faculty)):
            for xmlid in REPORT_ACTIONS:
                with self.subTest(role=login, action=xmlid):
                    action = self.env["ir.actions.act_window"].with_user(user)._for_xml_id(xmlid)
                    Report = self.env[action["res_model"]].with_user(user)
                    views = Report.get_views(
                        [(False, mode) for mode in action["view_mode"].split(",")] + [(False, "search")]
                    )
                    self.assertEqual(set(views["views"]), {"graph", "pivot", "list", "search"})
                    domain = safe_eval(action.get("domain") or "[]")
                    context = safe_eval(action.get("context") or "{}", {"uid": user.id})
                    groupby = context.get("graph_groupbys") or context.get("pivot_row_groupby") or ["kind"]
                    measures = [f"{m}:sum" for m in context.get("pivot_measures", ["nbr_applications"])]
                    result = Report.web_read_group(domain, ["__count", *measures], groupby, lazy=False)
                    self.assertTrue(result["groups"], f"{xmlid} shows nothing to {login}")
                    rows = Report.web_search_read(
                        domain, {"name": {}, "kind": {}, "faculty_id": {"fields": {"display_name": {}}}}
                    )
                    self.assertTrue(rows["length"])
                    if login == "faculty":
                        self.assertEqual({r["faculty_id"]["id"] for r in rows["records"]}, {self.faculty.id})

    def test_menu_visible_to_faculty_not_to_students(self):
        menu = self.env.ref("op_student_mentor.op_mentor_report_menu")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.user_faculty)._visible_menu_ids())
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.user_admin)._visible_menu_ids())
        # portal users cannot read menus at all, and the Student Mentor app needs the faculty group
        self.assertFalse(self.user_mentor.has_group("op_student_mentor.group_op_mentor_faculty"))
        self.assertEqual(menu.parent_id.parent_id.groups_id, self.env.ref("op_student_mentor.group_op_mentor_faculty"))

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_students_have_no_access(self):
        for user in (self.user_mentor, self.user_mentee, self.user_student_other):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Report.with_user(user).search([])

    def test_open_source_record(self):
        row = self.Report.search([("kind", "=", "followup"), ("res_id", "=", self.followup_missed.id)])
        action = row.with_user(self.user_faculty).action_open_record()
        self.assertEqual((action["res_model"], action["res_id"]), ("op.mentor.followup", self.followup_missed.id))

    def test_query_count_constant(self):
        """The dashboard's grouped read and list read in the same number of queries as rows grow."""
        Report = self.Report.with_user(self.user_faculty)
        spec = {
            "name": {},
            "kind": {},
            "mentor_id": {"fields": {"display_name": {}}},
            "faculty_id": {"fields": {"display_name": {}}},
            "batch_id": {"fields": {"display_name": {}}},
        }

        def dashboard():
            Report.web_read_group(
                [], ["__count", "nbr_meetings:sum", "nbr_mentees:sum"], ["date:month", "kind"], lazy=False
            )
            Report.web_search_read([], spec, limit=80)

        def more_rows():
            for i in range(10):
                self._create_meeting(self.student_mentor, self.student_mentee_2, f"Extra {i}", days=10 + i)
                self.env["op.mentor.followup"].create(
                    {
                        "student_id": self.student_mentee_2.id,
                        "allocation_id": self.allocation.id,
                        "meeting_date": date.today(),
                    }
                )

        self.assertQueryCountConstant({"dashboard": dashboard}, more_rows)
