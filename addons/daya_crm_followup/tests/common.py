import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

from odoo.addons.daya_base.tests.common import DayaCrmCommon


class FollowupCommon(DayaCrmCommon):
    """A motorcycle sold on Monday 2 March 2026 in branch A, delivered on the 4th,
    its STNK ready on the 16th; the branch works Monday to Friday."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Task = cls.env["daya.followup.task"]
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Branch A hours", "tz": "Asia/Jakarta"}
        )  # default attendances: Monday to Friday
        cls.branch_a.resource_calendar_id = cls.calendar
        cls.branch_b.resource_calendar_id = cls.calendar
        cls.customer = cls.env["res.partner"].create(
            {"name": "Rina", "mobile": "0857-1111-2222"}
        )
        cls.unit = cls._unit("MH1TEST0001", cls.customer, cls.branch_a)

    @classmethod
    def _unit(cls, frame, customer, branch, **values):
        return cls.env["daya.unit.sale"].create(
            dict(
                {
                    "partner_id": customer.id,
                    "branch_id": branch.id,
                    "product_id": cls.type_beat.product_variant_ids[0].id,
                    "frame_number": frame,
                    "sale_date": date(2026, 3, 2),
                    "delivery_date": date(2026, 3, 4),
                    "stnk_ready_date": date(2026, 3, 16),
                    "payment_type": "cash",
                },
                **values,
            )
        )

    def _generate(self, day, **kw):
        self.Task._generate_followups(day, **kw)
        return self.Task.search([("unit_sale_id", "=", self.unit.id)])

    def _codes(self, tasks):
        return sorted(tasks.mapped("rule_id.code"))


class GatewayHandler(BaseHTTPRequestHandler):
    """A message gateway on 127.0.0.1: records what it receives; /fail answers 500."""

    received = []
    probe = None  # called with each payload before answering

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", 0))
        payload = json.loads(self.rfile.read(length))
        payload["authorization"] = self.headers.get("Authorization")
        payload["path"] = self.path
        if GatewayHandler.probe:
            GatewayHandler.probe(payload)
        GatewayHandler.received.append(payload)
        self.send_response(500 if self.path == "/fail" else 200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def start_gateway(case_class):
    """Serve GatewayHandler on 127.0.0.1 (a free port) for the test class; its base
    URL. GatewayHandler.received is shared: clear it in setUp."""
    server = HTTPServer(("127.0.0.1", 0), GatewayHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    case_class.addClassCleanup(server.shutdown)
    return "http://127.0.0.1:%s" % server.server_address[1]
