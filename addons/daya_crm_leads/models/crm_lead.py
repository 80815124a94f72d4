from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "daya.branch.mixin"]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    motor_type_id = fields.Many2one(
        "product.template",
        string="Motorcycle Type",
        domain="[('is_motorcycle', '=', True)]",
        tracking=True,
    )
    motor_color_allowed_ids = fields.Many2many(
        related="motor_type_id.motor_color_ids", string="Allowed Colours"
    )
    motor_color_id = fields.Many2one(
        "product.attribute.value",
        string="Colour",
        domain="[('id', 'in', motor_color_allowed_ids)]",
        tracking=True,
    )
    motor_product_id = fields.Many2one(
        "product.product",
        string="Motorcycle",
        compute="_compute_motor_product_id",
        store=True,
        help="The variant of the chosen type in the chosen colour.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("motor_type_id", "motor_color_id")
    def _compute_motor_product_id(self):
        for lead in self:
            lead.motor_product_id = (
                lead.motor_type_id._get_motor_variant(lead.motor_color_id)
                if lead.motor_type_id and lead.motor_color_id
                else False
            )

    # ------------------------------------------------------------
    # CONSTRAINTS AND ONCHANGES
    # ------------------------------------------------------------

    @api.constrains("motor_type_id", "motor_color_id")
    def _check_motor_color(self):
        for lead in self.filtered("motor_color_id"):
            if lead.motor_color_id not in lead.motor_type_id.motor_color_ids:
                raise ValidationError(
                    _(
                        "%(type)s is not sold in %(color)s. Choose one of its colours.",
                        type=lead.motor_type_id.name or _("This motorcycle type"),
                        color=lead.motor_color_id.name,
                    )
                )

    @api.onchange("motor_type_id")
    def _onchange_motor_type_id(self):
        if self.motor_color_id not in self.motor_type_id.motor_color_ids:
            self.motor_color_id = False
