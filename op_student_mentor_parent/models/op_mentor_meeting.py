from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OpMentorMeeting(models.Model):
    _inherit = "op.mentor.meeting"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        meetings = super().create(vals_list)
        # A reschedule carries on a meeting that was allowed; a withdrawal leaves no upcoming meeting to move.
        meetings.filtered(lambda m: m.status == "scheduled" and not m.rescheduled_from_id)._mentor_check_consent(
            meetings.meeting_students
        )
        if not meetings._mentor_quiet():
            meetings.filtered(lambda m: m.status == "scheduled" and not m.rescheduled_from_id)._mentor_notify_parents(
                "scheduled"
            )
        return meetings

    def write(self, vals):
        before = {}
        settings = self.env["res.config.settings"]
        if "meeting_students" in vals:
            before = {
                meeting.id: meeting.meeting_students
                for meeting in self
                if settings._mentor_parent_setting("consent_required", meeting.company_id)
            }
        result = super().write(vals)
        for meeting in self.filtered(lambda m: m.id in before and m.status == "scheduled"):
            meeting._mentor_check_consent(meeting.meeting_students - before[meeting.id])
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _action_cancel(self, reason, note=None):
        result = super()._action_cancel(reason, note)
        self._mentor_notify_parents("cancelled")
        return result

    def _action_reschedule(self, new_date, meeting_link=None):
        new_meeting = super()._action_reschedule(new_date, meeting_link=meeting_link)
        new_meeting._mentor_notify_parents("rescheduled")
        return new_meeting

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _mentor_check_consent(self, students):
        """Refuse these meetings while one of ``students`` among their mentees waits for a parent's consent."""
        # the setting first: a school without it pays no query on its meetings
        settings = self.env["res.config.settings"]
        if not students or not any(settings._mentor_parent_setting("consent_required", c) for c in self.company_id):
            return
        # as the system: the consents are the parents' and the school's, never the mentor's to read
        waiting = (self.sudo().meeting_students & students)._mentor_waiting_consent()
        if waiting:
            raise ValidationError(
                self.env._(
                    "%(students)s: waiting for a parent's consent. The first meeting can be scheduled once a "
                    "parent has given it from the portal or from the e-mail the school sent them.",
                    students=", ".join(waiting.mapped("name")),
                )
            )

    _PARENT_TEMPLATES = {
        "scheduled": "op_student_mentor_parent.mail_template_parent_meeting_scheduled",
        "rescheduled": "op_student_mentor_parent.mail_template_parent_meeting_rescheduled",
        "cancelled": "op_student_mentor_parent.mail_template_parent_meeting_cancelled",
    }

    def _mentor_notify_parents(self, kind):
        """One e-mail per parent and meeting (Settings: E-mail Parents About Meetings), naming their children."""
        settings = self.env["res.config.settings"]
        meetings = self.filtered(lambda m: settings._mentor_parent_setting("notify_meetings", m.company_id))
        if not meetings:
            return
        # as the system: the sender need not read the template, nor the parents (neither a mentor nor a faculty does)
        meetings = meetings.sudo()
        template = meetings.env.ref(self._PARENT_TEMPLATES[kind])
        for meeting in meetings:
            show_link = settings._mentor_parent_setting("show_link", meeting.company_id)
            for parent in meeting.meeting_students._mentor_parents().filtered(lambda p: p.name.email):
                children = parent.student_ids & meeting.meeting_students
                partner = parent.name
                template.with_context(
                    parent_children=", ".join(children.mapped("name")),
                    parent_show_link=show_link,
                    parent_tz=partner.tz or meeting.student_id.tz or "UTC",
                    parent_lang=partner.lang,
                ).send_mail(
                    meeting.id,
                    email_layout_xmlid="mail.mail_notification_light",
                    email_values={"recipient_ids": [fields.Command.set(partner.ids)]},
                )
