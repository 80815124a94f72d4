from datetime import datetime, timedelta

from psycopg2 import sql

from odoo.tests import tagged

from .common import PdpCommon

NOW = datetime(2026, 12, 1, 3, 0)


@tagged("post_install", "-at_install")
class TestRetention(PdpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prospects = cls.Partner.create(
            [
                {"name": "Old Prospect %s" % i, "mobile": "0812-0000-100%s" % i}
                for i in range(3)
            ]
        )
        cls.leads = cls.env["crm.lead"].create(
            [
                cls._lead_vals(
                    name="Lead of %s" % partner.name,
                    partner_id=partner.id,
                    branch_id=cls.branch_a.id,
                )
                for partner in cls.prospects
            ]
        )
        cls.leads.action_archive()  # lost

    def _age(self, records, days):
        """Make ``records`` untouched for ``days`` days (their write_date)."""
        self.env.flush_all()
        query = sql.SQL("UPDATE {} SET write_date = %s WHERE id IN %s").format(
            sql.Identifier(records._table)
        )
        self.env.cr.execute(query, [NOW - timedelta(days=days), tuple(records.ids)])
        records.invalidate_recordset(["write_date"])

    def test_prospects_anonymized_in_batches_idempotent(self):
        old, recent = self.prospects[:2], self.prospects[2]
        self._age(old, 800)
        self._age(self.leads.filtered(lambda lead: lead.partner_id in old), 800)
        self._age(recent, 800)  # its lead was touched lately
        Partner = self.env["res.partner"]
        first = Partner._daya_retention(batch_size=1, now=NOW)
        self.assertEqual(first["prospects"], 1)
        second = Partner._daya_retention(batch_size=1, now=NOW)
        self.assertEqual(second["prospects"], 1)
        third = Partner._daya_retention(batch_size=1, now=NOW)
        self.assertEqual(third["prospects"], 0, "idempotent: nothing found again")
        old = old.with_context(active_test=False)
        self.assertTrue(all(old.mapped("daya_anonymized_at")))
        self.assertFalse(any(old.mapped("mobile")))
        self.assertFalse(recent.daya_anonymized_at)
        audits = self.env["daya.pdp.audit"].search([("partner_id", "in", old.ids)])
        self.assertEqual(set(audits.mapped("reason")), {"retention"})

    def test_buyers_and_open_leads_kept(self):
        self._age(self.customer, 800)
        lead = self.env["crm.lead"].create(
            self._lead_vals(partner_id=self.customer.id, branch_id=self.branch_a.id)
        )
        lead.action_archive()
        self._age(lead, 800)
        open_lead = self.leads[0]
        open_lead.action_unarchive()
        self._age(self.prospects[0], 800)
        self._age(open_lead, 800)
        self.env["res.partner"]._daya_retention(now=NOW)
        self.assertFalse(self.customer.daya_anonymized_at, "bought a motorcycle")
        self.assertFalse(self.prospects[0].daya_anonymized_at, "an open lead")

    def test_retention_period_is_a_parameter(self):
        self._age(self.prospects, 800)
        self._age(self.leads, 800)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("daya_pdp.prospect_retention_months", "36")
        counts = self.env["res.partner"]._daya_retention(now=NOW)
        self.assertEqual(counts["prospects"], 0)
        params.set_param("daya_pdp.prospect_retention_months", "0")
        self.assertNotIn("prospects", self.env["res.partner"]._daya_retention(now=NOW))
        params.set_param("daya_pdp.prospect_retention_months", "24")
        counts = self.env["res.partner"]._daya_retention(now=NOW)
        self.assertEqual(counts["prospects"], 3)

    def test_lost_leads_without_customer_wiped(self):
        lead = self.env["crm.lead"].create(
            self._lead_vals(
                contact_name="Walk-in Andi",
                mobile="0813-2222-3333",
                branch_id=self.branch_a.id,
            )
        )
        lead.partner_id = False
        lead.action_archive()
        self._age(lead, 800)
        counts = self.env["res.partner"]._daya_retention(now=NOW)
        self.assertGreaterEqual(counts["lost_leads"], 1)
        self.assertFalse(lead.contact_name or lead.mobile)
        self.assertTrue(lead.daya_anonymized_at)
        self.assertNotIn(lead, self.env["crm.lead"]._daya_expired_lost_leads(NOW, 1000))

    def test_closed_validation_answers_purged(self):
        validation = self.env["daya.cdb.validation"].create(
            {"partner_id": self.customer.id, "branch_id": self.branch_a.id}
        )
        validation.sudo()._submit_customer_answers({}, {}, note="my note")
        self.assertTrue(validation.line_ids)
        validation.sudo().write(
            {"state": "rejected", "reviewed_at": NOW - timedelta(days=100)}
        )
        counts = self.env["res.partner"]._daya_retention(now=NOW)
        self.assertEqual(counts["cdb_answers"], 1)
        self.assertFalse(validation.line_ids)
        self.assertFalse(validation.customer_note)
        self.assertEqual(validation.state, "rejected", "the outcome stays")
        again = self.env["res.partner"]._daya_retention(now=NOW)
        self.assertEqual(again["cdb_answers"], 0)

    def test_cron_runs(self):
        counts = self.env["res.partner"]._cron_pdp_retention()
        self.assertIn("prospects", counts)
