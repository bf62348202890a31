from odoo import fields, models


class OpMentorMeetingNotificationMixin(models.AbstractModel):
    """The mails of a meeting beyond calendar's own invitations, date changes and reminders: the cancellation
    (with the .ics that removes it from the mentees' calendars) and the missed-meeting notice."""

    _name = "op.mentor.meeting.notification.mixin"
    _description = "Mentor Meeting: Notifications"

    def _mentor_notify_cancelled(self, attendees):
        """Calendar's mail to ``attendees`` with the cancellation .ics (METHOD:CANCEL, same UID, higher SEQUENCE),
        queued like calendar's other mails to attendees."""
        template = self.env.ref("op_student_mentor.calendar_template_mentor_meeting_cancelled").sudo()  # mail
        attendees.with_context(mentor_ics_method="CANCEL")._send_mail_to_attendees(template)

    def _notify_mentees_missed(self):
        """As for a cancellation, each mentee hears of a missed meeting, in their language and timezone,
        with the reason the mentor chose (never the details: the form says they stay internal)."""
        template = self.env.ref("op_student_mentor.mail_template_mentor_meeting_missed").sudo()  # mail
        reasons = dict(self._fields["close_reason"]._description_selection(self.env))
        for meeting in self.sudo():  # the mentees' partners: a portal host may not read them
            for partner in meeting.meeting_students.partner_id:
                template.with_context(
                    recipient_lang=partner.lang,
                    recipient_tz=partner.tz or meeting.student_id.tz or "UTC",
                    missed_reason=reasons.get(meeting.close_reason),
                ).send_mail(
                    meeting.id,
                    email_layout_xmlid="mail.mail_notification_light",
                    email_values={"recipient_ids": [fields.Command.set(partner.ids)]},
                )
