from odoo import fields, models


class OpStudentAchievement(models.Model):
    _name = "op.student.achievement"
    _description = "Student Achievement"
    _order = "date desc, id desc"

    name = fields.Char("Achievement", required=True)
    student_id = fields.Many2one("op.student", required=True, ondelete="cascade", index=True)
    achievement_type = fields.Selection(
        [
            ("academic", "Academic"),
            ("competition", "Competition"),
            ("sport", "Sport"),
            ("community", "Community Service"),
            ("other", "Other"),
        ],
        string="Type",
        default="academic",
        required=True,
    )
    date = fields.Date(default=fields.Date.context_today)
    description = fields.Text()
