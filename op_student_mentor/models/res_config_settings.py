from odoo import api, fields, models

DEFAULT_DURATION_SELF_FUNDED = 30
DEFAULT_DURATION_FUNDED = 45


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
