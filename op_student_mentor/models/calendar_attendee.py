from odoo import models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def _should_notify_attendee(self):
        """The mentor hosts the meeting: not invited to it, even when an administrator schedules it
        (reminders still reach them: calendar sets mail_notify_author)."""
        if (
            self.event_id.res_model == "op.mentor.meeting"
            and self.partner_id == self.event_id.user_id.partner_id
            and not self.env.context.get("mail_notify_author")
        ):
            return False
        return super()._should_notify_attendee()
