from odoo import api, models

# A faculty's record rule on meetings is evaluated with the ids of the user's faculty records
# (res.users.mentor_faculty_ids) and cached per user: links that change clear that cache.
_FACULTY_LINKS = {"partner_id", "emp_id", "active"}


def _mentor_links_changed(env):
    env["res.users"].invalidate_model(["mentor_faculty_ids"])
    env.registry.clear_cache()  # the record rules evaluated with these ids


class OpFaculty(models.Model):
    _inherit = "op.faculty"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        _mentor_links_changed(self.env)
        return records

    def write(self, vals):
        result = super().write(vals)
        if _FACULTY_LINKS & set(vals):
            _mentor_links_changed(self.env)
        return result

    @api.model
    def _get_current_faculty(self):
        """The op.faculty of the current user.

        OpenEduCat's "Faculty Login rule" only matches the partner's salesperson
        or the employee's user, so a faculty could not find their own record by a
        plain search: look it up as superuser, limited to this user's links.
        """
        user = self.env.user
        # sudo: limited to this user's own links (see above)
        faculty = self.sudo().search(
            ["|", ("partner_id", "=", user.partner_id.id), ("emp_id.user_id", "=", user.id)],
            limit=1,
        )
        return faculty.sudo(False)

    def _mentor_users(self):
        """The internal users of these faculty (same contact, or the faculty's employee)."""
        # sudo: the escalation (cron or administrator) reads the employee's user, an HR field
        faculty = self.sudo()
        return (
            faculty.env["res.users"]
            .search(["|", ("partner_id", "in", faculty.partner_id.ids), ("id", "in", faculty.emp_id.user_id.ids)])
            .filtered(lambda user: not user.share)
        )
