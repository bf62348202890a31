"""Meetings on Odoo's Calendar: one event per meeting, invitations and cancellations, RSVP,
reminders sent once, the Discuss video room, .ics, visibility in the Calendar app, sync, migration."""

import base64
import importlib.util
import re
from datetime import datetime, timedelta
from pathlib import Path

import vobject
from freezegun import freeze_time

import odoo
from odoo import Command, api
from odoo.exceptions import ValidationError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from . import test_concurrency  # its committed school (not imported by name: pytest would run it twice)
from .common import MentorCommon, MentorPortalCommon

NOW = "2031-01-10 08:00:00"
START = datetime(2031, 1, 15, 13, 0)


def _vevents(content):
    if isinstance(content, bytes):
        content = content.decode()
    return list(vobject.readOne(content).vevent_list)


class CalendarCase:
    def _vals(self, **vals):
        return {
            "meeting_name": "Progress review",
            "meeting_link": "https://meet.example.com/review",
            "date": START,
            "student_id": self.student_mentor.id,
            "meeting_students": [Command.set(self.student_mentee.ids)],
            **vals,
        }

    def _live_events(self, partner):
        return (
            self.env["calendar.event"]
            .sudo()
            .search([("res_model", "=", "op.mentor.meeting"), ("partner_ids", "in", partner.ids)])
        )

    def _mails_to(self, partner):
        return self._new_mails.filtered(lambda m: partner in m.recipient_ids)

    def _ics(self, mail):
        ics = mail.attachment_ids.filtered(lambda a: a.mimetype == "text/calendar")
        self.assertEqual(len(ics), 1, mail.subject)
        return base64.b64decode(ics.datas).decode()


@tagged("post_install", "-at_install")
class TestMentorCalendar(CalendarCase, MentorCommon):
    # ------------------------------------------------------------
    # One event per meeting, kept in step
    # ------------------------------------------------------------

    def test_event_linked_both_ways(self):
        with freeze_time(NOW):
            meeting = self.env["op.mentor.meeting"].create(self._vals())
        event = meeting.calendar_event_id
        self.assertEqual((event.res_model, event.res_id), ("op.mentor.meeting", meeting.id))
        self.assertEqual(event.mentor_meeting_ids, meeting)
        self.assertEqual(event.name, "Progress review")
        self.assertEqual((event.start, event.stop), (START, START + timedelta(minutes=30)))
        self.assertEqual(event.partner_ids, self.student_mentor.partner_id | self.student_mentee.partner_id)
        self.assertEqual(event.user_id, self.user_mentor, "the mentor organizes it")
        self.assertEqual(event.videocall_location, "https://meet.example.com/review")
        organizer = event.attendee_ids.filtered(lambda a: a.partner_id == self.student_mentor.partner_id)
        self.assertEqual(organizer.state, "accepted")
        self.assertEqual(
            set(event.alarm_ids.mapped(lambda a: (a.alarm_type, a.duration, a.interval))),
            {("email", 1, "days"), ("email", 1, "hours")},
            "default reminders: e-mail one day and one hour before",
        )

    def test_event_follows_every_change(self):
        with freeze_time(NOW):
            meeting = self.env["op.mentor.meeting"].create(self._vals())
            event = meeting.calendar_event_id
            self._add_second_mentee()
            meeting.write(
                {
                    "meeting_name": "Review, moved",
                    "date": START + timedelta(days=1),
                    "duration": 45,
                    "meeting_link": "https://meet.example.com/moved",
                    "meeting_students": [Command.link(self.student_mentee_2.id)],
                }
            )
        self.assertEqual(meeting.calendar_event_id, event, "never a second event")
        self.assertEqual(event.name, "Review, moved")
        self.assertEqual((event.start, event.stop), (START + timedelta(days=1), START + timedelta(days=1, minutes=45)))
        self.assertEqual(event.videocall_location, "https://meet.example.com/moved")
        self.assertIn(self.student_mentee_2.partner_id, event.partner_ids)
        self.assertEqual(event.mentor_ics_sequence, 1, "moved: a higher SEQUENCE")
        with freeze_time(NOW):
            meeting.write({"meeting_students": [Command.unlink(self.student_mentee_2.id)]})
        self.assertNotIn(self.student_mentee_2.partner_id, event.partner_ids)
        self.assertEqual(
            self.env["calendar.event"].search_count([("res_id", "=", meeting.id), ("res_model", "=", meeting._name)]), 1
        )

    def test_faculty_attendee_setting(self):
        self.env.company.mentor_calendar_faculty_attendee = True
        with freeze_time(NOW):
            meeting = self.env["op.mentor.meeting"].create(self._vals())
        self.assertIn(self.faculty.partner_id, meeting.calendar_event_id.partner_ids)

    def test_reminder_settings(self):
        settings = self.env["res.config.settings"].create({})
        alarm = self.env.ref("calendar.alarm_mail_1")
        settings.mentor_calendar_alarm_ids = alarm
        settings.execute()
        with freeze_time(NOW):
            meeting = self.env["op.mentor.meeting"].create(self._vals())
        self.assertEqual(meeting.calendar_event_id.alarm_ids, alarm)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.mentor_calendar_alarm_ids, alarm)
        settings.mentor_calendar_alarm_ids = False
        settings.execute()
        with freeze_time(NOW):
            meeting = self.env["op.mentor.meeting"].create(self._vals())
        self.assertFalse(meeting.calendar_event_id.alarm_ids, "no reminder chosen: none")

    # ------------------------------------------------------------
    # Reschedule / cancel: one live event per live meeting
    # ------------------------------------------------------------

    def test_reschedule_and_cancel_leave_one_live_event(self):
        with freeze_time(NOW):
            first = self.env["op.mentor.meeting"].create(self._vals())
            uid = first.calendar_event_id._mentor_ics_uid()
            with self.mock_mail_gateway():
                second = first._action_reschedule(START + timedelta(days=2))
            cancel = self._mails_to(self.student_mentee.partner_id).filtered(lambda m: "Cancelled" in m.subject)
            [old] = _vevents(self._ics(cancel))
            self.assertEqual(old.uid.value, uid, "the old UID is cancelled")
            self.assertEqual(old.sequence.value, "1")
            self.assertEqual(old.status.value, "CANCELLED")
            self.assertIn("METHOD:CANCEL", self._ics(cancel))
            third = second._action_reschedule(START + timedelta(days=3))
            self.env["op.mentor.meeting"].create(self._vals(meeting_name="Another", date=START + timedelta(days=5)))
            for partner in (self.student_mentor.partner_id, self.student_mentee.partner_id):
                live = self._live_events(partner).mentor_meeting_ids - self.meeting
                self.assertEqual(live.mapped("meeting_name"), ["Another", "Progress review"], partner.name)
                self.assertEqual(live.mapped("status"), ["scheduled"] * 2)
            third._action_cancel("illness")
            for partner in (self.student_mentor.partner_id, self.student_mentee.partner_id):
                live = self._live_events(partner).mentor_meeting_ids - self.meeting
                self.assertEqual(live.mapped("meeting_name"), ["Another"])
        self.assertFalse(first.calendar_event_id.active)
        self.assertTrue(third.calendar_event_id.exists(), "cancelled: archived, not deleted (history)")

    def test_done_meeting_stays_a_past_event(self):
        with freeze_time(NOW):
            meeting = self.env["op.mentor.meeting"].create(self._vals())
        with freeze_time(START + timedelta(hours=1)):
            meeting.action_done()
        self.assertTrue(meeting.calendar_event_id.active)
        self.assertEqual(meeting.calendar_event_id.start, START)

    # ------------------------------------------------------------
    # Mails: calendar's, per attendee language and timezone, sender the mentor
    # ------------------------------------------------------------

    def test_invitation_per_mentee_language_and_timezone(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self._add_second_mentee()
        self.student_mentee.partner_id.write({"lang": "fr_FR", "tz": "Europe/Paris"})
        self.student_mentee_2.partner_id.write({"lang": "en_US", "tz": "America/New_York"})
        with freeze_time(NOW), self.mock_mail_gateway():
            meeting = self.env["op.mentor.meeting"].create(
                self._vals(meeting_students=[Command.set((self.student_mentee | self.student_mentee_2).ids)])
            )
        french = self._mails_to(self.student_mentee.partner_id)
        english = self._mails_to(self.student_mentee_2.partner_id)
        self.assertEqual((len(french), len(english)), (1, 1))
        self.assertIn("14:00", french.body_html, "13:00 UTC in Paris, French format")
        self.assertIn("8:00 AM", english.body_html, "13:00 UTC in New York")
        self.assertIn("accept?token=", english.body_html)
        self.assertFalse(self._mails_to(self.student_mentor.partner_id), "the organizer is not invited")
        # the sender is the mentor; replies reach the mentor
        self.assertIn(self.student_mentor.email, english.email_from)
        self.assertIn(self.student_mentor.email, english.reply_to)
        [vevent] = _vevents(self._ics(english))
        self.assertEqual(vevent.uid.value, meeting.calendar_event_id._mentor_ics_uid())

    def test_sender_without_mentor_email_is_the_company(self):
        self.env.company.email = "school@school.test"
        self.student_mentor.partner_id.email = False
        with freeze_time(NOW), self.mock_mail_gateway():
            self.env["op.mentor.meeting"].create(self._vals())
        mail = self._mails_to(self.student_mentee.partner_id)
        self.assertIn("school@school.test", mail.email_from)
        self.assertNotIn("odoobot", mail.email_from.lower())

    # ------------------------------------------------------------
    # .ics: UID, SEQUENCE, DTSTAMP, METHOD, ORGANIZER / ATTENDEE, URL / LOCATION, UTC
    # ------------------------------------------------------------

    def test_ics_fields(self):
        self.student_mentor.partner_id.name = "Zoë Ørsted, Jr."
        with freeze_time(NOW):
            meeting = self.env["op.mentor.meeting"].create(self._vals())
            content = meeting.calendar_event_id._get_ics_file()[meeting.calendar_event_id.id].decode()
        self.assertIn("METHOD:REQUEST", content)
        self.assertIn('ORGANIZER;CN="Zoë Ørsted, Jr.":mailto:mentor@school.test', content.replace("\r\n ", ""))
        [vevent] = _vevents(content)
        self.assertEqual(
            vevent.uid.value,
            f"op-mentor-meeting-{meeting.id}@{self.env['ir.config_parameter'].sudo().get_param('database.uuid')}",
        )
        self.assertEqual(vevent.sequence.value, "0")
        self.assertTrue(vevent.dtstamp.value)
        self.assertEqual(vevent.dtstart.value.utcoffset(), timedelta(0))
        self.assertIn("DTSTART:20310115T130000Z", content)
        self.assertEqual(vevent.url.value, "https://meet.example.com/review")
        self.assertEqual(vevent.location.value, "https://meet.example.com/review")
        attendees = {line.value.lower(): line.params["CN"][0] for line in vevent.attendee_list}
        self.assertEqual(attendees["mailto:mentee@school.test"], "Eli Mentee")
        feed = (meeting | self.meeting)._mentor_ics_file("PUBLISH")
        self.assertIn("METHOD:PUBLISH", feed)
        self.assertEqual(len(_vevents(feed)), 2)

    def test_hand_written_writer_is_gone(self):
        Meeting = self.env["op.mentor.meeting"]
        for name in ("_ics_calendar", "_ics_content", "_ics_event_lines", "_notify_mentees", "_cron_send_reminders"):
            self.assertFalse(hasattr(Meeting, name), name)
        for xmlid in (
            "op_student_mentor.mail_template_mentor_meeting_scheduled",
            "op_student_mentor.mail_template_mentor_meeting_reminder",
            "op_student_mentor.ir_cron_mentor_meeting_reminder",
        ):
            self.assertFalse(self.env.ref(xmlid, raise_if_not_found=False), xmlid)

    # ------------------------------------------------------------
    # Reminders: once per attendee and alarm, whatever runs the scheduler
    # ------------------------------------------------------------

    def test_reminders_sent_once_run_manually_twice(self):
        with freeze_time(NOW):
            meeting = self.env["op.mentor.meeting"].create(self._vals())
        cron = self.env.ref("calendar.ir_cron_scheduler_alarm")
        with freeze_time(START - timedelta(hours=23)):
            cron.lastcall = False  # a fresh install: calendar looks back a week
            with self.mock_mail_gateway():
                cron.method_direct_trigger()
                cron.lastcall = False  # the worst case: a stale last call (another server, a restore)
                cron.method_direct_trigger()
                self.env["calendar.alarm_manager"]._send_reminder()
            reminders = self._new_mails.filtered(lambda m: "Reminder" in (m.subject or ""))
        for partner in (self.student_mentee.partner_id, self.student_mentor.partner_id):
            self.assertEqual(len(reminders.filtered(lambda m, p=partner: p in m.recipient_ids)), 1, partner.name)
        self.assertIn(self.student_mentor.email, reminders[0].email_from, "from the mentor, not OdooBot")
        sent = meeting.calendar_event_id.attendee_ids.mapped(lambda a: len(a.mentor_reminder_alarm_ids))
        self.assertEqual(sent, [1, 1], "one reminder claimed per attendee")
        with freeze_time(START - timedelta(minutes=30)), self.mock_mail_gateway():
            cron.method_direct_trigger()
            cron.method_direct_trigger()
            reminders = self._new_mails.filtered(lambda m: "Reminder" in (m.subject or ""))
        self.assertEqual(len(reminders), 2, "the one-hour reminder, once to each attendee")

    def test_declined_and_cancelled_get_no_reminder(self):
        with freeze_time(NOW):
            meeting = self.env["op.mentor.meeting"].create(self._vals())
            cancelled = self.env["op.mentor.meeting"].create(self._vals(meeting_name="Dropped"))
            cancelled._action_cancel("illness")
            meeting.calendar_event_id.attendee_ids.filtered(
                lambda a: a.partner_id == self.student_mentee.partner_id
            ).do_decline()
        with freeze_time(START - timedelta(hours=23)), self.mock_mail_gateway():
            self.env["calendar.alarm_manager"].with_context(lastcall=False)._send_reminder()
            reminders = self._new_mails.filtered(lambda m: "Reminder" in (m.subject or ""))
        self.assertFalse(
            reminders.filtered(lambda m: self.student_mentee.partner_id in m.recipient_ids),
            [(m.subject, m.recipient_ids.mapped("name"), m.body_html[:300]) for m in reminders],
        )
        self.assertFalse(reminders.filtered(lambda m: "Dropped" in m.subject))

    # ------------------------------------------------------------
    # Calendar app: as the meeting list; what Google / Outlook sync need
    # ------------------------------------------------------------

    def test_calendar_app_visibility(self):
        Event = self.env["calendar.event"]
        event = self.meeting.calendar_event_id
        other = self.meeting_other.calendar_event_id
        employee = new_test_user(self.env, "employee_plain", groups="base.group_user")
        cases = {
            self.user_admin: {event, other},
            self.user_faculty: {event},
            self.user_faculty_other: {other},
            employee: set(),
            self.user_mentee: {event},
            self.user_mentor_other: {other},
        }
        for user, expected in cases.items():
            with self.subTest(user=user.login):
                found = Event.with_user(user).search([("id", "in", (event | other).ids)])
                self.assertEqual(set(found), expected)
                if user == employee:
                    continue
                meetings = (
                    self.env["op.mentor.meeting"]
                    .with_user(user)
                    .search([("id", "in", (self.meeting | self.meeting_other).ids)])
                )
                if not user.share and user != employee:
                    self.assertEqual(set(found), set(meetings.calendar_event_id), "as the meeting list")
        own = Event.with_user(employee).create({"name": "Dentist", "start": START, "stop": START + timedelta(hours=1)})
        self.assertTrue(Event.with_user(employee).search([("id", "=", own.id)]), "other events are untouched")

    def test_event_carries_what_sync_needs(self):
        """google_calendar / microsoft_calendar push the organizer's events with their attendees' e-mails
        and the video link (their _google_values / _microsoft_values read these fields)."""
        event = self.meeting.calendar_event_id
        self.assertEqual(event.user_id, self.user_mentor)
        self.assertTrue(all(event.attendee_ids.mapped("email")))
        self.assertEqual(set(event.attendee_ids.mapped("email")), {"mentor@school.test", "mentee@school.test"})
        self.assertEqual(event.videocall_location, self.meeting.meeting_link)
        self.assertFalse(event.allday)
        self.assertTrue(event.start and event.stop and event.name)

    def test_bulk_change_writes_the_events_together(self):
        """A change of many meetings at once is one write of their events per distinct value, not one per
        meeting: renaming or relinking 20 meetings costs the queries of 5 (calendar's mails blocked: counted
        elsewhere). A new date is one write too, but calendar's own write then sets up each event's alarms."""
        self.env["ir.config_parameter"].set_param("calendar.block_mail", "1")
        Meeting = self.env["op.mentor.meeting"].with_context(tracking_disable=True)
        with freeze_time(NOW):
            five = Meeting.create([self._vals(meeting_name=f"Five {i}") for i in range(5)])
            twenty = Meeting.create([self._vals(meeting_name=f"Twenty {i}") for i in range(20)])

            def count(meetings, vals):
                self.env.flush_all()
                self.env.invalidate_all()
                count0 = self.cr.sql_log_count
                meetings.write(vals)
                self.env.flush_all()
                return self.cr.sql_log_count - count0

            for vals in ({"meeting_name": "Renamed"}, {"meeting_link": "https://meet.example.com/moved"}):
                with self.subTest(vals=vals):
                    count(five | twenty, vals)  # warm the caches
                    self.assertEqual(count(twenty, vals), count(five, vals), f"{vals}: 20 meetings cost as 5")
        events = (five | twenty).calendar_event_id
        self.assertEqual(set(events.mapped("name")), {"Renamed"})
        self.assertEqual(set(events.mapped("videocall_location")), {"https://meet.example.com/moved"})
        self.assertEqual(set(events.mapped("mentor_ics_sequence")), {2}, "each new link raised every SEQUENCE")

    def test_cancellation_mail_is_queued(self):
        """The cancellation goes through the mail queue like calendar's other mails to attendees."""
        with freeze_time(NOW):
            meeting = self.env["op.mentor.meeting"].create(self._vals())
            with self.mock_mail_gateway():
                meeting._action_cancel("illness")
                self.env.flush_all()
            [cancel] = self._mails_to(self.student_mentee.partner_id).filtered(lambda m: "Cancelled" in m.subject)
        self.assertEqual(cancel.state, "outgoing", "queued, sent by the mail queue")
        self.assertIn("METHOD:CANCEL", self._ics(cancel))

    def test_context_keys_skip_no_rule(self):
        """An RPC caller (a mentor, an administrator) cannot record a past meeting nor keep the mentees from
        hearing of their meetings, whatever context it sends: the old switches are gone and calendar's
        no_mail_to_attendees counts for superuser code only (data files, upgrades, seeding tools)."""
        keys = {
            "mentor_meeting_allow_past": True,
            "mentor_meeting_no_notify": True,
            "no_mail_to_attendees": True,
        }
        past = datetime(2031, 1, 9, 9, 0)
        mentee = self.student_mentee.partner_id
        for user in (self.user_mentor, self.user_admin):
            Meeting = self.env["op.mentor.meeting"].with_user(user).with_context(**keys)
            with self.subTest(user=user.login), freeze_time(NOW):
                with self.assertRaisesRegex(ValidationError, "in the future"), self.env.cr.savepoint():
                    Meeting.create(self._vals(date=past))
                with self.mock_mail_gateway():
                    meeting = Meeting.create(self._vals(meeting_name=f"Invited by {user.login}"))
                    self.env.flush_all()
                self.assertTrue(self._mails_to(mentee), "the invitation went out")
                with self.assertRaisesRegex(ValidationError, "in the future"), self.env.cr.savepoint():
                    meeting.write({"date": past})
                with self.assertRaisesRegex(ValidationError, "in the future"), self.env.cr.savepoint():
                    meeting._action_reschedule(past)
                if user != self.user_admin:
                    continue  # a portal mentor cancels from the portal's form, which takes no context
                with self.mock_mail_gateway():
                    wizard = (
                        self.env["op.mentor.meeting.close.wizard"]
                        .with_user(user)
                        .with_context(**keys)
                        .create({"meeting_ids": [Command.set(meeting.ids)], "status": "cancel", "reason": "illness"})
                    )
                    wizard.action_confirm()
                    self.env.flush_all()
                self.assertTrue(
                    self._mails_to(mentee).filtered(lambda m: "Cancelled" in m.subject), "the cancellation went out"
                )
        self.assertEqual(
            self.env["op.mentor.meeting"].search_count([("date", "=", past)]), 0, "no past meeting recorded"
        )

    # ------------------------------------------------------------
    # Migration 18.0.1.4.0
    # ------------------------------------------------------------

    def test_migration_creates_and_links_events_without_mail(self):
        with freeze_time(NOW):
            scheduled = self.env["op.mentor.meeting"].create(self._vals())
            held = self.env["op.mentor.meeting"].create(self._vals(meeting_name="Held"))
            cancelled = self.env["op.mentor.meeting"].create(self._vals(meeting_name="Dropped"))
            cancelled._action_cancel("illness")
        with freeze_time(START + timedelta(hours=2)):
            held.action_done()
        meetings = scheduled | held | cancelled
        # the state of a 18.0.1.3.0 database: no event
        events = meetings.calendar_event_id
        self.env.cr.execute(
            "UPDATE op_mentor_meeting SET calendar_event_id = NULL WHERE id IN %s", [tuple(meetings.ids)]
        )
        events.unlink()
        self.env.invalidate_all()
        spec = importlib.util.spec_from_file_location(
            "post_migrate", Path(__file__).parent.parent / "migrations" / "18.0.1.4.0" / "post-migrate.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with freeze_time(NOW), self.mock_mail_gateway():
            module.migrate(self.env.cr, "18.0.1.3.0")
            self.assertFalse(self._new_mails, f"the migration e-mails nobody: {self._new_mails.mapped('subject')}")
        self.env.invalidate_all()
        self.assertTrue(all(meetings.calendar_event_id))
        self.assertEqual(scheduled.calendar_event_id.res_id, scheduled.id)
        self.assertTrue(scheduled.calendar_event_id.alarm_ids)
        self.assertTrue(held.calendar_event_id.active)
        self.assertFalse(cancelled.calendar_event_id.active)
        self.assertTrue(self.meeting.calendar_event_id, "meetings of the fixture too")


@tagged("post_install", "-at_install")
class TestMentorCalendarPortal(CalendarCase, MentorPortalCommon):
    def _attendee(self, meeting, student):
        return meeting.calendar_event_id.attendee_ids.filtered(lambda a: a.partner_id == student.partner_id)

    # ------------------------------------------------------------
    # RSVP: e-mail tokens and the portal page
    # ------------------------------------------------------------

    def test_rsvp_from_the_email_links(self):
        attendee = self._attendee(self.meeting, self.student_mentee)
        for login in ("mentee", None):
            with self.subTest(login=login):
                attendee.state = "needsAction"
                self._login(login)
                response = self.url_open(
                    f"/calendar/meeting/accept?token={attendee.access_token}&id={self.meeting.calendar_event_id.id}"
                )
                self.assertEqual(response.status_code, 200)
                self.env.invalidate_all()
                self.assertEqual(attendee.state, "accepted")
        self.url_open(f"/calendar/meeting/decline?token={attendee.access_token}&id={self.meeting.calendar_event_id.id}")
        self.env.invalidate_all()
        self.assertEqual(attendee.state, "declined")
        # the mentor's page shows the answer
        page = self._get(f"/my/mentor/meetings/{self.meeting.id}", "mentor").text
        self.assertIn("o_mentor_answer_declined", page)

    def test_rsvp_from_the_portal_page(self):
        url = f"/my/mentorship/meetings/{self.meeting.id}"
        page = self._get(url, "mentee").text
        self.assertIn("o_mentor_rsvp_accept", page)
        response = self._post(f"{url}/rsvp", {"answer": "accept"}, login="mentee")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._attendee(self.meeting, self.student_mentee).state, "accepted")
        self.assertIn("o_mentor_answer_accepted", self._get(f"/my/mentor/meetings/{self.meeting.id}", "mentor").text)
        self._post(f"{url}/rsvp", {"answer": "decline"}, login="mentee")
        self.assertEqual(self._attendee(self.meeting, self.student_mentee).state, "declined")
        self._post(f"{url}/rsvp", {"answer": "maybe; drop table"}, login="mentee")
        self.assertEqual(self._attendee(self.meeting, self.student_mentee).state, "declined", "unknown answer: nothing")
        # another student, another mentor's mentee, a visitor: not their meeting
        for login in ("mentee_other", "student_other"):
            with self.subTest(login=login), mute_logger("odoo.http"):
                self.assertEqual(self._post(f"{url}/rsvp", {"answer": "accept"}, login=login).status_code, 404)
        self.assertEqual(self._attendee(self.meeting, self.student_mentee).state, "declined")
        with mute_logger("odoo.http"):
            response = self._post(f"{url}/rsvp", {"answer": "accept"}, login=None)
        self.assertIn(response.status_code, (303, 302))
        self.assertIn("/web/login", response.headers.get("Location", ""))

    # ------------------------------------------------------------
    # Video room: Discuss, for the meeting's people only
    # ------------------------------------------------------------

    def test_video_room_for_the_meeting_people_only(self):
        meeting = self._create_meeting(self.student_mentor, self.student_mentee, "Room", meeting_link=False)
        event = meeting.calendar_event_id
        self.assertEqual(meeting.meeting_link, event.videocall_location)
        self.assertEqual(event.videocall_source, "discuss")
        path = meeting.meeting_link.split("://", 1)[1].split("/", 1)[1]
        for login in ("mentee", "mentor", "faculty", "mentor_admin"):
            with self.subTest(login=login):
                response = self._get("/" + path, login)
                self.assertEqual(response.status_code, 303, response.text[:300])
                self.assertIn("/chat/", response.headers["Location"])
        for login in ("student_other", "mentee_other", "faculty_other", None):
            with self.subTest(login=login):
                response = self._get("/" + path, login)
                self.assertEqual(response.status_code, 403)
                self.assertIn("This video room is private", response.text)
                self.assertNotIn("/chat/", response.text)
        self.assertIn("sign in", self._get("/" + path, None).text)
        # an external link is left as it is: calendar has no room for it
        self.assertEqual(self.meeting.calendar_event_id.videocall_source, "custom")

    def test_portal_form_without_link_gets_a_room(self):
        page = self._get("/my/mentor/meetings/new", "mentor").text
        self.assertIn("o_mentor_video_room_help", page)
        tomorrow = datetime.now() + timedelta(days=2)
        response = self._post(
            "/my/mentor/meetings/new",
            {
                "meeting_name": "Room from the portal",
                "meeting_link": "",
                "date": tomorrow.strftime("%Y-%m-%d"),
                "time": "10:00",
                "mentee_ids": str(self.student_mentee.id),
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        meeting = self.env["op.mentor.meeting"].search([("meeting_name", "=", "Room from the portal")])
        self.assertIn("/calendar/join_videocall/", meeting.meeting_link)
        self.assertEqual(meeting.calendar_event_id.videocall_location, meeting.meeting_link)

    def test_feeds_are_calendar_files(self):
        content = self._get("/my/mentorship/meetings/calendar.ics", "mentee").text
        self.assertIn("METHOD:PUBLISH", content)
        [vevent] = _vevents(content)
        self.assertEqual(vevent.uid.value, self.meeting.calendar_event_id._mentor_ics_uid())
        content = self._get(f"/my/mentorship/meetings/{self.meeting.id}/ics", "mentee").text
        self.assertEqual(len(_vevents(content)), 1)

    def test_portal_reschedule_moves_the_event(self):
        old_event = self.meeting.calendar_event_id
        day = (datetime.now() + timedelta(days=9)).strftime("%Y-%m-%d")
        response = self._post(f"/my/mentor/meetings/{self.meeting.id}/reschedule", {"date": day, "time": "10:00"})
        self.assertEqual(response.status_code, 303, re.findall(r"alert-danger[^>]*>(.*?)</", response.text, re.S))
        new_meeting = self.meeting.rescheduled_to_ids
        self.assertTrue(new_meeting.calendar_event_id.active)
        self.assertFalse(old_event.active)


@tagged("post_install", "-at_install")
class TestReminderRace(BaseCase):
    """Two schedulers (two Odoo servers' cron threads) remind of the same meeting at the same moment, each in
    its own committed transaction: each attendee gets the reminder once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(test_concurrency.TestConcurrency._cleanup.__func__, cls)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"mail_create_nolog": True, "tracking_disable": False})
            test_concurrency.TestConcurrency._build.__func__(cls, env)
            meeting = env["op.mentor.meeting"].create(
                {
                    "meeting_name": "Reminded once",
                    "meeting_link": "https://meet.example.com/once",
                    # the one-day e-mail reminder fell due an hour ago
                    "date": datetime.now().replace(microsecond=0) + timedelta(hours=23),
                    "student_id": cls.student_ids["mentor1"],
                    "meeting_students": [Command.set([cls.student_ids["mentee"]])],
                }
            )
            cls.event_id = meeting.calendar_event_id.id

    def test_two_schedulers_at_once(self):
        def remind(env):
            env["calendar.alarm_manager"].with_context(lastcall=False)._send_reminder()

        with mute_logger("odoo.addons.mail.models.mail_mail", "odoo.sql_db"):
            outcomes = test_concurrency.TestConcurrency._race(
                self, (odoo.SUPERUSER_ID, remind), (odoo.SUPERUSER_ID, remind)
            )
        self.assertFalse([o for o, _tries in outcomes if isinstance(o, Exception)], outcomes)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            event = env["calendar.event"].browse(self.event_id)
            reminders = env["mail.message"].search(
                [("model", "=", "calendar.event"), ("res_id", "=", event.id), ("subject", "ilike", "Reminder")]
            )
            self.assertEqual(len(reminders), 2, reminders.mapped(lambda m: (m.subject, m.partner_ids.mapped("name"))))
            self.assertEqual(reminders.partner_ids, event.partner_ids, "the mentor and the mentee, once each")
            self.assertEqual(event.attendee_ids.mapped(lambda a: len(a.mentor_reminder_alarm_ids)), [1, 1])
