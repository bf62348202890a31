from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .limits import NAME_MAX_LENGTH
from .op_mentor_followup import VISIBILITY
from .op_mentor_meeting import DATE_MAX_YEARS_AHEAD


class OpMentorGoal(models.Model):
    _name = "op.mentor.goal"
    _description = "Mentee SMART Goal"
    _check_company_auto = True
    _order = "deadline, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    followup_id = fields.Many2one("op.mentor.followup", "Follow-up", required=True, ondelete="cascade", index=True)
    student_id = fields.Many2one(related="followup_id.student_id", store=True, index=True, string="Mentee")
    mentor_id = fields.Many2one(related="followup_id.mentor_id", store=True, string="Mentor")
    # stored for the faculty's record rule: one indexed column against the user's faculty ids, no join
    faculty_id = fields.Many2one(related="followup_id.faculty_id", store=True, index=True, string="Faculty")
    name = fields.Char(
        "Skill / Criterion",
        required=True,
        help="Specific: the skill or assessment criterion of the project the student works on.",
    )
    indicator = fields.Char(
        "Measurable Indicator", help="Measurable: how progress or completion is checked, e.g. 80% of the course done."
    )
    deadline = fields.Date(
        index=True,  # the list's order (deadline, id): its first page walks the index, no sort of every goal
        compute="_compute_deadline",
        store=True,
        readonly=False,
        precompute=True,
        help="Time-bound: by default the next scheduled session of the mentor with this mentee.",
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("achieved", "Achieved"),
            ("partly", "Partly Achieved"),
            ("not_achieved", "Not Achieved"),
            ("carried_over", "Carried Over"),
        ],
        default="open",
        required=True,
        copy=False,
        index=True,
    )
    is_smart = fields.Boolean(
        "SMART",
        compute="_compute_is_smart",
        store=True,
        help="Not SMART when the indicator or the deadline is missing.",
    )
    carried_from_id = fields.Many2one(
        "op.mentor.goal",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    company_id = fields.Many2one(related="followup_id.company_id", store=True)
    visibility = fields.Selection(
        VISIBILITY,
        "Visible To",
        compute="_compute_visibility",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        copy=True,
        help="By default the level of its follow-up. Only goals shared with the mentee reach the mentee's portal.",
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("followup_id")
    def _compute_deadline(self):
        today = fields.Date.context_today(self)
        for goal in self.filtered(lambda g: not g.deadline):
            followup = goal.followup_id
            meeting = self.env["op.mentor.meeting"]
            if followup.mentor_id and followup.student_id:
                # a stored compute: the ORM runs it as superuser, so any next meeting counts
                meeting = self.env["op.mentor.meeting"].search(
                    [
                        ("student_id", "=", followup.mentor_id.id),
                        ("meeting_students", "in", followup.student_id.ids),
                        ("status", "=", "scheduled"),
                        ("date", ">", fields.Datetime.now()),
                    ],
                    order="date",
                    limit=1,
                )
            goal.deadline = fields.Date.context_today(self, meeting.date) if meeting else today + timedelta(days=7)

    @api.depends("followup_id")
    def _compute_visibility(self):
        for goal in self.filtered(lambda g: not g.visibility):
            goal.visibility = goal.followup_id.visibility or "faculty"

    @api.depends("name", "indicator", "deadline")
    def _compute_is_smart(self):
        for goal in self:
            goal.is_smart = bool(goal.name and (goal.indicator or "").strip() and goal.deadline)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        goals = super().create(vals_list)
        self.env["op.mentor.followup"].invalidate_model(["previous_goal_ids"])
        return goals

    def write(self, vals):
        result = super().write(vals)
        if {"followup_id", "visibility"} & set(vals):
            # the rules judged the goal before the write: its new follow-up or level must be allowed too
            self.check_access("write")
        if {"state", "followup_id"} & set(vals):
            # "Goals to review" reads the goals of another follow-up: not a dependency Odoo can follow.
            self.env["op.mentor.followup"].invalidate_model(["previous_goal_ids"])
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_carry_over(self):
        """Copy open goals to the mentee's newer follow-up (context ``carry_to_followup_id`` or the latest one)."""
        Followup = self.env["op.mentor.followup"]
        target = Followup.browse(self.env.context.get("carry_to_followup_id"))
        new_goals = self.browse()
        for goal in self:
            if goal.state != "open":
                raise UserError(self.env._("Only open goals can be carried over (%(goal)s).", goal=goal.name))
            followup = target if target and target.student_id == goal.student_id else goal._latest_followup()
            if not followup or followup == goal.followup_id:
                raise UserError(
                    self.env._(
                        "Create the next follow-up of %(student)s before carrying %(goal)s over.",
                        student=goal.student_id.name,
                        goal=goal.name,
                    )
                )
            new_goals |= goal.copy({"followup_id": followup.id, "carried_from_id": goal.id})
            goal.state = "carried_over"
        return new_goals

    def action_set_achieved(self):
        return self.write({"state": "achieved"})

    def action_set_partly(self):
        return self.write({"state": "partly"})

    def action_set_not_achieved(self):
        return self.write({"state": "not_achieved"})

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _latest_followup(self):
        self.ensure_one()
        return (
            self.env["op.mentor.followup"]
            .search(
                [("student_id", "=", self.student_id.id), ("id", "!=", self.followup_id.id)],
                order="meeting_date desc, id desc",
                limit=1,
            )
            .filtered(lambda f: f._is_after(self.followup_id))
        )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("name", "indicator")
    def _check_text_lengths(self):
        for goal in self:
            if len(goal.name or "") > NAME_MAX_LENGTH or len(goal.indicator or "") > NAME_MAX_LENGTH:
                raise ValidationError(
                    self.env._(
                        "%(mentee)s: a goal is too long (at most %(max)s characters).",
                        mentee=goal.student_id.sudo().name,  # the writer may be the mentor: students read no peer
                        max=NAME_MAX_LENGTH,
                    )
                )

    @api.constrains("deadline")
    def _check_deadline_window(self):
        latest = fields.Date.context_today(self) + relativedelta(years=DATE_MAX_YEARS_AHEAD)
        for goal in self:
            if goal.deadline and goal.deadline > latest:
                raise ValidationError(
                    self.env._(
                        "%(mentee)s: a goal deadline is more than %(years)s years ahead.",
                        mentee=goal.student_id.sudo().name,  # the writer may be the mentor: students read no peer
                        years=DATE_MAX_YEARS_AHEAD,
                    )
                )
