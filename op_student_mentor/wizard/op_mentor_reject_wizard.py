from odoo import fields, models


class OpMentorRejectWizard(models.TransientModel):
    _name = "op.mentor.reject.wizard"
    _description = "Reject Mentor Application"

    application_ids = fields.Many2many("op.mentor.details", string="Applications", required=True)
    reason = fields.Text("Rejection Reason", required=True)

    def action_reject(self):
        self.ensure_one()
        self.application_ids._action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
