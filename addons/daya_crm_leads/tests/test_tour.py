from odoo.tests import HttpCase, tagged

from odoo.addons.daya_base.tests.common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestSalesTour(HttpCase, DayaCrmCommon):
    def test_lead_to_dealer_memo_tour(self):
        self.type_beat.name = "Tour BeAT"
        # the customer is known (by phone): the lead links to them
        customer = self.env["res.partner"].create(
            {"name": "Rina Tour", "mobile": "0857 1234 9876"}
        )
        self._fill_cdb(customer)
        self.start_tour(
            "/web", "daya_crm_leads_sales_tour", login="t_sales_a", timeout=180
        )
        lead = self.env["crm.lead"].search([("name", "=", "Tour lead Rina")])
        self.assertEqual(lead.stage_id, self.env.ref("daya_crm_leads.stage_won"))
        self.assertTrue(lead.fu1_date and lead.fu2_date)
        memo = lead.dealer_memo_id
        self.assertEqual(memo.state, "to_admin")
        self.assertEqual(memo.sales_memo_id.state, "used")

    def test_refused_checks_before_confirm_tour(self):
        """Issue 12 items 8 and 10 on the screen."""
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        lead = Lead.create(
            self._lead_vals(
                name="Tour refusal",
                contact_name="Refusing Customer",
                mobile="0857 2222 3333",
                motor_type_id=self.type_beat.id,
                motor_color_id=self.color_red.id,
            )
        )
        lead.convert_opportunity(lead.partner_id)
        lead.action_follow_up_1()
        self.start_tour(
            f"/web#model=crm.lead&id={lead.id}&view_type=form",
            "daya_crm_leads_refused_tour",
            login="t_sales_a",
            timeout=120,
        )
        self.assertEqual(lead.stage_id, self.env.ref("daya_crm_leads.stage_fu2"))
        self.assertEqual(lead.customer_status, "refused")
