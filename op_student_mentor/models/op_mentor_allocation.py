from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OpMentorAllocation(models.Model):
    _name = "op.mentor.allocation"
    _description = "Mentor Allocation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        "Code", required=True, copy=False, readonly=True, default=lambda self: self.env._("New"), index="trigram"
    )
    mentor_id = fields.Many2one(
        "op.student",
        "Mentor",
        required=True,
        tracking=True,
        index=True,
        domain="[('is_mentor', '=', True)]",
    )
    course_id = fields.Many2one("op.course", "Course", required=True, tracking=True, index=True)
    batch_id = fields.Many2one(
        "op.batch", "Batch", required=True, tracking=True, index=True, domain="[('course_id', '=', course_id)]"
    )
    student_ids = fields.Many2many(
        "op.student",
        "op_mentor_allocation_student_rel",
        "allocation_id",
        "student_id",
        string="Mentees",
        domain="[('id', '!=', mentor_id)]",
    )
    application_id = fields.Many2one(
        "op.mentor.details",
        "Application",
        readonly=True,
        index=True,
        copy=False,
        groups="op_student_mentor.group_op_mentor_faculty",  # applications never reach the portal
    )
    faculty_id = fields.Many2one(
        "op.faculty",
        "Faculty",
        compute="_compute_faculty_id",
        store=True,
        readonly=False,
        index=True,
        help="From the mentor's approved application for this batch.",
    )
    active = fields.Boolean(default=True, tracking=True)
    mentee_count = fields.Integer(compute="_compute_mentee_count", store=True)
    # Smart buttons of the backend; one compute counts follow-ups, which portal users may not read.
    meeting_count = fields.Integer(
        compute="_compute_activity_counts", groups="op_student_mentor.group_op_mentor_faculty"
    )
    followup_count = fields.Integer(
        compute="_compute_activity_counts", groups="op_student_mentor.group_op_mentor_faculty"
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("application_id.faculty_id", "mentor_id", "batch_id")
    def _compute_faculty_id(self):
        for allocation in self:
            if allocation.application_id:
                allocation.faculty_id = allocation.application_id.faculty_id
                continue
            approved = (
                self.env["op.mentor.details"]
                .sudo()
                .search(
                    [
                        ("student_id", "=", allocation.mentor_id.id),
                        ("status", "=", "approve"),
                        ("batch_id", "=", allocation.batch_id.id),
                    ],
                    limit=1,
                )
            )
            allocation.faculty_id = approved.faculty_id.sudo(False) or allocation.faculty_id

    @api.depends("student_ids")
    def _compute_mentee_count(self):
        for allocation in self:
            allocation.mentee_count = len(allocation.student_ids)

    def _compute_activity_counts(self):
        # Smart buttons of the backend form: a portal mentor reading their allocation
        # has no access to follow-ups, so each count is only made where it may be read.
        Meeting, Followup = self.env["op.mentor.meeting"], self.env["op.mentor.followup"]
        meeting_counts = followup_counts = {}
        if Meeting.has_access("read"):
            meeting_counts = dict(
                Meeting._read_group([("student_id", "in", self.mentor_id.ids)], ["student_id"], ["__count"])
            )
        if Followup.has_access("read"):
            followup_counts = dict(
                Followup._read_group([("allocation_id", "in", self.ids)], ["allocation_id"], ["__count"])
            )
        for allocation in self:
            allocation.meeting_count = meeting_counts.get(allocation.mentor_id, 0)
            allocation.followup_count = followup_counts.get(allocation, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("mentor_id")
    def _check_mentor_approved(self):
        for allocation in self:
            if not allocation.mentor_id.is_mentor:
                raise ValidationError(
                    self.env._(
                        "%(student)s is not an approved mentor: approve a mentor application first.",
                        student=allocation.mentor_id.name,
                    )
                )

    @api.constrains("course_id", "batch_id")
    def _check_batch_course(self):
        for allocation in self:
            if allocation.batch_id.course_id != allocation.course_id:
                raise ValidationError(
                    self.env._(
                        "Batch %(batch)s does not belong to course %(course)s.",
                        batch=allocation.batch_id.display_name,
                        course=allocation.course_id.display_name,
                    )
                )

    @api.constrains("student_ids", "mentor_id", "batch_id", "course_id")
    def _check_mentees(self):
        for allocation in self:
            if allocation.mentor_id in allocation.student_ids:
                raise ValidationError(
                    self.env._("%(student)s cannot be their own mentee.", student=allocation.mentor_id.name)
                )
            enrolled = (
                self.env["op.student.course"]
                .sudo()
                .search(
                    [
                        ("batch_id", "=", allocation.batch_id.id),
                        ("course_id", "=", allocation.course_id.id),
                        ("student_id", "in", allocation.student_ids.ids),
                    ]
                )
                .student_id
            )
            outsiders = allocation.student_ids - enrolled
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "Mentees must be enrolled in batch %(batch)s: %(students)s is not.",
                        batch=allocation.batch_id.display_name,
                        students=", ".join(outsiders.sudo().mapped("name")),
                    )
                )

    @api.constrains("student_ids", "batch_id", "active")
    def _check_one_active_allocation(self):
        for allocation in self.filtered("active"):
            others = (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("id", "!=", allocation.id),
                        ("batch_id", "=", allocation.batch_id.id),
                        ("student_ids", "in", allocation.student_ids.ids),
                    ]
                )
                .filtered("active")  # read from the cache: an archive in this transaction counts
            )
            taken = allocation.student_ids & others.student_ids
            if taken:
                raise ValidationError(
                    self.env._(
                        "%(students)s already has an active mentor in batch %(batch)s (%(allocation)s). "
                        "A mentee can have one active allocation per batch.",
                        students=", ".join(taken.sudo().mapped("name")),
                        batch=allocation.batch_id.display_name,
                        allocation=others.filtered(lambda o, taken=taken: o.student_ids & taken)[:1].name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("op.mentor.allocation") or self.env._("New")
        return super().create(vals_list)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("op_student_mentor.op_mentor_meeting_action")
        action.update(
            domain=[("student_id", "=", self.mentor_id.id)],
            context={"default_student_id": self.mentor_id.id, "search_default_upcoming": 0},
        )
        return action

    def action_view_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("op_student_mentor.op_mentor_followup_action")
        action.update(
            domain=[("allocation_id", "=", self.id)],
            context={"default_allocation_id": self.id},
        )
        return action
