"""Access of parents: a parent reads their children's consent records and nothing of the program's models;
every change goes through the portal routes (test_parent_portal), which check who they are."""

from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ParentCommon

CONSENT = "op.mentor.parent.consent"


@tagged("post_install", "-at_install")
class TestParentSecurity(ParentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Consent = cls.env[CONSENT]
        cls.consent = Consent._mentor_for_students(cls.student_mentee)[cls.student_mentee.id]
        cls.consent_other = Consent._mentor_for_students(cls.student_mentee_other)[cls.student_mentee_other.id]
        cls.followup.visibility = "mentee"  # shared with the child: still not the parent's to read
        cls.goal = cls.env["op.mentor.goal"].create({"followup_id": cls.followup.id, "name": "Shared goal"})
        held = cls._create_meeting(cls.student_mentor, cls.student_mentee, "Held")
        held.write({"date": datetime.now() - timedelta(days=2)})
        held.action_done()
        cls.rating = cls.env["op.mentor.meeting.rating"].create(
            {"meeting_id": held.id, "student_id": cls.student_mentee.id, "rating": 4}
        )

    def _records(self):
        return {
            "op.mentor.details": self.application,
            "op.mentor.allocation": self.allocation,
            "op.mentor.meeting": self.meeting,
            "op.mentor.followup": self.followup,
            "op.mentor.goal": self.goal,
            "op.mentor.meeting.rating": self.rating,
        }

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_parent_reads_nothing_of_the_program(self):
        """Not the child's meetings, notes, goals, ratings or allocation: the portal pages show what the
        settings allow, the API nothing."""
        for login, user in (("parent", self.user_parent), ("parent_other", self.user_parent_other)):
            for model, record in self._records().items():
                with self.subTest(login=login, model=model):
                    Model = self.env[model].with_user(user)
                    if Model.has_access("read"):  # the portal's models: the rules leave nothing
                        self.assertFalse(Model.search([]))
                    else:
                        with self.assertRaises(AccessError):
                            Model.search([])
                    with self.assertRaises(AccessError):
                        record.with_user(user).read(["id"])
                    with self.assertRaises(AccessError):
                        record.with_user(user).write({"create_date": record.create_date})
                    with self.assertRaises(AccessError):
                        record.with_user(user).unlink()

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_consent_access(self):
        """Who reads which consent; nobody writes or deletes one (the consent methods do, see below)."""
        readers = {
            "parent": (self.user_parent, self.consent),
            "parent_other": (self.user_parent_other, self.consent_other),
            "faculty": (self.user_faculty, self.consent),
            "faculty_other": (self.user_faculty_other, self.consent_other),
            "child": (self.user_mentee, None),
            "student_other": (self.user_student_other, None),
            "mentor": (self.user_mentor, None),
        }
        both = self.consent | self.consent_other
        for role, (user, own) in readers.items():
            with self.subTest(role=role):
                Consent = self.env[CONSENT].with_user(user)
                self.assertEqual(Consent.search([]), own or Consent.browse())
                for consent in both - (own or both.browse()):
                    with self.assertRaises(AccessError):
                        consent.with_user(user).read(["state"])
                if own:
                    self.assertEqual(own.with_user(user).state, "pending")
                for consent in both:
                    with self.assertRaises(AccessError):
                        consent.with_user(user).write({"withdraw_reason": "forged"})
                    with self.assertRaises(AccessError):
                        consent.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    Consent.create({"student_id": self.student_other.id})
                with self.assertRaises(AccessError):
                    self.consent.with_user(user).read(["access_token"])
        admin = self.env[CONSENT].with_user(self.user_admin)
        self.assertEqual(admin.search([("id", "in", both.ids)]), both)
        with self.assertRaises(AccessError):
            self.consent.with_user(self.user_admin).unlink()  # the history stays
        self.consent.with_user(self.user_admin).action_send_request()  # the administrator's one action

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_consent_comes_from_a_parent_only(self):
        """Only the consent methods decide (the portal routes call them as superuser after their check): an
        administrator neither writes a consent nor creates one already given."""
        with self.assertRaises(AccessError):
            self.consent.with_user(self.user_admin).write({"state": "given"})
        with self.assertRaisesRegex(UserError, "parent gives or withdraws"):
            self.env[CONSENT].with_user(self.user_admin).create({"student_id": self.student_other.id, "state": "given"})
        consent = self.env[CONSENT].with_user(self.user_admin).create({"student_id": self.student_other.id})
        self.assertEqual(consent.state, "pending")
        self.assertEqual(self.consent.state, "pending")

    def test_consents_menu(self):
        """Parents → Mentorship Consents for the faculty and the administrators; the Student Mentor menu is
        the main addon's (its own test checks it, with this addon installed too)."""
        menu = self.env.ref("op_student_mentor_parent.op_mentor_parent_consent_menu")
        self.assertEqual(menu.parent_id, self.env.ref("openeducat_parent.menu_op_parent_root"))
        for user in (self.user_admin, self.user_faculty):
            with self.subTest(user=user.login):
                menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
                self.assertIn(menu.id, menus)
                self.assertIn(menu.parent_id.id, menus)
        for user in (self.user_parent, self.user_mentee):  # portal users: no backend menu at all
            self.assertFalse(self.env["ir.ui.menu"].with_user(user).has_access("read"))
