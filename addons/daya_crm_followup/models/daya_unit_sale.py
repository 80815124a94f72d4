from odoo import fields, models


class DayaUnitSale(models.Model):
    _inherit = "daya.unit.sale"

    followup_task_ids = fields.One2many("daya.followup.task", "unit_sale_id")
