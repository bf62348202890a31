from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .op_student import format_percentage


class OpMentorDetails(models.Model):
    _name = "op.mentor.details"
    _description = "Mentor Application"
    _check_company_auto = True
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "op.mentor.workflow.mixin",
        "op.mentor.eligibility.mixin",
        "op.mentor.company.check",
    ]
    _order = "id desc"
    # The nominating faculty answers the administrator and a rejection on any of her applications,
    # which she may read but only edit as drafts (record rules): posting needs read access only.
    _mail_post_access = "read"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        "Request ID", required=True, copy=False, readonly=True, default=lambda self: self.env._("New"), index="trigram"
    )
    faculty_id = fields.Many2one(
        "op.faculty",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        default=lambda self: self.env["op.faculty"]._get_current_faculty(),
        help="The nominating faculty member. Only a mentorship administrator may change it.",
    )
    course_id = fields.Many2one("op.course", required=True, tracking=True, index=True)
    batch_id = fields.Many2one(
        "op.batch", required=True, tracking=True, index=True, domain="[('course_id', '=', course_id)]"
    )
    mentor_focus_id = fields.Many2many(
        "op.mentor.focus",
        "op_mentor_details_focus_rel",
        "details_id",
        "focus_id",
        required=True,
    )
    student_id = fields.Many2one(
        "op.student",
        "Student (Mentor)",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain="[('id', 'in', allowed_candidate_ids)]",
    )
    student_detail_ids = fields.Many2many(
        "op.student",
        "op_mentor_details_mentee_rel",
        "details_id",
        "student_id",
        string="Mentees",
        check_company=True,
        domain="[('id', 'in', allowed_student_ids), ('id', '!=', student_id)]",
    )
    gradebook_id = fields.Many2one(
        "op.marksheet.line",
        required=True,
        compute="_compute_gradebook_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('student_id', '=', student_id)]",
        help="The candidate's performance record: a marksheet line of the student, "
        "by default the latest one for the batch.",
    )
    percentage = fields.Float(
        compute="_compute_percentage", store=True, digits=(5, 2), aggregator="avg", help="From the gradebook record."
    )
    percentage_display = fields.Char("Grade", compute="_compute_percentage_display")
    achivement_ids = fields.Many2many(
        "op.student.achievement", string="Achievements", compute="_compute_achievements_skills"
    )
    skill_ids = fields.Many2many("op.student.skill", string="Skills", compute="_compute_achievements_skills")
    status = fields.Selection(
        [("draft", "Draft"), ("pending", "Pending Approval"), ("approve", "Approved"), ("reject", "Rejected")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand=True,  # kanban: every column, in the workflow's order
    )
    reason_for_mentorship = fields.Text("Reason")
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    allocation_ids = fields.One2many("op.mentor.allocation", "application_id", string="Allocations")
    allocation_count = fields.Integer(compute="_compute_allocation_count")
    allowed_course_ids = fields.Many2many("op.course", compute="_compute_allowed_course_ids")
    allowed_student_ids = fields.Many2many("op.student", compute="_compute_allowed_student_ids")
    allowed_candidate_ids = fields.Many2many(
        "op.student",
        compute="_compute_allowed_candidate_ids",
        help="Students of the batch who can be nominated: not already a mentor or pending approval in the "
        "batch, and with a marksheet.",
    )
    can_approve = fields.Boolean(compute="_compute_can_approve")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)
    # Eligibility rules of the program (Settings): shown on the form, enforced at approval.
    eligibility_status = fields.Selection(
        [("meets", "Meets the eligibility rules"), ("fails", "Does not meet the eligibility rules")],
        "Eligibility",
        compute="_compute_eligibility",
        help="Empty until a candidate is chosen, and when the program sets no eligibility rule.",
    )
    eligibility_reasons = fields.Text("Eligibility Details", compute="_compute_eligibility")
    capacity_override_reason = fields.Text(
        copy=False,
        groups="op_student_mentor.group_op_mentor_admin",
        help="Approve although the mentor would exceed their mentee limit, for this reason "
        "(administrators only; given to the allocation and posted in its chatter).",
    )
    mentor_recognized = fields.Boolean(related="student_id.mentor_recognized", string="Mentoring Term Completed")

    # ------------------------------------------------------------
    # COMPUTE / ONCHANGE
    # ------------------------------------------------------------

    @api.depends("faculty_id")
    def _compute_allowed_course_ids(self):
        Course = self.env["op.course"]
        is_admin = self.env.user.has_group("op_student_mentor.group_op_mentor_admin")
        for application in self:
            if is_admin and not application.faculty_id.faculty_subject_ids:
                application.allowed_course_ids = Course.search([])
            else:
                # sudo: OpenEduCat's "Faculty Login rule" hides a faculty's own record from them
                subjects = application.faculty_id.sudo().faculty_subject_ids
                application.allowed_course_ids = Course.search([("subject_ids", "in", subjects.ids)])

    @api.depends("course_id", "batch_id")
    def _compute_allowed_student_ids(self):
        for application in self:
            application.allowed_student_ids = application._batch_students()

    @api.depends("course_id", "batch_id")
    def _compute_allowed_candidate_ids(self):
        for application in self:
            students = application._batch_students()
            # sudo: other faculty's applications decide who is taken; only their students are used
            taken = (
                self.sudo()
                .search(
                    [
                        ("student_id", "in", students.ids),
                        ("batch_id", "=", application.batch_id.id),
                        ("status", "in", ("pending", "approve")),
                        ("id", "!=", application._origin.id or 0),
                    ]
                )
                .student_id
            )
            graded = self.env["op.marksheet.line"].search([("student_id", "in", students.ids)]).student_id
            application.allowed_candidate_ids = (students & graded) - taken.sudo(False)

    @api.depends("student_id", "batch_id")
    def _compute_gradebook_id(self):
        for application in self:
            if application.gradebook_id.student_id == application.student_id and application.gradebook_id:
                continue
            application.gradebook_id = application._latest_marksheet_line()

    @api.depends("gradebook_id.percentage")
    def _compute_percentage(self):
        for application in self:
            application.percentage = application.gradebook_id.percentage

    @api.depends("percentage")
    def _compute_percentage_display(self):
        for application in self:
            application.percentage_display = format_percentage(self.env, application.percentage)

    @api.depends("student_id")
    def _compute_achievements_skills(self):
        for application in self:
            application.achivement_ids = application.student_id.achievement_ids
            application.skill_ids = application.student_id.skill_ids

    def _compute_allocation_count(self):
        counts = dict(
            self.env["op.mentor.allocation"]
            .with_context(active_test=False)
            ._read_group([("application_id", "in", self.ids)], ["application_id"], ["__count"])
        )
        for application in self:
            application.allocation_count = counts.get(application, 0)

    def _compute_can_approve(self):
        is_admin = self.env.user.has_group("op_student_mentor.group_op_mentor_admin")
        for application in self:
            application.can_approve = is_admin and application.status == "pending"

    @api.onchange("course_id")
    def _onchange_course_id(self):
        if self.batch_id and self.batch_id.course_id != self.course_id:
            self.batch_id = False

    @api.onchange("batch_id", "student_id")
    def _onchange_batch_student(self):
        allowed = self._batch_students()
        if self.student_id and self.student_id not in allowed:
            self.student_id = False
        self.student_detail_ids = self.student_detail_ids.filtered(lambda s: s in allowed and s != self.student_id)
        drafts = self._other_drafts()
        if drafts:
            return {
                "warning": {
                    "title": self.env._("Draft nomination of %(student)s", student=self.student_id.name),
                    "message": self.env._(
                        "%(student)s already has a draft application for %(batch)s: %(drafts)s. It does not block "
                        "this nomination; delete the draft if it was left by mistake.",
                        student=self.student_id.name,
                        batch=self.batch_id.display_name,
                        drafts=", ".join(
                            self.env._("%(name)s by %(faculty)s", name=d.name, faculty=d.faculty_id.name)
                            for d in drafts
                        ),
                    ),
                }
            }
        return None

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("course_id", "batch_id")
    def _check_batch_course(self):
        for application in self:
            if application.batch_id.course_id != application.course_id:
                raise ValidationError(
                    self.env._(
                        "Batch %(batch)s does not belong to course %(course)s.",
                        batch=application.batch_id.display_name,
                        course=application.course_id.display_name,
                    )
                )

    @api.constrains("student_id", "student_detail_ids", "batch_id", "course_id")
    def _check_students_in_batch(self):
        for application in self:
            enrolled = application._batch_students()
            if application.student_id not in enrolled:
                raise ValidationError(
                    self.env._(
                        "Cannot find student for mentor: %(student)s is not enrolled in batch %(batch)s. "
                        "Check the course and batch selection.",
                        student=application.student_id.name,
                        batch=application.batch_id.display_name,
                    )
                )
            if application.student_id in application.student_detail_ids:
                raise ValidationError(
                    self.env._("%(student)s cannot be their own mentee.", student=application.student_id.name)
                )
            outsiders = application.student_detail_ids - enrolled
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "Mentees must be enrolled in batch %(batch)s: %(students)s is not.",
                        batch=application.batch_id.display_name,
                        students=", ".join(outsiders.mapped("name")),
                    )
                )

    @api.constrains("student_id", "batch_id", "status")
    def _check_duplicate_mentor(self):
        to_check = self.filtered(lambda a: a.status != "reject")
        if not to_check:
            return
        # Two faculty nominating the same student at once, each in their own transaction, would both
        # pass the search below (neither sees the other's new application): the student's row lock
        # makes the second wait for the first, then replay on fresh data, where it finds the duplicate.
        to_check.student_id._mentor_lock()
        # One search for the whole batch (bulk approval), then matched in memory. Only a student who is a
        # mentor or pending approval in the batch is taken: a draft (maybe a forgotten autosave) only warns.
        # sudo: a duplicate may be another faculty's application
        candidates = self.sudo().search(
            [
                ("student_id", "in", to_check.student_id.ids),
                ("batch_id", "in", to_check.batch_id.ids),
                ("status", "in", ("pending", "approve")),
            ]
        )
        by_key = {}
        for candidate in candidates:
            by_key.setdefault((candidate.student_id.id, candidate.batch_id.id), []).append(candidate)
        for application in to_check:
            duplicate = next(
                (
                    other
                    for other in by_key.get((application.student_id.id, application.batch_id.id), [])
                    if other.id != application.id
                ),
                None,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "Duplicate mentor: %(student)s already has application %(application)s for batch "
                        "%(batch)s. Use the existing record instead of creating a new one.",
                        student=application.student_id.name,
                        application=duplicate.name,
                        batch=application.batch_id.display_name,
                    )
                )

    @api.constrains("mentor_focus_id")
    def _check_mentor_focus(self):
        for application in self:
            if not application.mentor_focus_id:
                raise ValidationError(
                    self.env._("Choose at least one mentor focus area for %(name)s.", name=application.name)
                )

    @api.constrains("gradebook_id", "student_id")
    def _check_gradebook(self):
        for application in self:
            if application.gradebook_id.student_id != application.student_id:
                raise ValidationError(
                    self.env._(
                        "The gradebook record must be a marksheet line of %(student)s.",
                        student=application.student_id.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "faculty_id" in vals:
                self._check_faculty_change(vals["faculty_id"])
            self._check_no_gradebook(vals)
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("op.mentor.details") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if "faculty_id" in vals:
            self._check_faculty_change(vals["faculty_id"])
        if "status" in vals and not self.env.context.get("mentor_status_update"):
            # A status written directly is a transition like the buttons': same checks.
            self._check_status_update(vals["status"])
        if not self.env.is_superuser() and not self.env.context.get("mentor_status_update"):
            # Decided applications are a record of the program: only the workflow changes them.
            decided = self.filtered(lambda a: a.status in ("approve", "reject"))
            if decided and set(vals) - {"message_main_attachment_id"}:
                decided.check_access("write")  # who comes before which state: AccessError for others
                raise UserError(
                    self.env._(
                        "Application %(name)s is already decided; reset it to draft to change it.",
                        name=decided[0].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        for application in self:
            if application.status in ("approve", "reject") or (
                application.status == "pending"
                and not self.env.user.has_group("op_student_mentor.group_op_mentor_admin")
            ):
                raise UserError(
                    self.env._("Application %(name)s has been submitted; it cannot be deleted.", name=application.name)
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        self._check_status_update("pending")
        self._set_status("pending")
        self._activity_update()
        return True

    def action_approve(self):
        self._check_status_update("approve")
        self._check_eligibility()
        self._set_status("approve")
        allocations = self._create_allocations()
        self._activity_update()
        allocations._notify_approval()
        return True

    def action_reject(self):
        """Open the wizard that asks for the reason (it calls ``_action_reject``)."""
        self._check_status_update("reject")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Mentor Application"),
            "res_model": "op.mentor.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_application_ids": self.ids},
        }

    def action_draft(self):
        self._check_status_update("draft")
        self._set_status("draft", rejection_reason=False)
        self._activity_update()
        return True

    def _action_reject(self, reason):
        """Reject with ``reason`` (the reject wizard): the faculty is told why."""
        if not (reason or "").strip():
            raise UserError(self.env._("A rejection needs a reason."))
        self._check_status_update("reject")
        self._set_status("reject", rejection_reason=reason.strip())
        self._activity_update()
        return True

    def action_view_allocations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("op_student_mentor.op_mentor_allocation_action")
        action.update(domain=[("application_id", "=", self.id)], context={"active_test": False})
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    # The workflow (op.mentor.workflow.mixin): who may move an application, from which status.
    _mentor_transitions = {
        "pending": ("draft",),
        "approve": ("pending",),
        "reject": ("pending",),
        "draft": ("reject", "pending"),
    }

    def _mentor_status_group_check(self, status):
        if status in ("approve", "reject", "draft") and not self.env.user.has_group(
            "op_student_mentor.group_op_mentor_admin"
        ):
            raise AccessError(
                self.env._("Only a mentorship administrator can approve, reject or reset mentor applications.")
            )

    def _mentor_status_access(self, status):
        if status == "pending":
            # Submitting is writing: the record rules say whose applications these are.
            self.check_access("write")

    def _mentor_status_refusal(self, current, target):
        return self.env._(
            "Application %(name)s is %(current)s; it cannot be moved to %(target)s.",
            name=self.name,
            current=current,
            target=target,
        )

    def _set_status(self, status, **extra):
        # Re-read the status under a row lock so two concurrent decisions cannot both pass.
        # A concurrent decision makes this fail with a serialization error, which the server retries
        # (the retry then sees the decided application): not a bad query worth an ERROR in the log.
        self.env.cr.execute(
            "SELECT id, status FROM op_mentor_details WHERE id IN %s FOR UPDATE",
            [tuple(self.ids)],
            log_exceptions=False,
        )
        current = dict(self.env.cr.fetchall())
        self.invalidate_recordset(["status"])
        allowed = self._mentor_transitions[status]
        stale = self.filtered(lambda a: current.get(a.id) not in allowed)
        if stale:
            raise UserError(
                self.env._("Application %(name)s was changed by someone else meanwhile; reload it.", name=stale[0].name)
            )
        self.with_context(mentor_status_update=True).write(dict(status=status, **extra))

    def _create_allocations(self):
        vals_list = [
            {
                "application_id": application.id,
                "mentor_id": application.student_id.id,
                "course_id": application.course_id.id,
                "batch_id": application.batch_id.id,
                "company_id": application.company_id.id,
                "student_ids": [fields.Command.set(application.student_detail_ids.ids)],
                "capacity_override_reason": application.capacity_override_reason or False,
            }
            for application in self
        ]
        return self.env["op.mentor.allocation"].create(vals_list)

    def action_print_mentoring_certificate(self):
        self.ensure_one()
        return self.student_id.action_print_mentoring_certificate()

    def _activity_update(self):
        """Approval activity for the administrators while pending; the faculty hears the outcome."""
        activity_type = self.env.ref("op_student_mentor.mail_act_mentor_approval")
        to_clean = self.filtered(lambda a: a.status != "pending")
        if to_clean:
            to_clean.activity_unlink(["op_student_mentor.mail_act_mentor_approval"])
        pending = self.filtered(lambda a: a.status == "pending")
        if pending:
            admins = self.env["res.users"]._mentor_admin_users()
            activities = []
            for application in pending:
                for admin in admins:
                    activities.append(
                        {
                            "activity_type_id": activity_type.id,
                            "res_id": application.id,
                            "res_model_id": self.env["ir.model"]._get_id(self._name),
                            "user_id": admin.id,
                            "automated": True,
                            "summary": self.env._(
                                "Review mentor application of %(student)s", student=application.student_id.name
                            ),
                        }
                    )
            # sudo: the submitting faculty may not write the pending application nor assign its reviewers
            self.env["mail.activity"].sudo().create(activities)
        self.filtered(lambda a: a.status in ("approve", "reject"))._notify_faculty()

    def _notify_faculty(self):
        """The nominating faculty hears each decision, at a cost per batch rather than per application.

        Each application's chatter gets its note (one insert for all of them, ``_message_log_batch``),
        and each faculty gets one notification (inbox or e-mail) for their applications of the batch,
        instead of one ``message_post`` (about 15 queries) per application.
        """
        for faculty, applications in self.grouped("faculty_id").items():
            partner = faculty.partner_id
            texts = {application.id: application._faculty_outcome_text() for application in applications}
            applications._message_log_batch(bodies=texts, partner_ids=partner.ids)
            if not partner:
                continue
            if len(applications) == 1:
                # Linked to the application: the e-mail's button opens it.
                applications.message_notify(
                    partner_ids=partner.ids, body=texts[applications.id], subject=applications.name
                )
            else:
                items = Markup().join(Markup("<li>%s: %s</li>") % (a.name, texts[a.id]) for a in applications)
                self.env["op.mentor.details"].message_notify(
                    partner_ids=partner.ids,
                    subject=self.env._("Decisions on %(count)s mentor nominations", count=len(applications)),
                    body=Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Decisions on your mentor nominations:"), items),
                )

    def _faculty_outcome_text(self):
        self.ensure_one()
        if self.status == "approve":
            return self.env._(
                "Your nomination of %(student)s as mentor for %(batch)s was approved.",
                student=self.student_id.name,
                batch=self.batch_id.display_name,
            )
        return self.env._(
            "Your nomination of %(student)s as mentor for %(batch)s was rejected. Reason: %(reason)s",
            student=self.student_id.name,
            batch=self.batch_id.display_name,
            reason=self.rejection_reason,
        )

    def _other_drafts(self):
        """Other draft applications for this candidate and batch, of any faculty (read as superuser:
        the warning names them and their faculty, nothing more)."""
        self.ensure_one()
        if not self.student_id or not self.batch_id:
            return self.browse()
        # sudo: the drafts of other faculty, named in the warning
        return self.sudo().search(
            [
                ("student_id", "=", self.student_id.id),
                ("batch_id", "=", self.batch_id.id),
                ("status", "=", "draft"),
                ("id", "!=", self._origin.id or 0),
            ]
        )

    def _batch_students(self):
        """Students enrolled (op.student.course) in this application's course and batch."""
        self.ensure_one()
        if not self.batch_id:
            return self.env["op.student"]
        enrolments = self.env["op.student.course"].search(
            [("batch_id", "=", self.batch_id.id), ("course_id", "=", self.course_id.id)]
        )
        return enrolments.student_id

    def _latest_marksheet_line(self):
        self.ensure_one()
        if not self.student_id:
            return self.env["op.marksheet.line"]
        Line = self.env["op.marksheet.line"]
        domain = [("student_id", "=", self.student_id.id)]
        line = (
            Line.search(
                domain + [("marksheet_reg_id.exam_session_id.batch_id", "=", self.batch_id.id)],
                order="generated_date desc, id desc",
                limit=1,
            )
            if self.batch_id
            else Line
        )
        return line or Line.search(domain, order="generated_date desc, id desc", limit=1)

    @api.model
    def _check_no_gradebook(self, vals):
        if vals.get("gradebook_id") or not vals.get("student_id"):
            return
        student = self.env["op.student"].browse(vals["student_id"])
        if not self.env["op.marksheet.line"].search_count([("student_id", "=", student.id)], limit=1):
            raise ValidationError(
                self.env._(
                    "Gradebook not loading: %(student)s has no marksheet yet. "
                    "Create the student's marksheet first, then nominate them.",
                    student=student.name,
                )
            )

    def _check_faculty_change(self, faculty_id=None):
        """Faculty nominate in their own name; only administrators choose another faculty."""
        if self.env.is_superuser() or self.env.user.has_group("op_student_mentor.group_op_mentor_admin"):
            return
        own = self.env["op.faculty"]._get_current_faculty()
        targets = self.env["op.faculty"].browse(faculty_id) if faculty_id is not None else self.faculty_id
        if not own or any(f != own for f in targets):
            raise AccessError(
                self.env._("Faculty nominate mentors in their own name; only an administrator can change the faculty.")
            )
