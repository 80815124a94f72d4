from odoo import _, fields, models
from odoo.exceptions import UserError


class DayaDealerMemoWizard(models.TransientModel):
    _name = "daya.dealer.memo.wizard"
    _description = "Create Dealer Memo"

    lead_id = fields.Many2one("crm.lead", required=True, readonly=True)
    user_id = fields.Many2one(related="lead_id.user_id", string="Salesperson")
    payment_type = fields.Selection(related="lead_id.payment_type")
    sales_memo_id = fields.Many2one(
        "daya.sales.memo",
        string="Memo Register Number",
        required=True,
        domain="[('user_id', '=', user_id), ('state', '=', 'distributed')]",
    )
    tenor = fields.Integer(help="Credit duration in months.")
    daya_currency_id = fields.Many2one(related="lead_id.daya_currency_id")
    instalment = fields.Monetary(
        string="Monthly Instalment",
        currency_field="daya_currency_id",
        help="The monthly instalment quoted by the leasing company.",
    )

    def action_process(self):
        self.ensure_one()
        lead = self.lead_id
        memo = self.sales_memo_id
        if lead.daya_stage_code != "won":
            raise UserError(_("A dealer memo is created once the opportunity is won."))
        if lead.dealer_memo_id:
            raise UserError(_("This opportunity already has a dealer memo."))
        if memo.user_id != lead.user_id or memo.state != "distributed":
            raise UserError(
                _(
                    "Sales memo %(memo)s is not a distributed memo of %(user)s.",
                    memo=memo.name,
                    user=lead.user_id.name,
                )
            )
        if not lead.motor_product_id:
            raise UserError(_("Choose the motorcycle type and colour first."))
        credit = lead.payment_type == "credit"
        values = {
            "payment_type": lead.payment_type,
            "leasing_id": lead.leasing_id,
            "price": lead.motor_product_id.lst_price,
            "down_payment": lead.down_payment,
            "tenor": self.tenor if credit else 0,
            "instalment": self.instalment if credit else 0.0,
        }
        Memo = self.env["daya.dealer.memo"]
        Memo._daya_check_credit(**values)
        # the memo is made by the system, only here, once the checks above passed:
        # nobody creates or edits a dealer memo directly
        dealer_memo = Memo.sudo().create(
            {
                "lead_id": lead.id,
                "partner_id": lead.partner_id.id,
                "branch_id": lead.branch_id.id,
                "user_id": lead.user_id.id,
                "sales_memo_id": memo.id,
                "motor_product_id": lead.motor_product_id.id,
                "state": "to_admin",
                **dict(values, leasing_id=lead.leasing_id.id),
            }
        )
        # the salesperson only reads sales memos: using their own distributed memo
        # is checked above, then recorded with the system's rights
        memo.sudo()._mark_used()
        lead.sudo().dealer_memo_id = dealer_memo
        dealer_memo._notify_sales_admins()
        return lead.action_view_dealer_memo()
