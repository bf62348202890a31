"""The settings table (``MENTOR_SETTINGS``): one row per validated setting, one reader.

Every row round-trips through the settings form (saved, stored in the current company's field for the
school policy or in its parameter, read back by ``_mentor_setting`` and shown again by the form), and a
value out of its range is refused with a message naming the setting, leaving the stored value as it was.
"""

import re

from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged

from ..models.res_config_settings import COMPANY_SETTINGS, MENTOR_SETTINGS, PROGRAM_RULES
from .common import tamper_company_setting

# Existing databases and the documentation name these parameters: they never change (those of the
# school policy only name what the 18.0.1.5.0 migration copies to every company).
PARAMETERS = {
    "mentor_duration_self_funded": "op_student_mentor.duration_self_funded",
    "mentor_duration_funded": "op_student_mentor.duration_funded",
    "mentor_late_cancel_hours": "op_student_mentor.late_cancel_hours",
    "mentor_inactivity_days": "op_student_mentor.inactivity_days",
    "mentor_escalation_days": "op_student_mentor.escalation_days",
    "mentor_pulse_low_rating": "op_student_mentor.pulse_low_rating",
    "mentor_pulse_min_ratings": "op_student_mentor.pulse_min_ratings",
    "mentor_capacity": "op_student_mentor.mentor_capacity",
    "mentor_min_percentage": "op_student_mentor.eligibility_min_percentage",
    "mentor_min_achievements": "op_student_mentor.eligibility_min_achievements",
    "mentor_min_skills": "op_student_mentor.eligibility_min_skills",
    "mentor_term_meetings": "op_student_mentor.term_meetings",
    "mentor_term_followups": "op_student_mentor.term_followups",
    "mentor_match_need_threshold": "op_student_mentor.match_need_threshold",
    "mentor_match_strong_threshold": "op_student_mentor.match_strong_threshold",
}


@tagged("post_install", "-at_install")
class TestMentorSettingsTable(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Settings = cls.env["res.config.settings"]
        cls.params = cls.env["ir.config_parameter"].sudo()

    def _save(self, fname, value):
        """Set one field in the settings form and save it, as the Save button does."""
        form = Form(self.Settings)
        setattr(form, fname, value)
        form.save().execute()

    def _stored(self, name):
        """What the form stored: the current company's field (school policy), else the parameter's text."""
        if name in COMPANY_SETTINGS:
            return self.env.company[f"mentor_{name}"]
        return self.params.get_param(MENTOR_SETTINGS[name].param)

    def _stored_as(self, name, value):
        return value if name in COMPANY_SETTINGS else repr(value)

    @staticmethod
    def _accepted_values(setting):
        """The bounds and a value inside them, none equal to the default (so each save changes something)."""
        middle = (setting.low + setting.high) / 2 + (0.25 if setting.kind is float else 0)
        values = [setting.kind(value) for value in (setting.low, middle, setting.high)]
        return [value for value in values if value != setting.default] + [setting.default]

    def test_table_matches_the_form_and_the_parameters(self):
        self.assertEqual({f"mentor_{name}": row.param for name, row in MENTOR_SETTINGS.items()}, PARAMETERS)
        self.assertTrue(set(PROGRAM_RULES) <= set(MENTOR_SETTINGS))
        for name, setting in MENTOR_SETTINGS.items():
            with self.subTest(setting=name):
                field = self.Settings._fields[f"mentor_{name}"]
                self.assertEqual(field.string, setting.label)
                self.assertEqual(field.type, "float" if setting.kind is float else "integer")
                self.assertFalse(getattr(field, "config_parameter", None), "stored by set_values, 0 included")
                self.assertTrue(setting.low <= setting.default <= setting.high)
                self.assertEqual(self.Settings._mentor_setting(name), setting.default)
                self.assertEqual(Form(self.Settings)[f"mentor_{name}"], setting.default)

    def test_every_setting_round_trips_through_the_form(self):
        for name, setting in MENTOR_SETTINGS.items():
            fname = f"mentor_{name}"
            for value in self._accepted_values(setting):
                with self.subTest(setting=name, value=value):
                    self._save(fname, value)
                    self.assertEqual(self._stored(name), self._stored_as(name, value))
                    self.assertEqual(self.Settings._mentor_setting(name), value)
                    self.assertIsInstance(self.Settings._mentor_setting(name), setting.kind)
                    self.assertEqual(Form(self.Settings)[fname], value, "the form shows the stored value again")
        self.assertEqual(
            self.Settings._mentor_program_rules(), {name: MENTOR_SETTINGS[name].default for name in PROGRAM_RULES}
        )

    def test_every_setting_refused_out_of_range(self):
        for name, setting in MENTOR_SETTINGS.items():
            fname = f"mentor_{name}"
            accepted = self._accepted_values(setting)[0]
            self._save(fname, accepted)
            step = 0.5 if setting.kind is float else 1
            for value in (setting.low - step, setting.high + step):
                with (
                    self.subTest(setting=name, value=value),
                    self.assertRaisesRegex(ValidationError, re.escape(f"{setting.label} must be between")) as refusal,
                    self.env.cr.savepoint(),
                ):
                    self._save(fname, value)
                self.assertIn(f"got {value}", str(refusal.exception))
                self.assertEqual(self._stored(name), self._stored_as(name, accepted), "nothing written")
                self.assertEqual(self.Settings._mentor_setting(name), accepted)

    def test_out_of_range_parameter_reads_as_default(self):
        """A parameter written outside the form (shell, import, older version) never reaches the code unchecked."""
        for name in COMPANY_SETTINGS:  # typed columns: only a number out of range can get there
            setting = MENTOR_SETTINGS[name]
            for value in (setting.low - 1, setting.high + 1):
                with self.subTest(setting=name, value=value):
                    tamper_company_setting(self.env.company, f"mentor_{name}", value)
                    self.assertEqual(self.Settings._mentor_setting(name), setting.default)
                    self.assertEqual(self.env.company._mentor_setting(name), setting.default)
            self.assertEqual(Form(self.Settings)[f"mentor_{name}"], setting.default, "the form reads the same")
        for name, setting in MENTOR_SETTINGS.items():
            if name in COMPANY_SETTINGS:
                continue
            for raw in (str(setting.low - 1), str(setting.high + 1), "abc", "", "nan", "inf", "1e400"):
                with self.subTest(setting=name, raw=raw):
                    self.params.set_param(setting.param, raw)
                    self.assertEqual(self.Settings._mentor_setting(name), setting.default)
            self.assertEqual(Form(self.Settings)[f"mentor_{name}"], setting.default, "the form reads the same")
            self.params.set_param(setting.param, False)  # removed
            self.assertEqual(self.Settings._mentor_setting(name), setting.default)
        for name, setting in MENTOR_SETTINGS.items():
            if setting.kind is int and name not in COMPANY_SETTINGS:
                self.params.set_param(setting.param, f"{setting.low}.5")
                self.assertEqual(self.Settings._mentor_setting(name), setting.default, "not a whole number")
