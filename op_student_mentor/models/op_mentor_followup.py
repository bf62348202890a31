from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .limits import DESCRIPTION_MAX_LENGTH

# Who may read a follow-up (its session notes) or a goal, besides administrators and the faculty of
# the allocation. Enforced by the record rules of the portal group, not only by the views.
VISIBILITY = [
    ("mentee", "Shared with the mentee"),
    ("mentor", "Mentor and faculty"),
    ("faculty", "Faculty only"),
]


class OpMentorFollowup(models.Model):
    _name = "op.mentor.followup"
    _description = "Mentor Follow-up"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin", "op.mentor.workflow.mixin"]
    _order = "meeting_date desc, id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        "Code", required=True, copy=False, readonly=True, default=lambda self: self.env._("New"), index="trigram"
    )
    student_id = fields.Many2one("op.student", required=True, tracking=True, index=True, check_company=True)
    allocation_id = fields.Many2one(
        "op.mentor.allocation",
        tracking=True,
        index=True,
        ondelete="restrict",  # a follow-up is history: archive the allocation instead
        check_company=True,
        domain="[('student_ids', 'in', student_id)]",
    )
    mentor_id = fields.Many2one(related="allocation_id.mentor_id", store=True, index=True)
    faculty_id = fields.Many2one(
        "op.faculty", "Faculty", related="allocation_id.faculty_id", store=True, index=True, readonly=True
    )
    follow_purpose = fields.Html("Purpose", sanitize=True)
    meeting_date = fields.Date(index=True, tracking=True)
    feedback = fields.Html("Summary", sanitize=True)
    checklist = fields.Binary(attachment=True)
    checklist_filename = fields.Char("Checklist File Name")
    followup_notes = fields.Text("Next Steps")
    status = fields.Selection(
        [("draft", "Draft"), ("scheduled", "Scheduled"), ("completed", "Completed"), ("missed", "Missed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="The allocation's school (else the student's).",
    )
    # Mentoring practice: SMART goals and the guide's session notes.
    goal_ids = fields.One2many("op.mentor.goal", "followup_id", "Goals")
    previous_goal_ids = fields.Many2many(
        "op.mentor.goal",
        compute="_compute_previous_goal_ids",
        string="Goals to Review",
        help="Open goals of the mentee's previous follow-up.",
    )
    note_catch_up = fields.Text("Catch-up")
    note_progress = fields.Text("Progress and Feedback")
    note_obstacles = fields.Text("Obstacles and Questions")
    project_progress = fields.Integer("Project Progress (%)", aggregator="avg")
    student_is_funded = fields.Boolean(related="student_id.mentor_is_funded", string="Funded Student")
    on_track_training = fields.Selection(
        [("yes", "Yes"), ("no", "No"), ("unsure", "Unsure")],
        "On Track for the Training Calendar?",
        help="Funded students: will the path be completed before the training end / funding deadline?",
    )
    schedule_status = fields.Selection(
        [("ahead", "Ahead"), ("on_track", "On Track"), ("behind", "Behind")],
        compute="_compute_schedule_status",
        store=True,
        help="Project progress against the share of the training calendar elapsed (batch start to the "
        "student's training end, or the batch end), 10 points either way.",
    )
    at_risk_reason = fields.Text(
        "At-risk Reason",
        groups="op_student_mentor.group_op_mentor_faculty",
        help="Why the mentee is flagged at risk (Flag at risk). Never shown to mentors or mentees.",
    )
    # Note visibility: faculty only until someone shares it.
    visibility = fields.Selection(
        VISIBILITY,
        "Notes Visible To",
        default="faculty",
        required=True,
        tracking=True,
        index=True,
        help="Shared with the mentee: the mentee reads these session notes on the portal. Mentor and faculty: "
        "the mentor reads and completes them on the portal. Faculty only: faculty and administrators.",
    )
    meeting_id = fields.Many2one(
        "op.mentor.meeting",
        "Session",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        copy=False,
        help="The meeting these notes record (one follow-up per mentee and meeting).",
    )

    list_status = fields.Selection(
        [
            ("draft", "Draft"),
            ("scheduled", "Scheduled"),
            ("completed", "Completed"),
            ("missed", "Missed"),
            ("absent", "Mentee Absent"),
        ],
        "Status in Lists",
        compute="_compute_list_status",
        help="The status, except for the follow-up of a meeting held without this mentee: mentee absent.",
    )

    _sql_constraints = [
        ("meeting_student_unique", "UNIQUE(meeting_id, student_id)", "A session is recorded once per mentee."),
    ]

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("allocation_id", "student_id")
    def _compute_company_id(self):
        for followup in self:
            company = followup.allocation_id.company_id or (
                followup.student_id and followup.student_id._mentor_company()
            )
            followup.company_id = company or followup.company_id or self.env.company

    @api.depends("status", "student_id", "meeting_id.absent_student_ids")
    def _compute_list_status(self):
        for followup in self:
            # sudo: a mentee reads the notes shared with them of a meeting they may no longer see
            absent = followup.student_id in followup.meeting_id.sudo().absent_student_ids
            followup.list_status = "absent" if absent and followup.status != "missed" else followup.status

    @api.depends("student_id", "meeting_date")
    def _compute_previous_goal_ids(self):
        for followup in self:
            previous = followup._previous_followup()
            followup.previous_goal_ids = previous.goal_ids.filtered(lambda g: g.state == "open")

    @api.depends(
        "project_progress",
        "meeting_date",
        "allocation_id.batch_id.start_date",
        "allocation_id.batch_id.end_date",
        "student_id.training_end_date",
    )
    def _compute_schedule_status(self):
        for followup in self:
            # a stored compute: the ORM runs it as superuser
            batch = followup.allocation_id.batch_id
            start = batch.start_date
            end = followup.student_id.training_end_date or batch.end_date
            if not start or not end or end <= start:
                followup.schedule_status = False
                continue
            day = followup.meeting_date or fields.Date.context_today(followup)
            elapsed = min(max((day - start).days / (end - start).days, 0.0), 1.0) * 100
            gap = followup.project_progress - elapsed
            followup.schedule_status = "ahead" if gap > 10 else "behind" if gap < -10 else "on_track"

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("student_id", "allocation_id")
    def _check_student_allocated(self):
        # sudo: a portal mentor recording a session cannot read the op.student rows of the allocation
        for followup in self.sudo().filtered("allocation_id"):
            if followup.student_id not in followup.allocation_id.student_ids:
                raise ValidationError(
                    self.env._(
                        "%(student)s is not a mentee of allocation %(allocation)s.",
                        student=followup.student_id.name,
                        allocation=followup.allocation_id.name,
                    )
                )

    @api.constrains("meeting_id", "student_id", "allocation_id")
    def _check_meeting(self):
        # sudo: as above, the meeting's attendees
        for followup in self.sudo().filtered("meeting_id"):
            meeting = followup.meeting_id
            if followup.student_id not in meeting.meeting_students or (
                followup.mentor_id and meeting.student_id != followup.mentor_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(student)s did not attend %(meeting)s with their mentor.",
                        student=followup.student_id.name,
                        meeting=meeting.meeting_name,
                    )
                )

    @api.constrains("project_progress")
    def _check_project_progress(self):
        for followup in self:
            if not 0 <= followup.project_progress <= 100:
                raise ValidationError(self.env._("Project progress is a percentage between 0 and 100."))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                # sudo: mentors record sessions from the portal and portal users cannot read sequences
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("op.mentor.followup") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if "status" in vals:
            self._check_status_update(vals["status"])
        result = super().write(vals)
        if {"allocation_id", "student_id", "visibility"} & set(vals):
            # Record rules judge a write on the records before it: the new allocation (or level) must be
            # allowed too: a mentor cannot hand notes over, nor hide them as faculty-only.
            self.check_access("write")
        if vals.get("status") == "completed":
            self.allocation_id.mentor_id._mentor_check_term()  # recognition of a completed term
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_schedule(self):
        self._check_status_update("scheduled")
        missing_date = self.filtered(lambda f: not f.meeting_date)
        if missing_date:
            raise UserError(
                self.env._("Set the meeting date of %(name)s before scheduling it.", name=missing_date[0].name)
            )
        self.write({"status": "scheduled"})
        return True

    def action_complete(self):
        self._check_status_update("completed")
        self.write({"status": "completed"})
        return True

    def action_missed(self):
        self._check_status_update("missed")
        self.write({"status": "missed"})
        self._flag_repeated_misses()
        return True

    def action_flag_at_risk(self):
        """Flag the mentee at risk with this follow-up's reason: the Student Success team gets an activity."""
        for followup in self:
            if not (followup.at_risk_reason or "").strip():
                raise UserError(self.env._("Write why %(student)s is at risk first.", student=followup.student_id.name))
        self.check_access("write")
        for followup in self:
            followup.student_id._mentor_flag_at_risk(followup.at_risk_reason.strip())
        return True

    def action_carry_over_goals(self):
        """Carry every open goal of the previous follow-up over to this one."""
        self.ensure_one()
        return self.previous_goal_ids.with_context(carry_to_followup_id=self.id).action_carry_over()

    def action_draft(self):
        self._check_status_update("draft")
        self.write({"status": "draft"})
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    # The workflow (op.mentor.workflow.mixin); access is the record rules'.
    _mentor_transitions = {
        "scheduled": ("draft",),
        "completed": ("draft", "scheduled"),
        "missed": ("scheduled",),
        "draft": ("missed", "scheduled"),
    }

    def _mentor_status_refusal(self, current, target):
        return self.env._(
            "Follow-up %(name)s is %(current)s; it cannot be set to %(target)s.",
            name=self.name,
            current=current.lower(),
            target=target.lower(),
        )

    def _is_after(self, other):
        """Whether this follow-up comes after ``other`` for the same mentee (date, then creation)."""
        key = lambda f: (f.meeting_date or fields.Date.to_date("1900-01-01"), f._origin.id or 0)  # noqa: E731
        return key(self) > key(other)

    def _previous_followup(self):
        self.ensure_one()
        if not self.student_id:
            return self.browse()
        domain = [("student_id", "=", self.student_id.id)]
        if self._origin.id:
            domain.append(("id", "!=", self._origin.id))
        candidates = self.search(domain, order="meeting_date desc, id desc", limit=20)
        if not self._origin.id:
            return candidates[:1]
        return candidates.filtered(lambda f: self._is_after(f))[:1]

    def _flag_repeated_misses(self):
        """Two missed follow-ups in a row raise the at-risk alert (the guides: missed sessions cost funding)."""
        # sudo: every follow-up of the mentee counts, and a mentor may not write the student's flag
        followups = self.sudo()
        for student in followups.student_id:
            latest = followups.search([("student_id", "=", student.id)], order="meeting_date desc, id desc", limit=2)
            if len(latest) == 2 and all(f.status == "missed" for f in latest):
                student._mentor_flag_at_risk(self.env._("Two follow-ups missed in a row."))

    @api.constrains("note_catch_up", "note_progress", "note_obstacles")
    def _check_note_lengths(self):
        for followup in self:
            notes = (followup.note_catch_up, followup.note_progress, followup.note_obstacles)
            if any(len(note or "") > DESCRIPTION_MAX_LENGTH for note in notes):
                followup._raise_note_too_long()

    # apart from the notes: only the faculty (or the system) read and write the reason, a mentor writes notes
    @api.constrains("at_risk_reason")
    def _check_at_risk_reason_length(self):
        for followup in self:
            if len(followup.at_risk_reason or "") > DESCRIPTION_MAX_LENGTH:
                followup._raise_note_too_long()

    def _raise_note_too_long(self):
        raise ValidationError(
            self.env._(
                "%(mentee)s: a note is too long (at most %(max)s characters).",
                mentee=self.student_id.sudo().name,  # the writer may be the mentor: students read no peer
                max=DESCRIPTION_MAX_LENGTH,
            )
        )
