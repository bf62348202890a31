import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import clean_context, plaintext2html

from .op_student import FUNDED_TYPES

# Why a meeting was cancelled or missed (asked by the Cancel / Mark missed forms).
CLOSE_REASONS = [
    ("mentee_unavailable", "Mentee unavailable"),
    ("mentor_unavailable", "Mentor unavailable"),
    ("illness", "Illness"),
    ("schedule_conflict", "Schedule conflict (class, exam, work)"),
    ("technical", "Technical problem"),
    ("mentee_no_show", "Mentee did not show up"),
    ("mentor_no_show", "Mentor did not show up"),
    ("other", "Other"),
]
CLOSE_NOTE_MAX_LENGTH = 2000
# The dates a meeting may have: none before the school's records, none further ahead than anyone plans.
DATE_MIN = datetime(2000, 1, 1)
DATE_MAX_YEARS_AHEAD = 5


class OpMentorMeeting(models.Model):
    _name = "op.mentor.meeting"
    _description = "Mentor Meeting"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "meeting_name"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    meeting_name = fields.Char("Meeting Name", required=True, tracking=True)
    meeting_link = fields.Char(
        "Meeting Link",
        required=True,
        tracking=True,
        help="Video call URL (Zoom, Google Meet, Jitsi…), http(s) only. Left empty, the meeting gets a video room "
        "of Odoo Discuss, open to its mentor, mentees, faculty and the mentorship administrators only.",
    )
    calendar_event_id = fields.Many2one(
        "calendar.event",
        "Calendar Event",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The meeting in Odoo's Calendar: invitations, answers, reminders and .ics files come from it.",
    )
    calendar_attendee_ids = fields.One2many(
        related="calendar_event_id.attendee_ids", string="Invitations", readonly=True
    )
    date = fields.Datetime(required=True, tracking=True, index=True)
    duration = fields.Integer(
        "Duration (minutes)",
        compute="_compute_duration",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        required=True,
        help="Defaults from the first mentee's funding: self-funded or funded session length (Settings).",
    )
    date_end = fields.Datetime("End", compute="_compute_date_end", store=True)
    student_id = fields.Many2one(
        "op.student",
        "Mentor",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain="[('is_mentor', '=', True)]",
        help="The hosting mentor.",
    )
    meeting_students = fields.Many2many(
        "op.student",
        "op_mentor_meeting_student_rel",
        "meeting_id",
        "student_id",
        string="Mentees",
        check_company=True,
        ondelete="restrict",  # deleting a student (or their partner / user) never silently empties a meeting
        domain="[('mentee_allocation_ids.mentor_id', '=', student_id), ('mentee_allocation_ids.active', '=', True)]",
    )
    session_type = fields.Selection(
        [
            ("discovery", "Discovery"),
            ("regular", "Regular"),
            ("review", "Deliverable / Code Review"),
            ("mock_presentation", "Mock Presentation"),
            ("qa", "Q&A"),
        ],
        "Session Type",
        compute="_compute_session_type",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        required=True,
        tracking=True,
        help="Discovery is proposed until a session with these mentees took place.",
    )
    absent_student_ids = fields.Many2many(
        "op.student",
        "op_mentor_meeting_absent_rel",
        "meeting_id",
        "student_id",
        string="Absent Mentees",
        copy=False,
        ondelete="restrict",
        domain="[('id', 'in', meeting_students)]",
        help="Mentees who did not come to this meeting, which took place for the others (set once it is done). "
        "Each absence counts as a no-show of that mentee; a meeting that did not take place is marked missed.",
    )
    description = fields.Text(
        "Agenda / Notes",
        compute="_compute_description",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        help="Pre-filled with the guide's session structure when left empty.",
    )
    status = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("reschedule", "Rescheduled"),
            ("done", "Done"),
            ("missed", "Missed"),
            ("cancel", "Cancelled"),
        ],
        default="scheduled",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    rescheduled_from_id = fields.Many2one(
        "op.mentor.meeting",
        "Rescheduled From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    rescheduled_to_ids = fields.One2many("op.mentor.meeting", "rescheduled_from_id", "Rescheduled To", readonly=True)
    mentor_user_id = fields.Many2one(related="student_id.user_id", string="Mentor User")
    faculty_ids = fields.Many2many(
        "op.faculty",
        "op_mentor_meeting_faculty_rel",
        "meeting_id",
        "faculty_id",
        string="Faculty",
        context={"active_test": False},
        compute="_compute_faculty_ids",
        store=True,
        help="Faculty of the hosting mentor's active allocations: they read the meeting. Stored so that "
        "the faculty's record rule is one indexed lookup, not a join through every allocation.",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="The hosting mentor's school, whose settings apply to the meeting.",
    )
    portal_submit_token = fields.Char(
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="One-time token of the portal form that created the meeting: a re-posted form creates nothing.",
    )

    # Cancellation and no-show: written by action_cancel / action_mark_missed only (see write()).
    close_reason = fields.Selection(
        CLOSE_REASONS,
        "Cancellation / No-show Reason",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    close_note = fields.Text("Reason Details", readonly=True, copy=False)
    close_date = fields.Datetime("Cancelled / Missed On", readonly=True, copy=False)
    close_user_id = fields.Many2one("res.users", "Cancelled / Missed By", readonly=True, copy=False)
    late_cancellation = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="Cancelled less than the late cancellation window (Settings) before the start.",
    )
    notice_hours = fields.Float(
        "Notice (hours)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Hours between the cancellation and the start of the meeting (negative: after the start).",
    )
    # Report measures (pivot, graph, dashboards): sums give counts per mentor (student_id) or mentee (meeting_students).
    cancel_count = fields.Integer("Cancellations", compute="_compute_close_counts", store=True, aggregator="sum")
    late_cancel_count = fields.Integer(
        "Late Cancellations", compute="_compute_close_counts", store=True, aggregator="sum"
    )
    missed_count = fields.Integer("No-shows", compute="_compute_close_counts", store=True, aggregator="sum")

    # Post-meeting pulse: the ratings themselves are not for the mentor (record rules); averages are.
    pulse_rating_ids = fields.One2many(
        "op.mentor.meeting.rating",
        "meeting_id",
        "Pulse Ratings",
        groups="op_student_mentor.group_op_mentor_faculty",
    )
    pulse_rating_count = fields.Integer(
        "Pulse Ratings Count", compute="_compute_pulse", store=True, aggregator="sum"
    )
    pulse_rating_avg = fields.Float(
        "Pulse (average)",
        compute="_compute_pulse",
        store=True,
        digits=(3, 2),
        aggregator="avg",
        groups="op_student_mentor.group_op_mentor_faculty",
        help="Average rating of the mentees (1-5). For an average over several meetings, use the Pulse Ratings "
        "report: this average of averages does not weigh meetings by their number of ratings.",
    )

    _sql_constraints = [
        ("duration_positive", "CHECK(duration > 0 AND duration <= 600)", "A meeting lasts between 1 and 600 minutes."),
        ("portal_submit_token_unique", "UNIQUE(portal_submit_token)", "This form was already submitted."),
    ]

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("student_id")
    def _compute_company_id(self):
        for meeting in self:
            if meeting.student_id:
                meeting.company_id = meeting.student_id._mentor_company()
            elif not meeting.company_id:
                meeting.company_id = self.env.company

    @api.depends("meeting_students")
    def _compute_duration(self):
        for meeting in self:
            if meeting.meeting_students:
                company = meeting.company_id or self.env.company  # the lengths of the meeting's school
                length = "duration_funded" if meeting._mentor_funded() else "duration_self_funded"
                meeting.duration = company._mentor_setting(length)
            elif not meeting.duration:
                meeting.duration = 30

    @api.depends("student_id", "meeting_students")
    def _compute_session_type(self):
        for meeting in self:
            if meeting.session_type and meeting.session_type != "discovery" and meeting._origin:
                continue
            meeting.session_type = "regular" if meeting._mentor_had_session() else "discovery"

    @api.depends("duration", "session_type", "meeting_students")
    def _compute_description(self):
        generated = self._mentor_generated_agendas()
        for meeting in self:
            if not meeting.description or meeting.description in generated:
                meeting.description = meeting._mentor_agenda()

    @api.depends("status", "late_cancellation")
    def _compute_close_counts(self):
        for meeting in self:
            meeting.cancel_count = int(meeting.status == "cancel")
            meeting.late_cancel_count = int(meeting.status == "cancel" and meeting.late_cancellation)
            meeting.missed_count = int(meeting.status == "missed")

    @api.depends("student_id.mentor_allocation_ids.faculty_id", "student_id.mentor_allocation_ids.active")
    def _compute_faculty_ids(self):
        # One search for every host of the batch; active allocations only, as the record rule always read them.
        allocations = (
            self.env["op.mentor.allocation"]
            .sudo()
            .with_context(active_test=True)
            .search([("mentor_id", "in", self.student_id.ids)])
        )
        by_mentor = {}
        for allocation in allocations:
            by_mentor.setdefault(allocation.mentor_id.id, set()).add(allocation.faculty_id.id)
        # Assigned per group of meetings with the same faculty: one insert of the relation per group, not per meeting.
        groups = {}
        for meeting in self:
            faculty_ids = tuple(sorted(by_mentor.get(meeting.student_id.id, set()) - {False}))
            groups.setdefault(faculty_ids, []).append(meeting.id)
        for faculty_ids, meeting_ids in groups.items():
            self.browse(meeting_ids).faculty_ids = [fields.Command.set(faculty_ids)]

    @api.depends("pulse_rating_ids.rating")
    def _compute_pulse(self):
        for meeting in self:
            ratings = meeting.sudo().pulse_rating_ids.mapped("rating")
            meeting.pulse_rating_count = len(ratings)
            meeting.pulse_rating_avg = sum(ratings) / len(ratings) if ratings else 0.0

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

    @api.constrains("status", "close_reason", "close_note")
    def _check_close_reason(self):
        for meeting in self.filtered(lambda m: m.status in ("cancel", "missed")):
            meeting._validate_close_reason(meeting.close_reason, meeting.close_note)

    @api.model
    def _validate_close_reason(self, reason, note):
        """The reason of a cancellation or no-show: one of CLOSE_REASONS, explained when it is "Other"."""
        if reason not in dict(CLOSE_REASONS):
            raise ValidationError(self.env._("Choose the reason why the meeting is cancelled or missed."))
        if reason == "other" and not (note or "").strip():
            raise ValidationError(self.env._("Explain the reason in the details when it is \"Other\"."))
        if len(note or "") > CLOSE_NOTE_MAX_LENGTH:
            raise ValidationError(
                self.env._("The details are too long (at most %(max)s characters).", max=CLOSE_NOTE_MAX_LENGTH)
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

    @api.constrains("absent_student_ids", "meeting_students", "status")
    def _check_absent_students(self):
        # as superuser: a portal host writes the absences but may not read the students themselves
        for meeting in self.sudo().filtered("absent_student_ids"):
            if meeting.status != "done":
                raise ValidationError(
                    self.env._(
                        "Mentees are marked absent once meeting %(name)s is done; a meeting that did not take place "
                        "is marked missed.",
                        name=meeting.meeting_name,
                    )
                )
            outsiders = meeting.absent_student_ids - meeting.meeting_students
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "%(students)s is not a mentee of meeting %(name)s.",
                        students=", ".join(outsiders.mapped("name")),
                        name=meeting.meeting_name,
                    )
                )

    @api.constrains("date")
    def _check_date_window(self):
        """A date far out of range (9999-12-31) would be stored, then break every later computation on it
        (the end, a week later, the reminders): refused by the model, whatever form or import sends it."""
        latest = fields.Datetime.now() + relativedelta(years=DATE_MAX_YEARS_AHEAD)
        for meeting in self:
            if meeting.date and not DATE_MIN <= meeting.date <= latest:
                raise ValidationError(
                    self.env._(
                        "The date of meeting %(name)s (%(date)s) is out of range: a meeting takes place between "
                        "%(min)s and %(max)s, %(years)s years from today.",
                        name=meeting.meeting_name,
                        date=fields.Date.to_string(meeting.date.date()),
                        min=fields.Date.to_string(DATE_MIN.date()),
                        max=fields.Date.to_string(latest.date()),
                        years=DATE_MAX_YEARS_AHEAD,
                    )
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
        precompute = self
        if len(vals_list) > 1:
            # Bulk create: which hosts already held a session with which mentees, read once for the batch.
            host_ids = list({vals["student_id"] for vals in vals_list if vals.get("student_id")})
            done = self.sudo()._read_group(
                [("student_id", "in", host_ids), ("status", "=", "done")], ["student_id", "meeting_students"]
            )
            precompute = self.with_context(
                mentor_done_pairs=frozenset((host.id, mentee.id) for host, mentee in done if mentee)
            )
        if not self.env.su and any(
            vals.get("status", "scheduled") != "scheduled" or any(vals.get(f) for f in self._CLOSE_FIELDS)
            for vals in vals_list
        ):
            # a host creates scheduled meetings; Done / Cancel / Mark missed close them (and count them)
            raise UserError(self.env._("A new meeting is scheduled: mark it done, cancelled or missed afterwards."))
        room_tokens = []
        for vals in vals_list:
            if "description" in vals and not vals["description"]:
                del vals["description"]  # an empty agenda gets the guide's structure
            room_tokens.append(self._mentor_fill_video_room(vals))
            self._validate_link(vals.get("meeting_link"))
            precompute._mentor_precompute(vals)
            if vals.get("date"):
                self._check_future_date(fields.Datetime.to_datetime(vals["date"]))
        meetings = super().create(vals_list)
        meetings._mentor_create_events(room_tokens)
        return meetings

    _CLOSE_FIELDS = (
        "close_reason",
        "close_note",
        "close_date",
        "close_user_id",
        "late_cancellation",
        "notice_hours",
    )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # The faculty's record rule reads the stored many2many faculty_ids, and Odoo does not flush the pending
        # recomputation of a many2many used in a domain: flush it first (no query when nothing is pending).
        self.flush_model(["faculty_ids"])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def write(self, vals):
        if not self.env.su and any(fname in vals for fname in self._CLOSE_FIELDS):
            # a host may write their meetings (portal): the reason and the lateness come from the actions only
            raise UserError(self.env._("The reason of a cancellation or no-show is set by Cancel or Mark missed."))
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
        cancelled_partners = self._mentor_partners_leaving(vals)
        result = super().write(vals)
        if "student_id" in vals:
            # Record rules judge a write on the records before it: the new host must be allowed too.
            self.check_access("write")
        if self._EVENT_FIELDS.intersection(vals):
            self._mentor_sync_events(set(vals), cancelled_partners)
        if vals.get("status") == "done":
            self._mentor_resolve_inactivity()
            self.student_id._mentor_check_term()  # recognition of a completed term
        if vals.get("status") in self._mentor_missed_statuses() or vals.get("absent_student_ids"):
            self._mentor_flag_repeated_misses()
        return result

    def _set_portal_submit_token(self, token):
        """Store the portal form's one-time token. The same form posted twice at once makes the second
        UPDATE fail on the unique index: the caller handles that race, so it is not logged as a bad query."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE op_mentor_meeting SET portal_submit_token = %s WHERE id = %s",
            [token, self.id],
            log_exceptions=False,
        )
        self.invalidate_recordset(["portal_submit_token"])

    _PRACTICE_FIELDS = ("duration", "session_type", "description")

    @api.model
    def _mentor_precompute(self, vals):
        """Length, type and agenda computed as superuser: a portal host may not read the mentees' records."""
        missing = [fname for fname in self._PRACTICE_FIELDS if fname not in vals]
        if not missing:
            return
        keys = ("student_id", "meeting_students", *self._PRACTICE_FIELDS)
        draft = self.sudo().new({key: value for key, value in vals.items() if key in keys})
        for fname in missing:
            vals[fname] = self._fields[fname].convert_to_write(draft[fname], draft)

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
        """Mark done and, as the guides recommend, propose the next session a week later (not created).
        A meeting may be closed from its start time on, as for "missed": before, it cannot have been held."""
        self._check_status_update("done")
        not_started = self.filtered(lambda m: m.date > fields.Datetime.now())
        if not_started:
            raise UserError(
                self.env._(
                    "Meeting %(name)s has not started yet: it can be marked done from its start time on.",
                    name=not_started[0].meeting_name,
                )
            )
        self.write({"status": "done"})
        if len(self) != 1:
            return True
        return self._action_propose_next_session()

    def _action_propose_next_session(self, days=7):
        self.ensure_one()
        next_date = max(self.date + timedelta(days=days), fields.Datetime.now() + timedelta(hours=1))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Next Session"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_meeting_name": self.meeting_name,
                "default_student_id": self.student_id.id,
                "default_meeting_students": [fields.Command.set(self.meeting_students.ids)],
                "default_meeting_link": self.meeting_link,
                "default_date": fields.Datetime.to_string(next_date),
                "default_session_type": "regular",
            },
        }

    def action_open_cancel_wizard(self):
        return self._action_open_close_wizard("cancel")

    def action_open_missed_wizard(self):
        return self._action_open_close_wizard("missed")

    def _action_open_close_wizard(self, status):
        self._check_status_update(status)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Meeting") if status == "cancel" else self.env._("Mark Meeting Missed"),
            "res_model": "op.mentor.meeting.close.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_meeting_ids": self.ids, "default_status": status},
        }

    def action_cancel(self, reason=None, note=None):
        """Cancel with a reason (CLOSE_REASONS); late when within the window of the settings before the start."""
        self._check_status_update("cancel")
        self._validate_close_reason(reason, note)
        now = fields.Datetime.now()
        for meeting in self:
            window = meeting.company_id._mentor_setting("late_cancel_hours")
            notice = (meeting.date - now).total_seconds() / 3600
            meeting._close("cancel", reason, note, late_cancellation=bool(window) and notice < window, notice=notice)
        return True

    def action_mark_missed(self, reason=None, note=None):
        """A no-show: the meeting started and did not take place."""
        self._check_status_update("missed")
        self._validate_close_reason(reason, note)
        not_started = self.filtered(lambda m: m.date > fields.Datetime.now())
        if not_started:
            raise UserError(
                self.env._(
                    "Meeting %(name)s has not started yet: cancel it instead of marking it missed.",
                    name=not_started[0].meeting_name,
                )
            )
        for meeting in self:
            meeting._close("missed", reason, note)
        self._notify_mentees_missed()
        return True

    def _notify_mentees_missed(self):
        """As for a cancellation, each mentee hears of a missed meeting, in their language and timezone,
        with the reason the mentor chose (never the details: the form says they stay internal)."""
        template = self.env.ref("op_student_mentor.mail_template_mentor_meeting_missed").sudo()
        for meeting in self.sudo():
            reason = dict(self._fields["close_reason"]._description_selection(self.env)).get(meeting.close_reason)
            for partner in meeting.meeting_students.partner_id:
                template.with_context(
                    recipient_lang=partner.lang,
                    recipient_tz=partner.tz or meeting.student_id.tz or "UTC",
                    missed_reason=reason,
                ).send_mail(
                    meeting.id,
                    email_layout_xmlid="mail.mail_notification_light",
                    email_values={"recipient_ids": [fields.Command.set(partner.ids)]},
                )

    def _close(self, status, reason, note, late_cancellation=False, notice=0.0):
        """Write the status and its reason; as superuser once the caller passed _check_status_update."""
        self.ensure_one()
        self.sudo().write(
            {
                "status": status,
                "close_reason": reason,
                "close_note": (note or "").strip() or False,
                "close_date": fields.Datetime.now(),
                "close_user_id": self.env.uid,
                "late_cancellation": late_cancellation,
                "notice_hours": round(notice, 2),
            }
        )

    def action_reschedule(self, new_date, meeting_link=None):
        """Create the follow-on meeting at ``new_date``; the original becomes ``reschedule``."""
        self.ensure_one()
        self._check_status_update("reschedule")
        new_date = fields.Datetime.to_datetime(new_date)
        if not new_date:
            raise UserError(self.env._("Choose the new date of the meeting."))
        self._check_future_date(new_date)
        if not meeting_link and not self._mentor_has_video_room():
            meeting_link = self.meeting_link
        # The new meeting is a new event (its own UID, an invitation); the old UID is cancelled by the write.
        new_meeting = self.with_context(mentor_meeting_no_notify=False).copy(
            {"date": new_date, "rescheduled_from_id": self.id, "meeting_link": meeting_link or False}
        )
        self.write({"status": "reschedule"})
        return new_meeting

    @api.model
    def get_empty_list_help(self, help_message):
        # The action's help invites to schedule one "here": true for administrators, not for faculty (read only).
        if not self.has_access("create"):
            help_message = Markup('<p class="o_view_nocontent_smiling_face">%s</p><p>%s</p>') % (
                self.env._("No meetings yet"),
                self.env._("Mentors schedule their video meetings from the portal; they appear here as they do."),
            )
        return super().get_empty_list_help(help_message)

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

    _TRANSITIONS = {
        "done": ("scheduled",),
        "cancel": ("scheduled",),
        "missed": ("scheduled",),
        "reschedule": ("scheduled",),
    }

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

    def _mentor_resolve_inactivity(self):
        """A meeting held closes the inactivity alert of the allocations it concerns (as superuser)."""
        allocations = (
            self.env["op.mentor.allocation"]
            .sudo()
            .search([("mentor_id", "in", self.student_id.ids), ("escalation_state", "!=", "none")])
        )
        for allocation in allocations:
            held = self.filtered(
                lambda m, a=allocation: m.student_id == a.mentor_id and m.meeting_students & a.student_ids
            )[:1]
            if held:
                allocation._mentor_escalation_resolve(
                    self.env._(
                        "Meeting %(meeting)s held on %(date)s: the inactivity alert is closed.",
                        meeting=held.meeting_name,
                        date=fields.Date.to_string(held.date.date()),
                    )
                )

    def _mentor_funded(self):
        """Whether a mentee is funded: a session with a funded student takes the funded length
        (read on the saved students: a form's copy may be stale)."""
        mentees = self.meeting_students._origin or self.meeting_students
        return any(funding in FUNDED_TYPES for funding in mentees.sudo().mapped("mentor_funding_type"))

    @api.model
    def _mentor_missed_statuses(self):
        """Statuses that count as a session the mentee did not get (a missed / no-show status counts too
        if the workflow has one); a rescheduled meeting is replaced, it is not missed."""
        statuses = {key for key, _label in self._fields["status"].selection}
        return {"cancel"} | (statuses & {"missed", "no_show"})

    def _mentor_flag_repeated_misses(self):
        """Two missed or cancelled meetings in a row for a mentee raise the at-risk alert (the guides:
        missed sessions cost funded students their funding); a meeting held without them (absent) is
        missed for them."""
        missed = self._mentor_missed_statuses()
        for mentee in self.sudo().meeting_students:
            latest = self.sudo().search(
                [("meeting_students", "in", mentee.ids), ("status", "not in", ("scheduled", "reschedule"))],
                order="date desc, id desc",
                limit=2,
            )
            if len(latest) == 2 and all(m.status in missed or mentee in m.absent_student_ids for m in latest):
                mentee._mentor_flag_at_risk(self.env._("Two meetings missed or cancelled in a row."))

    def _mentor_had_session(self):
        """Whether the host already held a (done) session with one of these mentees."""
        self.ensure_one()
        if not self.student_id or not self.meeting_students:
            return False
        done_pairs = self.env.context.get("mentor_done_pairs")
        if done_pairs is not None and not self._origin.id:
            # bulk create: the (host, mentee) pairs with a done session were read once for the batch
            return any((self.student_id.id, mentee_id) in done_pairs for mentee_id in self.meeting_students._origin.ids)
        domain = [
            ("student_id", "=", self.student_id.id),
            ("meeting_students", "in", self.meeting_students.ids),
            ("status", "=", "done"),
        ]
        if self._origin.id:
            domain.append(("id", "!=", self._origin.id))
        return bool(self.sudo().search_count(domain, limit=1))

    def _mentor_agenda_focus(self, session_type):
        return {
            "discovery": self.env._(
                "Discovery session: get to know the student, their expectations, funding, "
                "training calendar and weekly study time; agree on how to work together."
            ),
            "review": self.env._(
                "Deliverable / code review: questions and constructive feedback, goals that address recurring errors."
            ),
            "mock_presentation": self.env._(
                "Mock presentation: is the student ready for the assessment, what still needs work?"
            ),
            "qa": self.env._("Q&A: explain concepts with concrete examples from professional life."),
        }.get(session_type, "")

    def _mentor_agenda(self, duration=None, session_type=None, funded=None):
        """The guide's session structure, minutes fitted to the duration."""
        duration = duration if duration is not None else self.duration or 30
        session_type = session_type or self.session_type or "regular"
        if funded is None:
            funded = self._mentor_funded()
        catch_up = goals = 5 if duration >= 20 else max(duration // 4, 1)
        core = max(duration - catch_up - goals, 0)
        lines = []
        focus = self._mentor_agenda_focus(session_type)
        if focus:
            lines += [focus, ""]
        lines += [
            self.env._(
                "1. Catch-up (%(minutes)s min): how is the student doing, what happened since last time?",
                minutes=catch_up,
            ),
            self.env._(
                "2. Progress and feedback (%(minutes)s min): progress on last session's goals, "
                "constructive feedback, obstacles and questions, project progress.",
                minutes=core,
            ),
        ]
        if funded:
            lines.append(
                self.env._("   On track for the training calendar / funding deadline? Strategies to finish on time.")
            )
        lines.append(
            self.env._("3. New SMART goals (%(minutes)s min): set the goals and save the session notes.", minutes=goals)
        )
        return "\n".join(lines)

    @api.model
    def _mentor_generated_agendas(self):
        """Every agenda the pre-fill may have written: those are replaced when duration or type change."""
        durations = {30, 45}
        for company in self.company_id | self.env.company:
            durations |= {company._mentor_setting("duration_self_funded"), company._mentor_setting("duration_funded")}
        durations |= set(self.mapped("duration")) | set(self._origin.mapped("duration"))
        types = [key for key, _label in self._fields["session_type"].selection]
        return {
            self._mentor_agenda(duration, session_type, funded)
            for duration in durations
            for session_type in types
            for funded in (False, True)
        }

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

    def action_export_ics(self):
        """Download the selected meetings as one .ics file (Action menu of the meeting list and form)."""
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": "/op_student_mentor/meetings.ics?ids=" + ",".join(str(i) for i in self.ids),
            "target": "download",
        }


    # ------------------------------------------------------------
    # CALENDAR: one calendar.event per meeting
    # ------------------------------------------------------------

    # Meeting fields the event mirrors: a write of one of them updates the event.
    _EVENT_FIELDS = frozenset(
        {"meeting_name", "date", "duration", "meeting_link", "student_id", "meeting_students", "description", "status"}
    )

    @api.model
    def _mentor_fill_video_room(self, vals):
        """An empty link gets a Discuss video room of calendar (its route and token); returns the token."""
        if vals.get("meeting_link"):
            return False
        token = uuid.uuid4().hex
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        vals["meeting_link"] = f"{base_url}/{self.env['calendar.event'].DISCUSS_ROUTE}/{token}"
        return token

    def _mentor_has_video_room(self):
        """Whether the meeting's link is the Discuss room of its own event."""
        self.ensure_one()
        event = self.sudo().calendar_event_id
        return bool(event.access_token) and self.meeting_link == event.videocall_location and (
            event.videocall_source == "discuss"
        )

    def _mentor_event_partners(self):
        """Attendees: the mentor and the mentees (as partners), the faculty too when the setting says so."""
        self.ensure_one()
        meeting = self.sudo()
        partners = meeting.student_id.partner_id | meeting.meeting_students.partner_id
        if meeting.company_id.mentor_calendar_faculty_attendee:
            partners |= meeting.faculty_ids.partner_id
        return partners

    def _mentor_event_values(self):
        self.ensure_one()
        meeting = self.sudo()
        return {
            "name": meeting.meeting_name,
            "start": meeting.date,
            "stop": meeting.date_end,
            "description": plaintext2html(meeting.description or ""),
            "videocall_location": meeting.meeting_link,
            "partner_ids": [fields.Command.set(meeting._mentor_event_partners().ids)],
        }

    def _mentor_create_events(self, room_tokens=None):
        """Create the events of these meetings in one create(); calendar mails the invitations (with the .ics)
        of future ones. Past meetings (history, migration) are linked without mail."""
        meetings = self.sudo().filtered(lambda m: not m.calendar_event_id)
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
                            {"partner_id": partner.id, "state": "accepted" if partner == mentor_partner else "needsAction"}
                        )
                        for partner in partners
                    ],
                    "active": meeting.status in ("scheduled", "done", "missed"),
                }
            )
            if tokens.get(meeting.id):
                vals["access_token"] = tokens[meeting.id]
            vals_list.append(vals)
        context = clean_context(self.env.context)  # no default_* of the meeting's form on the event
        if self.env.context.get("mentor_meeting_no_notify"):
            context.update(no_mail_to_attendees=True)
        events = self.env["calendar.event"].sudo().with_context(context, mail_create_nolog=True).create(vals_list)
        for meeting, event in zip(meetings, events):
            meeting.calendar_event_id = event

    def _mentor_partners_leaving(self, vals):
        """{meeting: partners} removed from the attendees by this write, to send them a cancellation."""
        if "meeting_students" not in vals and "student_id" not in vals:
            return {}
        return {meeting: meeting.sudo().calendar_event_id.partner_ids for meeting in self}

    def _mentor_sync_events(self, fnames, previous_partners=None):
        """Carry a write of the meeting to its event: calendar mails the date change and the new attendees;
        removed attendees and a cancelled or rescheduled meeting get a cancellation (same UID, higher SEQUENCE)
        and the event is archived, so every calendar keeps one live event per live meeting."""
        cancel_template = self.env.ref("op_student_mentor.calendar_template_mentor_meeting_cancelled").sudo()
        for meeting in self.sudo():
            event = meeting.calendar_event_id
            if not event:
                meeting._mentor_create_events()
                continue
            vals = {}
            moved = bool(fnames & {"date", "duration", "meeting_link"})
            if "meeting_name" in fnames:
                vals["name"] = meeting.meeting_name
            if "description" in fnames or "duration" in fnames:
                vals["description"] = plaintext2html(meeting.description or "")
            if "date" in fnames or "duration" in fnames:
                vals.update(start=meeting.date, stop=meeting.date_end)
            if "meeting_link" in fnames and meeting.meeting_link != event.videocall_location:
                vals["videocall_location"] = meeting.meeting_link
            if "student_id" in fnames:
                vals["user_id"] = meeting.student_id.user_id.id or False
            new_partners = meeting._mentor_event_partners()
            leaving = (previous_partners or {}).get(meeting, event.partner_ids) - new_partners
            if leaving or new_partners != event.partner_ids:
                vals["partner_ids"] = [fields.Command.set(new_partners.ids)]
            closing = meeting.status in ("cancel", "reschedule") and event.active
            if moved or leaving or closing:
                vals["mentor_ics_sequence"] = event.mentor_ics_sequence + 1
            if leaving or closing:
                # the cancellation carries the new SEQUENCE: written first
                event.write({"mentor_ics_sequence": vals.pop("mentor_ics_sequence")})
                going = event.attendee_ids
                if not closing:
                    going = going.filtered(lambda a, leaving=leaving: a.partner_id in leaving)
                if event.start > fields.Datetime.now():
                    going.with_context(mentor_ics_method="CANCEL")._send_mail_to_attendees(
                        cancel_template, force_send=True
                    )
            if closing:
                vals["active"] = False
            if vals:
                event.write(vals)
            if "date" in vals or "start" in vals or "student_id" in fnames:
                # calendar asks the organizer again when someone else moves the event: the mentor hosts it
                host = meeting.student_id.partner_id
                event.attendee_ids.filtered(lambda a, host=host: a.partner_id == host).state = "accepted"

    def _mentor_ics_file(self, method="PUBLISH"):
        """These meetings as one iCalendar file, from Odoo calendar's (see calendar.event._get_ics_file)."""
        self.sudo()._mentor_create_events()  # a meeting without event (never expected) still exports
        return self.sudo().sorted("date").calendar_event_id._mentor_ics_calendar(method)

    def unlink(self):
        events = self.sudo().calendar_event_id
        result = super().unlink()
        events.unlink()
        return result

    def _mentor_may_join_video_room(self, user):
        """The meeting's people: its mentor and mentees, its faculty, the mentorship administrators."""
        self.ensure_one()
        meeting = self.sudo()
        if user._is_public():
            return False
        if user.has_group("op_student_mentor.group_op_mentor_admin"):
            return True
        people = meeting.student_id.user_id | meeting.meeting_students.user_id
        return user in people or bool(meeting.faculty_ids & user.sudo().mentor_faculty_ids)

    @api.model
    def _mentor_migrate_events(self, batch_size=1000):
        """Events of the meetings that have none (migration 18.0.1.4.0), in batches, mailing nobody."""
        Meeting = self.sudo().with_context(
            active_test=False,
            mentor_meeting_no_notify=True,
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
