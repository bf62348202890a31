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
            ("mentoring", "Peer Mentoring"),
            ("other", "Other"),
        ],
        string="Type",
        default="academic",
        required=True,
    )
    date = fields.Date(default=fields.Date.context_today)
    description = fields.Text()

    def init(self):
        # A completed mentoring term is recognised once per student, even if two transactions
        # complete it at the same moment (the second one fails and is retried, then finds it).
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS op_student_achievement_mentoring_once
                ON op_student_achievement (student_id) WHERE achievement_type = 'mentoring'
            """
        )
