from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import tagged

from .common import KEY, SECRET, DmsCommon
from .dgi_server import DgiServer, generate_fixtures


@tagged("post_install", "-at_install")
class TestDmsProspectBatch(DmsCommon):
    """The prospects of a window become leads in batches through crm.lead.create:
    their customers are looked up (NIK, phone) and the missing ones created per
    batch, and the duplicate guard asks once per batch, so a prospect costs only
    what Odoo does per lead and per new customer."""

    def _first_pull(self, code, prospects, region):
        """Queries and leads of the first pull of a week of ``prospects``."""
        start_local = datetime.combine(fields.Date.today() - timedelta(days=20), time())
        start = start_local - timedelta(hours=7)
        fixtures = generate_fixtures(
            code,
            start_local,
            prospects=prospects,
            days=7,
            salespeople=("SLS-A",),
            nik_region=region,
            bad_rows=False,
        )
        server = DgiServer(KEY, SECRET, code).start()
        self.addCleanup(server.stop)
        server.load(fixtures)
        backend = self.env["daya.dms.backend"].create(
            {
                "name": "DMS %s" % code,
                "base_url": server.base_url,
                "dealer_code": code,
                "api_key": KEY,
                "api_secret": SECRET,
                "branch_ids": [(6, 0, self.branch_a.ids)],
                "date_start": start,
            }
        )
        self.env.flush_all()
        count = self.cr.sql_log_count
        log = backend._dms_pull("prsp", start, start + timedelta(days=7))
        self.env.flush_all()
        queries = self.cr.sql_log_count - count
        leads = self.env["crm.lead"].search([("dms_backend_id", "=", backend.id)])
        return queries, log, leads

    def test_prospects_in_batches(self):
        small_queries, small_log, small = self._first_pull("27020", 10, "327306")
        large_queries, large_log, large = self._first_pull("27021", 50, "327307")
        self.assertFalse(small_log.rejected or large_log.rejected)
        self.assertEqual(len(small), small_log.created)
        self.assertEqual(len(large), large_log.created)
        self.assertGreater(len(large), len(small) + 30)
        # each lead has its customer, by NIK (created: none existed)
        for lead in small | large:
            self.assertEqual(lead.partner_id.nik, lead.nik)
        self.assertEqual(len(large.partner_id), len(large))
        # per prospect: Odoo's own per-record work of a lead (team and stage
        # defaults, its row's computed values) and of a new customer (parent check,
        # the salesperson's subscription, its row's computed values), the lead's
        # customer link; one lead at a time cost 15
        per_prospect = (large_queries - small_queries) / (len(large) - len(small))
        self.assertLessEqual(per_prospect, 9, (small_queries, large_queries))
