import hashlib
from datetime import date, timedelta

import psycopg2
from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.daya_dms_backend import PULL_LOCK
from .common import FRAME, KEY, SECRET, START, WEEK_1, WEEK_2, DmsCommon


@tagged("post_install", "-at_install")
class TestDmsPull(DmsCommon):
    """Issue 13: pulling the DMS over the DGI protocol from a real local server."""

    def _sync(self, now=WEEK_2):
        return self.backend._dms_sync(now=now, force=True)

    def _budi(self):
        return self._leads().filtered(
            lambda lead: lead.dms_prospect_id == "07550/PSP/2602/0001"
        )

    # ------------------------------------------------------------
    # the protocol
    # ------------------------------------------------------------

    def test_protocol(self):
        """The call is POST <base>/<code>/read with the window in Jakarta time,
        the dealer code and the signed headers the server checks."""
        log = self.backend._dms_pull("prsp", START, WEEK_1)
        self.assertEqual(log.state, "done", log.error)
        endpoint, body, headers = self.server.calls[-1]
        self.assertEqual(endpoint, "prsp")
        self.assertEqual(body["fromTime"], "2026-02-01 00:00:00")
        self.assertEqual(body["toTime"], "2026-02-08 00:00:00")
        self.assertEqual(body["dealerId"], "07550")
        stamp = headers["X-Request-Time"]
        self.assertEqual(
            headers["DGI-API-Token"],
            hashlib.sha256((KEY + SECRET + stamp).encode()).hexdigest(),
        )
        # a provider joining with ':' refuses the concatenated token
        self.server.join = ":"
        log = self.backend._dms_pull("prsp", START, WEEK_1)
        self.assertEqual(log.state, "failed")
        self.assertIn("authentication", log.error)
        self.backend.token_join = "colon"
        self.assertEqual(self.backend._dms_pull("prsp", START, WEEK_1).state, "done")
        # a request time too far from the server's clock is refused, readably
        self.server.join = ""
        self.backend.token_join = "concat"
        self.server.clock_offset = 60
        log = self.backend._dms_pull("prsp", START, WEEK_1)
        self.assertEqual(log.state, "failed")
        self.assertIn("clock", log.error)

    def test_window_at_most_window_days(self):
        """A window longer than the backend's is refused before any call; the
        backend's window cannot exceed 7 days."""
        with self.assertRaises(UserError):
            self.backend._dms_pull("prsp", START, START + timedelta(days=7, seconds=1))
        with self.assertRaises(UserError):
            self.backend._dms_pull("xyz", START, WEEK_1)
        self.assertFalse(self.server.calls)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self.backend.window_days = 8
        # the cron walks in windows the server accepts (it refuses more than 7 days)
        self.backend.window_days = 3
        self._sync()
        windows = [
            (body["fromTime"], body["toTime"])
            for endpoint, body, _headers in self.server.calls
            if endpoint == "prsp"
        ]
        self.assertEqual(
            windows[:2],
            [
                ("2026-02-01 00:00:00", "2026-02-04 00:00:00"),
                ("2026-02-04 00:00:00", "2026-02-07 00:00:00"),
            ],
        )
        self.assertEqual(windows[-1][1], "2026-02-15 00:00:00")

    # ------------------------------------------------------------
    # the records
    # ------------------------------------------------------------

    def test_full_pull(self):
        """Prospects become leads through the lead's rules, the deal fills the
        opportunity, leasing and billing the deal, the delivery the unit sale,
        the document handling its STNK date; bad records are rejected with their
        reason and the window goes on."""
        self.assertFalse(self._sync())
        leads = self._leads()
        self.assertEqual(len(leads), 3)  # Budi (sent twice), Siti, Dewi
        budi = self._budi()
        self.assertEqual(budi.partner_id.nik, "3273010101900001")
        self.assertEqual(budi.partner_id.name, "Budi Santoso")
        self.assertEqual(budi.branch_id, self.branch_a)
        self.assertEqual(budi.user_id, self.user_sales_a)
        self.assertEqual(budi.sales_source, "showroom")  # 0004 Walk In
        self.assertEqual(budi.occupation_id, self.occupation)
        self.assertEqual(budi.dms_prospect_date, date(2026, 2, 1))
        # the deal
        self.assertEqual(budi.type, "opportunity")
        self.assertEqual(budi.lead_category, "order_in")
        self.assertEqual(budi.dms_spk_id, "07550/SPK/2602/0001")
        self.assertEqual(budi.motor_type_id, self.type_beat)
        self.assertEqual(budi.motor_color_id, self.color_black)
        self.assertEqual(budi.expected_revenue, 18150000)
        # leasing and billing
        self.assertEqual(budi.payment_type, "credit")
        self.assertEqual(budi.leasing_id, self.leasing)
        self.assertEqual(budi.down_payment, 2000000)
        self.assertEqual(budi.dms_tenor, 23)
        self.assertEqual(budi.dms_instalment, 950000)
        self.assertEqual(budi.dms_invoice_id, "07550/INV/2602/0001")
        self.assertEqual(budi.dms_billing_status, "Paid")
        self.assertFalse(budi.dms_to_complete)
        # a prospect without occupation nor payment: kept, to complete
        siti = leads.filtered(lambda lead: lead.contact_name == "Siti Nurhaliza")
        self.assertEqual(siti.sales_source, "exhibition")
        self.assertEqual(siti.prospect_status, "low")
        self.assertEqual(siti.motor_type_id, self.type_scoopy)
        self.assertTrue(siti.dms_to_complete)
        # the delivery
        unit = self.env["daya.unit.sale"].search([("frame_number", "=", FRAME)])
        self.assertEqual(unit.partner_id, budi.partner_id)
        self.assertEqual(unit.product_id, budi.motor_product_id)
        self.assertEqual(unit.engine_number, "JM12E1234567")
        self.assertEqual(unit.sale_date, date(2026, 2, 3))
        self.assertEqual(unit.delivery_date, date(2026, 2, 5))
        self.assertEqual(unit.stnk_ready_date, date(2026, 2, 10))
        self.assertEqual(unit.payment_type, "credit")
        self.assertEqual(unit.leasing_id, self.leasing)
        self.assertEqual(unit.tenor, 23)
        self.assertEqual(unit.dms_delivery_id, "07550/BAST/2602/0001")
        self.assertEqual(unit.origin, "dms")
        self.assertEqual(unit.branch_id, self.branch_a)
        # the log: counts and rejections
        prsp = self._logs("prsp")
        self.assertEqual(prsp.mapped("state"), ["done", "done"])
        self.assertEqual(prsp[0].received, 4)
        self.assertEqual(prsp[0].created, 2)
        self.assertEqual(prsp[0].rejected, 1)
        self.assertIn("XZ-UNKNOWN", prsp[0].rejection_reasons)
        self.assertIn("07550/PSP/2602/0003", prsp[0].rejection_reasons)
        bast = self._logs("bast")[0]
        self.assertEqual((bast.received, bast.created, bast.rejected), (2, 1, 1))
        self.assertIn("07550/SPK/2602/9999", bast.rejection_reasons)
        self.assertIn("Orang Lain", bast.rejected_payloads)
        for endpoint in ("prsp", "spk", "lsng", "inv1", "bast", "doch", "pkb", "cdb"):
            self.assertEqual(self.backend["%s_cursor" % endpoint], WEEK_2, endpoint)

    def test_repull_changes_nothing(self):
        """The same windows pulled again create and update nothing; the DMS ids
        are unique in the database."""
        self._sync()
        leads, units = self._leads(), self.env["daya.unit.sale"].search([])
        orders = self.env["daya.dms.work.order"].search([])
        first = self._logs()
        self.backend.write(
            {
                "%s_cursor" % endpoint: False
                for endpoint in (
                    "prsp",
                    "spk",
                    "lsng",
                    "inv1",
                    "bast",
                    "doch",
                    "pkb",
                    "cdb",
                )
            }
        )
        self._sync()
        again = self._logs() - first
        self.assertEqual(len(again), len(first))
        self.assertEqual(sum(again.mapped("created")), 0)
        self.assertEqual(sum(again.mapped("updated")), 0)
        self.assertEqual(self._leads(), leads)
        self.assertEqual(self.env["daya.unit.sale"].search([]), units)
        self.assertEqual(self.env["daya.dms.work.order"].search([]), orders)
        budi = self._budi()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                budi.copy().write({"dms_prospect_id": budi.dms_prospect_id})

    def test_failed_call_keeps_cursor(self):
        """A failed call (HTTP 500, timeout, status 0, no JSON) makes a failed log
        with a readable error and leaves the cursor; the next run resumes from
        it, and nothing is lost or duplicated."""
        self.backend.max_windows = 1
        self.assertTrue(self._sync())  # one window per endpoint: still behind
        self.assertEqual(self.backend.prsp_cursor, WEEK_1)
        self.assertEqual(self.backend.bast_cursor, WEEK_1)
        self.backend.timeout = 1
        self.server.delay = 2
        errors = {
            "500": "HTTP 500",
            "timeout": "did not answer within 1 seconds",
            "status0": "Database is busy",
            "badjson": "not the expected JSON",
        }
        for fail, message in errors.items():
            with self.subTest(fail=fail):
                self.server.fail = fail
                self.assertFalse(self._sync())
                log = self._logs()[-1]
                self.assertEqual((log.state, log.endpoint), ("failed", "prsp"))
                self.assertIn(message, log.error)
                self.assertEqual(self.backend.prsp_cursor, WEEK_1)
                self.assertEqual(self.backend.spk_cursor, WEEK_1)
        # the retry waits (back-off), unless forced
        self.assertGreater(self.backend.next_attempt, fields.Datetime.now())
        self.server.fail = None
        self.server.calls.clear()
        self.backend._dms_sync(now=WEEK_2)
        self.assertFalse(self.server.calls)
        self.assertFalse(self._sync())
        self.assertEqual(self.backend.prsp_cursor, WEEK_2)
        self.assertEqual(self.backend.failed_attempts, 0)
        self.assertEqual(len(self._leads()), 3)
        self.assertEqual(
            len(self._logs("prsp").filtered(lambda log: log.state == "done")), 2
        )

    def test_delivery_starts_followups(self):
        """The delivery date the DMS brings starts the first call schedule."""
        if "daya.followup.task" not in self.env:
            self.skipTest("daya_crm_followup is not installed")
        self._sync(now=WEEK_1)
        unit = self.env["daya.unit.sale"].search([("frame_number", "=", FRAME)])
        Task = self.env["daya.followup.task"]
        self.assertFalse(Task.search([("unit_sale_id", "=", unit.id)]))
        Task._generate_followups(date(2026, 2, 9))
        tasks = Task.search([("unit_sale_id", "=", unit.id)])
        self.assertIn("first_call", tasks.rule_id.mapped("kind"))

    def test_pkb_closes_kpb_lead(self):
        """A closed KPB work order on a frame makes that KPB's workshop lead done
        (not another KPB's); a regular service is recorded; pulling it again
        changes nothing."""
        self.backend.pkb_enabled = False
        self._sync()
        unit = self.env["daya.unit.sale"].search([("frame_number", "=", FRAME)])
        Wor = self.env["daya.wor.lead"]
        kpb1, kpb2 = Wor.create(
            [
                {
                    "partner_id": unit.partner_id.id,
                    "unit_sale_id": unit.id,
                    "branch_id": unit.branch_id.id,
                    "wor_type": wor_type,
                }
                for wor_type in ("kpb1", "kpb2")
            ]
        )
        log = self.backend._dms_pull("pkb", WEEK_1, WEEK_2)
        self.assertEqual((log.state, log.created, log.rejected), ("done", 2, 0))
        self.assertEqual(kpb1.state, "done")
        self.assertEqual(kpb2.state, "new")
        orders = self.env["daya.dms.work.order"].search(
            [("backend_id", "=", self.backend.id)]
        )
        kpb_order = orders.filtered(lambda o: o.kind == "kpb")
        self.assertEqual(kpb_order.wor_lead_id, kpb1)
        self.assertEqual(kpb_order.kpb_number, 1)
        self.assertEqual(kpb_order.partner_id, unit.partner_id)
        self.assertEqual(kpb_order.odometer, 980)
        regular = orders - kpb_order
        self.assertEqual(regular.kind, "regular")
        self.assertFalse(regular.wor_lead_id)
        log = self.backend._dms_pull("pkb", WEEK_1, WEEK_2)
        self.assertEqual((log.created, log.updated), (0, 0))
        self.assertEqual(kpb2.state, "new")

    def test_pkb_closes_booked_lead(self):
        """A KPB lead booked in the CRM is done by the work order too."""
        self.backend.pkb_enabled = False
        self._sync()
        unit = self.env["daya.unit.sale"].search([("frame_number", "=", FRAME)])
        kpb1 = self.env["daya.wor.lead"].create(
            {
                "partner_id": unit.partner_id.id,
                "unit_sale_id": unit.id,
                "branch_id": unit.branch_id.id,
                "wor_type": "kpb1",
            }
        )
        kpb1._on_booking()
        self.assertEqual(kpb1.state, "booked")
        self.backend._dms_pull("pkb", WEEK_1, WEEK_2)
        self.assertEqual(kpb1.state, "done")

    def test_duplicate_guard_rejects(self):
        """A prospect of a customer another salesperson already holds in the
        branch is rejected with the duplicate guard's message."""
        customer = self.env["res.partner"].create(
            {
                "name": "Budi Santoso",
                "nik": "3273010101900001",
                "mobile": "081234567001",
            }
        )
        self.env["crm.lead"].with_user(self.user_sales_admin_a).create(
            self._lead_vals(name="Budi walk-in", partner_id=customer.id)
        )
        log = self.backend._dms_pull("prsp", START, WEEK_1)
        # Budi (sent twice in the window: one record) and the bad type
        self.assertEqual(log.rejected, 2)
        self.assertIn("already has an open lead", log.rejection_reasons)
        self.assertFalse(self._budi())

    def test_cron_runs_again_while_behind(self):
        """The scheduled action pulls from the cursors up to now, one window per
        endpoint here, and triggers itself again while behind."""
        self.backend.max_windows = 1
        cron = self.env.ref("daya_dms.ir_cron_dms_pull")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        self.env["daya.dms.backend"]._cron_dms_pull()
        self.assertEqual(self.backend.prsp_cursor, WEEK_1)
        self.assertEqual(self.backend.pkb_cursor, WEEK_1)
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)

    def test_one_pull_of_a_backend_at_a_time(self):
        """While another worker pulls the connection (it holds the connection's
        pull lock, from its own database connection), the scheduled action
        leaves the connection to it and "Pull Now" says so; nothing is pulled
        twice. Once it is done, the pull goes on from the cursors, and the lock
        is free again even after a pull that failed in SQL."""
        admin = self.backend.with_user(self.env.ref("base.user_admin"))
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_advisory_lock(%s, %s)", (PULL_LOCK, self.backend.id)
            )
            self.assertFalse(self.env["daya.dms.backend"]._cron_dms_pull())
            with self.assertRaisesRegex(UserError, "is being pulled right now"):
                admin.action_pull_now()
            self.assertFalse(self.server.calls)
            self.assertFalse(self._logs())
        finally:
            other.execute(
                "SELECT pg_advisory_unlock(%s, %s)", (PULL_LOCK, self.backend.id)
            )
        admin.action_pull_now()
        self.assertEqual(len(self._leads()), 3)
        self.assertGreater(self.backend.prsp_cursor, START)
        # a worker whose pull fails in SQL (its own connection) releases the lock
        worker = db_connect(self.env.cr.dbname).cursor()
        try:
            backend = api.Environment(worker, SUPERUSER_ID, {})[
                "daya.dms.backend"
            ].browse(self.backend.id)
            with self.assertRaises(psycopg2.Error):
                with backend._dms_pull_lock() as locked:
                    self.assertTrue(locked)
                    worker.execute("SELECT 1 / 0", log_exceptions=False)
            other.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", (PULL_LOCK, self.backend.id)
            )
            self.assertTrue(other.fetchone()[0], "the pull lock was released")
            other.execute(
                "SELECT pg_advisory_unlock(%s, %s)", (PULL_LOCK, self.backend.id)
            )
        finally:
            worker.close()
            other.close()

    def test_dates_as_dms_write_them(self):
        """A DMS date is read in the ways providers write it (dd/mm/yyyy, with
        or without its time, unpadded, or ISO); anything else is refused."""
        parse = self.backend._dms_parse_date
        for text in (
            "01/02/2026",
            "1/2/2026",
            " 01/02/2026 ",
            "01/02/2026 10:11:12",
            "1/2/2026 1:2:3",
            "2026-02-01",
            "2026-2-1",
            "2026-02-01 10:11:12",
        ):
            self.assertEqual(parse(text), date(2026, 2, 1), text)
        self.assertFalse(parse(""))
        for text in ("31/02/2026", "01-02-2026", "01/02/2026 10:11", "kemarin"):
            with (
                self.subTest(text=text),
                self.assertRaisesRegex(ValueError, "is not a DMS date"),
            ):
                parse(text)

    def test_test_connection(self):
        """The button tells the administrator whether the DMS answers, and why
        not."""
        backend = self.backend.with_user(self.env.ref("base.user_admin"))
        self.assertEqual(backend.action_test_connection()["params"]["type"], "success")
        self.server.fail = "status0"
        with self.assertRaisesRegex(UserError, "Database is busy"):
            backend.action_test_connection()
