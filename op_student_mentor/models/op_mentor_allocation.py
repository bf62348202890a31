from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .res_users import MENTOR_ADMIN


class OpMentorAllocation(models.Model):
    _name = "op.mentor.allocation"
    _description = "Mentor Allocation"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin", "op.mentor.escalation.mixin", "op.mentor.company.check"]
    _order = "id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        "Code", required=True, copy=False, readonly=True, default=lambda self: self.env._("New"), index="trigram"
    )
    mentor_id = fields.Many2one(
        "op.student",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain="[('is_mentor', '=', True)]",
    )
    course_id = fields.Many2one("op.course", required=True, tracking=True, index=True)
    batch_id = fields.Many2one(
        "op.batch", required=True, tracking=True, index=True, domain="[('course_id', '=', course_id)]"
    )
    student_ids = fields.Many2many(
        "op.student",
        "op_mentor_allocation_student_rel",
        "allocation_id",
        "student_id",
        string="Mentees",
        check_company=True,
        domain="[('id', '!=', mentor_id)]",
    )
    application_id = fields.Many2one(
        "op.mentor.details",
        readonly=True,
        index=True,
        check_company=True,
        copy=False,
        groups="op_student_mentor.group_op_mentor_faculty",  # applications never reach the portal
    )
    faculty_id = fields.Many2one(
        "op.faculty",
        ondelete="restrict",  # the allocation's follow-ups are the faculty's record: archive the faculty instead
        check_company=True,
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
    # Inactivity and escalation: the daily cron alerts the faculty, then the administrators.
    date_start = fields.Date(
        "Start Date",
        default=fields.Date.context_today,
        copy=False,
        tracking=True,
        help="Start of the mentoring: the inactivity clock runs from it until a meeting is held.",
    )
    escalation_state = fields.Selection(
        [("none", "No Alert"), ("faculty", "Faculty Alerted"), ("admin", "Administrators Alerted")],
        "Inactivity Alert",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        groups="op_student_mentor.group_op_mentor_faculty",
        help="Raised by the daily check when no meeting was held for the days of the settings, or a "
        "follow-up is overdue; closed when a meeting is held.",
    )
    escalation_date = fields.Date(
        "Alerted On", readonly=True, copy=False, groups="op_student_mentor.group_op_mentor_faculty"
    )
    escalation_reason = fields.Text(
        "Alert Reason", readonly=True, copy=False, groups="op_student_mentor.group_op_mentor_faculty"
    )
    last_meeting_date = fields.Datetime(
        "Last Meeting Held",
        compute="_compute_last_meeting_date",
        groups="op_student_mentor.group_op_mentor_faculty",
        help="The latest meeting marked done of this mentor with one of these mentees.",
    )
    mentor_mentee_count = fields.Integer(related="mentor_id.mentor_mentee_count", string="Mentor's Mentees")
    mentor_capacity_limit = fields.Integer(related="mentor_id.mentor_capacity_limit", string="Mentor's Limit")
    mentor_load_display = fields.Char("Mentor's Load", compute="_compute_mentor_load_display")
    capacity_override_reason = fields.Text(
        copy=False,
        groups=MENTOR_ADMIN,
        help="Why this allocation may take the mentor above their mentee limit. Administrators only; "
        "each use is posted in the chatter.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("application_id.faculty_id", "mentor_id", "batch_id")
    def _compute_faculty_id(self):
        for allocation in self:
            if allocation.application_id:
                allocation.faculty_id = allocation.application_id.faculty_id
                continue
            # a stored compute: run as superuser by the ORM, whoever changes the mentor or batch
            approved = self.env["op.mentor.details"].search(
                [
                    ("student_id", "=", allocation.mentor_id.id),
                    ("status", "=", "approve"),
                    ("batch_id", "=", allocation.batch_id.id),
                ],
                limit=1,
            )
            allocation.faculty_id = approved.faculty_id or allocation.faculty_id

    @api.depends("mentor_id", "mentor_mentee_count", "mentor_capacity_limit")
    def _compute_mentor_load_display(self):
        for allocation in self:
            count, limit = allocation.mentor_mentee_count, allocation.mentor_capacity_limit
            allocation.mentor_load_display = (
                self.env._("%(count)s of %(limit)s mentees", count=count, limit=limit)
                if limit
                else self.env._("%(count)s mentees (no limit)", count=count)
            )

    @api.depends("student_ids")
    def _compute_mentee_count(self):
        for allocation in self:
            allocation.mentee_count = len(allocation.student_ids)

    def _compute_last_meeting_date(self):
        last_held = self._mentor_last_meeting_held()
        for allocation in self:
            allocation.last_meeting_date = last_held.get(allocation.id)

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
        # One search of the enrolments for the whole batch (bulk approval), matched in memory.
        enrolments = self.env["op.student.course"].search(
            [("batch_id", "in", self.batch_id.ids), ("student_id", "in", self.student_ids.ids)]
        )
        enrolled = {(e.student_id.id, e.batch_id.id, e.course_id.id) for e in enrolments}
        for allocation in self:
            if allocation.mentor_id in allocation.student_ids:
                raise ValidationError(
                    self.env._("%(student)s cannot be their own mentee.", student=allocation.mentor_id.name)
                )
            key = (allocation.batch_id.id, allocation.course_id.id)
            outsiders = allocation.student_ids.filtered(lambda s, key=key: (s.id, *key) not in enrolled)
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "Mentees must be enrolled in batch %(batch)s: %(students)s is not.",
                        batch=allocation.batch_id.display_name,
                        students=", ".join(outsiders.mapped("name")),
                    )
                )

    @api.constrains("student_ids", "batch_id", "active")
    def _check_one_active_allocation(self):
        allocations = self.filtered("active")
        if not allocations:
            return
        # One search for the whole batch (bulk approval); then (batch, mentee) -> active allocations.
        others = (
            self.with_context(active_test=False)
            .search([("batch_id", "in", allocations.batch_id.ids), ("student_ids", "in", allocations.student_ids.ids)])
            .filtered("active")  # read from the cache: an archive in this transaction counts
        )
        holders = {}
        for other in others:
            for student in other.student_ids:
                holders.setdefault((other.batch_id.id, student.id), []).append(other)
        for allocation in allocations:
            taken = allocation.student_ids.filtered(
                lambda s, a=allocation: any(o.id != a.id for o in holders.get((a.batch_id.id, s.id), ()))
            )
            if taken:
                holder = next(o for o in holders[(allocation.batch_id.id, taken[0].id)] if o.id != allocation.id)
                raise ValidationError(
                    self.env._(
                        "%(students)s already has an active mentor in batch %(batch)s (%(allocation)s). "
                        "A mentee can have one active allocation per batch.",
                        students=", ".join(taken.mapped("name")),
                        batch=allocation.batch_id.display_name,
                        allocation=holder.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("capacity_override_reason") for vals in vals_list):
            self._check_capacity_override_access()
        new = self.env._("New")
        unnamed = [vals for vals in vals_list if vals.get("name", new) == new]
        if unnamed:
            # The sequence is looked up once per batch; each code is then one nextval (bulk approval).
            sequence = self.env["ir.sequence"].search(
                [("code", "=", "op.mentor.allocation"), ("company_id", "in", [self.env.company.id, False])],
                order="company_id",
                limit=1,
            )
            for vals in unnamed:
                vals["name"] = sequence._next() if sequence else new
        mentors = self.env["op.student"].browse({vals["mentor_id"] for vals in vals_list if vals.get("mentor_id")})
        loads_before = self._lock_mentors(mentors)
        allocations = super().create(vals_list)
        allocations._check_mentor_capacity(loads_before)
        return allocations

    def write(self, vals):
        if vals.get("capacity_override_reason"):
            self._check_capacity_override_access()
        if not {"mentor_id", "student_ids", "active"} & set(vals):
            return super().write(vals)
        mentors = self.mentor_id | self.env["op.student"].browse(vals.get("mentor_id") or [])
        loads_before = self._lock_mentors(mentors)
        result = super().write(vals)
        self._check_mentor_capacity(loads_before)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_followups(self):
        """Follow-ups are the history of an allocation: it is archived, not deleted (the foreign key
        restricts too; this says it clearly)."""
        used = self.env["op.mentor.followup"]._read_group([("allocation_id", "in", self.ids)], ["allocation_id"])
        if used:
            raise UserError(
                self.env._(
                    "Allocation %(allocation)s has follow-ups; archive it instead of deleting it, "
                    "so that its history is kept.",
                    allocation=used[0][0].name,
                )
            )

    @api.model
    def get_empty_list_help(self, help_message):
        # The action's help invites to add allocations "here": only administrators can.
        if not self.has_access("create"):
            help_message = Markup('<p class="o_view_nocontent_smiling_face">%s</p><p>%s</p>') % (
                self.env._("No allocations yet"),
                self.env._(
                    "When an administrator approves one of your nominations, its mentor and mentees appear here."
                ),
            )
        return super().get_empty_list_help(help_message)

    # ------------------------------------------------------------
    # NOTIFICATIONS
    # ------------------------------------------------------------

    def _notify_approval(self):
        """On approval the mentor learns they are a mentor and who their mentees are, each mentee who their
        mentor is: one e-mail per person, in that person's language (portal users have no inbox; the
        e-mails link to their portal pages)."""
        allocations = self
        if not allocations:
            return
        layout = "mail.mail_notification_light"
        # sudo: sending mail, the Odoo way (the approver need not read nor edit the templates)
        Template = self.env["mail.template"].sudo()
        # batched (bulk approval): one rendering per language, one insert of all the mails
        Template.env.ref("op_student_mentor.mail_template_mentor_allocation_mentor").send_mail_batch(
            allocations.filtered("mentor_id.partner_id").ids, email_layout_xmlid=layout
        )
        mentors_of = {}
        for allocation in allocations:
            for mentee in allocation.student_ids:
                mentors_of.setdefault(mentee.id, []).append(allocation)
        mentees = self.env["op.student"].browse(list(mentors_of)).filtered("partner_id")
        if mentees:
            Template.env.ref("op_student_mentor.mail_template_mentor_allocation_mentee").with_context(
                mentee_allocations={
                    sid: [(a.mentor_id.name, a.batch_id.name, a.course_id.name) for a in allocs]
                    for sid, allocs in mentors_of.items()
                }
            ).send_mail_batch(mentees.ids, email_layout_xmlid=layout)
        allocations._message_log_batch(
            bodies={
                allocation.id: self.env._(
                    "Told by e-mail of this allocation: %(students)s.",
                    students=", ".join((allocation.mentor_id | allocation.student_ids).mapped("name")),
                )
                for allocation in allocations
            }
        )

    # ------------------------------------------------------------
    # CAPACITY
    # ------------------------------------------------------------

    def _lock_mentors(self, mentors):
        """Serialize the allocations of ``mentors`` and return their loads before the change.

        Two transactions allocating a mentor's last free slot at once must not both succeed: the
        second waits for the mentor's row lock (``op.student._mentor_lock``), fails to serialize and is
        retried on a fresh snapshot, where the mentor is full and the capacity check refuses it.
        """
        if not mentors:
            return {}
        mentors._mentor_lock()
        return self._mentor_loads(mentors)

    @api.model
    def _mentor_loads(self, mentors):
        """{mentor id: distinct mentees over the mentor's active allocations}, from the database."""
        if not mentors:
            return {}
        self.flush_model(["mentor_id", "student_ids", "active"])
        self.env.cr.execute(
            """
            SELECT a.mentor_id, COUNT(DISTINCT rel.student_id)
              FROM op_mentor_allocation a
              JOIN op_mentor_allocation_student_rel rel ON rel.allocation_id = a.id
             WHERE a.active AND a.mentor_id IN %s
             GROUP BY a.mentor_id
            """,
            [tuple(mentors.ids)],
        )
        return dict(self.env.cr.fetchall())

    def _check_mentor_capacity(self, loads_before):
        """Refuse a change that takes a mentor above their mentee limit, unless an administrator
        recorded an override reason on the allocation (then the override is posted in its chatter)."""
        allocations = self.filtered("active")
        mentors = allocations.mentor_id
        if not mentors:
            return
        loads = self._mentor_loads(mentors)
        limits = mentors._mentor_capacity_limits()
        for allocation in allocations:
            mentor = allocation.mentor_id
            load, limit = loads.get(mentor.id, 0), limits[mentor.id]
            if not limit or load <= limit or load <= loads_before.get(mentor.id, 0):
                continue  # no limit, within it, or not growing (e.g. a mentee removed from a full mentor)
            if not allocation.capacity_override_reason:
                raise ValidationError(
                    self.env._(
                        "Mentor capacity reached: %(mentor)s may mentor at most %(limit)s students and would have "
                        "%(count)s with allocation %(allocation)s. Choose another mentor, or an administrator "
                        "records a capacity override reason.",
                        mentor=mentor.name,
                        limit=limit,
                        count=load,
                        allocation=allocation.name,
                    )
                )
            allocation.message_post(
                body=self.env._(
                    "Capacity override by %(user)s: %(mentor)s now mentors %(count)s students, above the limit of "
                    "%(limit)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    mentor=mentor.name,
                    count=load,
                    limit=limit,
                    reason=allocation.capacity_override_reason,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def _check_capacity_override_access(self):
        # The field is an administrator's field; this holds on sudo paths (approval) too.
        if not self.env.user.has_group(MENTOR_ADMIN):
            raise AccessError(self.env._("Only a mentorship administrator may override a mentor's capacity."))

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
