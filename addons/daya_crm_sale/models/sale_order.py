from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """Orders made from dealer memos belong to the memo's branch (record rule in
    ``security/daya_security.xml``) and show the memo's sale terms."""

    _name = "sale.order"
    _inherit = ["sale.order", "daya.branch.mixin"]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    dealer_memo_id = fields.Many2one(
        "daya.dealer.memo",
        compute="_compute_dealer_memo_id",
        search="_search_dealer_memo_id",
    )
    daya_payment_type = fields.Selection(
        related="dealer_memo_id.payment_type", string="Cash / Credit"
    )
    daya_leasing_id = fields.Many2one(
        related="dealer_memo_id.leasing_id", string="Leasing"
    )
    daya_price = fields.Monetary(related="dealer_memo_id.price", string="OTR Price")
    daya_down_payment = fields.Monetary(
        related="dealer_memo_id.down_payment", string="Down Payment"
    )
    daya_tenor = fields.Integer(related="dealer_memo_id.tenor", string="Tenor")
    daya_instalment = fields.Monetary(
        related="dealer_memo_id.instalment", string="Monthly Instalment"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_dealer_memo_id(self):
        memos = self._daya_dealer_memos()
        by_order = {memo.sale_order_id: memo for memo in memos}
        for order in self:
            order.dealer_memo_id = by_order.get(order._origin)

    def _search_dealer_memo_id(self, operator, value):
        if operator in ("=", "!=") and not value:
            memo_orders = (
                self.env["daya.dealer.memo"]
                .sudo()
                .search([("sale_order_id", "!=", False)])
                .sale_order_id
            )
            return [("id", "not in" if operator == "=" else "in", memo_orders.ids)]
        memos = self.env["daya.dealer.memo"].search([("id", operator, value)])
        return [("id", "in", memos.sale_order_id.ids)]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if "branch_id" in vals and not self.env.su:
            moved = self.filtered(lambda o: o.branch_id.id != vals["branch_id"])
            if moved._daya_dealer_memos():
                raise UserError(
                    _("An order made from a dealer memo stays in the memo's branch.")
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dealer_memo(self):
        memos = self._daya_dealer_memos()
        if memos:
            raise UserError(
                _(
                    "Order %(order)s continues dealer memo %(memo)s: it cannot be "
                    "deleted. Cancel the order instead.",
                    order=memos[0].sale_order_id.name,
                    memo=memos[0].name,
                )
            )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _daya_dealer_memos(self):
        """The dealer memos behind these orders, read as the system: the order's
        user may not see every memo of the branch (the salesperson sees their own)."""
        if not self._origin.ids:
            return self.env["daya.dealer.memo"]
        return (
            self.env["daya.dealer.memo"]
            .sudo()
            .search([("sale_order_id", "in", self._origin.ids)])
        )


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    @api.model
    def _daya_rupiah_pricelist(self):
        """The Rupiah price list of the orders made from dealer memos."""
        return self.env.ref("daya_crm_sale.pricelist_rupiah")
