from odoo import api, fields, models

from .calendar_event import MEETING_MODEL


class CalendarAlarmManager(models.AbstractModel):
    _inherit = "calendar.alarm_manager"

    def _get_events_by_alarm_to_notify(self, alarm_type):
        """Mentor meetings are left out of calendar's own e-mail run: ``_send_reminder`` sends theirs once."""
        self.env["calendar.event"].flush_model(["active", "start", "alarm_ids"])  # calendar reads them in SQL
        events_by_alarm = super()._get_events_by_alarm_to_notify(alarm_type)
        if alarm_type != "email" or self.env.context.get("mentor_reminder_all") or not events_by_alarm:
            return events_by_alarm
        event_ids = {event_id for ids in events_by_alarm.values() for event_id in ids}
        mentor_ids = set(
            self.env["calendar.event"]
            .sudo()  # the reminder run (OdooBot): every event, archived ones too
            .with_context(active_test=False)
            .search([("id", "in", list(event_ids)), ("res_model", "=", MEETING_MODEL)])
            .ids
        )
        if not mentor_ids:
            return events_by_alarm
        kept = {alarm_id: [e for e in ids if e not in mentor_ids] for alarm_id, ids in events_by_alarm.items()}
        return {alarm_id: ids for alarm_id, ids in kept.items() if ids}

    @api.model
    def _send_reminder(self):
        result = super()._send_reminder()
        self._mentor_send_reminders()
        return result

    @api.model
    def _mentor_send_reminders(self):
        """E-mail reminders of mentor meetings, once per attendee and alarm whatever runs the scheduler.

        Calendar relies on the cron's last call to not send twice; an administrator's Run Manually with a
        stale last call, two servers, or a rollback after the mails were queued send them again. Each
        (attendee, alarm) is claimed first (calendar.attendee.mentor_reminder_alarm_ids, whose primary key is the
        lock), so only one run mails it.
        """
        events_by_alarm = self.with_context(mentor_reminder_all=True)._get_events_by_alarm_to_notify("email")
        event_ids = list({event_id for ids in events_by_alarm.values() for event_id in ids})
        if not event_ids:
            return
        events = self.env["calendar.event"].browse(event_ids).filtered(lambda e: e.res_model == MEETING_MODEL)
        now = fields.Datetime.now()
        attendees = events.filtered(lambda e: e.stop > now).attendee_ids.filtered(lambda a: a.state != "declined")
        for alarm in self.env["calendar.alarm"].browse(events_by_alarm):
            alarm_attendees = attendees.filtered(lambda a, alarm=alarm: a.event_id.id in events_by_alarm[alarm.id])
            claimed = self.env["calendar.attendee"]._mentor_claim_reminder(alarm, alarm_attendees)
            if claimed:
                claimed.with_context(
                    calendar_template_ignore_recurrence=True, mail_notify_author=True
                )._send_mail_to_attendees(alarm.mail_template_id, force_send=True)
