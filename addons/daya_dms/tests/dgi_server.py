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
import random
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_logger = logging.getLogger(__name__)


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
        self.added = []  # (path, body) of every record written (prsp/add)
        self.httpd = None
        self.thread = None

    # ------------------------------------------------------------
    # life cycle
    # ------------------------------------------------------------

    def start(self):
        # an ephemeral port: parallel runs never collide
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
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

    def connection_values(self, branches, start, **values):
        """The values of a DMS connection (``daya.dms.backend``) of ``branches``
        to this server, pulling from ``start`` (naive UTC); ``values`` add to or
        replace them."""
        return dict(
            {
                "name": "DMS %s" % self.dealer_id,
                "base_url": self.base_url,
                "dealer_code": self.dealer_id,
                "api_key": self.key,
                "api_secret": self.secret,
                "branch_ids": [(6, 0, branches.ids)],
                "date_start": start,
                "timeout": 5,
            },
            **values,
        )

    def load(self, fixtures):
        """Serve generated fixtures (:func:`generate_fixtures`)."""
        for endpoint, rows in fixtures.items():
            if endpoint != "expected":
                self.fixtures.setdefault(endpoint, []).extend(rows)
        return self

    def add(self, endpoint, when, record):
        """Serve ``record`` on ``endpoint`` for windows holding ``when`` (a
        local naive datetime)."""
        self.fixtures.setdefault(endpoint, []).append((when, record))

    # ------------------------------------------------------------
    # the protocol
    # ------------------------------------------------------------

    def _add(self, path, body):
        """Record a written prospect; its DMS id is ``DMS-<its idProspect>``."""
        if self.fail == "500":
            return 500, b"Internal Server Error"
        if self.fail == "status0":
            return 200, _json(0, "Database is busy, try again later")
        if not body.get("idProspect") or not body.get("namaLengkap"):
            return 400, _json(0, "idProspect and namaLengkap are required")
        self.added.append((path, body))
        return 200, json.dumps(
            {
                "status": 1,
                "message": "OK",
                "data": {"idProspect": "DMS-%s" % body["idProspect"]},
            }
        ).encode()

    def answer(self, path, headers, raw_body):
        """(HTTP status, body bytes) for a request."""
        prefix = self.root + "/"
        writing = path.startswith(prefix) and path.endswith("/add")
        if not (path.startswith(prefix) and (path.endswith("/read") or writing)):
            return 404, _json(0, "Unknown endpoint")
        endpoint = path[len(prefix) :].rsplit("/", 1)[0]
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
        if writing:
            return self._add(path, body)
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


# ------------------------------------------------------------
# generated fixtures: a dealer's weeks of records, reproducible from a seed
# ------------------------------------------------------------

FIRST_NAMES = (
    "Agus",
    "Budi",
    "Cecep",
    "Dadang",
    "Dewi",
    "Eka",
    "Endang",
    "Fitri",
    "Gilang",
    "Hendra",
    "Ika",
    "Iwan",
    "Joko",
    "Kurniawan",
    "Lina",
    "Maya",
    "Nining",
    "Nurul",
    "Oman",
    "Putri",
    "Rina",
    "Rudi",
    "Siti",
    "Tatang",
    "Ujang",
    "Wawan",
    "Yanti",
    "Yusuf",
    "Asep",
    "Euis",
)
LAST_NAMES = (
    "Setiawan",
    "Hidayat",
    "Saputra",
    "Kusuma",
    "Permana",
    "Nugraha",
    "Rahayu",
    "Suryadi",
    "Gunawan",
    "Hermawan",
    "Lestari",
    "Sumarna",
    "Wijaya",
    "Firmansyah",
    "Ramdani",
    "Sopandi",
    "Maulana",
    "Kurnia",
    "Anggraeni",
    "Purnama",
)
STREETS = (
    "Jl. Dago",
    "Jl. Soekarno-Hatta",
    "Jl. Cibaduyut",
    "Jl. Pasteur",
    "Jl. Merdeka",
    "Jl. Cihampelas",
    "Jl. Kopo",
    "Jl. Buah Batu",
    "Jl. Riau",
    "Jl. Setiabudi",
)


def generate_fixtures(
    dealer,
    start,
    seed=13,
    prospects=200,
    days=14,
    types=None,
    salespeople=("",),
    leasing=("ADR",),
    nik_region="327301",
    bad_rows=True,
):
    """A dealer's records on every endpoint, the same for the same arguments:
    ``prospects`` prospects (Indonesian names, valid NIKs and phones, one sent
    twice) over the first days from ``start`` (a local naive datetime), the
    customer data (cdb) of one prospect in five, a deal
    for two prospects in three, leasing for the credit ones, a billing per deal,
    a delivery for most deals, STNK documents for half the deliveries, and KPB or
    regular work orders for some motorcycles; with ``bad_rows``, a few records
    the CRM must refuse (unknown type or colour, no name, bad date, a deal or a
    frame it does not know, a row that is not an object, customer data of an
    unknown NIK or with an unknown code). Returns
    ``{endpoint: [(local datetime, record)]}`` and the expectations in
    ``["expected"]``: the ids of what must be created."""
    rng = random.Random(seed)
    types = types or {"HBEAT": ("BK", "RD"), "HSCPY": ("CR", "RD")}
    type_codes = sorted(types)
    out = {
        code: []
        for code in ("prsp", "spk", "lsng", "inv1", "bast", "doch", "pkb", "cdb")
    }
    expected = {"prsp": [], "spk": [], "bast": [], "kpb": {}, "cdb": {}}
    third = max(days // 3, 1)

    def when(first_day, last_day):
        return start + timedelta(
            days=rng.randint(first_day, last_day - 1),
            hours=rng.randint(7, 19),
            minutes=rng.randint(0, 59),
        )

    deals = []
    for number in range(1, prospects + 1):
        woman = rng.random() < 0.5
        birth_day = rng.randint(1, 28) + (40 if woman else 0)
        nik = "%s%02d%02d%02d%04d" % (  # serial 0001-9999
            nik_region,
            birth_day,
            rng.randint(1, 12),
            rng.randint(60, 99),
            (number - 1) % 9999 + 1,
        )
        name = "%s %s" % (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        prospect_id = "%s/PSP/%05d" % (dealer, number)
        moment = when(0, third)
        type_code = rng.choice(type_codes)
        record = {
            "idProspect": prospect_id,
            "sumberProspect": rng.choice(("0001", "0004", "0011", "9999")),
            "tanggalProspect": moment.strftime("%d/%m/%Y"),
            "namaLengkap": name,
            "noKontak": "0812%s%05d" % (dealer[-3:], number),
            "noKtp": nik,
            "alamat": "%s %s" % (rng.choice(STREETS), rng.randint(1, 300)),
            "kodePos": "40%03d" % rng.randint(100, 999),
            "kodePekerjaan": "02",
            "statusProspect": rng.choice(("1", "2", "3")),
            "idSalesPeople": rng.choice(salespeople),
            "unit": [{"kodeTipeUnit": type_code, "salesProgramId": ""}],
        }
        out["prsp"].append((moment, record))
        expected["prsp"].append(prospect_id)
        if number % 5 == 0:  # the customer's data (CDB), matching the NIK
            cdb = {
                "idCustomer": "%s/CUST/%05d" % (dealer, number),
                "noKtp": nik,
                "tempatLahir": "Bandung",
                "tanggalLahir": "%02d/%s/19%s"
                % (birth_day % 40, nik[8:10], nik[10:12]),
                "jenisKelamin": "2" if woman else "1",
                "email": "pelanggan%05d@contoh.co.id" % number,
                "pengeluaran": str(rng.randint(1, 5)),
                "statusRumah": str(rng.randint(1, 5)),
                "penggunaanMotor": str(rng.randint(1, 7)),
                "kodePekerjaan": "02",
                # the motorcycle owned now: each brand code in turn, 6 for none
                "idMerkMotorYangDimilikiSekarang": str(number // 5 % 6 + 1),
            }
            out["cdb"].append((when(third, 2 * third), cdb))
            expected["cdb"][nik] = cdb
        if number == 1:  # the DMS sends a prospect twice
            out["prsp"].append((moment + timedelta(minutes=1), dict(record)))
        if number % 3 == 0:
            continue
        spk_id = "%s/SPK/%05d" % (dealer, number)
        credit = rng.random() < 0.6
        price = rng.choice((18650000, 22740000, 27500000))
        out["spk"].append(
            (
                when(third, 2 * third),
                {
                    "idSpk": spk_id,
                    "idProspect": prospect_id,
                    "namaCustomer": name,
                    "noKtp": nik,
                    "idSalesPeople": record["idSalesPeople"],
                    "tanggalPesanan": (start + timedelta(days=third)).strftime(
                        "%d/%m/%Y"
                    ),
                    "statusSPK": "Open",
                    "unit": [
                        {
                            "kodeTipeUnit": type_code,
                            "kodeWarna": rng.choice(types[type_code]),
                            "quantity": 1,
                            "hargaJual": price,
                            "diskon": rng.choice((0, 250000, 500000)),
                            "tipePembayaran": "2" if credit else "1",
                            "jumlahTandaJadi": 500000,
                        }
                    ],
                },
            )
        )
        expected["spk"].append(spk_id)
        if credit:
            out["lsng"].append(
                (
                    when(third, 2 * third),
                    {
                        "idDokumenPengajuan": "%s/LSG/%05d" % (dealer, number),
                        "idSPK": spk_id,
                        "jumlahDP": str(rng.choice((1500000, 2000000, 3000000))),
                        "tenor": str(rng.choice((11, 23, 35))),
                        "jumlahCicilan": str(rng.randint(700, 1500) * 1000),
                        "idFinanceCompany": rng.choice(leasing),
                    },
                )
            )
        out["inv1"].append(
            (
                when(third, 2 * third),
                {
                    "idInvoice": "%s/INV/%05d" % (dealer, number),
                    "idSPK": spk_id,
                    "amount": price,
                    "tipePembayaran": "2" if credit else "1",
                    "status": rng.choice(("Open", "Paid")),
                },
            )
        )
        deals.append((number, spk_id, name))
    # deliveries: five in six deals, two or three motorcycles per document
    delivered = [deal for deal in deals if deal[0] % 6 != 4]
    for index in range(0, len(delivered), 3):
        group = delivered[index : index + rng.choice((2, 3))]
        moment = when(2 * third, days)
        details = []
        for number, spk_id, name in group:
            frame = "MH1%s%010d" % (dealer[-2:], number)
            details.append(
                {
                    "noSO": "SO-%05d" % number,
                    "idSPK": spk_id,
                    "noMesin": "JM%02dE%07d" % (int(dealer[-2:]) % 100, number),
                    "noRangka": frame,
                    "namaPenerima": name,
                }
            )
            expected["bast"].append(frame)
        if details:
            out["bast"].append(
                (
                    moment,
                    {
                        "deliveryDocumentId": "%s/BAST/%05d" % (dealer, index),
                        "tanggalPengiriman": moment.strftime("%d/%m/%Y"),
                        "statusDeliveryDocument": "Closed",
                        "detail": details,
                    },
                )
            )
    for position, frame in enumerate(expected["bast"]):
        end = start + timedelta(days=days, seconds=-1)
        if position % 2 == 0:
            out["doch"].append(
                (
                    end - timedelta(hours=position % 20),
                    {
                        "detail": [
                            {
                                "noRangka": frame,
                                "tanggalPenerimaanSTNKDariBiro": end.strftime(
                                    "%d/%m/%Y"
                                ),
                            }
                        ]
                    },
                )
            )
        if position % 4 in (0, 1):
            kpb = 1 if position % 4 == 0 else 2
            expected["kpb"][frame] = kpb
            job = "ASS%s" % kpb
        else:
            job = "SRV-GEN"
        out["pkb"].append(
            (
                end - timedelta(hours=position % 20, minutes=1),
                {
                    "noWorkOrder": "%s/WO/%05d" % (dealer, position + 1),
                    "noPolisi": "D %04d %s" % (position + 1, rng.choice(("AB", "XY"))),
                    "noRangka": frame,
                    "kmTerakhir": str(rng.randint(500, 4000)),
                    "jenisPIT": "KPB" if job.startswith("ASS") else "Reguler",
                    "statusWorkOrder": "Closed",
                    "tanggalServis": end.strftime("%d/%m/%Y"),
                    "services": [{"kodeJasa": job}],
                    "parts": [],
                },
            )
        )
    if bad_rows:
        moment = start + timedelta(hours=10)
        later = start + timedelta(days=2 * third, hours=10)
        out["prsp"] += [
            (
                moment,
                {
                    "idProspect": "%s/PSP/BAD1" % dealer,
                    "namaLengkap": "Tipe Aneh",
                    "unit": [{"kodeTipeUnit": "XZ-UNKNOWN"}],
                },
            ),
            (moment, {"idProspect": "%s/PSP/BAD2" % dealer, "noKontak": "0812000"}),
            (
                moment,
                {
                    "idProspect": "%s/PSP/BAD3" % dealer,
                    "namaLengkap": "Tanggal",
                    "tanggalProspect": "31/02/2026",
                },
            ),
            (moment, "not an object"),
        ]
        out["spk"].append(
            (
                start + timedelta(days=third, hours=9),
                {
                    "idSpk": "%s/SPK/BAD1" % dealer,
                    "namaCustomer": "Warna Salah",
                    "unit": [
                        {
                            "kodeTipeUnit": type_codes[0],
                            "kodeWarna": "ZZ",
                            "tipePembayaran": "1",
                        }
                    ],
                },
            )
        )
        out["bast"].append(
            (
                later,
                {
                    "deliveryDocumentId": "%s/BAST/BAD" % dealer,
                    "tanggalPengiriman": later.strftime("%d/%m/%Y"),
                    "detail": [
                        {
                            "idSPK": "%s/SPK/99999" % dealer,
                            "noRangka": "MH1XX9999999999",
                            "namaPenerima": "Orang Lain",
                        }
                    ],
                },
            )
        )
        out["doch"].append(
            (
                later,
                {
                    "detail": [
                        {
                            "noRangka": "MH1ZZ0000000000",
                            "tanggalJadiSTNK": later.strftime("%d/%m/%Y"),
                        }
                    ]
                },
            )
        )
        out["pkb"].append(
            (later, {"noWorkOrder": "%s/WO/BAD" % dealer, "kmTerakhir": "banyak"})
        )
        first_nik = out["prsp"][0][1]["noKtp"]
        out["cdb"] += [
            (
                later,
                {
                    "idCustomer": "%s/CUST/BAD1" % dealer,
                    "noKtp": "%s0101990000" % nik_region,  # nobody's
                    "tempatLahir": "Garut",
                },
            ),
            (
                later,
                {
                    "idCustomer": "%s/CUST/BAD2" % dealer,
                    "noKtp": first_nik,
                    "tempatLahir": "Cimahi",
                    "pengeluaran": "99",  # no such code
                },
            ),
        ]
    out["expected"] = expected
    return out
