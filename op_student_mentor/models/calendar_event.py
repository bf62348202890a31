import pytz
import vobject

from odoo import fields, models

MEETING_MODEL = "op.mentor.meeting"


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # The inverse of op.mentor.meeting.calendar_event_id: one meeting at most (the record rule reads it).
    mentor_meeting_ids = fields.One2many(MEETING_MODEL, "calendar_event_id", readonly=True)
    mentor_ics_sequence = fields.Integer(
        "iCalendar Sequence",
        default=0,
        copy=False,
        readonly=True,
        help="SEQUENCE of the event in .ics files: raised when the meeting moves or is cancelled, so calendar "
        "apps replace the copy they hold instead of adding one.",
    )

    # ------------------------------------------------------------
    # ICS (RFC 5545): Odoo's vobject file, extended
    # ------------------------------------------------------------

    def _mentor_meeting(self):
        """The meeting of a mentor meeting's event, as superuser (read for a whole feed at once)."""
        self.ensure_one()
        if self.res_model != MEETING_MODEL:
            return self.env[MEETING_MODEL]
        return self.sudo().mentor_meeting_ids[:1]  # read for the event's mail and file, whoever sends them

    def _get_ics_file(self):
        """Odoo writes no UID, SEQUENCE, METHOD, URL or attendee names (odoo/odoo#185115): a calendar app cannot
        match an update or a cancellation to the event it holds. Mentor meetings get them; other events are
        left as Odoo writes them. The METHOD comes from the context (``mentor_ics_method``, REQUEST by default:
        the file goes with an invitation)."""
        result = super()._get_ics_file()
        method = self.env.context.get("mentor_ics_method", "REQUEST")
        for event in self.filtered(lambda e: e.res_model == MEETING_MODEL and e.id in result):
            cal = vobject.readOne(result[event.id].decode())
            event._mentor_ics_extend(cal.vevent, cancelled=method == "CANCEL")
            cal.add("method").value = method
            result[event.id] = cal.serialize().encode()
        return result

    def _mentor_ics_uid(self):
        """Stable per meeting (the UID of the files sent before the calendar events existed)."""
        self.ensure_one()
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "odoo")  # a system setting
        return f"op-mentor-meeting-{self.res_id}@{uuid}"

    def _mentor_ics_extend(self, vevent, cancelled=False):
        self.ensure_one()
        event = self.sudo()  # the attendees' e-mails and the organizer's, as calendar writes them in its file
        meeting = event._mentor_meeting()
        for name in ("uid", "sequence", "dtstamp", "url", "location", "status", "organizer", "attendee"):
            while name in vevent.contents:
                del vevent.contents[name]
        vevent.add("uid").value = event._mentor_ics_uid()
        vevent.add("sequence").value = str(event.mentor_ics_sequence)
        vevent.add("dtstamp").value = fields.Datetime.now().replace(tzinfo=pytz.utc)
        vevent.dtstart.value = event.start.replace(tzinfo=pytz.utc)
        vevent.dtend.value = event.stop.replace(tzinfo=pytz.utc)
        link = event.videocall_location or (meeting and meeting.meeting_link)
        if link:
            vevent.add("url").value = link
            vevent.add("location").value = link
        if cancelled or not event.active or (meeting and meeting.status in ("cancel", "reschedule")):
            vevent.add("status").value = "CANCELLED"
        else:
            vevent.add("status").value = "CONFIRMED"
        organizer = event._mentor_organizer_partner()
        if organizer.email:
            line = vevent.add("organizer")
            line.value = f"mailto:{organizer.email}"
            line.params["CN"] = [organizer.name or organizer.email]  # vobject quotes it: CN="Zoë Ørsted, Jr."
        states = {"accepted": "ACCEPTED", "declined": "DECLINED", "tentative": "TENTATIVE"}
        for attendee in event.attendee_ids.filtered("email"):
            line = vevent.add("attendee")
            line.value = f"mailto:{attendee.email}"
            line.params["CN"] = [attendee.common_name or attendee.email]
            line.params["ROLE"] = ["REQ-PARTICIPANT"]
            line.params["PARTSTAT"] = [states.get(attendee.state, "NEEDS-ACTION")]
            line.params["RSVP"] = ["TRUE"]

    def _mentor_organizer_partner(self):
        """The mentor, or the company when the mentor has no e-mail: never OdooBot."""
        self.ensure_one()
        partner = self.sudo().user_id.partner_id  # the mentor's user: a mentee may not read it
        if partner.email and partner.id != self.env["ir.model.data"]._xmlid_to_res_id("base.partner_root"):
            return partner
        meeting = self._mentor_meeting()
        company = meeting.company_id if meeting else self.env.company
        return company.partner_id

    def _mentor_ics_calendar(self, method="PUBLISH"):
        """One .ics file holding these events (portal feeds, backend export)."""
        cal = vobject.iCalendar()
        cal.add("method").value = method
        if len(self) != 1:
            cal.add("x-wr-calname").value = self.env._("Mentor meetings")
        files = self.with_context(mentor_ics_method=method)._get_ics_file()
        for event in self:
            if event.id in files:
                cal.add(vobject.readOne(files[event.id].decode()).vevent)
        return cal.serialize()

    # ------------------------------------------------------------
    # MAIL: sender and replies
    # ------------------------------------------------------------

    def message_notify(self, **kwargs):
        """Calendar sends invitations and reminders from the organizer or, without one, from whoever runs the
        code (OdooBot for the reminder cron). A mentor meeting's mails come from the mentor, or the company's
        address when the mentor has no e-mail; replies reach the mentor."""
        if len(self) == 1 and self.res_model == MEETING_MODEL:
            organizer = self._mentor_organizer_partner()
            kwargs["email_from"] = organizer.email_formatted
            kwargs["author_id"] = organizer.id
            mentor = self._mentor_meeting().student_id.partner_id
            if mentor.email:
                kwargs.setdefault("reply_to", mentor.email_formatted)
        return super().message_notify(**kwargs)
