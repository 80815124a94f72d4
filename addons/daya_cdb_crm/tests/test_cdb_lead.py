from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.daya_base.tests.common import NIK_MAN
from odoo.addons.daya_cdb_validation.tests.common import DayaCdbCommon


@tagged("post_install", "-at_install")
class TestCdbOnLead(DayaCdbCommon):
    def test_lead_shows_completeness_and_syncs_occupation(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_sales_a)
            .create(
                self._lead_vals(
                    contact_name="New Buyer",
                    mobile="0812-5555-6666",
                    nik=NIK_MAN[:-1] + "9",
                )
            )
        )
        partner = lead.partner_id
        self.assertTrue(partner)
        self.assertEqual(partner.occupation_id, self.occupation)
        self.assertEqual(lead.cdb_completeness, partner.cdb_completeness)
        self.assertEqual(lead.cdb_missing, partner.cdb_missing)
        self.assertIn("Email", lead.cdb_missing)


@tagged("post_install", "-at_install")
class TestCdbBeforeDealerMemo(DayaCdbCommon):
    def setUp(self):
        super().setUp()
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        self.lead = Lead.create(
            self._lead_vals(
                contact_name="Deal Buyer",
                mobile="0812-7777-8888",
                motor_type_id=self.type_beat.id,
                motor_color_id=self.color_black.id,
            )
        )
        self.lead.convert_opportunity(self.lead.partner_id)
        self.lead.action_set_won_rainbowman()
        self.memo = self.sales_memos.filtered(lambda m: m.user_id == self.user_sales_a)

    def test_dealer_memo_needs_complete_cdb(self):
        lead = self.lead.with_user(self.user_sales_a)
        with self.assertRaisesRegex(UserError, "Complete the customer database"):
            lead.action_create_dealer_memo()
        wizard = (
            self.env["daya.dealer.memo.wizard"]
            .with_user(self.user_sales_a)
            .create({"lead_id": lead.id, "sales_memo_id": self.memo.id})
        )
        with self.assertRaisesRegex(UserError, "Complete the customer database"):
            wizard.action_process()
        self.assertFalse(lead.dealer_memo_id, "nothing half-written")
        self.assertEqual(self.memo.state, "distributed")
        # the salesperson fills in the CDB on the customer
        vals = self._cdb_vals(name="Deal Buyer", nik="3273010202910003")
        vals.pop("mobile")
        vals.update(birthdate="1991-02-02")
        lead.partner_id.with_user(self.user_sales_a).write(vals)
        self.assertEqual(lead.cdb_completeness, 100)
        action = lead.action_create_dealer_memo()
        self.assertEqual(action["res_model"], "daya.dealer.memo.wizard")
        wizard.action_process()
        self.assertTrue(lead.dealer_memo_id)
