from odoo import fields, models


class DayaOccupation(models.Model):
    _name = "daya.occupation"
    _description = "Occupation"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Occupation code of the principal's customer database.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The occupation code must be unique."),
    ]
