from odoo import api, fields, models


class OpMentorFindWizard(models.TransientModel):
    """Find a mentor: the three best mentors with a free place for one student's weak subjects."""

    _name = "op.mentor.find.wizard"
    _description = "Find a Mentor"

    student_id = fields.Many2one("op.student", required=True, readonly=True)
    line_ids = fields.One2many("op.mentor.find.wizard.line", "wizard_id", "Best Mentors")
    message = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        student = self.env["op.student"].browse(values.get("student_id"))
        if student and "line_ids" in fields_list:
            Matching = self.env["op.mentor.matching"]
            Matching._check_program_access(student)
            found = Matching._find_mentors(student)
            values["line_ids"] = [
                fields.Command.create(
                    {
                        "batch_id": row["batch_id"],
                        "mentor_id": row["mentor_id"],
                        "score": row["score"],
                        "free_places": row["free"] if row["free"] is not None else -1,
                        "reasons": row["reasons"],
                    }
                )
                for row in found
            ]
            if not found:
                values["message"] = self.env._(
                    "No approved mentor with a free place is strong in a subject where %(student)s needs help "
                    "(or %(student)s already has a mentor in their batch).",
                    student=student.name,
                )
        return values
