from odoo import fields, models

from ..models.res_users import MENTOR_ADMIN


class OpMentorFindWizardLine(models.TransientModel):
    _name = "op.mentor.find.wizard.line"
    _description = "Mentor Found"
    _order = "score desc, id"

    wizard_id = fields.Many2one("op.mentor.find.wizard", required=True, ondelete="cascade")
    batch_id = fields.Many2one("op.batch", required=True, readonly=True)
    mentor_id = fields.Many2one("op.student", required=True, readonly=True)
    score = fields.Float(readonly=True, digits=(12, 1))
    free_places = fields.Integer(readonly=True, help="-1: no limit.")
    reasons = fields.Char(readonly=True)

    def action_add(self):
        """Add the wizard's student to this mentor's allocation: faculty of the student's program too, as
        superuser once that is checked; the allocation's own checks (capacity, one mentor per batch) apply."""
        self.ensure_one()
        student = self.wizard_id.student_id
        Matching = self.env["op.mentor.matching"]
        Matching._check_program_access(student)
        # sudo: a faculty may not write allocations; adding a student of their program is theirs to do
        matching = Matching if self.env.user.has_group(MENTOR_ADMIN) else Matching.sudo()
        added = matching._apply_pairs(self.batch_id, [(self.mentor_id.id, student.id)])
        allocation = next(iter(added))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(student)s is now a mentee of %(mentor)s (%(allocation)s).",
                    student=student.name,
                    mentor=self.mentor_id.name,
                    allocation=allocation.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
