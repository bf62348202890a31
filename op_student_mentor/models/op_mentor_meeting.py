import base64
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


def _ics_escape(text):
    return (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line):
    """RFC 5545 lines are at most 75 octets; continuation lines start with a space."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, chunk = [], b""
    for char in line:
        encoded = char.encode()
        if len(chunk) + len(encoded) > (75 if not parts else 74):
            parts.append(chunk.decode())
            chunk = b""
        chunk += encoded
    parts.append(chunk.decode())
    return "\r\n ".join(parts)


class OpMentorMeeting(models.Model):
    _name = "op.mentor.meeting"
    _description = "Mentor Meeting"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "meeting_name"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    meeting_name = fields.Char("Meeting Name", required=True, tracking=True)
    meeting_link = fields.Char(
        "Meeting Link", required=True, tracking=True, help="Video call URL (Zoom, Google Meet, Jitsi…), http(s) only."
    )
    date = fields.Datetime(required=True, tracking=True, index=True)
    duration = fields.Integer("Duration (minutes)", default=30, required=True)
    date_end = fields.Datetime("End", compute="_compute_date_end", store=True)
    student_id = fields.Many2one(
        "op.student",
        "Mentor",
        required=True,
        tracking=True,
        index=True,
        domain="[('is_mentor', '=', True)]",
        help="The hosting mentor.",
    )
    meeting_students = fields.Many2many(
        "op.student",
        "op_mentor_meeting_student_rel",
        "meeting_id",
        "student_id",
        string="Mentees",
        domain="[('mentee_allocation_ids.mentor_id', '=', student_id), ('mentee_allocation_ids.active', '=', True)]",
    )
    description = fields.Text("Agenda / Notes")
    status = fields.Selection(
        [("scheduled", "Scheduled"), ("reschedule", "Rescheduled"), ("done", "Done"), ("cancel", "Cancelled")],
        default="scheduled",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    rescheduled_from_id = fields.Many2one(
        "op.mentor.meeting", "Rescheduled From", readonly=True, copy=False, index="btree_not_null", ondelete="set null"
    )
    rescheduled_to_ids = fields.One2many("op.mentor.meeting", "rescheduled_from_id", "Rescheduled To", readonly=True)
    mentor_user_id = fields.Many2one(related="student_id.user_id", string="Mentor User")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)
    portal_submit_token = fields.Char(
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="One-time token of the portal form that created the meeting: a re-posted form creates nothing.",
    )

    _sql_constraints = [
        ("duration_positive", "CHECK(duration > 0 AND duration <= 600)", "A meeting lasts between 1 and 600 minutes."),
        ("portal_submit_token_unique", "UNIQUE(portal_submit_token)", "This form was already submitted."),
    ]

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("date", "duration")
    def _compute_date_end(self):
        for meeting in self:
            meeting.date_end = meeting.date and meeting.date + timedelta(minutes=meeting.duration or 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("meeting_link")
    def _check_meeting_link(self):
        for meeting in self:
            meeting._validate_link(meeting.meeting_link)

    @api.model
    def _validate_link(self, link):
        """Only absolute http(s) URLs: the link is shown as a button in the portal."""
        link = link or ""
        parts = urlsplit(link) if link else None
        if (
            not link
            or link != link.strip()
            or any(c.isspace() or ord(c) < 32 for c in link)
            or parts.scheme.lower() not in ("http", "https")
            or not parts.hostname
        ):
            raise ValidationError(
                self.env._(
                    "The meeting link must be a web address starting with http:// or https:// (got %(link)s).",
                    link=link[:200] or self.env._("nothing"),
                )
            )

    @api.constrains("student_id")
    def _check_host_is_mentor(self):
        for meeting in self:
            if not meeting.student_id.sudo().is_mentor:
                raise ValidationError(
                    self.env._(
                        "Cannot create meeting: %(student)s is not an approved mentor.",
                        student=meeting.student_id.sudo().name,
                    )
                )

    @api.constrains("rescheduled_from_id")
    def _check_rescheduled_from(self):
        for meeting in self.filtered("rescheduled_from_id"):
            if meeting.rescheduled_from_id.sudo().student_id != meeting.student_id:
                raise ValidationError(
                    self.env._("A meeting can only be rescheduled from a meeting of the same mentor.")
                )

    @api.constrains("student_id", "meeting_students")
    def _check_attendees(self):
        meetings = self.filtered(lambda m: m.student_id.sudo().is_mentor)
        # One search for every host of the batch (bulk create), not one per meeting.
        allocations = self.env["op.mentor.allocation"].sudo().search([("mentor_id", "in", meetings.student_id.ids)])
        allowed_by_mentor = {}
        for allocation in allocations:
            allowed_by_mentor.setdefault(allocation.mentor_id.id, set()).update(allocation.student_ids.ids)
        for meeting in meetings:
            allowed = allowed_by_mentor.get(meeting.student_id.id, set())
            foreign = meeting.meeting_students.filtered(lambda s, allowed=allowed: s.id not in allowed)
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(students)s is not allocated to mentor %(mentor)s. Mentees not showing? "
                        "Create the mentor allocation first.",
                        students=", ".join(foreign.sudo().mapped("name")),
                        mentor=meeting.student_id.sudo().name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._validate_link(vals.get("meeting_link"))
            if vals.get("date"):
                self._check_future_date(fields.Datetime.to_datetime(vals["date"]))
        meetings = super().create(vals_list)
        if not self.env.context.get("mentor_meeting_no_notify"):
            meetings.filtered(lambda m: m.status == "scheduled" and not m.rescheduled_from_id)._notify_mentees(
                "scheduled"
            )
        return meetings

    def write(self, vals):
        if "status" in vals:
            self._check_status_update(vals["status"])
        if vals.get("date"):
            self._check_future_date(fields.Datetime.to_datetime(vals["date"]))
            closed = self.filtered(lambda m: m.status != "scheduled")
            if closed:
                raise UserError(
                    self.env._(
                        "Meeting %(name)s is no longer scheduled; its date cannot change.", name=closed[0].meeting_name
                    )
                )
        result = super().write(vals)
        if "student_id" in vals:
            # Record rules judge a write on the records before it: the new host must be allowed too.
            self.check_access("write")
        return result

    @api.model
    def _check_future_date(self, date):
        if self.env.context.get("mentor_meeting_allow_past"):
            return
        if date <= fields.Datetime.now():
            raise ValidationError(self.env._("A meeting must be scheduled in the future."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_reschedule_wizard(self):
        self._check_status_update("reschedule")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reschedule Meeting"),
            "res_model": "op.mentor.meeting.reschedule.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_meeting_id": self.id},
        }

    def action_done(self):
        self._check_status_update("done")
        self.write({"status": "done"})
        return True

    def action_cancel(self):
        self._check_status_update("cancel")
        self.write({"status": "cancel"})
        self._notify_mentees("cancelled")
        return True

    def action_reschedule(self, new_date, meeting_link=None):
        """Create the follow-on meeting at ``new_date``; the original becomes ``reschedule``."""
        self.ensure_one()
        self._check_status_update("reschedule")
        new_date = fields.Datetime.to_datetime(new_date)
        if not new_date:
            raise UserError(self.env._("Choose the new date of the meeting."))
        self._check_future_date(new_date)
        new_meeting = self.with_context(mentor_meeting_no_notify=True).copy(
            {
                "date": new_date,
                "rescheduled_from_id": self.id,
                "meeting_link": meeting_link or self.meeting_link,
            }
        )
        self.write({"status": "reschedule"})
        new_meeting._notify_mentees("rescheduled")
        return new_meeting

    def action_view_chain(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reschedule history"),
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [("id", "in", self._reschedule_chain().ids)],
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    _TRANSITIONS = {"done": ("scheduled",), "cancel": ("scheduled",), "reschedule": ("scheduled",)}

    def _check_status_update(self, status):
        """The one place that decides which meeting may move to ``status``; access is the record rules'."""
        labels = dict(self._fields["status"]._description_selection(self.env))
        for meeting in self:
            if meeting.status not in self._TRANSITIONS.get(status, ()):
                raise UserError(
                    self.env._(
                        "Meeting %(name)s is %(current)s; only scheduled meetings can be %(target)s.",
                        name=meeting.meeting_name,
                        current=labels[meeting.status].lower(),
                        target=labels[status].lower(),
                    )
                )
        self.check_access("write")

    def _reschedule_chain(self):
        """The meeting with every meeting it was rescheduled from and to."""
        self.ensure_one()
        chain = self
        first = self
        while first.rescheduled_from_id:
            first = first.rescheduled_from_id
            chain |= first
        todo = first
        while todo:
            chain |= todo
            todo = todo.rescheduled_to_ids
        return chain.sorted("date")

    def _ics_content(self, method="REQUEST"):
        self.ensure_one()
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "odoo")
        stamp = fields.Datetime.now().strftime("%Y%m%dT%H%M%SZ")
        mentor = self.student_id.sudo()
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//op_student_mentor//Mentor Meeting//EN",
            f"METHOD:{method}",
            "BEGIN:VEVENT",
            f"UID:op-mentor-meeting-{self.id}@{uuid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{self.date.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTEND:{self.date_end.strftime('%Y%m%dT%H%M%SZ')}",
            f"SUMMARY:{_ics_escape(self.meeting_name)}",
            f"DESCRIPTION:{_ics_escape((self.description or '') + chr(10) + self.meeting_link)}",
            f"LOCATION:{_ics_escape(self.meeting_link)}",
            f"URL:{self.meeting_link}",
            f"ORGANIZER;CN={_ics_escape(mentor.name)}:mailto:{mentor.email or 'noreply@localhost'}",
            "STATUS:" + ("CANCELLED" if method == "CANCEL" else "CONFIRMED"),
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return "\r\n".join(_ics_fold(line) for line in lines) + "\r\n"

    def _ics_attachment(self, method="REQUEST"):
        self.ensure_one()
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "meeting.ics",
                    "datas": base64.b64encode(self._ics_content(method).encode()),
                    "mimetype": "text/calendar",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    _TEMPLATES = {
        "scheduled": "op_student_mentor.mail_template_mentor_meeting_scheduled",
        "rescheduled": "op_student_mentor.mail_template_mentor_meeting_rescheduled",
        "cancelled": "op_student_mentor.mail_template_mentor_meeting_cancelled",
        "reminder": "op_student_mentor.mail_template_mentor_meeting_reminder",
    }

    def _notify_mentees(self, kind):
        """One e-mail per mentee, so the date is written in that mentee's timezone and language."""
        template = self.env.ref(self._TEMPLATES[kind], raise_if_not_found=False)
        if not template:
            return
        template = template.sudo()  # the mentor sending is a portal user: no access to mail templates
        for meeting in self.sudo():
            attachment = meeting._ics_attachment("CANCEL" if kind == "cancelled" else "REQUEST")
            for partner in meeting.meeting_students.partner_id:
                template.with_context(
                    mentee_tz=partner.tz or meeting.student_id.tz or "UTC", mentee_lang=partner.lang
                ).send_mail(
                    meeting.id,
                    email_layout_xmlid="mail.mail_notification_light",
                    email_values={
                        "recipient_ids": [fields.Command.set(partner.ids)],
                        "attachment_ids": [fields.Command.link(attachment.id)],
                    },
                )

    @api.model
    def _cron_send_reminders(self):
        """Remind attendees of tomorrow's meetings (UTC day); an indexed date range, not a scan."""
        tomorrow = fields.Date.context_today(self) + timedelta(days=1)
        start = datetime.combine(tomorrow, time.min)
        meetings = self.search(
            [("status", "=", "scheduled"), ("date", ">=", start), ("date", "<", start + timedelta(days=1))]
        )
        meetings._notify_mentees("reminder")
        return meetings
