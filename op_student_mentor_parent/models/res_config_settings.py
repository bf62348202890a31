from odoo import api, fields, models

PARENT_VISIBILITY = [
    ("none", "Nothing"),
    ("schedule", "The meeting schedule"),
    ("goals", "The schedule, shared goals and notes"),
]
PARAM_PREFIX = "op_student_mentor_parent."


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    mentor_parent_visibility = fields.Selection(
        PARENT_VISIBILITY,
        "What Parents See",
        default="schedule",
        required=True,
        config_parameter=PARAM_PREFIX + "visibility",
        help="What a parent reads about their child's mentorship on the portal. Faculty-only and mentor-only notes, "
        "ratings and applications never reach parents.",
    )
    mentor_parent_show_link = fields.Boolean(
        "Parents See the Video Link",
        config_parameter=PARAM_PREFIX + "show_link",
        help="Show parents the video call link of their child's upcoming meetings.",
    )
    mentor_parent_notify_mentor = fields.Boolean(
        "E-mail Parents When Their Child Gets a Mentor",
        config_parameter=PARAM_PREFIX + "notify_mentor",
    )
    mentor_parent_notify_meetings = fields.Boolean(
        "E-mail Parents About Meetings",
        config_parameter=PARAM_PREFIX + "notify_meetings",
        help="E-mail parents when a meeting of their child is scheduled, moved or cancelled.",
    )
    mentor_parent_consent_required = fields.Boolean(
        "Parental Consent for Minors",
        config_parameter=PARAM_PREFIX + "consent_required",
        help="A mentee under 18 (from the student's birth date) has no first meeting until a parent gave their "
        "consent, from the portal or from the e-mail link.",
    )

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

    @api.model
    def _mentor_parent_setting(self, name):
        """The value of a parent setting (name without its ``mentor_parent_`` prefix), checked against its field:
        a selection outside its values reads as the default, a boolean is True only when stored as such."""
        field = self._fields[f"mentor_parent_{name}"]
        raw = self.env["ir.config_parameter"].sudo().get_param(field.config_parameter)  # sudo: reading a setting
        if field.type == "boolean":
            return raw == "True"
        values = [value for value, _label in PARENT_VISIBILITY]
        return raw if raw in values else field.default(self)
