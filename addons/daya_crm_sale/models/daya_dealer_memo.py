from odoo import _, fields, models
from odoo.exceptions import UserError


class DayaDealerMemo(models.Model):
    _inherit = "daya.dealer.memo"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", readonly=True, copy=False
    )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_create_sale_order(self):
        """Sales admin: continue the dealer memo into a sales order."""
        self.ensure_one()
        self._daya_check_sales_admin()
        if self.state != "to_admin":
            raise UserError(
                _("Only a dealer memo at the sales admin becomes an order.")
            )
        order = self.env["sale.order"].create(self._prepare_sale_order_values())
        # the memo's own step, the sales admin's right checked above
        self.sudo().write({"sale_order_id": order.id, "state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "res_id": order.id,
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _daya_protected_fields(self):
        return super()._daya_protected_fields() | {"sale_order_id"}

    def _daya_sale_date(self):
        order = self.sale_order_id
        return order.date_order.date() if order else super()._daya_sale_date()

    def _prepare_sale_order_values(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "opportunity_id": self.lead_id.id,
            "user_id": self.user_id.id,
            "team_id": self.lead_id.team_id.id,
            "branch_id": self.branch_id.id,
            "pricelist_id": self.env["product.pricelist"]._daya_rupiah_pricelist().id,
            "origin": self.name,
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": self.motor_product_id.id,
                        "product_uom_qty": 1,
                        "price_unit": self.price,
                    },
                )
            ],
        }
