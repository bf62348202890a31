from odoo import fields, models


class OpMentorMeetingRescheduleWizard(models.TransientModel):
    _name = "op.mentor.meeting.reschedule.wizard"
    _description = "Reschedule Mentor Meeting"

    meeting_id = fields.Many2one("op.mentor.meeting", required=True, ondelete="cascade")
    date = fields.Datetime("New Date", required=True)
    meeting_link = fields.Char(help="Leave empty to keep the current link.")

    def action_reschedule(self):
        self.ensure_one()
        new_meeting = self.meeting_id._action_reschedule(self.date, self.meeting_link)
        return {
            "type": "ir.actions.act_window",
            "res_model": "op.mentor.meeting",
            "res_id": new_meeting.id,
            "view_mode": "form",
        }
