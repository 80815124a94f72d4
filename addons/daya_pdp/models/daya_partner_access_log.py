from odoo import fields, models


class DayaPartnerAccessLog(models.Model):
    _inherit = "daya.partner.access.log"

    access_type = fields.Selection(
        selection_add=[("export", "Personal data exported")],
        ondelete={"export": "cascade"},
    )
