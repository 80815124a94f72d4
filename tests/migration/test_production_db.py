"""A production database: the suite installed without demo data, then upgraded
(tests/run.sh runs this file on it). It starts empty of branches and customers, with
the suite's stages, roles, master data and crons in place."""

from odoo.tests.common import TransactionCase


class TestProductionDatabase(TransactionCase):
    def test_no_demo_records(self):
        self.assertFalse(self.env["daya.branch"].search([]))
        self.assertFalse(
            self.env["crm.lead"].with_context(active_test=False).search([])
        )
        self.assertFalse(self.env.ref("daya_base.user_sales_sh", False))

    def test_stages_and_master_data(self):
        self.assertEqual(
            set(self.env["crm.stage"].search([]).mapped("daya_stage_code")),
            {"new", "fu1", "fu2", "fu3", "won"},
        )
        self.assertTrue(self.env["daya.occupation"].search([]))
        self.assertTrue(
            self.env["res.partner"].search([("is_leasing_company", "=", True)])
        )
        self.assertTrue(self.env["daya.followup.rule"].search([]))

    def test_crons_active(self):
        for xmlid in (
            "daya_crm_followup.ir_cron_generate_followups",
            "daya_crm_followup.ir_cron_daily_summary",
        ):
            with self.subTest(cron=xmlid):
                self.assertTrue(self.env.ref(xmlid).active)

    def test_admin_is_head_office(self):
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "daya_base.group_daya_head_office"
            )
        )
