from odoo import api, fields, models


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

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _mentor_active_mentees(self):
        """Mentees of this mentor's active allocations."""
        allocations = self.env["op.mentor.allocation"].sudo().search([("mentor_id", "in", self.ids)])
        return allocations.student_ids.sudo(False)
