from odoo import fields, models

from ..models.op_mentor_meeting import CLOSE_REASONS


class OpMentorMeetingCloseWizard(models.TransientModel):
    _name = "op.mentor.meeting.close.wizard"
    _description = "Cancel a Mentor Meeting or Mark it Missed"

    meeting_ids = fields.Many2many("op.mentor.meeting", string="Meetings", required=True)
    status = fields.Selection([("cancel", "Cancel"), ("missed", "Missed")], required=True, default="cancel")
    reason = fields.Selection(CLOSE_REASONS, required=True)
    note = fields.Text("Details", help='Required when the reason is "Other".')

    def action_confirm(self):
        self.ensure_one()
        if self.status == "cancel":
            self.meeting_ids._action_cancel(self.reason, self.note)
        else:
            self.meeting_ids._action_mark_missed(self.reason, self.note)
        return {"type": "ir.actions.act_window_close"}
