from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    daya_stage_code = fields.Selection(
        [
            ("new", "New"),
            ("fu1", "Follow Up 1"),
            ("fu2", "Follow Up 2"),
            ("fu3", "Follow Up 3"),
            ("won", "Won"),
        ],
        string="Pipeline Step",
        readonly=True,
        help="Step of the dealer's opportunity flow this stage stands for.",
    )
