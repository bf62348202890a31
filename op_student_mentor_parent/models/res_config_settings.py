from odoo import api, fields, models

PARENT_VISIBILITY = [
    ("none", "Nothing"),
    ("schedule", "The meeting schedule"),
    ("goals", "The schedule, shared goals and notes"),
]
# The ir.config_parameter keys of the settings before they belonged to each company (18.0.1.1.0 migration).
PARAM_PREFIX = "op_student_mentor_parent."
PARENT_SETTINGS = ("visibility", "show_link", "notify_mentor", "notify_meetings", "consent_required")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # School policy: the current company's (res.company), as event and hr_holidays keep theirs.
    mentor_parent_visibility = fields.Selection(related="company_id.mentor_parent_visibility", readonly=False)
    mentor_parent_show_link = fields.Boolean(related="company_id.mentor_parent_show_link", readonly=False)
    mentor_parent_notify_mentor = fields.Boolean(related="company_id.mentor_parent_notify_mentor", readonly=False)
    mentor_parent_notify_meetings = fields.Boolean(related="company_id.mentor_parent_notify_meetings", readonly=False)
    mentor_parent_consent_required = fields.Boolean(related="company_id.mentor_parent_consent_required", readonly=False)

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

    @api.model
    def _mentor_parent_setting(self, name, company=None):
        """The value of a parent setting (name without its ``mentor_parent_`` prefix) of ``company`` (default:
        the current one); a selection outside its values reads as the default."""
        company = (company or self.env.company).sudo()  # reading a setting: the record's school may not be the user's
        value = company[f"mentor_parent_{name}"]
        field = company._fields[f"mentor_parent_{name}"]
        if field.type == "boolean":
            return value
        values = [value for value, _label in PARENT_VISIBILITY]
        return value if value in values else field.default(company)
