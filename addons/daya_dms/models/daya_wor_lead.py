from odoo import fields, models


class DayaWorLead(models.Model):
    _inherit = "daya.wor.lead"

    dms_work_order_ids = fields.One2many(
        "daya.dms.work.order", "wor_lead_id", string="DMS Work Orders"
    )
