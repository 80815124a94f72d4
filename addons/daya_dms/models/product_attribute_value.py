from odoo import fields, models


class ProductAttributeValue(models.Model):
    _inherit = "product.attribute.value"

    dms_code = fields.Char(
        string="DMS Colour Code",
        help="The colour's code in the DMS (kodeWarna).",
    )
