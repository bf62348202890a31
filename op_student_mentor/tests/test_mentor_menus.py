"""The Student Mentor menu as each role sees it in the web client: Odoo's order (the daily work,
then Reporting, then Configuration), Pulse Ratings under Reporting, each menu for the right groups."""

from odoo.tests import new_test_user, tagged

from .common import MentorCommon

APP = "op_student_mentor.menu_op_student_mentor_root"
OPERATIONS = ["Mentorship Allocation", "Mentor Allocations", "Mentor Meetings", "Mentor Follow-ups", "SMART Goals"]
REPORTING = [
    "Mentorship Overview",
    "Applications",
    "Meetings",
    "Follow-ups",
    "Mentor Load",
    "Pulse Ratings",
    "Unmatched Students",
    "Subject Standings",
]
# Match the Batch is the administrators': after Mentor Allocations
ADMIN_OPERATIONS = [*OPERATIONS[:2], "Match the Batch", *OPERATIONS[2:]]
CONFIGURATION = ["Mentor Focus Areas", "Student Achievements", "Student Skills"]


@tagged("post_install", "-at_install", "mentor_menus")
class TestMentorMenus(MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_system = new_test_user(
            cls.env, login="mentor_system", name="Sid System", groups="base.group_user,base.group_system"
        )

    def _app_menu(self, user):
        """{menu path below the app: [names of its sub-menus in the order shown]}, from the menus the web
        client loads for ``user``; None when the app is not in their main menu."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        app = self.env.ref(APP)
        if app.id not in menus["root"]["children"]:
            return None
        tree = {}

        def walk(menu_id, path):
            children = menus[menu_id]["children"]
            if children:
                tree[path] = [menus[child]["name"] for child in children]
            for child in children:
                walk(child, (*path, menus[child]["name"]))

        walk(app.id, ())
        return tree

    def test_administrator(self):
        """A mentorship administrator: the daily work, Reporting with Pulse Ratings, Configuration
        without Settings (those are the system administrator's)."""
        tree = self._app_menu(self.user_admin)
        self.assertEqual(tree[()], [*ADMIN_OPERATIONS, "Reporting", "Configuration"])
        self.assertEqual(tree[("Reporting",)], REPORTING)
        self.assertEqual(tree[("Configuration",)], CONFIGURATION)

    def test_system_administrator(self):
        tree = self._app_menu(self.user_system)
        self.assertEqual(tree[()], [*ADMIN_OPERATIONS, "Reporting", "Configuration"])
        self.assertEqual(tree[("Reporting",)], REPORTING)
        self.assertEqual(tree[("Configuration",)], ["Settings", *CONFIGURATION])

    def test_faculty(self):
        """A faculty reads the ratings of their own mentors' meetings (record rule): Reporting >
        Pulse Ratings, and no Configuration."""
        tree = self._app_menu(self.user_faculty)
        self.assertEqual(tree[()], [*OPERATIONS, "Reporting"])
        self.assertEqual(tree[("Reporting",)], REPORTING)
        self.assertEqual(
            self.env.ref("op_student_mentor.op_mentor_meeting_rating_menu").parent_id,
            self.env.ref("op_student_mentor.menu_op_student_mentor_reporting"),
        )

    def test_others_have_no_student_mentor_menu(self):
        """An employee without a mentorship role does not see the app; mentors and mentees are portal
        users: they have no backend menu at all, their mentorship is on the portal."""
        employee = new_test_user(self.env, login="mentor_employee", name="Erin Employee", groups="base.group_user")
        self.assertIsNone(self._app_menu(employee))
        for user in (self.user_mentor, self.user_mentee):
            self.assertFalse(self.env["ir.ui.menu"].with_user(user).has_access("read"), user.login)
