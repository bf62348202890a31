from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class OpMentorFollowup(models.Model):
    _name = "op.mentor.followup"
    _description = "Mentor Follow-up"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "meeting_date desc, id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        "Code", required=True, copy=False, readonly=True, default=lambda self: self.env._("New"), index="trigram"
    )
    student_id = fields.Many2one("op.student", "Student", required=True, tracking=True, index=True)
    allocation_id = fields.Many2one(
        "op.mentor.allocation",
        "Allocation",
        tracking=True,
        index=True,
        domain="[('student_ids', 'in', student_id)]",
    )
    mentor_id = fields.Many2one(related="allocation_id.mentor_id", store=True, index=True)
    faculty_id = fields.Many2one(
        "op.faculty", "Faculty", related="allocation_id.faculty_id", store=True, index=True, readonly=True
    )
    follow_purpose = fields.Html("Purpose", sanitize=True)
    meeting_date = fields.Date("Meeting Date", index=True, tracking=True)
    feedback = fields.Html("Summary", sanitize=True)
    checklist = fields.Binary("Checklist", attachment=True)
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
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("student_id", "allocation_id")
    def _check_student_allocated(self):
        for followup in self.filtered("allocation_id"):
            if followup.student_id not in followup.allocation_id.sudo().student_ids:
                raise ValidationError(
                    self.env._(
                        "%(student)s is not a mentee of allocation %(allocation)s.",
                        student=followup.student_id.sudo().name,
                        allocation=followup.allocation_id.sudo().name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("op.mentor.followup") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if "status" in vals:
            self._check_status_update(vals["status"])
        result = super().write(vals)
        if "allocation_id" in vals:
            # Record rules judge a write on the records before it: the new allocation must be allowed too.
            self.check_access("write")
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
        return True

    def action_draft(self):
        self._check_status_update("draft")
        self.write({"status": "draft"})
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    _TRANSITIONS = {
        "scheduled": ("draft",),
        "completed": ("draft", "scheduled"),
        "missed": ("scheduled",),
        "draft": ("missed", "scheduled"),
    }

    def _check_status_update(self, status):
        """The one place that decides which follow-up may move to ``status``; access is the record rules'."""
        labels = dict(self._fields["status"]._description_selection(self.env))
        for followup in self:
            if followup.status not in self._TRANSITIONS[status]:
                raise UserError(
                    self.env._(
                        "Follow-up %(name)s is %(current)s; it cannot be set to %(target)s.",
                        name=followup.name,
                        current=labels[followup.status].lower(),
                        target=labels[status].lower(),
                    )
                )
        self.check_access("write")
