from odoo import api, fields, models

from .calendar_event import MEETING_MODEL


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    # The reminders of a mentor meeting already e-mailed to this attendee. The relation's primary key
    # (attendee, alarm) is the lock of _mentor_claim_reminder: one mail per attendee and alarm.
    mentor_reminder_alarm_ids = fields.Many2many(
        "calendar.alarm",
        "op_mentor_attendee_reminder_rel",
        "attendee_id",
        "alarm_id",
        string="Reminders Sent",
        readonly=True,
        copy=False,
    )

    def _should_notify_attendee(self):
        """The mentor hosts the meeting: not invited to it, even when an administrator schedules it
        (reminders still reach them: calendar sets mail_notify_author)."""
        if (
            self.event_id.res_model == MEETING_MODEL
            and self.partner_id == self.event_id.user_id.partner_id
            and not self.env.context.get("mail_notify_author")
        ):
            return False
        return super()._should_notify_attendee()

    @api.model
    def _mentor_claim_reminder(self, alarm, attendees):
        """The attendees of ``attendees`` this transaction is the first to remind of ``alarm``: a concurrent
        run waits on the primary key for the other transaction, then finds the row (ON CONFLICT DO NOTHING)."""
        if not attendees:
            return attendees
        self.env.cr.execute(
            """INSERT INTO op_mentor_attendee_reminder_rel (attendee_id, alarm_id)
               SELECT attendee_id, %s FROM unnest(%s) AS attendee_id
               ON CONFLICT DO NOTHING
               RETURNING attendee_id""",
            [alarm.id, attendees.ids],
        )
        claimed = attendees.browse(row[0] for row in self.env.cr.fetchall())
        attendees.invalidate_recordset(["mentor_reminder_alarm_ids"])
        return claimed
