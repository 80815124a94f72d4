from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_motorcycle = fields.Boolean(
        string="Motorcycle Type",
        index=True,
        help="A motorcycle type sold by the dealer; its colours are the values of "
        "its Colour attribute.",
    )
    motor_color_ids = fields.Many2many(
        "product.attribute.value",
        string="Colours",
        compute="_compute_motor_color_ids",
        help="Colours this motorcycle type is sold in.",
    )

    @api.depends("attribute_line_ids.value_ids", "attribute_line_ids.attribute_id")
    def _compute_motor_color_ids(self):
        color_attribute = self.env.ref(
            "daya_base.product_attribute_motor_color", raise_if_not_found=False
        )
        for template in self:
            template.motor_color_ids = template.attribute_line_ids.filtered(
                lambda line: line.attribute_id == color_attribute
            ).value_ids
