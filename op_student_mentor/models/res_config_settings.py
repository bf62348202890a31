from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_DURATION_SELF_FUNDED = 30
DEFAULT_DURATION_FUNDED = 45
# Program rules (issue 11): capacity, eligibility thresholds, the term that earns recognition.
DEFAULT_MENTOR_CAPACITY = 5
DEFAULT_TERM_MEETINGS = 6
DEFAULT_TERM_FOLLOWUPS = 3
# (config parameter, type, default, maximum): 0 switches a threshold off.
PROGRAM_PARAMS = {
    "capacity": ("op_student_mentor.mentor_capacity", int, DEFAULT_MENTOR_CAPACITY, 1000),
    "min_percentage": ("op_student_mentor.eligibility_min_percentage", float, 0.0, 100.0),
    "min_achievements": ("op_student_mentor.eligibility_min_achievements", int, 0, 1000),
    "min_skills": ("op_student_mentor.eligibility_min_skills", int, 0, 1000),
    "term_meetings": ("op_student_mentor.term_meetings", int, DEFAULT_TERM_MEETINGS, 1000),
    "term_followups": ("op_student_mentor.term_followups", int, DEFAULT_TERM_FOLLOWUPS, 1000),
}

# Sessions settings (issue 11 part B): key, default, lowest and highest accepted value.
SESSION_SETTINGS = {
    "late_cancel_hours": ("op_student_mentor.late_cancel_hours", 24, 0, 24 * 30),
    "inactivity_days": ("op_student_mentor.inactivity_days", 21, 1, 365),
    "escalation_days": ("op_student_mentor.escalation_days", 7, 0, 365),
    "pulse_low_rating": ("op_student_mentor.pulse_low_rating", 2, 0, 4),
    "pulse_min_ratings": ("op_student_mentor.pulse_min_ratings", 2, 1, 100),
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    mentor_duration_self_funded = fields.Integer(
        "Session Length, Self-funded (min)",
        config_parameter="op_student_mentor.duration_self_funded",
        default=DEFAULT_DURATION_SELF_FUNDED,
    )
    mentor_duration_funded = fields.Integer(
        "Session Length, Funded (min)",
        config_parameter="op_student_mentor.duration_funded",
        default=DEFAULT_DURATION_FUNDED,
    )
    mentor_success_group_id = fields.Many2one(
        "res.groups",
        "Student Success Team",
        config_parameter="op_student_mentor.student_success_group_id",
        help="Its users get an activity when a mentee is flagged at risk " "(empty: the Mentorship Administrators).",
    )

    mentor_late_cancel_hours = fields.Integer(
        "Late Cancellation Window (hours)",
        config_parameter="op_student_mentor.late_cancel_hours",
        default=SESSION_SETTINGS["late_cancel_hours"][1],
        help="A meeting cancelled less than this many hours before its start is marked as a late cancellation "
        "(0: never).",
    )
    mentor_inactivity_days = fields.Integer(
        "Inactivity Alert (days)",
        config_parameter="op_student_mentor.inactivity_days",
        default=SESSION_SETTINGS["inactivity_days"][1],
        help="An allocation without a meeting held for this many days alerts the nominating faculty.",
    )
    mentor_escalation_days = fields.Integer(
        "Escalation to Administrators (days)",
        config_parameter="op_student_mentor.escalation_days",
        default=SESSION_SETTINGS["escalation_days"][1],
        help="Days after the faculty alert before the Mentorship Administrators are alerted too.",
    )
    mentor_pulse_low_rating = fields.Integer(
        "Low Pulse Rating",
        config_parameter="op_student_mentor.pulse_low_rating",
        default=SESSION_SETTINGS["pulse_low_rating"][1],
        help="A mentee rating a meeting at or below this value (out of 5) is flagged at risk (0: never).",
    )
    mentor_pulse_min_ratings = fields.Integer(
        "Ratings Before a Mentor Sees an Average",
        config_parameter="op_student_mentor.pulse_min_ratings",
        default=SESSION_SETTINGS["pulse_min_ratings"][1],
        help="A mentor sees the average pulse of a meeting (or of all their meetings) only once it gathers this "
        "many ratings, so a single mentee's rating is never shown alone.",
    )

    @api.constrains(
        "mentor_duration_self_funded",
        "mentor_duration_funded",
        "mentor_late_cancel_hours",
        "mentor_inactivity_days",
        "mentor_escalation_days",
        "mentor_pulse_low_rating",
        "mentor_pulse_min_ratings",
    )
    def _check_mentor_settings(self):
        bounds = {f"mentor_{name}": (low, high) for name, (_key, _default, low, high) in SESSION_SETTINGS.items()}
        bounds["mentor_duration_self_funded"] = bounds["mentor_duration_funded"] = (1, 600)
        for settings in self:
            for fname, (low, high) in bounds.items():
                if not low <= settings[fname] <= high:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must be between %(low)s and %(high)s (got %(value)s).",
                            setting=self._fields[fname]._description_string(self.env),
                            low=low,
                            high=high,
                            value=settings[fname],
                        )
                    )

    def set_values(self):
        result = super().set_values()
        # Odoo stores 0 as "no parameter" (the default comes back): 0 is meaningful here (never, the same day).
        params = self.env["ir.config_parameter"].sudo()
        for name, (key, _default, _low, _high) in SESSION_SETTINGS.items():
            if not self[f"mentor_{name}"]:
                params.set_param(key, "0")
        for key, fname in self._PROGRAM_FIELDS.items():  # program rules: stored by hand (see below)
            params.set_param(PROGRAM_PARAMS[key][0], repr(self[fname]))
        return result

    @api.model
    def _mentor_setting(self, name):
        """The value of a sessions setting; a missing or out-of-range parameter gives the default."""
        key, default, low, high = SESSION_SETTINGS[name]
        try:
            value = int(self.env["ir.config_parameter"].sudo().get_param(key, default))
        except ValueError:
            return default
        return value if low <= value <= high else default

    mentor_capacity = fields.Integer(
        "Mentees per Mentor",
        default=DEFAULT_MENTOR_CAPACITY,
        help="Most mentees a mentor may have in active allocations (0: no limit). "
        "A mentor's own limit on their student profile takes precedence.",
    )
    mentor_min_percentage = fields.Float(
        "Minimum Exam Percentage",
        digits=(5, 2),
        help="A candidate's marksheet percentage must reach it to be approved (0: no minimum).",
    )
    mentor_min_achievements = fields.Integer(
        "Minimum Achievements",
        help="Achievements a candidate must have recorded (0: none required).",
    )
    mentor_min_skills = fields.Integer(
        "Minimum Skills",
        help="Skills a candidate must have recorded (0: none required).",
    )
    mentor_term_meetings = fields.Integer(
        "Meetings Held per Term",
        default=DEFAULT_TERM_MEETINGS,
        help="Meetings a mentor must have held (marked done) to complete a term.",
    )
    mentor_term_followups = fields.Integer(
        "Follow-ups Completed per Term",
        default=DEFAULT_TERM_FOLLOWUPS,
        help="Follow-ups completed on the mentor's allocations to complete a term (0: none required).",
    )

    @api.constrains(
        "mentor_capacity",
        "mentor_min_percentage",
        "mentor_min_achievements",
        "mentor_min_skills",
        "mentor_term_meetings",
        "mentor_term_followups",
    )
    def _check_mentor_program_rules(self):
        for settings in self:
            for key, fname in self._PROGRAM_FIELDS.items():
                value, maximum = settings[fname], PROGRAM_PARAMS[key][3]
                label = self._fields[fname]._description_string(self.env)
                if value < 0:
                    raise ValidationError(self.env._("%(setting)s cannot be negative.", setting=label))
                if value > maximum:
                    raise ValidationError(
                        self.env._("%(setting)s is at most %(maximum)s.", setting=label, maximum=maximum)
                    )
            if settings.mentor_term_meetings < 1:
                raise ValidationError(self.env._("A mentoring term needs at least one meeting held."))

    # The program rules are stored by hand: ``config_parameter`` drops a 0 (it would turn
    # "no limit" back into the default), and each one is stored only once validated.
    _PROGRAM_FIELDS = {
        "capacity": "mentor_capacity",
        "min_percentage": "mentor_min_percentage",
        "min_achievements": "mentor_min_achievements",
        "min_skills": "mentor_min_skills",
        "term_meetings": "mentor_term_meetings",
        "term_followups": "mentor_term_followups",
    }

    @api.model
    def get_values(self):
        values = super().get_values()
        rules = self._mentor_program_rules()
        values.update({fname: rules[key] for key, fname in self._PROGRAM_FIELDS.items()})
        return values

    @api.model
    def _mentor_program_rules(self):
        """The program's rules (see PROGRAM_PARAMS) as read from the configuration; a stored value that is
        out of range (written outside the settings form) falls back to its default."""
        params = self.env["ir.config_parameter"].sudo()
        rules = {}
        for key, (param, kind, default, maximum) in PROGRAM_PARAMS.items():
            try:
                value = kind(float(params.get_param(param, default)))
            except (TypeError, ValueError):
                value = default
            rules[key] = value if 0 <= value <= maximum else default
        rules["term_meetings"] = rules["term_meetings"] or DEFAULT_TERM_MEETINGS
        return rules

    @api.model
    def _mentor_session_durations(self):
        """(self-funded, funded) default session lengths in minutes."""
        params = self.env["ir.config_parameter"].sudo()

        def minutes(key, default):
            try:
                value = int(params.get_param(key) or default)
            except ValueError:
                value = default
            return value if 0 < value <= 600 else default

        return (
            minutes("op_student_mentor.duration_self_funded", DEFAULT_DURATION_SELF_FUNDED),
            minutes("op_student_mentor.duration_funded", DEFAULT_DURATION_FUNDED),
        )

    @api.model
    def _mentor_success_users(self):
        """Users of the Student Success team (default: the Mentorship Administrators)."""
        group_id = self.env["ir.config_parameter"].sudo().get_param("op_student_mentor.student_success_group_id")
        group = self.env["res.groups"].sudo().browse(int(group_id)).exists() if (group_id or "").isdigit() else None
        group = group or self.env.ref("op_student_mentor.group_op_mentor_admin").sudo()
        return group.users.filtered(lambda u: u.active and not u.share)
