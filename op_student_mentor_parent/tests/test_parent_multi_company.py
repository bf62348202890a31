"""The parents' settings belong to each school (company): consent and e-mails of one school never apply to
another's meetings, and the 18.0.1.1.0 migration gives every company the global values it replaces."""

import os
from datetime import datetime, timedelta

from odoo import Command
from odoo.modules.migration import load_script
from odoo.tests import Form, tagged

from .common import ParentCommon


@tagged("post_install", "-at_install")
class TestParentMultiCompany(ParentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Second School"})

    def _schedule(self):
        return self.env["op.mentor.meeting"].create(
            {
                "meeting_name": "First meeting",
                "meeting_link": "https://meet.example.com/first",
                "date": datetime.now().replace(microsecond=0) + timedelta(days=5),
                "student_id": self.student_mentor.id,
                "meeting_students": [Command.set(self.student_mentee.ids)],
            }
        )

    def test_consent_of_another_school_does_not_apply(self):
        """School B asks for parental consent; the mentee's meetings are school A's: they are scheduled."""
        self.company_b.mentor_parent_consent_required = True
        self.student_mentee.invalidate_recordset(["mentor_parent_consent_state"])
        self.assertEqual(self.student_mentee.mentor_parent_consent_state, "not_needed")
        meeting = self._schedule()
        self.assertEqual(meeting.company_id, self.env.company)
        self.assertEqual(meeting.status, "scheduled")

    def test_settings_form_writes_the_current_company(self):
        form = Form(self.env["res.config.settings"].with_company(self.company_b))
        form.mentor_parent_visibility = "goals"
        form.mentor_parent_consent_required = True
        form.save().execute()
        self.assertEqual(self.company_b.mentor_parent_visibility, "goals")
        self.assertTrue(self.company_b.mentor_parent_consent_required)
        self.assertEqual(self.env.company.mentor_parent_visibility, "schedule")
        self.assertFalse(self.env.company.mentor_parent_consent_required)
        Settings = self.env["res.config.settings"]
        self.assertEqual(Settings._mentor_parent_setting("visibility", self.company_b), "goals")
        self.assertEqual(Settings._mentor_parent_setting("visibility"), "schedule")

    def test_migration_copies_the_global_settings_to_every_company(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("op_student_mentor_parent.visibility", "goals")
        params.set_param("op_student_mentor_parent.consent_required", "True")
        params.set_param("op_student_mentor_parent.notify_meetings", "False")
        path = os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "migrations", "18.0.1.1.0", "post-migrate.py"
        )
        load_script(path, "op_student_mentor_parent_18_0_1_1_0").migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        for company in self.env.company | self.company_b:
            with self.subTest(company=company.name):
                self.assertEqual(company.mentor_parent_visibility, "goals")
                self.assertTrue(company.mentor_parent_consent_required)
                self.assertFalse(company.mentor_parent_notify_meetings)
                self.assertFalse(company.mentor_parent_show_link)
        self.assertFalse(params.get_param("op_student_mentor_parent.visibility"), "nothing reads it any more")
