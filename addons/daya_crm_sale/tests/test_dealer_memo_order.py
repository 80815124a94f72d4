from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.daya_crm_leads.tests.common import DealerMemoCommon


@tagged("post_install", "-at_install")
class TestDealerMemoOrder(DealerMemoCommon):
    """The won opportunity's dealer memo → its sales order → the delivered unit
    (moved from daya_crm_leads' test_pipeline: the order is this bridge's)."""

    def test_won_to_delivered_unit(self):
        lead = self.lead.with_user(self.user_sales_a)
        lead.action_set_won_rainbowman()
        self._wizard(sales_memo_id=self.memo, tenor=24).action_process()
        memo = lead.dealer_memo_id
        self.assertEqual(memo.state, "to_admin")
        # the salesperson can't turn it into an order; the sales admin does
        with self.assertRaises(AccessError):
            memo.with_user(self.user_sales_b).read(["name"])
        admin_memo = memo.with_user(self.user_sales_admin_a)
        admin_memo.action_create_sale_order()
        order = memo.sale_order_id
        self.assertEqual(order.opportunity_id, lead)
        self.assertEqual(order.order_line.product_id, lead.motor_product_id)
        self.assertEqual(memo.state, "done")
        self.assertFalse(memo.activity_ids)
        delivery = Form(
            self.env["daya.unit.delivery.wizard"]
            .with_user(self.user_sales_admin_a)
            .with_context(default_dealer_memo_id=memo.id)
        )
        delivery.frame_number = "mh1jm8115rk999001 "
        delivery.engine_number = "jm81e9990001"
        delivery.save().action_record()
        unit = memo.unit_sale_ids
        self.assertEqual(unit.frame_number, "MH1JM8115RK999001")
        self.assertEqual(unit.partner_id, lead.partner_id)
        self.assertEqual(unit.origin, "memo")
        self.assertEqual((unit.payment_type, unit.tenor), ("credit", 24))
        with self.assertRaises(UserError):
            delivery.save().action_record()
