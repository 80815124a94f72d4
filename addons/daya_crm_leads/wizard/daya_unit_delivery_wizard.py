from odoo import _, fields, models
from odoo.exceptions import UserError


class DayaUnitDeliveryWizard(models.TransientModel):
    _name = "daya.unit.delivery.wizard"
    _description = "Record Unit Delivery"

    dealer_memo_id = fields.Many2one("daya.dealer.memo", required=True, readonly=True)
    frame_number = fields.Char(required=True)
    engine_number = fields.Char(required=True)
    delivery_date = fields.Date(required=True, default=fields.Date.context_today)
    is_premium = fields.Boolean(string="Premium Customer")

    def action_record(self):
        self.ensure_one()
        memo = self.dealer_memo_id
        if memo.unit_sale_ids:
            raise UserError(_("The delivery of this dealer memo is already recorded."))
        sale_date = memo._daya_sale_date()
        unit = self.env["daya.unit.sale"].create(
            {
                "partner_id": memo.partner_id.id,
                "branch_id": memo.branch_id.id,
                "product_id": memo.motor_product_id.id,
                "frame_number": self.frame_number,
                "engine_number": self.engine_number,
                "sale_date": min(sale_date, self.delivery_date),
                "delivery_date": self.delivery_date,
                "payment_type": memo.payment_type,
                "leasing_id": memo.leasing_id.id,
                "tenor": memo.tenor,
                "down_payment": memo.down_payment,
                "is_premium": self.is_premium,
                "dealer_memo_id": memo.id,
                "user_id": memo.user_id.id,
                "origin": "memo",
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "daya.unit.sale",
            "view_mode": "form",
            "res_id": unit.id,
        }
