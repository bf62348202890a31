from odoo import api, fields, models


class OpMentorMeetingReminder(models.Model):
    """A reminder e-mail sent: one row per attendee and alarm, the unique index is the lock."""

    _name = "op.mentor.meeting.reminder"
    _description = "Mentor Meeting Reminder Sent"
    _log_access = False

    attendee_id = fields.Many2one("calendar.attendee", required=True, ondelete="cascade", index=True)
    alarm_id = fields.Many2one("calendar.alarm", required=True, ondelete="cascade")
    sent_at = fields.Datetime(required=True, default=fields.Datetime.now)

    _sql_constraints = [
        ("attendee_alarm_unique", "UNIQUE(attendee_id, alarm_id)", "This reminder was already sent."),
    ]

    @api.model
    def _mentor_claim(self, alarm, attendees):
        """The attendees of ``attendees`` this transaction is the first to remind of ``alarm``."""
        if not attendees:
            return attendees
        self.env.cr.execute(
            """INSERT INTO op_mentor_meeting_reminder (attendee_id, alarm_id, sent_at)
               SELECT attendee_id, %s, NOW() AT TIME ZONE 'UTC' FROM unnest(%s) AS attendee_id
               ON CONFLICT (attendee_id, alarm_id) DO NOTHING
               RETURNING attendee_id""",
            [alarm.id, attendees.ids],
        )
        return attendees.browse(row[0] for row in self.env.cr.fetchall())
