"""18.0.1.4.0: meetings live on Odoo's Calendar.

Every meeting gets its calendar.event, linked both ways: scheduled ones as live events with the reminders of
the settings, past ones (done, missed) as past events, cancelled and rescheduled ones as archived events, so
the history is in the Calendar too. Nobody is e-mailed: the mentees already had their invitations from the
addon's own mails (same UID: a later update or cancellation replaces the copy they hold).
The addon's own meeting templates and reminder cron are deleted: calendar's replace them, and an update
keeps records that were loaded with noupdate="1" even once they are gone from the data files.
"""

from odoo import SUPERUSER_ID, api

REPLACED = (
    "ir_cron_mentor_meeting_reminder",
    "mail_template_mentor_meeting_scheduled",
    "mail_template_mentor_meeting_rescheduled",
    "mail_template_mentor_meeting_cancelled",
    "mail_template_mentor_meeting_reminder",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in REPLACED:
        record = env.ref(f"op_student_mentor.{xmlid}", raise_if_not_found=False)
        if record:
            record.unlink()
    env["op.mentor.meeting"]._mentor_migrate_events()
