import uuid

from odoo import api, fields, models
from odoo.tools import clean_context, plaintext2html


class OpMentorMeetingCalendarMixin(models.AbstractModel):
    """The meeting's side of Odoo's Calendar: one ``calendar.event`` per meeting, kept in step with it
    (attendees, date, link, cancellation), its Discuss video room and its ``.ics`` file.

    The event's own side (UID, SEQUENCE, METHOD of the files; sender of the mails) is in calendar_event.py.
    """

    _name = "op.mentor.meeting.calendar.mixin"
    _description = "Mentor Meeting: Calendar Event"

    # Meeting fields the event mirrors: a write of one of them updates the event.
    _EVENT_FIELDS = frozenset(
        {"meeting_name", "date", "duration", "meeting_link", "student_id", "meeting_students", "description", "status"}
    )

    # ------------------------------------------------------------
    # VIDEO ROOM: calendar's Discuss room, open to the meeting's people only
    # ------------------------------------------------------------

    @api.model
    def _mentor_fill_video_room(self, vals):
        """An empty link gets a Discuss video room of calendar (its route and token); returns the token."""
        if vals.get("meeting_link"):
            return False
        token = uuid.uuid4().hex
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""  # a system setting
        vals["meeting_link"] = f"{base_url}/{self.env['calendar.event'].DISCUSS_ROUTE}/{token}"
        return token

    def _mentor_has_video_room(self):
        """Whether the meeting's link is the Discuss room of its own event."""
        self.ensure_one()
        event = self.sudo().calendar_event_id  # the event may be archived or not the user's: its token only
        return (
            bool(event.access_token)
            and self.meeting_link == event.videocall_location
            and (event.videocall_source == "discuss")
        )

    def _mentor_may_join_video_room(self, user):
        """The meeting's people: its mentor and mentees, its faculty, the mentorship administrators."""
        self.ensure_one()
        meeting = self.sudo()  # the room's public route judges any user, before any rule could
        if user._is_public():
            return False
        if user.has_group("op_student_mentor.group_op_mentor_admin"):
            return True
        people = meeting.student_id.user_id | meeting.meeting_students.user_id
        return user in people or bool(meeting.faculty_ids & user.mentor_faculty_ids)

    # ------------------------------------------------------------
    # EVENTS: created with the meetings, synchronised on write
    # ------------------------------------------------------------

    def _mentor_quiet(self):
        """Whether new meetings are created without their invitations: only superuser code (data files,
        migrations, the shell tools that seed a school) may ask it, with calendar's own ``no_mail_to_attendees``.
        From any other caller (RPC, portal) the key is ignored: the mentees always hear of their meetings."""
        return self.env.su and bool(self.env.context.get("no_mail_to_attendees"))

    def _mentor_event_partners(self):
        """Attendees: the mentor and the mentees (as partners), the faculty too when the setting says so.
        Read on the system's records (see _mentor_create_events, _mentor_sync_events)."""
        self.ensure_one()
        partners = self.student_id.partner_id | self.meeting_students.partner_id
        if self.company_id.mentor_calendar_faculty_attendee:
            partners |= self.faculty_ids.partner_id
        return partners

    def _mentor_event_values(self):
        self.ensure_one()
        return {
            "name": self.meeting_name,
            "start": self.date,
            "stop": self.date_end,
            "description": plaintext2html(self.description or ""),
            "videocall_location": self.meeting_link,
            "partner_ids": [fields.Command.set(self._mentor_event_partners().ids)],
        }

    def _mentor_create_events(self, room_tokens=None):
        """Create the events of these meetings in one create(); calendar mails the invitations (with the .ics)
        of future ones. Past meetings (history, migration) are linked without mail."""
        context = clean_context(self.env.context)  # no default_* of the meeting's form on the event
        context["no_mail_to_attendees"] = self._mentor_quiet()
        meetings = self.sudo().filtered(lambda m: not m.calendar_event_id)  # the event is created as the system
        if not meetings:
            return
        tokens = dict(zip(self.ids, room_tokens or []))
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for meeting in meetings:
            mentor_partner = meeting.student_id.partner_id
            partners = meeting._mentor_event_partners()
            vals = meeting._mentor_event_values()
            vals.update(
                {
                    "user_id": meeting.student_id.user_id.id or False,
                    "res_model_id": model_id,
                    "res_id": meeting.id,
                    "alarm_ids": [fields.Command.set(meeting.company_id.mentor_calendar_alarm_ids.ids)],
                    "attendee_ids": [
                        fields.Command.create(
                            {
                                "partner_id": partner.id,
                                "state": "accepted" if partner == mentor_partner else "needsAction",
                            }
                        )
                        for partner in partners
                    ],
                    "active": meeting.status in ("scheduled", "done", "missed"),
                }
            )
            if tokens.get(meeting.id):
                vals["access_token"] = tokens[meeting.id]
            vals_list.append(vals)
        events = meetings.env["calendar.event"].with_context(context, mail_create_nolog=True).create(vals_list)
        for meeting, event in zip(meetings, events):
            meeting.calendar_event_id = event

    def _mentor_partners_leaving(self, vals):
        """{meeting: partners} removed from the attendees by this write, to send them a cancellation."""
        if "meeting_students" not in vals and "student_id" not in vals:
            return {}
        return {meeting: meeting.sudo().calendar_event_id.partner_ids for meeting in self}  # as in _mentor_sync_events

    def _mentor_event_update(self, fnames, previous_partners):
        """The values a write of ``fnames`` changes on the meeting's event, and the attendees who leave it."""
        self.ensure_one()
        event = self.calendar_event_id
        vals = {}
        if "meeting_name" in fnames:
            vals["name"] = self.meeting_name
        if "description" in fnames or "duration" in fnames:
            vals["description"] = plaintext2html(self.description or "")
        if "date" in fnames or "duration" in fnames:
            vals.update(start=self.date, stop=self.date_end)
        if "meeting_link" in fnames and self.meeting_link != event.videocall_location:
            vals["videocall_location"] = self.meeting_link
        if "student_id" in fnames:
            vals["user_id"] = self.student_id.user_id.id or False
        new_partners = self._mentor_event_partners()
        leaving = (previous_partners or {}).get(self, event.partner_ids) - new_partners
        if leaving or new_partners != event.partner_ids:
            vals["partner_ids"] = [fields.Command.set(new_partners.ids)]
        return vals, leaving

    def _mentor_sync_events(self, fnames, previous_partners=None):
        """Carry a write of the meetings to their events: calendar mails the date change and the new attendees;
        removed attendees and a cancelled or rescheduled meeting get a cancellation (same UID, higher SEQUENCE)
        and the event is archived, so every calendar keeps one live event per live meeting.

        Events that take the same values are written together: a bulk change is one write per distinct change,
        not one per meeting."""
        # the events are the system's (see _mentor_create_events); their mails go out whatever the caller asks
        meetings = self.sudo().with_context(no_mail_to_attendees=False)
        missing = meetings.filtered(lambda m: not m.calendar_event_id)
        missing._mentor_create_events()  # never expected: created as they are now, nothing to carry over
        meetings -= missing
        Event = meetings.env["calendar.event"]
        Attendee = meetings.env["calendar.attendee"]
        sequences, final, cancelled, hosted = {}, {}, [], []
        for meeting in meetings:
            event = meeting.calendar_event_id
            vals, leaving = meeting._mentor_event_update(fnames, previous_partners)
            closing = meeting.status in ("cancel", "reschedule") and event.active
            if fnames & {"date", "duration", "meeting_link"} or leaving or closing:
                if leaving or closing:
                    # the cancellation carries the new SEQUENCE: written before it is sent
                    sequences.setdefault(event.mentor_ics_sequence + 1, []).append(event.id)
                    going = event.attendee_ids
                    if not closing:
                        going = going.filtered(lambda a, leaving=leaving: a.partner_id in leaving)
                    if event.start > fields.Datetime.now():
                        cancelled.append(going)
                else:
                    vals["mentor_ics_sequence"] = event.mentor_ics_sequence + 1
            if closing:
                vals["active"] = False
            if vals:
                final.setdefault(self._mentor_vals_key(vals), (vals, []))[1].append(event.id)
            if "start" in vals or "student_id" in fnames:
                hosted.append(meeting)
        for sequence, event_ids in sequences.items():
            Event.browse(event_ids).write({"mentor_ics_sequence": sequence})
        if cancelled:
            meetings._mentor_notify_cancelled(Attendee.concat(*cancelled))
        for vals, event_ids in final.values():
            Event.browse(event_ids).write(dict(vals))
        # calendar asks the organizer again when someone else moves the event: the mentor hosts it (read after the
        # writes: a new host's attendee is created by them)
        hosts = Attendee.concat(
            *(
                m.calendar_event_id.attendee_ids.filtered(lambda a, m=m: a.partner_id == m.student_id.partner_id)
                for m in hosted
            )
        )
        hosts.state = "accepted"

    @staticmethod
    def _mentor_vals_key(vals):
        """A hashable key of event values, to group the events that take the same ones."""
        return tuple(sorted((key, repr(value) if isinstance(value, list) else value) for key, value in vals.items()))

    # ------------------------------------------------------------
    # ICS
    # ------------------------------------------------------------

    def _mentor_ics_file(self, method="PUBLISH"):
        """These meetings as one iCalendar file, from Odoo calendar's (see calendar.event._get_ics_file)."""
        meetings = self.sudo()  # callers checked the access to the meetings; the events are the system's
        meetings._mentor_create_events()  # a meeting without event (never expected) still exports
        return meetings.sorted("date").calendar_event_id._mentor_ics_calendar(method)

    def action_export_ics(self):
        """Download the selected meetings as one .ics file (Action menu of the meeting list and form)."""
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": "/op_student_mentor/meetings.ics?ids=" + ",".join(str(i) for i in self.ids),
            "target": "download",
        }

    # ------------------------------------------------------------
    # MIGRATION
    # ------------------------------------------------------------

    @api.model
    def _mentor_migrate_events(self, batch_size=1000):
        """Events of the meetings that have none (migration 18.0.1.4.0), in batches, mailing nobody."""
        Meeting = self.sudo().with_context(  # an upgrade script: every meeting, no mail
            active_test=False,
            no_mail_to_attendees=True,
            mail_create_nosubscribe=True,
            tracking_disable=True,
        )
        while True:
            meetings = Meeting.search([("calendar_event_id", "=", False)], limit=batch_size, order="id")
            if not meetings:
                return
            meetings._mentor_create_events()
            past = meetings.filtered(lambda m: m.status != "scheduled" or m.date <= fields.Datetime.now())
            past.calendar_event_id.alarm_ids = False  # no reminder of the past
            self.env.flush_all()
            self.env.invalidate_all()
