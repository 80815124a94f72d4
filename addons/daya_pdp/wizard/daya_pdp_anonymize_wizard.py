from odoo import _, fields, models
from odoo.exceptions import UserError


class DayaPdpAnonymizeWizard(models.TransientModel):
    """Head office confirms the erasure of a customer's personal data: what goes,
    what stays, and that it cannot be undone."""

    _name = "daya.pdp.anonymize.wizard"
    _description = "Anonymize a Customer"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    request_id = fields.Many2one("daya.pdp.request", string="Deletion Request")
    confirm = fields.Boolean(
        string="I confirm: this cannot be undone",
        help="The customer's name, NIK, phone numbers, email, address, birth data, "
        "photos and free text are erased for good.",
    )
    unit_sale_count = fields.Integer(
        string="Unit Sales Kept", compute="_compute_unit_sale_count"
    )

    def _compute_unit_sale_count(self):
        UnitSale = self.env["daya.unit.sale"].sudo()
        for wizard in self:
            wizard.unit_sale_count = UnitSale.search_count(
                [("partner_id", "=", wizard.partner_id.id)]
            )

    def action_confirm(self):
        """Anonymize: head office's approval, in one transaction."""
        self.ensure_one()
        partner = self.partner_id
        partner._daya_check_can_anonymize()
        if not self.confirm:
            raise UserError(
                _("Tick the confirmation: the erasure of %s cannot be undone.")
                % partner.display_name
            )
        request = self.request_id
        if request and (
            request.partner_id != partner or request.request_type != "deletion"
        ):
            raise UserError(
                _("The request is not a deletion request of this customer.")
            )
        partner._daya_anonymize(reason="request", request=request)
        if request and request.state == "new":
            request._close("done")
        return {"type": "ir.actions.act_window_close"}
