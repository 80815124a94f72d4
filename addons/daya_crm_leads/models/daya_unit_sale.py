from odoo import fields, models


class DayaUnitSale(models.Model):
    _inherit = "daya.unit.sale"
    _branch_scoped_fields = ("dealer_memo_id",)

    dealer_memo_id = fields.Many2one("daya.dealer.memo", readonly=True, index=True)
