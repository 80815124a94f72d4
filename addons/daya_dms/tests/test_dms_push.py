import hashlib
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import tagged

from ..models.daya_dms_push import PUSH_LOCK
from .common import KEY, SECRET, DmsCommon


@tagged("post_install", "-at_install")
class TestDmsPush(DmsCommon):
    """Issue 13 item 4: a lead created in the CRM is sent to the DMS as a
    prospect, when the connection's sending is switched on."""

    def setUp(self):
        super().setUp()
        self.server.added.clear()

    def _new_lead(self, **values):
        return (
            self.env["crm.lead"]
            .with_user(self.user_sales_a)
            .create(
                self._lead_vals(
                    name="Rina Hermawan",
                    contact_name="Rina Hermawan",
                    mobile="081298760001",
                    motor_type_id=self.type_beat.id,
                    **values,
                )
            )
        )

    def _switch_on(self):
        self.backend.push_enabled = True
        self.assertTrue(self.backend.push_since)

    def test_off_by_default(self):
        """A connection sends nothing until sending is switched on."""
        self.assertFalse(self.backend.push_enabled)
        self._new_lead()
        self.env["daya.dms.backend"]._cron_dms_push()
        self.assertFalse(self.server.added)
        self.assertFalse(self._logs().filtered(lambda log: log.direction == "push"))

    def test_sent_once_signed_and_logged(self):
        """The new lead is posted to <base>/prsp/add with the DGI headers (the
        server checks them), as a prospect with the DMS's codes; it keeps the
        DMS's prospect id, is logged like a pull, and is never sent again."""
        self._switch_on()
        lead = self._new_lead()
        self.env["daya.dms.backend"]._cron_dms_push()
        self.assertEqual(len(self.server.added), 1)
        path, body = self.server.added[0]
        self.assertTrue(path.endswith("/dgi-api/v1.3/prsp/add"))
        self.assertEqual(body["idProspect"], lead.lead_number)
        self.assertEqual(body["namaLengkap"], "Rina Hermawan")
        self.assertEqual(body["dealerId"], "07550")
        self.assertEqual(body["noKontak"], "081298760001")
        self.assertEqual(body["idSalesPeople"], "SLS-A")
        self.assertEqual(body["kodePekerjaan"], "02")
        self.assertEqual(body["unit"][0]["kodeTipeUnit"], "HBEAT")
        _endpoint, _body, headers = self.server.calls[-1]
        stamp = headers["X-Request-Time"]
        self.assertEqual(
            headers["DGI-API-Token"],
            hashlib.sha256((KEY + SECRET + stamp).encode()).hexdigest(),
        )
        self.assertEqual(lead.dms_push_state, "sent")
        self.assertEqual(lead.dms_prospect_id, "DMS-%s" % lead.lead_number)
        log = self._logs().filtered(lambda log: log.direction == "push")
        self.assertEqual((log.state, log.endpoint, log.created), ("done", "prsp", 1))
        # the scheduled action again: nothing more is sent
        self.env["daya.dms.backend"]._cron_dms_push()
        self.assertEqual(len(self.server.added), 1)
        # the pulled prospects are not sent back
        self.backend._dms_pull(
            "prsp", self.backend.date_start, self.backend.date_start + timedelta(days=7)
        )
        self.assertTrue(self._leads())
        self.backend._dms_push()
        self.assertEqual(len(self.server.added), 1)

    def test_parallel_runs_send_once(self):
        """While another worker sends for the connection (it holds the
        connection's lock, from its own database connection), a second run sends
        nothing; afterwards the lead is sent once."""
        self._switch_on()
        self._new_lead()
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_advisory_lock(%s, %s)", (PUSH_LOCK, self.backend.id)
            )
            self.assertFalse(self.backend._dms_push())
            self.assertFalse(self.server.added)
        finally:
            other.execute(
                "SELECT pg_advisory_unlock(%s, %s)", (PUSH_LOCK, self.backend.id)
            )
            other.close()
        self.backend._dms_push()
        self.backend._dms_push()
        self.assertEqual(len(self.server.added), 1)

    def test_retry_with_back_off(self):
        """A refused call marks the lead failed and waits 5 minutes before the
        next try; the next try sends it."""
        self._switch_on()
        lead = self._new_lead()
        self.server.fail = "500"
        log = self.backend._dms_push()
        self.assertEqual((log.state, log.rejected), ("failed", 1))
        self.assertIn("HTTP 500", log.error)
        self.assertEqual((lead.dms_push_state, lead.dms_push_attempts), ("failed", 1))
        self.assertGreater(
            lead.dms_push_next, fields.Datetime.now() + timedelta(minutes=4)
        )
        self.server.fail = None
        self.assertFalse(self.backend._dms_push())  # not due yet
        self.assertFalse(self.server.added)
        lead.sudo().dms_push_next = fields.Datetime.now() - timedelta(seconds=1)
        self.backend._dms_push()
        self.assertEqual(len(self.server.added), 1)
        self.assertEqual((lead.dms_push_state, lead.dms_push_attempts), ("sent", 2))

    def test_users_cannot_mark_sent(self):
        """The sending state is the sync's: a user cannot write it."""
        lead = self._new_lead()
        with self.assertRaises(UserError):
            lead.with_user(self.user_branch_head_a).write({"dms_push_state": "sent"})
