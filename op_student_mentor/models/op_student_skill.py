from odoo import fields, models


class OpStudentSkill(models.Model):
    _name = "op.student.skill"
    _description = "Student Skill"
    _order = "level desc, name"

    name = fields.Char("Skill", required=True)
    student_id = fields.Many2one("op.student", required=True, ondelete="cascade", index=True)
    level = fields.Selection(
        [("1", "Beginner"), ("2", "Intermediate"), ("3", "Advanced"), ("4", "Expert")],
        default="2",
        required=True,
    )
    description = fields.Text()
