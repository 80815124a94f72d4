from odoo import _, api, fields, models
from odoo.exceptions import UserError


class DayaUnitSale(models.Model):
    _inherit = "daya.unit.sale"

    origin = fields.Selection(
        selection_add=[("dms", "DMS")], ondelete={"dms": "set default"}
    )
    dms_delivery_id = fields.Char(
        string="DMS Delivery (BASTK)",
        readonly=True,
        copy=False,
        index=True,
        help="The DMS delivery document (BASTK) that delivered this motorcycle; "
        "the frame number is the unique key of a delivered motorcycle.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("dms_delivery_id") for vals in vals_list):
            raise UserError(_("The DMS delivery is filled by the DMS sync."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "dms_delivery_id" in vals:
            raise UserError(_("The DMS delivery is filled by the DMS sync."))
        return super().write(vals)
