from odoo import _, api, fields, models
from odoo.exceptions import UserError


class DayaDealerMemo(models.Model):
    """The document made when an opportunity is won; the sales admin continues it
    into a sales order, then records the delivered unit."""

    _name = "daya.dealer.memo"
    _description = "Dealer Memo"
    _inherit = ["daya.branch.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _branch_scoped_fields = ("lead_id", "sales_memo_id")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    branch_id = fields.Many2one(required=True, readonly=True)
    company_id = fields.Many2one(related="branch_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, readonly=True, index=True
    )
    sales_memo_id = fields.Many2one("daya.sales.memo", required=True, readonly=True)
    motor_product_id = fields.Many2one(
        "product.product", string="Motorcycle", required=True, readonly=True
    )
    payment_type = fields.Selection(
        [("cash", "Cash"), ("credit", "Credit")],
        string="Cash / Credit",
        required=True,
        readonly=True,
    )
    leasing_id = fields.Many2one("res.partner", readonly=True)
    down_payment = fields.Monetary(readonly=True)
    tenor = fields.Integer(help="Credit duration in months.", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_admin", "At Sales Admin"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", readonly=True, copy=False
    )
    unit_sale_ids = fields.One2many("daya.unit.sale", "dealer_memo_id", readonly=True)

    _sql_constraints = [
        ("lead_uniq", "unique(lead_id)", "An opportunity has one dealer memo."),
    ]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("daya.dealer.memo")
        return super().create(vals_list)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_create_sale_order(self):
        """Sales admin: continue the dealer memo into a sales order."""
        self.ensure_one()
        if self.state != "to_admin":
            raise UserError(
                _("Only a dealer memo at the sales admin becomes an order.")
            )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "opportunity_id": self.lead_id.id,
                "user_id": self.user_id.id,
                "team_id": self.lead_id.team_id.id,
                "origin": self.name,
                "order_line": [
                    (
                        0,
                        0,
                        {"product_id": self.motor_product_id.id, "product_uom_qty": 1},
                    )
                ],
            }
        )
        self.write({"sale_order_id": order.id, "state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "res_id": order.id,
        }

    def action_cancel(self):
        if self.filtered(lambda memo: memo.state == "done"):
            raise UserError(
                _("A dealer memo with its sales order cannot be cancelled.")
            )
        self.write({"state": "cancel"})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_record_delivery(self):
        self.ensure_one()
        if self.state != "done":
            raise UserError(_("Create the sales order before recording the delivery."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Delivery"),
            "res_model": "daya.unit.delivery.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dealer_memo_id": self.id},
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _notify_sales_admins(self):
        """An activity for the branch's sales admins: a memo is waiting for them."""
        Users = self.env["res.users"].sudo()
        group = self.env.ref("daya_crm_leads.group_daya_sales_admin")
        adh = self.env.ref("daya_crm_leads.group_daya_adh")
        for memo in self:
            admins = Users.search(
                [("branch_id", "=", memo.branch_id.id), ("groups_id", "in", group.ids)]
            )
            # the sales admins themselves, else whoever holds the role (ADH, head)
            direct = admins.filtered(lambda u: adh not in u.groups_id)
            for admin in direct or admins[:1]:
                memo.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=admin.id,
                    summary=_("Process dealer memo %s", memo.name),
                )
