from odoo import api, fields, models
from odoo.exceptions import UserError


class OpMentorMatchWizard(models.TransientModel):
    """Match the batch: a proposal of mentor x mentee pairs from the exam results, reviewed, then
    applied in one transaction (administrators)."""

    _name = "op.mentor.match.wizard"
    _description = "Match the Batch"

    batch_id = fields.Many2one("op.batch", required=True)
    course_id = fields.Many2one(related="batch_id.course_id")
    state = fields.Selection([("draft", "Choose"), ("proposed", "Review")], default="draft", required=True)
    line_ids = fields.One2many("op.mentor.match.wizard.line", "wizard_id", "Proposed Pairs")
    needing_count = fields.Integer("Students Needing Help", readonly=True)
    free_places = fields.Integer(readonly=True, help="Of the batch's approved mentors (-1: no limit).")
    pair_count = fields.Integer("Pairs", compute="_compute_totals")
    total_score = fields.Float("Total Benefit", compute="_compute_totals", digits=(12, 1))

    @api.depends("batch_id")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._("Match the Batch: %(batch)s", batch=wizard.batch_id.display_name or "")

    @api.depends("line_ids.score")
    def _compute_totals(self):
        for wizard in self:
            wizard.pair_count = len(wizard.line_ids)
            wizard.total_score = sum(wizard.line_ids.mapped("score"))

    @api.model_create_multi
    def create(self, vals_list):
        self.env["op.mentor.matching"]._check_admin()
        return super().create(vals_list)

    def action_propose(self):
        self.ensure_one()
        Matching = self.env["op.mentor.matching"]
        Matching._check_admin()
        Matching._check_batch(self.batch_id)
        proposal, data = Matching._propose_batch(self.batch_id)
        free = [info["free"] for info in data["mentors"].values()]
        self.line_ids.unlink()
        self.write(
            {
                "state": "proposed",
                "needing_count": len(Matching._needing_help(data)),
                "free_places": -1 if None in free else sum(free),
            }
        )
        self._insert_lines(proposal)
        return self._reopen()

    def action_apply(self):
        self.ensure_one()
        Matching = self.env["op.mentor.matching"]
        Matching._check_admin()
        if not self.line_ids:
            raise UserError(self.env._("There is no pair to apply: propose a match first, or add pairs."))
        approved = (
            self.env["op.mentor.details"]
            .search([("batch_id", "=", self.batch_id.id), ("status", "=", "approve")])
            .student_id
        )
        seen = {}
        for line in self.line_ids:
            if line.mentor_id not in approved:
                # never across batches: a mentor of the pair is one of this batch's approved mentors
                raise UserError(
                    self.env._(
                        "%(mentor)s is not an approved mentor of %(batch)s.",
                        mentor=line.mentor_id.name,
                        batch=self.batch_id.display_name,
                    )
                )
            if line.student_id == line.mentor_id:
                raise UserError(self.env._("%(student)s cannot be their own mentee.", student=line.student_id.name))
            if line.student_id in seen:
                raise UserError(
                    self.env._("%(student)s is proposed twice: keep one line.", student=line.student_id.name)
                )
            seen[line.student_id] = line
        added = Matching._apply_pairs(
            self.batch_id, [(line.mentor_id.id, line.student_id.id) for line in self.line_ids]
        )
        allocations = self.env["op.mentor.allocation"].browse([a.id for a in added])
        action = self.env["ir.actions.act_window"]._for_xml_id("op_student_mentor.op_mentor_allocation_action")
        action.update(domain=[("id", "in", allocations.ids)], target="current")
        return action

    def _insert_lines(self, proposal):
        """The proposal's lines in one INSERT: the ORM inserts by hundreds (a batch of 2,000 students gives 1,000
        pairs), and the lines are a plain transient list (no tracking, no compute to run: score and reasons
        come with each pair)."""
        if not proposal:
            return
        self.env["op.mentor.match.wizard.line"].flush_model()
        self.env.cr.execute(
            """
            INSERT INTO op_mentor_match_wizard_line
                   (wizard_id, mentor_id, student_id, score, reasons, create_uid, write_uid, create_date, write_date)
            SELECT %s, mentor_id, student_id, score, reasons, %s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM unnest(%s::int[], %s::int[], %s::float8[], %s::varchar[]) AS pair(mentor_id, student_id, score, reasons)
            """,
            [
                self.id,
                self.env.uid,
                self.env.uid,
                [line["mentor_id"] for line in proposal],
                [line["student_id"] for line in proposal],
                [line["score"] for line in proposal],
                [line["reasons"] for line in proposal],
            ],
        )
        self.invalidate_recordset(["line_ids"])

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Match the Batch"),
        }
