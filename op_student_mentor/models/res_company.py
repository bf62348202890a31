from odoo import api, fields, models

from .res_config_settings import COMPANY_SETTINGS, DEFAULT_ALARMS, MENTOR_SETTINGS, check_setting_ranges


def _company_setting_field(name, **kwargs):
    """The company's field of ``MENTOR_SETTINGS[name]``: label, type and default from the table."""
    setting = MENTOR_SETTINGS[name]
    field_class = fields.Float if setting.kind is float else fields.Integer
    return field_class(setting.label, default=setting.default, **kwargs)


def _default_alarms(company):
    return company.env["calendar.alarm"].browse(
        alarm.id for alarm in (company.env.ref(xmlid, raise_if_not_found=False) for xmlid in DEFAULT_ALARMS) if alarm
    )


class ResCompany(models.Model):
    """The program's policy of each school (company): session lengths, windows, thresholds, capacity,
    eligibility, term, reminders. Settings shows those of the current company (``related`` fields), the
    code reads those of the record's company (``res.config.settings._mentor_setting(name, company)``)."""

    _inherit = "res.company"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    mentor_duration_self_funded = _company_setting_field("duration_self_funded")
    mentor_duration_funded = _company_setting_field("duration_funded")
    mentor_late_cancel_hours = _company_setting_field("late_cancel_hours")
    mentor_inactivity_days = _company_setting_field("inactivity_days")
    mentor_escalation_days = _company_setting_field("escalation_days")
    mentor_pulse_low_rating = _company_setting_field("pulse_low_rating")
    mentor_pulse_min_ratings = _company_setting_field("pulse_min_ratings")
    mentor_capacity = _company_setting_field("capacity")
    mentor_min_percentage = _company_setting_field("min_percentage", digits=(5, 2))
    mentor_min_achievements = _company_setting_field("min_achievements")
    mentor_min_skills = _company_setting_field("min_skills")
    mentor_term_meetings = _company_setting_field("term_meetings")
    mentor_term_followups = _company_setting_field("term_followups")
    mentor_calendar_alarm_ids = fields.Many2many(
        "calendar.alarm",
        "res_company_mentor_calendar_alarm_rel",
        "company_id",
        "alarm_id",
        string="Meeting Reminders",
        default=_default_alarms,
        help="Reminders of every new mentor meeting (e-mail, or a notification in Odoo for internal users).",
    )
    mentor_calendar_faculty_attendee = fields.Boolean(
        "Faculty Attend Meetings",
        help="The faculty of the mentor's allocations are invited to the meetings (optional attendees).",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(*(f"mentor_{name}" for name in COMPANY_SETTINGS))
    def _check_mentor_settings(self):
        check_setting_ranges(self, COMPANY_SETTINGS)

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

    def _mentor_setting(self, name):
        """The value of the setting ``name`` (a key of MENTOR_SETTINGS) in this company: its field for the school
        policy (COMPANY_SETTINGS), the default if the field was written out of range outside the ORM; the global
        parameter for the others."""
        if name not in COMPANY_SETTINGS:
            return self.env["res.config.settings"]._mentor_setting(name)
        self.ensure_one()
        setting = MENTOR_SETTINGS[name]
        value = self.sudo()[f"mentor_{name}"]  # reading a setting: the record's school may not be the user's
        return setting.kind(value) if setting.low <= value <= setting.high else setting.default

    @api.model
    def _mentor_init_calendar_alarms(self):
        """At install: the companies that exist get the default reminders, as new companies do (default)."""
        for company in self.with_context(active_test=False).search([]):
            company.mentor_calendar_alarm_ids = _default_alarms(company)
