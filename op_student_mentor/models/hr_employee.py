from odoo import models

from .op_faculty import _mentor_links_changed


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals:
            # a faculty's user may come from their employee: the faculty's record rules follow
            _mentor_links_changed(self.env)
        return result
