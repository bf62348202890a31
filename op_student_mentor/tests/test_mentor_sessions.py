"""Cancellation and no-show reasons, late cancellations, the settings."""

from datetime import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import MentorCommon, tamper_company_setting


@tagged("post_install", "-at_install")
class TestMeetingClose(MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start = datetime(2031, 3, 10, 14, 0)
        with freeze_time("2031-03-01 09:00:00"):
            cls.meeting_march = cls._create_meeting(
                cls.student_mentor, cls.student_mentee, "March session", date=cls.start
            )

    def _cancel_at(self, when, meeting=None, reason="illness", note=None, user=None):
        meeting = meeting or self.meeting_march
        with freeze_time(when):
            meeting.with_user(user or self.user_mentor)._action_cancel(reason, note)
        return meeting

    # ------------------------------------------------------------
    # Reasons
    # ------------------------------------------------------------

    def test_cancel_needs_a_reason_as_mentor(self):
        meeting = self.meeting.with_user(self.user_mentor)
        for reason, note, message in (
            (None, None, "Choose the reason"),
            ("", "I am busy", "Choose the reason"),
            ("not-a-reason", None, "Choose the reason"),
            ("other", "   ", "Explain the reason"),
            ("illness", "x" * 2001, "too long"),
        ):
            with self.subTest(reason=reason), self.assertRaisesRegex(ValidationError, message):
                meeting._action_cancel(reason, note)
        self.assertEqual(self.meeting.status, "scheduled")
        self.assertFalse(self.meeting.close_reason)

    def test_status_cannot_be_written_around_the_reason(self):
        """A host writing the status or the reason fields directly (JSON-RPC) is refused."""
        meeting = self.meeting.with_user(self.user_mentor)
        with self.assertRaisesRegex(ValidationError, "Choose the reason"), self.env.cr.savepoint():
            meeting.write({"status": "cancel"})
            meeting.flush_recordset()
        for vals in ({"close_reason": "illness"}, {"late_cancellation": False}, {"notice_hours": 100}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "set by Cancel or Mark missed"):
                meeting.write(vals)
        self.assertEqual(self.meeting.status, "scheduled")

    def test_cancel_records_reason_author_and_notice(self):
        self._cancel_at("2031-03-05 14:00:00", reason="other", note="  Family matters  ")
        self.assertRecordValues(
            self.meeting_march,
            [
                {
                    "status": "cancel",
                    "close_reason": "other",
                    "close_note": "Family matters",
                    "close_date": datetime(2031, 3, 5, 14, 0),
                    "close_user_id": self.user_mentor.id,
                    "late_cancellation": False,
                    "notice_hours": 120.0,
                    "cancel_count": 1,
                    "late_cancel_count": 0,
                    "missed_count": 0,
                }
            ],
        )
        # the reason is in the chatter (tracking)
        self.flush_tracking()
        self.assertIn("Other", self.meeting_march.message_ids.tracking_value_ids.mapped("new_value_char"))

    def test_late_cancellation_window(self):
        cases = [
            ("2031-03-09 13:59:00", False),  # 24 h 1 min before
            ("2031-03-09 14:00:00", False),  # exactly 24 h before: in time
            ("2031-03-09 14:01:00", True),  # 23 h 59 min before
            ("2031-03-10 15:00:00", True),  # after the start
        ]
        for when, late in cases:
            with self.subTest(when=when):
                meeting = self._create_meeting(self.student_mentor, self.student_mentee, when, date=self.start)
                self._cancel_at(when, meeting=meeting)
                self.assertEqual(meeting.late_cancellation, late)
                self.assertEqual(meeting.late_cancel_count, int(late))

    def test_late_cancellation_window_setting(self):
        self.env.company.mentor_late_cancel_hours = 72
        self.assertTrue(self._cancel_at("2031-03-08 09:00:00").late_cancellation)
        meeting = self._create_meeting(self.student_mentor, self.student_mentee, "Other", date=self.start)
        self.env.company.mentor_late_cancel_hours = 0
        self.assertFalse(self._cancel_at("2031-03-10 13:00:00", meeting=meeting).late_cancellation, "0: never late")

    def test_mark_missed_only_once_started(self):
        meeting = self.meeting_march.with_user(self.user_mentor)
        with freeze_time("2031-03-10 13:00:00"), self.assertRaisesRegex(UserError, "has not started yet"):
            meeting._action_mark_missed("mentee_no_show")
        with freeze_time("2031-03-10 14:20:00"):
            with self.assertRaisesRegex(ValidationError, "Choose the reason"):
                meeting._action_mark_missed(None)
            meeting._action_mark_missed("mentee_no_show", "No answer on the chat either.")
        self.assertRecordValues(
            self.meeting_march,
            [{"status": "missed", "close_reason": "mentee_no_show", "missed_count": 1, "cancel_count": 0}],
        )
        with self.assertRaisesRegex(UserError, "only scheduled meetings"):
            meeting._action_cancel("illness")

    def test_host_creates_scheduled_meetings_only(self):
        """Through the API a host cannot create a meeting already done, cancelled or missed, nor its reason."""
        Meeting = self.env["op.mentor.meeting"].with_user(self.user_mentor)
        vals = {
            "meeting_name": "Forged",
            "meeting_link": "https://meet.example.com/forged",
            "date": self.start,
            "student_id": self.student_mentor.id,
            "meeting_students": [Command.set(self.student_mentee.ids)],
        }
        for extra in (
            {"status": "done"},
            {"status": "missed"},
            {"close_reason": "illness"},
            {"late_cancellation": True},
        ):
            with self.subTest(extra=extra), self.assertRaisesRegex(UserError, "A new meeting is scheduled"):
                Meeting.create(dict(vals, **extra))
        self.assertEqual(Meeting.create(vals).status, "scheduled")

    def test_two_no_shows_in_a_row_flag_at_risk(self):
        """Missed meetings feed the at-risk alert of the practice: two in a row (cancelled or missed)."""
        second = self._create_meeting(self.student_mentor, self.student_mentee, "Second", date=self.start)
        with freeze_time("2031-03-10 15:00:00"):
            self.meeting_march.with_user(self.user_mentor)._action_mark_missed("mentee_no_show")
            self.assertFalse(self.student_mentee.mentor_at_risk, "one no-show is not a pattern")
            second.with_user(self.user_mentor)._action_mark_missed("mentee_no_show")
        self.assertTrue(self.student_mentee.mentor_at_risk)
        self.assertIn("Two meetings missed or cancelled in a row", self.student_mentee.mentor_at_risk_reason)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_close_refused_to_others(self):
        for user in (self.user_mentee, self.user_mentor_other, self.user_faculty, self.user_student_other):
            for action in ("_action_cancel", "_action_mark_missed"):
                with self.subTest(user=user.login, action=action), self.assertRaises(AccessError):
                    getattr(self.meeting_march.with_user(user), action)("illness")
        self.assertEqual(self.meeting_march.status, "scheduled")

    def test_backend_wizard(self):
        action = self.meeting_march.with_user(self.user_admin).action_open_cancel_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.user_admin).with_context(**action["context"]))
        wizard.reason = "other"
        with self.assertRaises(AssertionError):  # the details are required for "Other"
            wizard.save()
        wizard.note = "Room booked by the exam office"
        with freeze_time("2031-03-10 10:00:00"):
            wizard.save().action_confirm()
        self.assertRecordValues(
            self.meeting_march,
            [
                {
                    "status": "cancel",
                    "close_reason": "other",
                    "late_cancellation": True,
                    "close_user_id": self.user_admin.id,
                }
            ],
        )
        meeting = self._create_meeting(self.student_mentor, self.student_mentee, "Missed one", date=self.start)
        action = meeting.with_user(self.user_admin).action_open_missed_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.user_admin).with_context(**action["context"]))
        wizard.reason = "mentor_no_show"
        with freeze_time("2031-03-10 15:00:00"):
            wizard.save().action_confirm()
        self.assertEqual(meeting.status, "missed")
        with self.assertRaisesRegex(UserError, "only scheduled meetings"):
            meeting.with_user(self.user_admin).action_open_cancel_wizard()

    # ------------------------------------------------------------
    # Counts per mentor and per mentee
    # ------------------------------------------------------------

    def test_counts_per_mentor_and_mentee(self):
        Meeting = self.env["op.mentor.meeting"]
        late = self._create_meeting(self.student_mentor, self.student_mentee, "Late", date=self.start)
        missed = self._create_meeting(self.student_mentor, self.student_mentee, "Missed", date=self.start)
        self._cancel_at("2031-03-01 10:00:00")
        self._cancel_at("2031-03-10 12:00:00", meeting=late)
        with freeze_time("2031-03-10 15:00:00"):
            missed._action_mark_missed("mentee_no_show")
        self.meeting_other._action_cancel("technical")
        measures = ["cancel_count:sum", "late_cancel_count:sum", "missed_count:sum"]
        by_mentor = {mentor: tuple(counts) for mentor, *counts in Meeting._read_group([], ["student_id"], measures)}
        self.assertEqual(by_mentor[self.student_mentor], (2, 1, 1))
        self.assertEqual(by_mentor[self.student_mentor_other], (1, 0, 0))
        by_mentee = {
            mentee: tuple(counts) for mentee, *counts in Meeting._read_group([], ["meeting_students"], measures)
        }
        self.assertEqual(by_mentee[self.student_mentee], (2, 1, 1))
        self.assertEqual(by_mentee[self.student_mentee_other], (1, 0, 0))
        # grouped by reason and lateness, for the dashboards
        groups = Meeting._read_group([("status", "=", "cancel")], ["close_reason", "late_cancellation"], ["__count"])
        self.assertIn(("illness", True, 1), groups)
        # the same counts on the student form, as the faculty of the allocation
        mentor = self.student_mentor.with_user(self.user_faculty)
        self.assertEqual(
            (mentor.mentor_cancel_count, mentor.mentor_late_cancel_count, mentor.mentor_missed_count), (2, 1, 1)
        )
        mentee = self.student_mentee.with_user(self.user_faculty)
        self.assertEqual(
            (mentee.mentee_cancel_count, mentee.mentee_late_cancel_count, mentee.mentee_missed_count), (2, 1, 1)
        )
        self.assertEqual(mentee.mentor_cancel_count, 0)

    def test_counts_query_count_constant(self):
        """The student form's counts: two grouped reads for any number of students."""
        self.meeting_other._action_cancel("technical")
        everyone = self.env["op.student"].search([])
        self.assertGreater(len(everyone), 4)

        students = self.student_mentor.with_user(self.user_admin)

        def read_counts():
            students.fetch(["name"])
            students.mapped("mentor_cancel_count")
            students.mapped("mentee_missed_count")

        def everyone_instead():
            nonlocal students
            students = everyone.with_user(self.user_admin)

        self.assertQueryCountConstant({"counts": read_counts}, everyone_instead)


@tagged("post_install", "-at_install")
class TestMenteeAbsence(MentorCommon):
    """A meeting held without some of its mentees: each absence is a no-show of that mentee."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_second_mentee()
        cls.both = cls.student_mentee | cls.student_mentee_2

    def _held(self, name, absent=None, day=10):
        """A meeting of the mentor with both mentees, held on 2031-03-<day>; ``absent`` marked absent by the host."""
        with freeze_time("2031-03-01 09:00:00"):
            meeting = self._create_meeting(self.student_mentor, self.both, name, date=datetime(2031, 3, day, 14, 0))
        with freeze_time(f"2031-03-{day} 15:00:00"):
            self._mark_done(meeting, self.user_mentor)
            if absent:
                meeting.with_user(self.user_mentor).write({"absent_student_ids": [Command.set(absent.ids)]})
        return meeting

    def _missed(self, name, day=10):
        with freeze_time("2031-03-01 09:00:00"):
            meeting = self._create_meeting(self.student_mentor, self.both, name, date=datetime(2031, 3, day, 14, 0))
        with freeze_time(f"2031-03-{day} 15:00:00"):
            meeting.with_user(self.user_mentor)._action_mark_missed("mentee_no_show")
        return meeting

    def _report_no_shows(self, user=None):
        Report = self.env["op.mentor.report"].with_user(user or self.user_admin)
        groups = Report._read_group([], ["mentee_id"], ["nbr_mentee_no_shows:sum"])
        return {mentee: count for mentee, count in groups if mentee and count}

    def test_absence_counts_once_per_mentee_and_meeting(self):
        held = self._held("Held without Lea", absent=self.student_mentee_2, day=10)
        self.assertEqual(held.status, "done")
        self.assertEqual(held.missed_count, 0, "the meeting itself was held")
        self._missed("Nobody came", day=12)
        self._held("Everyone came", day=14)
        # student form (faculty of the allocation): whole-meeting misses + absences
        mentee = self.student_mentee.with_user(self.user_faculty)
        mentee_2 = self.student_mentee_2.with_user(self.user_faculty)
        self.assertEqual(mentee.mentee_missed_count, 1)
        self.assertEqual(mentee_2.mentee_missed_count, 2)
        self.assertEqual(self.student_mentor.with_user(self.user_faculty).mentor_missed_count, 1)
        # Mentorship Overview: one no-show row per mentee and meeting, in the faculty's program
        for user in (self.user_admin, self.user_faculty):
            with self.subTest(user=user.login):
                self.assertEqual(self._report_no_shows(user), {self.student_mentee: 1, self.student_mentee_2: 2})
        self.assertFalse(self._report_no_shows(self.user_faculty_other))
        rows = self.env["op.mentor.report"].search([("kind", "=", "no_show"), ("res_id", "=", held.id)])
        self.assertEqual(rows.mentee_id, self.student_mentee_2)
        self.assertEqual(rows.mentor_id, self.student_mentor)
        self.assertEqual(rows.action_open_record()["res_model"], "op.mentor.meeting")
        # the meeting counts of the report are unchanged by the no-show rows
        meetings = self.env["op.mentor.report"]._read_group(
            [("mentor_id", "=", self.student_mentor.id)], [], ["nbr_meetings:sum", "nbr_meetings_missed:sum"]
        )
        self.assertEqual(meetings, [(4, 1)])

    def test_absence_rules(self):
        scheduled = self._create_meeting(self.student_mentor, self.both, "Not yet")
        meeting = scheduled.with_user(self.user_mentor)
        with self.assertRaisesRegex(ValidationError, "once meeting Not yet is done"), self.env.cr.savepoint():
            meeting.write({"absent_student_ids": [Command.set(self.student_mentee.ids)]})
        held = self._held("Held")
        foreign = self.student_mentee_other
        with self.assertRaisesRegex(ValidationError, "Iris Mentee is not a mentee"), self.env.cr.savepoint():
            held.write({"absent_student_ids": [Command.link(foreign.id)]})
        missed = self._missed("Missed", day=12)
        with self.assertRaisesRegex(ValidationError, "is marked missed"), self.env.cr.savepoint():
            missed.write({"absent_student_ids": [Command.link(self.student_mentee.id)]})
        self.assertFalse((scheduled | held | missed).absent_student_ids)
        # every mentee absent: allowed (each counts one no-show), and not copied to a next meeting
        held.with_user(self.user_mentor).write({"absent_student_ids": [Command.set(self.both.ids)]})
        self.assertEqual(self.student_mentee.with_user(self.user_admin).mentee_missed_count, 2)
        self.assertFalse(held.copy({"status": "scheduled"}).absent_student_ids)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_absence_written_by_host_and_administrator_only(self):
        held = self._held("Held")
        for user in (self.user_mentee, self.user_mentee_2, self.user_mentor_other, self.user_faculty):
            with self.subTest(user=user.login), self.assertRaises(AccessError), self.env.cr.savepoint():
                held.with_user(user).write({"absent_student_ids": [Command.set(self.student_mentee.ids)]})
        self.assertFalse(held.absent_student_ids)
        held.with_user(self.user_admin).write({"absent_student_ids": [Command.set(self.student_mentee_2.ids)]})
        self.assertEqual(held.absent_student_ids, self.student_mentee_2)
        # the backend form shows the field once the meeting is done, limited to its mentees
        form = Form(held.with_user(self.user_admin))
        form.absent_student_ids.add(self.student_mentee)
        form.save()
        self.assertEqual(held.absent_student_ids, self.both)

    def test_two_absences_in_a_row_flag_at_risk(self):
        """The mentee's at-risk rule: two meetings in a row missed for them, absent or not held."""
        self._held("First", absent=self.student_mentee_2, day=10)
        self.assertFalse(self.student_mentee_2.mentor_at_risk, "one absence is not a pattern")
        self._held("Second", absent=self.student_mentee_2, day=12)
        self.assertTrue(self.student_mentee_2.mentor_at_risk)
        self.assertIn("Two meetings missed or cancelled in a row", self.student_mentee_2.mentor_at_risk_reason)
        self.assertFalse(self.student_mentee.mentor_at_risk, "Eli came both times")
        # an absence, then a meeting marked missed: two in a row for Eli too
        self._held("Third", absent=self.student_mentee, day=14)
        self.assertFalse(self.student_mentee.mentor_at_risk)
        self._missed("Fourth", day=16)
        self.assertTrue(self.student_mentee.mentor_at_risk)

    def test_counts_query_count_constant_with_absences(self):
        self._held("Held", absent=self.student_mentee_2)
        everyone = self.env["op.student"].search([])

        students = self.student_mentee_2.with_user(self.user_admin)

        def read_counts():
            students.fetch(["name"])
            students.mapped("mentee_missed_count")

        def everyone_instead():
            nonlocal students
            students = everyone.with_user(self.user_admin)

        self.assertQueryCountConstant({"counts": read_counts}, everyone_instead)


@tagged("post_install", "-at_install")
class TestSessionSettings(MentorCommon):
    def test_settings_validated(self):
        Settings = self.env["res.config.settings"]
        for fname, value in (
            ("mentor_late_cancel_hours", -1),
            ("mentor_inactivity_days", 0),
            ("mentor_inactivity_days", -21),
            ("mentor_escalation_days", -1),
            ("mentor_pulse_low_rating", -1),
            ("mentor_pulse_low_rating", 5),
            ("mentor_pulse_min_ratings", 0),
            ("mentor_duration_funded", -45),
        ):
            with (
                self.subTest(fname=fname, value=value),
                self.assertRaisesRegex(ValidationError, "must be between"),
                self.env.cr.savepoint(),
            ):
                Settings.create({fname: value}).execute()
        self.assertEqual(Settings._mentor_setting("late_cancel_hours"), 24)
        self.assertEqual(Settings._mentor_setting("inactivity_days"), 21)

    def test_settings_zero_is_kept(self):
        """Odoo drops a 0 integer parameter (its default would come back): 0 means "never" here."""
        settings = self.env["res.config.settings"].create({"mentor_late_cancel_hours": 0, "mentor_escalation_days": 0})
        settings.execute()
        self.assertEqual(self.env["res.config.settings"]._mentor_setting("late_cancel_hours"), 0)
        self.assertEqual(self.env["res.config.settings"]._mentor_setting("escalation_days"), 0)
        self.assertEqual(self.env["res.config.settings"].create({}).mentor_late_cancel_hours, 0)

    def test_bad_parameters_fall_back_to_defaults(self):
        for value in (-3, 0, 99999):
            tamper_company_setting(self.env.company, "mentor_inactivity_days", value)
            self.assertEqual(self.env["res.config.settings"]._mentor_setting("inactivity_days"), 21)


@tagged("post_install", "-at_install")
class TestPulse(MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rating = cls.env["op.mentor.meeting.rating"]
        cls._mark_done(cls.meeting)
        cls._mark_done(cls.meeting_other)

    def _rate(self, value, user=None, meeting=None, student=None, comment=False):
        return self.Rating.with_user(user or self.user_mentee).create(
            {
                "meeting_id": (meeting or self.meeting).id,
                "student_id": (student or self.student_mentee).id,
                "rating": value,
                "comment": comment,
            }
        )

    def test_mentee_rates_once(self):
        rating = self._rate(4, comment="Clear explanations")
        self.assertRecordValues(rating, [{"mentor_id": self.student_mentor.id, "rating": 4}])
        self.assertEqual((self.meeting.pulse_rating_count, self.meeting.pulse_rating_avg), (1, 4.0))
        rating.with_user(self.user_mentee).write({"rating": 5})
        self.assertEqual(self.meeting.pulse_rating_avg, 5.0)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self._rate(3)
            self.env.flush_all()
        with self.assertRaisesRegex(UserError, "stays with its meeting"):
            rating.with_user(self.user_mentee).write({"meeting_id": self.meeting_other.id})

    def test_rating_rules(self):
        with self.assertRaisesRegex(ValidationError, "between 1 and 5"), self.env.cr.savepoint():
            self._rate(0)
        with self.assertRaisesRegex(ValidationError, "between 1 and 5"), self.env.cr.savepoint():
            self._rate(6)
        with self.assertRaisesRegex(ValidationError, "too long"), self.env.cr.savepoint():
            self._rate(3, comment="x" * 2001)
        scheduled = self._create_meeting(self.student_mentor, self.student_mentee, "Not yet")
        with self.assertRaisesRegex(ValidationError, "took place"), self.env.cr.savepoint():
            self._rate(3, meeting=scheduled)
        self.assertFalse(self.Rating.search([]))

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_rating_as_someone_else(self):
        # another mentee, in the name of the mentee: the record rule; in their own name: not an attendee
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self._rate(1, user=self.user_mentee_other)
        with self.assertRaisesRegex(ValidationError, "Only the mentees"), self.env.cr.savepoint():
            self._rate(1, user=self.user_mentee_other, student=self.student_mentee_other)
        # the mentor cannot rate their own meeting in a mentee's name
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self._rate(5, user=self.user_mentor)
        self.assertFalse(self.Rating.search([]))

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_mentor_sees_no_rating(self):
        rating = self._rate(2, comment="Too fast")
        Rating = self.Rating.with_user(self.user_mentor)
        self.assertFalse(Rating.search([]))
        self.assertFalse(Rating.search_count([("meeting_id", "=", self.meeting.id)]))
        with self.assertRaises(AccessError):
            rating.with_user(self.user_mentor).read(["rating"])
        self.assertFalse(Rating._read_group([], ["student_id"], ["rating:avg"]))
        meeting = self.meeting.with_user(self.user_mentor)
        self.assertEqual(meeting.pulse_rating_count, 1)
        with self.assertRaises(AccessError):
            meeting.read(["pulse_rating_avg"])
        with self.assertRaises(AccessError):
            meeting.read(["pulse_rating_ids"])
        # the faculty of the allocation reads them, not the other faculty; nobody but the author changes them
        self.assertEqual(self.Rating.with_user(self.user_faculty).search([]), rating)
        self.assertFalse(self.Rating.with_user(self.user_faculty_other).search([]))
        with self.assertRaises(AccessError):
            rating.with_user(self.user_faculty).write({"comment": "Changed"})
        self.assertEqual(self.meeting.with_user(self.user_admin).pulse_rating_avg, 2.0)

    def test_low_rating_flags_mentee_at_risk(self):
        at_risk = self.env.ref("op_student_mentor.mail_act_mentor_at_risk")
        self._rate(3)
        self.assertFalse(self.student_mentee.mentor_at_risk, "3 is not low")
        self.Rating.search([]).with_user(self.user_mentee).write({"rating": 2})
        self.assertTrue(self.student_mentee.mentor_at_risk)
        self.assertIn("Weekly check-in", self.student_mentee.mentor_at_risk_reason)
        self.assertIn("2/5", self.student_mentee.mentor_at_risk_reason)
        self.assertTrue(self.student_mentee.activity_ids.filtered(lambda a: a.activity_type_id == at_risk))
        # 0 in the settings: never a risk signal
        self.env.company.mentor_pulse_low_rating = 0
        self._rate(1, user=self.user_mentee_other, meeting=self.meeting_other, student=self.student_mentee_other)
        self.assertFalse(self.student_mentee_other.mentor_at_risk)
