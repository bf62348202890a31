from odoo import api, models


class OpFaculty(models.Model):
    _inherit = "op.faculty"

    @api.model
    def _get_current_faculty(self):
        """The op.faculty of the current user.

        OpenEduCat's "Faculty Login rule" only matches the partner's salesperson
        or the employee's user, so a faculty could not find their own record by a
        plain search: look it up as superuser, limited to this user's links.
        """
        user = self.env.user
        faculty = self.sudo().search(
            ["|", ("partner_id", "=", user.partner_id.id), ("emp_id.user_id", "=", user.id)],
            limit=1,
        )
        return faculty.sudo(False)

    def _mentor_users(self):
        """The internal users of these faculty (same contact, or the faculty's employee), as superuser."""
        return (
            self.env["res.users"]
            .sudo()
            .search(
                ["|", ("partner_id", "in", self.sudo().partner_id.ids), ("id", "in", self.sudo().emp_id.user_id.ids)]
            )
            .filtered(lambda user: not user.share)
        )
