from datetime import datetime, timedelta
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .limits import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH

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
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "op.mentor.workflow.mixin",
        "op.mentor.meeting.agenda.mixin",
        "op.mentor.meeting.calendar.mixin",
        "op.mentor.meeting.notification.mixin",
        "op.mentor.company.check",
    ]
    _order = "date desc, id desc"
    _rec_name = "meeting_name"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    meeting_name = fields.Char(required=True, tracking=True)
    meeting_link = fields.Char(
        required=True,
        tracking=True,
        help="Video call URL (Zoom, Google Meet, Jitsi…), http(s) only. Left empty, the meeting gets a video room "
        "of Odoo Discuss, open to its mentor, mentees, faculty and the mentorship administrators only.",
    )
    calendar_event_id = fields.Many2one(
        "calendar.event",
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
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    rescheduled_to_ids = fields.One2many("op.mentor.meeting", "rescheduled_from_id", readonly=True)
    mentor_user_id = fields.Many2one(related="student_id.user_id", string="Mentor User")
    faculty_ids = fields.Many2many(
        "op.faculty",
        "op_mentor_meeting_faculty_rel",
        "meeting_id",
        "faculty_id",
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

    # Cancellation and no-show: written by _action_cancel / _action_mark_missed only (see write()).
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
    pulse_rating_count = fields.Integer("Pulse Ratings Count", compute="_compute_pulse", store=True, aggregator="sum")
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
            .sudo()  # a stored compute: the same faculty whoever writes the meeting (a portal host reads no allocation)
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
            ratings = meeting.sudo().pulse_rating_ids.mapped("rating")  # stored average: every rating, hidden or not
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
            raise ValidationError(self.env._('Explain the reason in the details when it is "Other".'))
        if len(note or "") > CLOSE_NOTE_MAX_LENGTH:
            raise ValidationError(
                self.env._("The details are too long (at most %(max)s characters).", max=CLOSE_NOTE_MAX_LENGTH)
            )

    @api.constrains("student_id")
    def _check_host_is_mentor(self):
        # as the caller: a portal host reads their own name and mentor status (rule op_student_rule_portal_self)
        for meeting in self:
            if not meeting.student_id.is_mentor:
                raise ValidationError(
                    self.env._(
                        "Cannot create meeting: %(student)s is not an approved mentor.",
                        student=meeting.student_id.name,
                    )
                )

    @api.constrains("rescheduled_from_id")
    def _check_rescheduled_from(self):
        for meeting in self.filtered("rescheduled_from_id"):
            # the original's host, also when the caller may not read the original
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
        # as the system: every mentee against the host's allocations, whatever the caller may read of them
        meetings = self.sudo().filtered(lambda m: m.student_id.is_mentor)
        # One search for every host of the batch (bulk create), not one per meeting.
        allocations = meetings.env["op.mentor.allocation"].search([("mentor_id", "in", meetings.student_id.ids)])
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
                        students=", ".join(foreign.mapped("name")),
                        mentor=meeting.student_id.name,
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
            done = self.sudo()._read_group(  # the hosts' whole history, also what the caller may not read
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
            self.env["op.mentor.allocation"]._mentor_resolve_inactivity(self)
            self.student_id._mentor_check_term()  # recognition of a completed term
        if vals.get("status") in self._mentor_missed_statuses() or vals.get("absent_student_ids"):
            # as the system: the mentees' meetings with any host, the at-risk flag of their records
            self.sudo().meeting_students._mentor_flag_repeated_misses(self._mentor_missed_statuses())
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

    def unlink(self):
        events = self.sudo().calendar_event_id  # the events are the system's (see _mentor_create_events)
        result = super().unlink()
        events.unlink()
        return result

    @api.model
    def _check_future_date(self, date):
        """Users schedule meetings ahead. Superuser code only (data files, upgrade scripts, the shell tools
        that seed a school's history) records past ones, as hr_holidays lets it skip its approval rules."""
        if self.env.su:
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

    def action_cancel(self):
        """Cancel: the form that asks why (it calls _action_cancel)."""
        return self._action_open_close_wizard("cancel")

    def action_mark_missed(self):
        """Mark missed: the form that asks why (it calls _action_mark_missed)."""
        return self._action_open_close_wizard("missed")

    def action_reschedule(self):
        """Reschedule: the form that asks the new date (it calls _action_reschedule)."""
        return self.action_open_reschedule_wizard()

    def _action_cancel(self, reason, note=None):
        """Cancel with a reason (CLOSE_REASONS); late when within the window of the settings before the start."""
        self._check_status_update("cancel")
        self._validate_close_reason(reason, note)
        now = fields.Datetime.now()
        for meeting in self:
            window = meeting.company_id._mentor_setting("late_cancel_hours")
            notice = (meeting.date - now).total_seconds() / 3600
            meeting._close("cancel", reason, note, late_cancellation=bool(window) and notice < window, notice=notice)
        return True

    def _action_mark_missed(self, reason, note=None):
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

    def _close(self, status, reason, note, late_cancellation=False, notice=0.0):
        """Write the status and its reason; as superuser once the caller passed _check_status_update."""
        self.ensure_one()
        self.sudo().write(  # the close fields are written by the system only (see write())
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

    def _action_reschedule(self, new_date, meeting_link=None):
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
        new_meeting = self.with_context(no_mail_to_attendees=False).copy(
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

    # The workflow (op.mentor.workflow.mixin); access is the record rules'.
    _mentor_transitions = {
        "done": ("scheduled",),
        "cancel": ("scheduled",),
        "missed": ("scheduled",),
        "reschedule": ("scheduled",),
    }

    def _mentor_status_refusal(self, current, target):
        return self.env._(
            "Meeting %(name)s is %(current)s; only scheduled meetings can be %(target)s.",
            name=self.meeting_name,
            current=current.lower(),
            target=target.lower(),
        )

    @api.model
    def _mentor_missed_statuses(self):
        """Statuses that count as a session the mentee did not get (a missed / no-show status counts too
        if the workflow has one); a rescheduled meeting is replaced, it is not missed."""
        statuses = {key for key, _label in self._fields["status"].selection}
        return {"cancel"} | (statuses & {"missed", "no_show"})

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

    @api.constrains("meeting_name", "description")
    def _check_text_lengths(self):
        for meeting in self:
            if len(meeting.meeting_name or "") > NAME_MAX_LENGTH:
                raise ValidationError(
                    self.env._("The meeting name is too long (at most %(max)s characters).", max=NAME_MAX_LENGTH)
                )
            if len(meeting.description or "") > DESCRIPTION_MAX_LENGTH:
                raise ValidationError(
                    self.env._("The agenda is too long (at most %(max)s characters).", max=DESCRIPTION_MAX_LENGTH)
                )
