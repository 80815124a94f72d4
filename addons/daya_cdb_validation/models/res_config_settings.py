from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    daya_cdb_validity_days = fields.Integer(
        string="Validation Link Validity (days)",
        config_parameter="daya_cdb_validation.validity_days",
        default=14,
        help="How many days a customer's data validation link works.",
    )
