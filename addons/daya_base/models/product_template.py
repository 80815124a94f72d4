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

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _daya_add_colours(self, template_id, value_ids):
        """Sell the motorcycle type ``template_id`` in the colours ``value_ids``
        (attribute values of the Colour attribute), adding only the missing ones:
        run again, it changes nothing (no second line, no new variant)."""
        template = self.browse(template_id)
        colour = self.env.ref("daya_base.product_attribute_motor_color")
        line = template.attribute_line_ids.filtered(
            lambda line: line.attribute_id == colour
        )
        if not line:
            template.attribute_line_ids = [
                (0, 0, {"attribute_id": colour.id, "value_ids": [(6, 0, value_ids)]})
            ]
        elif set(value_ids) - set(line.value_ids.ids):
            line.value_ids = [(4, value_id) for value_id in value_ids]
