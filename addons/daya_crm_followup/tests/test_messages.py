import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

from freezegun import freeze_time

from odoo.tests import tagged

from .common import FollowupCommon


class GatewayHandler(BaseHTTPRequestHandler):
    """A message gateway on 127.0.0.1: records what it receives; /fail answers 500."""

    received = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", 0))
        payload = json.loads(self.rfile.read(length))
        payload["authorization"] = self.headers.get("Authorization")
        payload["path"] = self.path
        GatewayHandler.received.append(payload)
        self.send_response(500 if self.path == "/fail" else 200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestMessages(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = HTTPServer(("127.0.0.1", 0), GatewayHandler)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.addClassCleanup(cls.server.shutdown)
        cls.base_url = "http://127.0.0.1:%s" % cls.server.server_address[1]
        cls.env["daya.message.gateway"].search([]).active = False
        cls.whatsapp = cls.env["daya.message.gateway"].create(
            {
                "name": "Local WA",
                "channel": "whatsapp",
                "url": cls.base_url + "/send",
                "api_token": "secret-token",
                "timeout": 5,
            }
        )
        cls.sms = cls.env["daya.message.gateway"].create(
            {"name": "Local SMS", "channel": "sms", "url": cls.base_url + "/send"}
        )

    def setUp(self):
        super().setUp()
        GatewayHandler.received.clear()

    def test_kpb1_whatsapp_blast(self):
        self.Task._generate_followups(date(2026, 4, 1))
        kpb1 = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu1")]
        )
        self.assertEqual(kpb1.channel, "whatsapp")
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        [message] = [m for m in GatewayHandler.received if "KPB 1" in m["message"]]
        self.assertEqual(message["to"], "+6285711112222")
        self.assertEqual(message["authorization"], "Bearer secret-token")
        self.assertIn("Rina", message["message"])
        self.assertIn("02/05/2026", message["message"])  # KPB 1 valid until
        self.assertEqual(kpb1.message_state, "sent")
        self.assertEqual(kpb1.state, "todo", "waits for the customer's reply")
        log = self.env["daya.message.log"].search([("task_id", "=", kpb1.id)])
        self.assertEqual(log.state, "sent")
        # sent once only
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        self.assertEqual(
            len([m for m in GatewayHandler.received if "KPB 1" in m["message"]]), 1
        )

    def test_stnk_sms_in_bahasa_indonesia(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["daya_crm_followup"], ["id_ID"]
        )
        self.customer.lang = "id_ID"
        self.Task._generate_followups(date(2026, 3, 16))
        stnk = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("kind", "=", "stnk")]
        )
        with freeze_time("2026-03-16"):
            self.Task._cron_send_messages()
        sms = [m for m in GatewayHandler.received if m["to"] == "+6285711112222"]
        self.assertTrue(any("MH1TEST0001" in m["message"] for m in sms))
        self.assertTrue(any("sudah jadi" in m["message"] for m in sms), sms)
        self.assertEqual((stnk.state, stnk.result), ("done", "contacted"))

    def test_failing_gateway_turns_into_call(self):
        self.whatsapp.url = self.base_url + "/fail"
        self.Task._generate_followups(date(2026, 4, 1))
        kpb1 = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu1")]
        )
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        self.assertEqual(kpb1.message_state, "failed")
        self.assertEqual(kpb1.channel, "call")
        self.assertEqual(kpb1.state, "todo")
        log = self.env["daya.message.log"].search([("task_id", "=", kpb1.id)])
        self.assertEqual(log.state, "failed")
        self.assertIn("500", log.error)

    def test_unreachable_gateway(self):
        self.whatsapp.url = "http://127.0.0.1:9/send"  # nothing listens there
        self.Task._generate_followups(date(2026, 4, 1))
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        kpb1 = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu1")]
        )
        self.assertEqual((kpb1.message_state, kpb1.channel), ("failed", "call"))
