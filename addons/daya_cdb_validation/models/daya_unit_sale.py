from odoo import api, fields, models


class DayaUnitSale(models.Model):
    _inherit = "daya.unit.sale"

    cdb_completeness = fields.Integer(
        related="partner_id.cdb_completeness",
        string="CDB Completeness",
        store=True,
        group_operator="avg",
    )
    cdb_complete_share = fields.Integer(
        string="Complete CDB (%)",
        compute="_compute_cdb_complete_share",
        store=True,
        group_operator="avg",
        help="100 when the customer's database is complete, else 0: its average is "
        "the share of customers with a complete CDB.",
    )

    @api.depends("partner_id.cdb_complete")
    def _compute_cdb_complete_share(self):
        for sale in self:
            sale.cdb_complete_share = 100 if sale.partner_id.cdb_complete else 0

    def action_send_cdb_validation(self):
        """After the registration request: send the customer the validation link."""
        self.ensure_one()
        validation = self.env["daya.cdb.validation"]._create_and_send(
            self.partner_id, unit_sale=self
        )
        return validation._get_form_action()
