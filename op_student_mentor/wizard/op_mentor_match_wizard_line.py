from odoo import api, fields, models


class OpMentorMatchWizardLine(models.TransientModel):
    _name = "op.mentor.match.wizard.line"
    _description = "Proposed Mentor Pair"
    _order = "score desc, id"

    wizard_id = fields.Many2one("op.mentor.match.wizard", required=True, ondelete="cascade")
    batch_id = fields.Many2one(related="wizard_id.batch_id")
    mentor_id = fields.Many2one(
        "op.student",
        required=True,
        domain="[('mentor_application_ids', 'any', [('batch_id', '=', batch_id), ('status', '=', 'approve')])]",
    )
    student_id = fields.Many2one(
        "op.student", "Mentee", required=True, domain="[('course_detail_ids.batch_id', '=', batch_id)]"
    )
    score = fields.Float(compute="_compute_score_reasons", store=True, readonly=False, digits=(12, 1))
    reasons = fields.Char(compute="_compute_score_reasons", store=True, readonly=False)

    @api.depends("mentor_id", "student_id")
    def _compute_score_reasons(self):
        """A pair changed by hand is scored again (the proposal's own lines come with their score)."""
        Matching = self.env["op.mentor.matching"]
        for batch, lines in self.grouped("batch_id").items():
            if not batch:
                lines.score, lines.reasons = 0.0, False
                continue
            data = Matching._batch_data(batch._origin or batch)
            for line in lines:
                mentee, mentor = line.student_id._origin.id, line.mentor_id._origin.id
                if not (mentee and mentor):
                    line.score, line.reasons = 0.0, False
                    continue
                line.score = float(Matching._scores(data, [mentee], [mentor])[0, 0])
                line.reasons = Matching._reasons(data, mentee, mentor)
