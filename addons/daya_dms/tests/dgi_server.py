"""A DGI server (Honda's Dealer Gateway Integration) on 127.0.0.1, in a thread,
for the tests: it speaks the protocol the DMS providers speak and checks what
they check.

``POST <root>/<code>/read`` with ``{"fromTime", "toTime", "dealerId"}``:

* ``DGI-API-Key`` must be the key, ``X-Request-Time`` within 10 seconds of the
  server's clock, ``DGI-API-Token`` sha256 of key, secret and time (concatenated,
  or joined with ``:`` when the server is told so): else HTTP 401;
* the window must end after it starts and last at most ``max_days`` (7): else
  HTTP 400 with ``status`` 0;
* the answer is ``{"status": 1, "message": "OK", "data": [...]}``: the fixture
  records of the endpoint whose time lies in the window (local time, as sent).

``fail`` makes it fail: ``"500"``, ``"timeout"`` (answers after ``delay``
seconds), ``"status0"``, ``"badjson"``.
"""

import hashlib
import json
import logging
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_logger = logging.getLogger(__name__)
PORTS = (8175, 8176, 8177, 8178, 8179)


class DgiServer:
    def __init__(self, key, secret, dealer_id, root="/dgi-api/v1.3"):
        self.key = key
        self.secret = secret
        self.dealer_id = dealer_id
        self.root = root
        self.join = ""
        self.max_days = 7
        self.clock_offset = 0  # seconds the server's clock is ahead
        self.fail = None
        self.delay = 0
        self.fixtures = {}  # endpoint: [(local datetime, record)]
        self.calls = []  # (endpoint, body, headers) of every request
        self.httpd = None
        self.thread = None

    # ------------------------------------------------------------
    # life cycle
    # ------------------------------------------------------------

    def start(self):
        server = self
        for port in PORTS + (0,):
            try:
                self.httpd = ThreadingHTTPServer(
                    ("127.0.0.1", port), _handler_class(server)
                )
                break
            except OSError:
                continue
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    @property
    def base_url(self):
        return "http://127.0.0.1:%s%s" % (self.httpd.server_address[1], self.root)

    def add(self, endpoint, when, record):
        """Serve ``record`` on ``endpoint`` for windows holding ``when`` (a
        local naive datetime)."""
        self.fixtures.setdefault(endpoint, []).append((when, record))

    # ------------------------------------------------------------
    # the protocol
    # ------------------------------------------------------------

    def answer(self, path, headers, raw_body):
        """(HTTP status, body bytes) for a request."""
        prefix = self.root + "/"
        if not (path.startswith(prefix) and path.endswith("/read")):
            return 404, _json(0, "Unknown endpoint")
        endpoint = path[len(prefix) : -len("/read")]
        try:
            body = json.loads(raw_body or b"{}")
        except ValueError:
            return 400, _json(0, "Invalid JSON")
        self.calls.append((endpoint, body, dict(headers)))
        key = headers.get("DGI-API-Key")
        stamp = headers.get("X-Request-Time") or ""
        token = headers.get("DGI-API-Token")
        if key != self.key:
            return 401, _json(0, "Invalid API key")
        if (
            not stamp.isdigit()
            or abs(time.time() + self.clock_offset - int(stamp)) > 10
        ):
            return 401, _json(0, "Request time is out of the allowed range")
        expected = hashlib.sha256(
            self.join.join((self.key, self.secret, stamp)).encode()
        ).hexdigest()
        if token != expected:
            return 401, _json(0, "Invalid token")
        if body.get("dealerId") != self.dealer_id:
            return 400, _json(0, "Unknown dealerId")
        try:
            start = datetime.strptime(body["fromTime"], TIME_FORMAT)
            end = datetime.strptime(body["toTime"], TIME_FORMAT)
        except (KeyError, TypeError, ValueError):
            return 400, _json(
                0, "fromTime and toTime are required (YYYY-MM-DD HH:MM:SS)"
            )
        if end <= start or (end - start).total_seconds() > self.max_days * 86400:
            return 400, _json(0, "The window must be at most %s days" % self.max_days)
        if self.fail == "500":
            return 500, b"Internal Server Error"
        if self.fail == "timeout":
            time.sleep(self.delay)
        if self.fail == "status0":
            return 200, _json(0, "Database is busy, try again later")
        if self.fail == "badjson":
            return 200, b"<html>maintenance</html>"
        data = [
            record
            for when, record in self.fixtures.get(endpoint, [])
            if start <= when < end
        ]
        return 200, _json(1, "OK", data)


def _json(status, message, data=None):
    return json.dumps(
        {"status": status, "message": message, "data": data or []}
    ).encode()


def _handler_class(server):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the http.server API)
            length = int(self.headers.get("Content-Length") or 0)
            status, body = server.answer(
                self.path, self.headers, self.rfile.read(length)
            )
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError as error:  # the client gave up (timeout test)
                _logger.debug("DGI test server: the client left: %s", error)

        def log_message(self, *args):
            pass

    return Handler
