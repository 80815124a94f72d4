from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.daya_base.models.daya_unit_sale import PAYMENT_TYPES

# A credit runs 1 to 60 months.
TENOR_MAX = 60
# What only the memo's own steps write: the wizard creates the memo, the sales
# admin's actions move its state and link its order.
PROTECTED_FIELDS = {
    "name",
    "lead_id",
    "partner_id",
    "branch_id",
    "user_id",
    "sales_memo_id",
    "motor_product_id",
    "payment_type",
    "leasing_id",
    "price",
    "down_payment",
    "tenor",
    "instalment",
    "state",
}


class DayaDealerMemo(models.Model):
    """The document made when an opportunity is won; the sales admin continues it
    into a sales order, then records the delivered unit."""

    _name = "daya.dealer.memo"
    _description = "Dealer Memo"
    _inherit = ["daya.branch.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _branch_scoped_fields = ("lead_id", "sales_memo_id")
    # the salesperson only reads their memo (its buttons are the sales admin's) yet
    # follows it: sees its activities and comments on it
    _mail_post_access = "read"

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
    currency_id = fields.Many2one(related="daya_currency_id", string="Currency")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, readonly=True, index=True
    )
    sales_memo_id = fields.Many2one("daya.sales.memo", required=True, readonly=True)
    motor_product_id = fields.Many2one(
        "product.product", string="Motorcycle", required=True, readonly=True
    )
    payment_type = fields.Selection(
        PAYMENT_TYPES,
        string="Cash / Credit",
        required=True,
        readonly=True,
    )
    leasing_id = fields.Many2one("res.partner", readonly=True)
    price = fields.Monetary(
        string="OTR Price",
        readonly=True,
        help="The motorcycle's on-the-road price when the memo was made.",
    )
    down_payment = fields.Monetary(readonly=True)
    tenor = fields.Integer(help="Credit duration in months.", readonly=True)
    instalment = fields.Monetary(
        string="Monthly Instalment",
        readonly=True,
        help="The monthly instalment quoted by the leasing company.",
    )
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
    unit_sale_ids = fields.One2many("daya.unit.sale", "dealer_memo_id", readonly=True)

    _sql_constraints = [
        ("lead_uniq", "unique(lead_id)", "An opportunity has one dealer memo."),
    ]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.constrains(
        "payment_type", "leasing_id", "price", "down_payment", "tenor", "instalment"
    )
    def _check_amounts(self):
        for memo in self:
            memo._daya_check_credit(
                payment_type=memo.payment_type,
                leasing_id=memo.leasing_id,
                price=memo.price,
                down_payment=memo.down_payment,
                tenor=memo.tenor,
                instalment=memo.instalment,
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                _(
                    "A dealer memo is created from its won opportunity (Create Dealer "
                    "Memo)."
                )
            )
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("daya.dealer.memo")
        return super().create(vals_list)

    def write(self, vals):
        protected = self._daya_protected_fields() & set(vals)
        if protected and not self.env.su:
            raise AccessError(
                _(
                    "A dealer memo changes only through its buttons (%(fields)s).",
                    fields=", ".join(
                        self._fields[f].get_description(self.env)["string"]
                        for f in sorted(protected)
                    ),
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        self._daya_check_sales_admin()
        if self.filtered(lambda memo: memo.state == "done"):
            raise UserError(
                _("A dealer memo with its sales order cannot be cancelled.")
            )
        self.sudo().write({"state": "cancel"})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_record_delivery(self):
        self.ensure_one()
        self._daya_check_sales_admin()
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

    def _daya_check_sales_admin(self):
        if not self.env.user.has_group("daya_base.group_daya_sales_admin"):
            raise AccessError(_("Only the sales admin processes dealer memos."))
        self.check_access_rule("write")

    @api.model
    def _daya_check_credit(
        self, payment_type, leasing_id, price, down_payment, tenor, instalment
    ):
        """The amounts of a sale: tenor 1-60 months, instalment and leasing for a
        credit, down payment between 0 and the price."""
        if down_payment < 0 or (price and down_payment > price):
            raise ValidationError(
                self.env["crm.lead"]._daya_down_payment_message(price)
            )
        if price < 0:
            raise ValidationError(_("OTR Price cannot be negative."))
        if payment_type != "credit":
            if tenor or instalment:
                raise ValidationError(_("A cash sale has no tenor and no instalment."))
            return
        if not 1 <= tenor <= TENOR_MAX:
            raise ValidationError(
                _(
                    "Tenor must be between 1 and %(max)s months.",
                    max=TENOR_MAX,
                )
            )
        if instalment < 0 or (price and instalment > price):
            raise ValidationError(
                _("Monthly Instalment must be between 0 and the OTR price.")
            )
        if not leasing_id.sudo().is_leasing_company:
            raise ValidationError(
                _("Leasing: a credit sale needs its leasing company.")
            )

    def _daya_protected_fields(self):
        """The fields only the memo's own steps write (not a user's edit)."""
        return set(PROTECTED_FIELDS)

    def _daya_sale_date(self):
        """The date the motorcycle was sold (the sales order's, where the sales
        bridge made one)."""
        return fields.Date.context_today(self)

    def _notify_sales_admins(self):
        """An activity for the branch's sales admins: a memo is waiting for them."""
        group = self.env.ref("daya_base.group_daya_sales_admin")
        holders = self.branch_id._role_holders(group)
        for memo in self:
            for admin in holders.get(memo.branch_id.id, []):
                memo.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=admin.id,
                    summary=_("Process dealer memo %s", memo.name),
                )
