from collections import namedtuple

from odoo import api, fields, models
from odoo.exceptions import ValidationError

Setting = namedtuple("Setting", "param kind default low high label")

# The validated numeric settings, one row each. The settings form shows ``MENTOR_SETTINGS[name]`` as the field
# ``mentor_<name>`` (labelled ``label``: the name given in the refusal message) and stores it in the
# ir.config_parameter ``param``; everything else reads it through ``res.config.settings._mentor_setting(name)``.
# A value outside ``low``..``high`` is refused when saved and, if written outside the form, read as ``default``.
MENTOR_SETTINGS = {
    # Default session length, in minutes, by the first mentee's funding.
    "duration_self_funded": Setting(
        "op_student_mentor.duration_self_funded", int, 30, 1, 600, "Session Length, Self-funded (min)"
    ),
    "duration_funded": Setting("op_student_mentor.duration_funded", int, 45, 1, 600, "Session Length, Funded (min)"),
    # Sessions: 0 means "never" / "the same day" where it is accepted.
    "late_cancel_hours": Setting(
        "op_student_mentor.late_cancel_hours", int, 24, 0, 24 * 30, "Late Cancellation Window (hours)"
    ),
    "inactivity_days": Setting("op_student_mentor.inactivity_days", int, 21, 1, 365, "Inactivity Alert (days)"),
    "escalation_days": Setting(
        "op_student_mentor.escalation_days", int, 7, 0, 365, "Escalation to Administrators (days)"
    ),
    "pulse_low_rating": Setting("op_student_mentor.pulse_low_rating", int, 2, 0, 4, "Low Pulse Rating"),
    "pulse_min_ratings": Setting(
        "op_student_mentor.pulse_min_ratings", int, 2, 1, 100, "Ratings Before a Mentor Sees an Average"
    ),
    # Program rules: capacity, eligibility thresholds, the term that earns recognition.
    # 0 switches a limit or threshold off.
    "capacity": Setting("op_student_mentor.mentor_capacity", int, 5, 0, 1000, "Mentees per Mentor"),
    "min_percentage": Setting(
        "op_student_mentor.eligibility_min_percentage", float, 0.0, 0, 100, "Minimum Exam Percentage"
    ),
    "min_achievements": Setting(
        "op_student_mentor.eligibility_min_achievements", int, 0, 0, 1000, "Minimum Achievements"
    ),
    "min_skills": Setting("op_student_mentor.eligibility_min_skills", int, 0, 0, 1000, "Minimum Skills"),
    "term_meetings": Setting("op_student_mentor.term_meetings", int, 6, 1, 1000, "Meetings Held per Term"),
    "term_followups": Setting("op_student_mentor.term_followups", int, 3, 0, 1000, "Follow-ups Completed per Term"),
    # Matching: a latest exam result below the first needs help (0: the exam's passing marks), at or
    # above the second is a strength. Read by SQL too (op.mentor.subject.standing): keep the parameter names.
    "match_need_threshold": Setting(
        "op_student_mentor.match_need_threshold", float, 0.0, 0, 100, "Needs Help Below (%)"
    ),
    "match_strong_threshold": Setting(
        "op_student_mentor.match_strong_threshold", float, 80.0, 1, 100, "Strong From (%)"
    ),
}
CALENDAR_ALARMS_PARAM = "op_student_mentor.calendar_alarm_ids"
DEFAULT_ALARMS = (
    "op_student_mentor.calendar_alarm_mentor_email_1day",
    "op_student_mentor.calendar_alarm_mentor_email_1hour",
)
PROGRAM_RULES = ("capacity", "min_percentage", "min_achievements", "min_skills", "term_meetings", "term_followups")
# School policy: each company (school) has its own, stored on res.company (the settings form shows the current
# company's). The matching thresholds stay global: the subject standings view reads them in SQL for students,
# who carry no company of their own in OpenEduCat.
COMPANY_SETTINGS = (
    "duration_self_funded",
    "duration_funded",
    "late_cancel_hours",
    "inactivity_days",
    "escalation_days",
    "pulse_low_rating",
    "pulse_min_ratings",
    *PROGRAM_RULES,
)


def _setting_field(name, **kwargs):
    """The settings form's field of ``MENTOR_SETTINGS[name]``: label, type and default from the table; the
    current company's field for the school policy (COMPANY_SETTINGS).

    No ``config_parameter``: Odoo would drop a 0 (and the default would come back), and read the stored value
    unvalidated; ``get_values`` / ``set_values`` below do both for every row of the table.
    """
    setting = MENTOR_SETTINGS[name]
    field_class = fields.Float if setting.kind is float else fields.Integer
    if name in COMPANY_SETTINGS:
        kwargs.update(related=f"company_id.mentor_{name}", readonly=False)
    return field_class(setting.label, default=setting.default, **kwargs)


def check_setting_ranges(records, names):
    """Refuse a value of the settings ``names`` (keys of MENTOR_SETTINGS) out of its range, on the settings
    form (res.config.settings) and on the companies (res.company), whose fields are named alike."""
    for record in records:
        for name in names:
            setting, fname = MENTOR_SETTINGS[name], f"mentor_{name}"
            if not setting.low <= record[fname] <= setting.high:
                raise ValidationError(
                    record.env._(
                        "%(setting)s must be between %(low)s and %(high)s (got %(value)s).",
                        setting=record._fields[fname]._description_string(record.env),
                        low=setting.low,
                        high=setting.high,
                        value=record[fname],
                    )
                )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    mentor_duration_self_funded = _setting_field("duration_self_funded")
    mentor_duration_funded = _setting_field("duration_funded")
    mentor_success_group_id = fields.Many2one(
        "res.groups",
        "Student Success Team",
        config_parameter="op_student_mentor.student_success_group_id",
        help="Its users get an activity when a mentee is flagged at risk " "(empty: the Mentorship Administrators).",
    )

    mentor_late_cancel_hours = _setting_field(
        "late_cancel_hours",
        help="A meeting cancelled less than this many hours before its start is marked as a late cancellation "
        "(0: never).",
    )
    mentor_inactivity_days = _setting_field(
        "inactivity_days",
        help="An allocation without a meeting held for this many days alerts the nominating faculty.",
    )
    mentor_escalation_days = _setting_field(
        "escalation_days",
        help="Days after the faculty alert before the Mentorship Administrators are alerted too.",
    )
    mentor_pulse_low_rating = _setting_field(
        "pulse_low_rating",
        help="A mentee rating a meeting at or below this value (out of 5) is flagged at risk (0: never).",
    )
    mentor_pulse_min_ratings = _setting_field(
        "pulse_min_ratings",
        help="A mentor sees the average pulse of a meeting (or of all their meetings) only once it gathers this "
        "many ratings, so a single mentee's rating is never shown alone.",
    )

    mentor_capacity = _setting_field(
        "capacity",
        help="Most mentees a mentor may have in active allocations (0: no limit). "
        "A mentor's own limit on their student profile takes precedence.",
    )
    mentor_min_percentage = _setting_field(
        "min_percentage",
        digits=(5, 2),
        help="A candidate's marksheet percentage must reach it to be approved (0: no minimum).",
    )
    mentor_min_achievements = _setting_field(
        "min_achievements",
        help="Achievements a candidate must have recorded (0: none required).",
    )
    mentor_min_skills = _setting_field(
        "min_skills",
        help="Skills a candidate must have recorded (0: none required).",
    )
    mentor_term_meetings = _setting_field(
        "term_meetings",
        help="Meetings a mentor must have held (marked done) to complete a term.",
    )
    mentor_term_followups = _setting_field(
        "term_followups",
        help="Follow-ups completed on the mentor's allocations to complete a term (0: none required).",
    )

    # Calendar: reminders and the faculty as attendees of the meetings' events.
    mentor_calendar_alarm_ids = fields.Many2many(
        related="company_id.mentor_calendar_alarm_ids",
        readonly=False,
        help="Reminders of every new mentor meeting (e-mail, or a notification in Odoo for internal users).",
    )
    mentor_calendar_faculty_attendee = fields.Boolean(
        related="company_id.mentor_calendar_faculty_attendee",
        readonly=False,
        help="The faculty of the mentor's allocations are invited to the meetings (optional attendees).",
    )
    mentor_match_need_threshold = _setting_field(
        "match_need_threshold",
        digits=(5, 2),
        help="A student whose latest result in a subject is below this percentage needs help in it "
        "(0: below the exam's passing marks).",
    )
    mentor_match_strong_threshold = _setting_field(
        "match_strong_threshold",
        digits=(5, 2),
        help="A student whose latest result in a subject reaches this percentage is strong in it.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(*(f"mentor_{name}" for name in MENTOR_SETTINGS))
    def _check_mentor_settings(self):
        check_setting_ranges(self, MENTOR_SETTINGS)

    # ------------------------------------------------------------
    # SETTINGS FORM
    # ------------------------------------------------------------

    @api.model
    def get_values(self):
        values = super().get_values()
        values.update({f"mentor_{name}": self._mentor_setting(name) for name in MENTOR_SETTINGS})
        return values

    def set_values(self):
        self._check_mentor_settings()  # also checked at create: nothing is stored unless every value is valid
        result = super().set_values()
        params = self.env["ir.config_parameter"].sudo()
        for name, setting in MENTOR_SETTINGS.items():
            if name not in COMPANY_SETTINGS:  # those are the company's fields (related)
                params.set_param(setting.param, repr(self[f"mentor_{name}"]))  # 0 too: "off", not the default
        return result

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

    @api.model
    def _mentor_setting(self, name, company=None):
        """The value of the setting ``name`` (a key of MENTOR_SETTINGS) for ``company`` (default: the current
        one): the company's field for the school policy (COMPANY_SETTINGS), else the stored parameter; the
        default when the value is missing, not a number of the setting's type, or out of range."""
        setting = MENTOR_SETTINGS[name]
        if name in COMPANY_SETTINGS:
            return (company or self.env.company)._mentor_setting(name)
        raw = self.env["ir.config_parameter"].sudo().get_param(setting.param) or ""  # missing: False (not 0)
        try:
            number = float(raw)
            value = setting.kind(number)
        except (TypeError, ValueError, OverflowError):
            return setting.default
        return value if value == number and setting.low <= value <= setting.high else setting.default

    @api.model
    def _mentor_program_rules(self, company=None):
        """{rule: value} of the program rules (PROGRAM_RULES) of ``company``, each read by ``_mentor_setting``."""
        return {name: self._mentor_setting(name, company) for name in PROGRAM_RULES}

    @api.model
    def _mentor_success_users(self):
        """Users of the Student Success team (default: the Mentorship Administrators)."""
        env = self.sudo().env  # reading a setting (a parameter and the group it names)
        group_id = env["ir.config_parameter"].get_param("op_student_mentor.student_success_group_id")
        group = env["res.groups"].browse(int(group_id)).exists() if (group_id or "").isdigit() else None
        if not group:
            return self.env["res.users"]._mentor_admin_users()
        return self.env["res.users"]._mentor_group_users(group)
