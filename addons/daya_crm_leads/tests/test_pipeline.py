from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import DealerMemoCommon, PipelineCommon


@tagged("post_install", "-at_install")
class TestPipeline(PipelineCommon):
    def test_only_dealer_stages(self):
        stages = self.env["crm.stage"].search([])
        self.assertEqual(
            set(stages.mapped("daya_stage_code")), {"new", "fu1", "fu2", "fu3", "won"}
        )

    @freeze_time("2026-05-04")
    def test_happy_path(self):
        lead = self._opportunity()
        lead.action_follow_up_1()
        self.assertEqual(lead.stage_id, self.stage["fu1"])
        self.assertEqual(lead.fu1_date, date(2026, 5, 4), "the follow-up is today")
        with self.assertRaises(UserError) as err:
            lead.action_follow_up_2()
        self.assertIn("next plan date", str(err.exception))
        lead.write({"fu2_plan_date": "2026-05-08", "customer_status": "considering"})
        lead.action_follow_up_2()
        self.assertEqual(lead.stage_id, self.stage["fu2"])
        # FU1 fields are locked once the opportunity moved on
        with self.assertRaises(UserError) as err:
            lead.write({"fu1_date": "2026-05-01"})
        self.assertIn("locked", str(err.exception))
        lead.write({"fu3_plan_date": "2026-05-12"})
        lead.action_follow_up_3()
        self.assertEqual(lead.fu3_date, date(2026, 5, 4))
        lead.action_set_won_rainbowman()
        self.assertEqual(lead.stage_id, self.stage["won"])
        # won locks everything
        for values in (
            {"motor_type_id": self.type_scoopy.id},
            {"down_payment": 5},
            {"name": "Renamed"},
            {"stage_id": self.stage["fu3"].id},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                lead.write(values)

    def test_new_step_editable_fields(self):
        lead = self._opportunity()
        lead.write(
            {
                "motor_type_id": self.type_scoopy.id,
                "motor_color_id": self.color_cream.id,
                "payment_type": "credit",
                "leasing_id": self.leasing.id,
                "down_payment": 1500000,
                "leasing_status": "submitted",
                "prospect_status": "medium",
            }
        )
        for values in (
            {"name": "Other"},
            {"contact_name": "Someone else"},
            {"mobile": "0812-9999-8888"},
            {"lead_category": "order_in"},
            {"user_id": self.user_pic_h1_a.id},
            {"fu1_date": "2026-01-01"},
        ):
            with self.subTest(values=values), self.assertRaises(UserError) as err:
                lead.write(values)
            self.assertIn("locked", str(err.exception))
        # rewriting an unchanged value is harmless
        lead.write({"name": lead.name})

    def test_no_skipping_or_going_back(self):
        lead = self._opportunity()
        for target in ("fu2", "fu3"):
            with self.assertRaises(UserError):
                lead.write({"stage_id": self.stage[target].id})
        lead.write({"stage_id": self.stage["fu1"].id})  # the kanban drag obeys too
        self.assertTrue(lead.fu1_date)
        with self.assertRaises(UserError):
            lead.write({"stage_id": self.stage["new"].id})

    def test_lead_cannot_move_stages(self):
        lead = (
            self.env["crm.lead"].with_user(self.user_sales_a).create(self._lead_vals())
        )
        with self.assertRaises(UserError):
            lead.write({"stage_id": self.stage["fu1"].id})

    def test_won_directly_from_new(self):
        lead = self._opportunity()
        lead.action_set_won_rainbowman()
        self.assertEqual(lead.stage_id, self.stage["won"])

    def test_lost_needs_reason_and_is_final(self):
        lead = self._opportunity()
        with self.assertRaises(UserError):
            lead.action_set_lost()
        Lost = (
            self.env["crm.lead.lost"]
            .with_user(self.user_sales_a)
            .with_context(active_ids=lead.ids, active_model="crm.lead")
        )
        with self.assertRaises(UserError):
            Lost.create({}).action_lost_reason_apply()
        wizard = Form(Lost)
        wizard.lost_reason_id = self.reason
        wizard.save().action_lost_reason_apply()
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id, self.reason)
        for call in (
            lead.toggle_active,
            lead.action_unarchive,
            lead.action_follow_up_1,
            lambda: lead.write({"motor_color_id": self.color_black.id}),
        ):
            with self.assertRaises(UserError):
                call()

    def test_refusals_move_to_next_follow_up_then_lost(self):
        lead = self._opportunity()
        with self.assertRaises(UserError):
            lead.action_customer_refused()  # no follow-up yet
        lead.action_follow_up_1()
        lead.fu2_plan_date = "2026-06-01"
        lead.action_customer_refused()
        self.assertEqual(lead.stage_id, self.stage["fu2"])
        self.assertEqual(lead.customer_status, "refused")
        lead.fu3_plan_date = "2026-06-05"
        lead.action_customer_refused()
        self.assertEqual(lead.stage_id, self.stage["fu3"])
        lead.action_customer_refused()
        self.assertFalse(lead.active)
        self.assertEqual(
            lead.lost_reason_id, self.env.ref("daya_crm_leads.lost_reason_refused_fu3")
        )

    def test_follow_up_date_required_in_step(self):
        from odoo.exceptions import ValidationError

        lead = self._opportunity()
        lead.action_follow_up_1()
        with self.assertRaises(ValidationError):
            lead.write({"fu1_date": False})

    def test_other_branch_gets_access_error(self):
        lead = self._opportunity()
        with self.assertRaises(AccessError):
            lead.with_user(self.user_branch_head_b).action_follow_up_1()
        with self.assertRaises(AccessError):
            lead.with_user(self.user_branch_head_b).read(["name"])


@tagged("post_install", "-at_install")
class TestDealerMemo(DealerMemoCommon):
    """The won opportunity's dealer memo; its sales order and the delivery:
    daya_crm_sale's tests/test_dealer_memo_order.py."""

    def test_dealer_memo_only_when_won(self):
        with self.assertRaises(UserError):
            self.lead.with_user(self.user_sales_a).action_create_dealer_memo()
        wizard = self._wizard(sales_memo_id=self.memo, tenor=24)
        with self.assertRaises(UserError):
            wizard.action_process()
        self.assertEqual(self.memo.state, "distributed", "nothing half-written")

    def test_won_to_dealer_memo(self):
        lead = self.lead.with_user(self.user_sales_a)
        lead.action_set_won_rainbowman()
        action = lead.action_create_dealer_memo()
        self.assertEqual(action["res_model"], "daya.dealer.memo.wizard")
        # another salesperson's memo is refused
        other_memo = self.sales_memos.filtered(lambda m: m.user_id == self.user_sales_b)
        with self.assertRaises(UserError):
            self._wizard(sales_memo_id=other_memo, tenor=12).action_process()
        with self.assertRaises(UserError):
            self._wizard(sales_memo_id=self.memo, tenor=0).action_process()
        self._wizard(sales_memo_id=self.memo, tenor=24).action_process()
        memo = lead.dealer_memo_id
        self.assertEqual(memo.state, "to_admin")
        self.assertEqual(memo.sales_memo_id, self.memo)
        self.assertEqual(self.memo.state, "used")
        self.assertEqual(memo.motor_product_id, lead.motor_product_id)
        self.assertEqual((memo.tenor, memo.down_payment), (24, 3000000))
        self.assertEqual(memo.activity_ids.user_id, self.user_sales_admin_a)
        with self.assertRaises(UserError):
            lead.action_create_dealer_memo()
        # the salesperson can't read another's memo; the sales admin takes it on
        with self.assertRaises(AccessError):
            memo.with_user(self.user_sales_b).read(["name"])
