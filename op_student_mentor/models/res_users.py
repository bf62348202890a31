from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    mentor_faculty_ids = fields.Many2many(
        "op.faculty",
        compute="_compute_mentor_faculty_ids",
        string="Own Faculty Records",
        help="The faculty records of this user (same contact, or the faculty's employee). The faculty's record "
        "rule on meetings uses their ids, so PostgreSQL plans it on constants (issue 8).",
    )

    def _compute_mentor_faculty_ids(self):
        Faculty = self.env["op.faculty"].sudo().with_context(active_test=False)
        for user in self:
            user.mentor_faculty_ids = Faculty.search(
                ["|", ("partner_id", "=", user.partner_id.id), ("emp_id.user_id", "=", user.id)]
            )
