from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

FUNDED_TYPES = ("apprenticeship", "employee", "social_program")


class OpStudent(models.Model):
    _inherit = "op.student"

    is_mentor = fields.Boolean(
        "Approved Mentor",
        compute="_compute_is_mentor",
        store=True,
        index=True,
        help="Set when one of the student's mentor applications is approved.",
    )
    mentor_application_ids = fields.One2many("op.mentor.details", "student_id", string="Mentor Applications")
    mentor_allocation_ids = fields.One2many("op.mentor.allocation", "mentor_id", string="Mentor Allocations")
    mentee_allocation_ids = fields.Many2many(
        "op.mentor.allocation",
        "op_mentor_allocation_student_rel",
        "student_id",
        "allocation_id",
        string="Allocated to Mentors",
    )
    achievement_ids = fields.One2many("op.student.achievement", "student_id", string="Achievements")
    skill_ids = fields.One2many("op.student.skill", "student_id", string="Skills")
    mentor_application_count = fields.Integer(compute="_compute_mentorship_counts")
    mentor_allocation_count = fields.Integer(compute="_compute_mentorship_counts")
    # Funding profile (mentoring guides): it sets the session length, the training calendar
    # and whether each session checks the student is on track to finish before the funding ends.
    mentor_funding_type = fields.Selection(
        [
            ("self_funded", "Self-funded"),
            ("apprenticeship", "Apprenticeship"),
            ("employee", "Employee (employer-funded)"),
            ("social_program", "Social program"),
        ],
        "Funding Type",
        default="self_funded",
        required=True,
        tracking=True,
    )
    mentor_is_funded = fields.Boolean("Funded", compute="_compute_mentor_is_funded", store=True)
    training_end_date = fields.Date(
        "Training End", tracking=True, help="End of the training calendar or funding deadline of a funded student."
    )
    weekly_study_hours = fields.Float(
        "Weekly Study Hours", help="Personal study time the student commits to each week."
    )
    # Cancellations and no-shows (issue 11): as the hosting mentor and as a mentee of the meetings.
    mentor_cancel_count = fields.Integer(
        "Cancelled (as Mentor)", compute="_compute_meeting_close_counts", groups="op_student_mentor.group_op_mentor_faculty"
    )
    mentor_late_cancel_count = fields.Integer(
        "Late Cancellations (as Mentor)",
        compute="_compute_meeting_close_counts",
        groups="op_student_mentor.group_op_mentor_faculty",
    )
    mentor_missed_count = fields.Integer(
        "No-shows (as Mentor)", compute="_compute_meeting_close_counts", groups="op_student_mentor.group_op_mentor_faculty"
    )
    mentee_cancel_count = fields.Integer(
        "Cancelled (as Mentee)", compute="_compute_meeting_close_counts", groups="op_student_mentor.group_op_mentor_faculty"
    )
    mentee_late_cancel_count = fields.Integer(
        "Late Cancellations (as Mentee)",
        compute="_compute_meeting_close_counts",
        groups="op_student_mentor.group_op_mentor_faculty",
    )
    mentee_missed_count = fields.Integer(
        "No-shows (as Mentee)", compute="_compute_meeting_close_counts", groups="op_student_mentor.group_op_mentor_faculty"
    )
    mentor_at_risk = fields.Boolean("At Risk", readonly=True, copy=False, tracking=True, index=True)
    mentor_at_risk_reason = fields.Text("At-risk Reason", readonly=True, copy=False)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("mentor_application_ids.status")
    def _compute_is_mentor(self):
        approved = (
            self.env["op.mentor.details"]
            .sudo()
            ._read_group([("student_id", "in", self.ids), ("status", "=", "approve")], ["student_id"])
        )
        mentor_ids = {student.id for (student,) in approved}
        for student in self:
            student.is_mentor = student.id in mentor_ids

    @api.depends("mentor_funding_type")
    def _compute_mentor_is_funded(self):
        for student in self:
            student.mentor_is_funded = student.mentor_funding_type in FUNDED_TYPES

    def _compute_mentorship_counts(self):
        # Shown on the student form only: one read_group for applications,
        # a count per student for allocations (as mentor or as mentee).
        app_counts = dict(
            self.env["op.mentor.details"]._read_group([("student_id", "in", self.ids)], ["student_id"], ["__count"])
        )
        Allocation = self.env["op.mentor.allocation"].with_context(active_test=False)
        for student in self:
            student.mentor_application_count = app_counts.get(student, 0)
            student.mentor_allocation_count = Allocation.search_count(
                ["|", ("mentor_id", "=", student.id), ("student_ids", "in", student.id)]
            )

    def _compute_meeting_close_counts(self):
        # Two grouped reads for the whole recordset, on the meetings the current user may read.
        Meeting = self.env["op.mentor.meeting"]
        aggregates = ["cancel_count:sum", "late_cancel_count:sum", "missed_count:sum"]
        by_role = {}
        for role, fname in (("mentor", "student_id"), ("mentee", "meeting_students")):
            groups = Meeting._read_group([(fname, "in", self.ids)], [fname], aggregates) if self.ids else []
            by_role[role] = {student.id: counts for student, *counts in groups}
        for student in self:
            for role, counts in by_role.items():
                cancelled, late, missed = counts.get(student.id, (0, 0, 0))
                student[f"{role}_cancel_count"] = cancelled
                student[f"{role}_late_cancel_count"] = late
                student[f"{role}_missed_count"] = missed

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("mentor_funding_type", "training_end_date")
    def _check_training_end_date(self):
        for student in self:
            if student.mentor_funding_type in FUNDED_TYPES and not student.training_end_date:
                raise ValidationError(
                    self.env._(
                        "%(student)s is a funded student: set the training end date (funding deadline).",
                        student=student.name,
                    )
                )

    @api.constrains("weekly_study_hours")
    def _check_weekly_study_hours(self):
        for student in self:
            if not 0 <= student.weekly_study_hours <= 168:
                raise ValidationError(self.env._("Weekly study hours are between 0 and 168."))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_mentorship(self):
        """Applications, allocations, meetings and follow-ups are the program's history: a student
        who takes part is archived, not deleted. (Foreign keys restrict too, also when the student's
        partner or user is deleted; this says it clearly and covers the mentee lists.)"""
        env = self.env(su=True)
        involved = self.browse()
        for model, fnames in (
            ("op.mentor.meeting", ("student_id", "meeting_students")),
            ("op.mentor.followup", ("student_id",)),
            ("op.mentor.allocation", ("mentor_id", "student_ids")),
            ("op.mentor.details", ("student_id", "student_detail_ids")),
        ):
            Model = env[model].with_context(active_test=False)
            for fname in fnames:
                for (student,) in Model._read_group([(fname, "in", self.ids)], [fname]):
                    involved |= student
        involved &= self
        if involved:
            raise UserError(
                self.env._(
                    "%(students)s take(s) part in the mentorship program (applications, allocations, meetings "
                    "or follow-ups). Archive the student instead of deleting them, so that this history is kept.",
                    students=", ".join(involved.sudo().mapped("name")),
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_mentor_applications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("op_student_mentor.op_mentor_details_action")
        action.update(
            domain=[("student_id", "=", self.id)],
            context={"default_student_id": self.id},
            name=self.env._("Mentor Applications"),
        )
        return action

    def action_view_mentor_allocations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("op_student_mentor.op_mentor_allocation_action")
        action.update(
            domain=["|", ("mentor_id", "=", self.id), ("student_ids", "in", self.id)],
            context={"active_test": False},
            name=self.env._("Mentor Allocations"),
        )
        return action

    def action_mentor_resolve_at_risk(self):
        """Clear the at-risk flag and close the Student Success activities."""
        self.check_access("read")
        students = self.sudo().filtered("mentor_at_risk")
        students.write({"mentor_at_risk": False, "mentor_at_risk_reason": False})
        students.activity_feedback(["op_student_mentor.mail_act_mentor_at_risk"], feedback=self.env._("Resolved"))
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _mentor_flag_at_risk(self, reason):
        """Flag at risk (called as superuser once the caller's access is checked): one activity per
        Student Success user, not repeated while the flag is up."""
        users = self.env["res.config.settings"]._mentor_success_users()
        for student in self:
            reasons = [r for r in (student.mentor_at_risk_reason, reason) if r]
            already = student.mentor_at_risk
            student.write({"mentor_at_risk": True, "mentor_at_risk_reason": "\n".join(dict.fromkeys(reasons))})
            if already:
                continue
            for user in users:
                student.activity_schedule(
                    "op_student_mentor.mail_act_mentor_at_risk",
                    summary=self.env._("%(student)s is at risk", student=student.name),
                    note=reason,
                    user_id=user.id,
                )

    def _mentor_active_mentees(self):
        """Mentees of this mentor's active allocations."""
        allocations = self.env["op.mentor.allocation"].sudo().search([("mentor_id", "in", self.ids)])
        return allocations.student_ids.sudo(False)
