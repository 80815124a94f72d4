"""After the suite was installed into a database where Odoo's CRM was already in use
(tests/migration/seed_stock_crm.py made it; tests/run.sh runs this file on it): the
dealer's leads, opportunities, activities, messages and sales orders are all there,
won ones in Won, the others in New, lost ones still lost, and only the suite's stages
are left."""

import json
import os

from odoo.tests.common import TransactionCase


class TestStockCrmMigration(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with open(os.environ["DAYA_STOCK_CRM_EXPECT"], encoding="utf-8") as file:
            cls.expect = json.load(file)
        cls.leads = (
            cls.env["crm.lead"]
            .with_context(active_test=False)
            .browse(int(lead_id) for lead_id in cls.expect["leads"])
        )

    def test_every_lead_kept_with_its_history(self):
        self.assertEqual(len(self.leads.exists()), len(self.expect["leads"]))
        for lead in self.leads:
            before = self.expect["leads"][str(lead.id)]
            with self.subTest(lead=before["name"]):
                self.assertEqual(lead.name, before["name"])
                self.assertEqual(lead.type, before["type"])
                self.assertEqual(lead.active, before["active"], "lost stay lost")
                self.assertEqual(lead.lost_reason_id.id, before["lost_reason_id"])
                self.assertEqual(lead.partner_id.id, before["partner_id"])
                self.assertEqual(len(lead.activity_ids), before["activities"])
                self.assertGreaterEqual(len(lead.message_ids), before["messages"])

    def test_leads_land_in_the_suite_stages(self):
        for lead in self.leads:
            before = self.expect["leads"][str(lead.id)]
            with self.subTest(lead=before["name"]):
                self.assertEqual(lead.stage_id.daya_stage_code, before["stage"])
        self.assertEqual(
            set(self.env["crm.stage"].search([]).mapped("daya_stage_code")),
            {"new", "fu1", "fu2", "fu3", "won"},
            "Odoo's default stages and the dealer's own were replaced",
        )

    def test_sales_orders_kept(self):
        for order_id, before in self.expect["orders"].items():
            order = self.env["sale.order"].browse(int(order_id))
            with self.subTest(order=order_id):
                self.assertTrue(order.exists())
                self.assertEqual(order.opportunity_id.id, before["opportunity_id"])
                self.assertEqual(order.state, before["state"])
                self.assertEqual(order.amount_total, before["amount_total"])

    def test_lost_reason_kept(self):
        self.assertTrue(
            self.env["crm.lost.reason"].browse(self.expect["lost_reason_id"]).exists()
        )
