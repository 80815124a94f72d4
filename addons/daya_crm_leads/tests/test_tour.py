from odoo.tests import HttpCase, tagged

from .common import DayaCrmCommon


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
