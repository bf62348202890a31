from odoo import fields, models


class OpMentorFocus(models.Model):
    _name = "op.mentor.focus"
    _description = "Mentor Focus Area"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A mentor focus area with this name already exists."),
    ]
