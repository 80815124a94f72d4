import re
from collections import Counter
from datetime import datetime, time, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.sql_db import Cursor
from odoo.tests import tagged

from .common import KEY, SECRET, DmsCommon
from .dgi_server import DgiServer, generate_fixtures


@tagged("post_install", "-at_install")
class TestDmsProspectBatch(DmsCommon):
    """The prospects of a window become leads in batches through crm.lead.create:
    their customers are looked up (NIK, phone) and the missing ones created per
    batch, and the duplicate guard asks once per batch, so a prospect costs only
    what Odoo does per lead and per new customer."""

    def _first_pull(self, code, prospects, region, statements=None):
        """Queries and leads of the first pull of a week of ``prospects``; the
        statements run are appended to ``statements`` when given."""
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
        execute = Cursor.execute

        def record(cr, query, params=None, log_exceptions=True):
            if statements is not None:
                statements.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", record):
            log = backend._dms_pull("prsp", start, start + timedelta(days=7))
            self.env.flush_all()
        queries = self.cr.sql_log_count - count
        leads = self.env["crm.lead"].search([("dms_backend_id", "=", backend.id)])
        return queries, log, leads

    def test_prospects_in_batches(self):
        # a first pull fills the caches the first pull of a test reads (defaults,
        # properties, the code tables...): the two measured below pay the same
        self._first_pull("27019", 3, "327308")
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
        # per prospect: the new customer's commercial entity (itself: its own id,
        # written after its insert). Its other computed values and the lead's
        # that differ per lead are inserted with the rows, the values computed
        # after the creation are the same for the leads of a batch (a few
        # statements per batch), and no parent check runs for a customer given no
        # parent; with them per prospect, it cost 4, one lead at a time 15
        per_prospect = (large_queries - small_queries) / (len(large) - len(small))
        self.assertLessEqual(per_prospect, 1.5, (small_queries, large_queries))

    def test_customers_linked_at_creation(self):
        """The new customers of a batch of prospects are made before their leads
        (by the lead's own rule, on drafts) and each lead is inserted with its
        customer: no lead is written once more for its customer, and the
        customers' link to the branch is one statement per batch. The leads'
        first stage is their creation's default: crm searches the won stages
        once per batch, not once per lead. Pulling 50 prospects runs these
        statements as often as pulling 10."""
        kinds = {
            "lead written for its customer": re.compile(
                r'UPDATE "crm_lead" SET .*"partner_id" = ', re.S
            ),
            "customer linked to the branch": re.compile(
                r"INSERT INTO daya_branch_res_partner_rel", re.S
            ),
            # crm's won/lost bookkeeping of a lead given its stage
            "won stages searched": re.compile(
                r'FROM "crm_stage" WHERE \("crm_stage"."is_won" = ', re.S
            ),
        }
        # at most once per batch (the won stages: also for the lead scoring)
        limits = {
            "lead written for its customer": 1,
            "customer linked to the branch": 1,
            "won stages searched": 3,
        }
        counts = {}
        for name, code, prospects, region in (
            ("small", "27022", 10, "327316"),
            ("large", "27023", 50, "327317"),
        ):
            statements = []
            _queries, log, leads = self._first_pull(code, prospects, region, statements)
            self.assertFalse(log.rejected)
            self.assertEqual(len(leads), log.created)
            # each lead has its own new customer, made from its values, in the
            # lead's branch
            self.assertEqual(len(leads.partner_id), len(leads))
            for lead in leads:
                self.assertEqual(
                    (lead.partner_id.nik, lead.partner_id.name, lead.partner_id.mobile),
                    (lead.nik, lead.contact_name, lead.mobile),
                )
                self.assertIn(lead.branch_id, lead.partner_id.branch_ids)
            counts[name] = Counter(
                kind
                for statement in statements
                for kind, pattern in kinds.items()
                if pattern.search(statement)
            )
            counts[name, "leads"] = len(leads)
        self.assertGreater(counts["large", "leads"], counts["small", "leads"] + 30)
        for kind in kinds:
            with self.subTest(kind=kind):
                self.assertLessEqual(counts["large"][kind], limits[kind], counts)
                self.assertEqual(counts["large"][kind], counts["small"][kind], counts)
