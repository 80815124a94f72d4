from odoo import fields, models


class DayaDealerMemo(models.Model):
    _inherit = "daya.dealer.memo"

    dms_spk_id = fields.Char(related="lead_id.dms_spk_id", string="DMS SPK")
    dms_invoice_id = fields.Char(related="lead_id.dms_invoice_id", string="DMS Invoice")
    dms_billing_status = fields.Char(
        related="lead_id.dms_billing_status", string="DMS Billing Status"
    )
