from datetime import datetime

from odoo.addons.daya_base.tests.common import NIK_MAN, DayaCrmCommon

from .dgi_server import DgiServer

KEY = "dealer-key-123"
SECRET = "s3cret-never-shown"
DEALER = "07550"
FRAME = "MH1JM1234567"
# the backend starts pulling on 1 February 2026, 00:00 in Jakarta (UTC+7)
START = datetime(2026, 1, 31, 17, 0)
# a week later, two weeks later (naive UTC, as Odoo stores datetimes)
WEEK_1 = datetime(2026, 2, 7, 17, 0)
WEEK_2 = datetime(2026, 2, 14, 17, 0)


def _prospect(number, name, **values):
    """Branch A's DMS prospect number ``number`` (a medium one unless
    ``values`` say otherwise)."""
    return dict(
        {
            "idProspect": "07550/PSP/2602/%04d" % number,
            "namaLengkap": name,
            "noKontak": "0812345670%02d" % number,
            "statusProspect": "2",
        },
        **values,
    )


class DmsCommon(DayaCrmCommon):
    """Branch A's DMS on a local DGI server serving two weeks of records: prospects
    (one with a bad type code, one repeated), a deal, its leasing and billing, its
    delivery (and a delivery of an unknown deal), the STNK and a KPB work order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_beat.product_variant_ids.write({"default_code": "HBEAT"})
        cls.type_scoopy.product_variant_ids.write({"default_code": "HSCPY"})
        cls.color_black.dms_code = "BK"
        cls.color_red.dms_code = "RD"
        cls.server, cls.backend = cls._dms_connection(
            DEALER, cls.branch_a, START, cls.addClassCleanup, name="DMS Bandung"
        )
        Map = cls.env["daya.dms.code.map"]
        Map.create(
            [
                {
                    "code_type": "occupation",
                    "code": "02",
                    "occupation_id": cls.occupation.id,
                },
                {"code_type": "leasing", "code": "ADR", "leasing_id": cls.leasing.id},
                {
                    "code_type": "salesperson",
                    "code": "SLS-A",
                    "user_id": cls.user_sales_a.id,
                },
            ]
        )
        cls._serve_fixtures(cls.server)

    def setUp(self):
        super().setUp()
        self.server.fail = None
        self.server.join = ""
        self.server.clock_offset = 0
        self.server.calls.clear()

    @classmethod
    def _dms_connection(cls, dealer, branches, start, cleanup, fixtures=None, **values):
        """A local DGI server for ``dealer`` (serving ``fixtures``, from
        ``generate_fixtures``) and a DMS connection of ``branches`` to it, pulling
        from ``start``; ``cleanup`` (addCleanup or addClassCleanup) stops the
        server."""
        server = DgiServer(KEY, SECRET, dealer).start()
        cleanup(server.stop)
        if fixtures:
            server.load(fixtures)
        backend = cls.env["daya.dms.backend"].create(
            server.connection_values(branches, start, **values)
        )
        return server, backend

    @classmethod
    def _serve_fixtures(cls, server):
        add = server.add
        # week 1 (1-7 February, Jakarta time)
        budi = _prospect(
            1,
            "Budi Santoso",
            sumberProspect="0004",
            tanggalProspect="01/02/2026",
            noKtp=NIK_MAN,
            alamat="Jl. Dago 10",
            kodePos="40135",
            kodePekerjaan="02",
            statusProspect="3",
            idSalesPeople="SLS-A",
            unit=[{"kodeTipeUnit": "HBEAT", "salesProgramId": ""}],
        )
        add("prsp", datetime(2026, 2, 1, 9, 0), budi)
        add("prsp", datetime(2026, 2, 1, 9, 30), dict(budi))  # sent twice
        add(
            "prsp",
            datetime(2026, 2, 2, 10, 0),
            _prospect(
                2,
                "Siti Nurhaliza",
                sumberProspect="0001",
                tanggalProspect="02/02/2026",
                statusProspect="1",
                unit=[{"kodeTipeUnit": "HSCPY"}],
            ),
        )
        add(
            "prsp",
            datetime(2026, 2, 2, 11, 0),
            _prospect(3, "Asep Sunandar", unit=[{"kodeTipeUnit": "XZ-UNKNOWN"}]),
        )
        add(
            "spk",
            datetime(2026, 2, 3, 14, 0),
            {
                "idSpk": "07550/SPK/2602/0001",
                "idProspect": "07550/PSP/2602/0001",
                "namaCustomer": "Budi Santoso",
                "noKtp": NIK_MAN,
                "idSalesPeople": "SLS-A",
                "tanggalPesanan": "03/02/2026",
                "statusSPK": "Open",
                "unit": [
                    {
                        "kodeTipeUnit": "HBEAT",
                        "kodeWarna": "BK",
                        "quantity": 1,
                        "hargaJual": 18650000,
                        "diskon": 500000,
                        "tipePembayaran": "2",
                        "jumlahTandaJadi": 500000,
                        "tanggalPengiriman": "05/02/2026",
                    }
                ],
            },
        )
        add(
            "lsng",
            datetime(2026, 2, 3, 16, 0),
            {
                "idDokumenPengajuan": "07550/LSG/2602/0001",
                "idSPK": "07550/SPK/2602/0001",
                "jumlahDP": "2000000",
                "tenor": "23",
                "jumlahCicilan": "950000",
                "idFinanceCompany": "ADR",
            },
        )
        add(
            "inv1",
            datetime(2026, 2, 4, 9, 0),
            {
                "idInvoice": "07550/INV/2602/0001",
                "idSPK": "07550/SPK/2602/0001",
                "idCustomer": "C-0001",
                "amount": 18150000,
                "tipePembayaran": "2",
                "status": "Paid",
            },
        )
        add(
            "bast",
            datetime(2026, 2, 5, 15, 0),
            {
                "deliveryDocumentId": "07550/BAST/2602/0001",
                "tanggalPengiriman": "05/02/2026",
                "statusDeliveryDocument": "Closed",
                "detail": [
                    {
                        "noSO": "SO-0001",
                        "idSPK": "07550/SPK/2602/0001",
                        "noMesin": "jm12e1234567",
                        "noRangka": FRAME.lower(),
                        "idCustomer": "C-0001",
                        "namaPenerima": "Budi Santoso",
                    },
                    {
                        "noSO": "SO-0002",
                        "idSPK": "07550/SPK/2602/9999",
                        "noMesin": "JM12E7654321",
                        "noRangka": "MH1JM7654321",
                        "namaPenerima": "Orang Lain",
                    },
                ],
            },
        )
        # week 2 (8-14 February)
        add(
            "prsp",
            datetime(2026, 2, 9, 8, 0),
            _prospect(4, "Dewi Lestari", sumberProspect="0011", kodePekerjaan="02"),
        )
        add(
            "doch",
            datetime(2026, 2, 10, 10, 0),
            {
                "idSO": "SO-0001",
                "idSPK": "07550/SPK/2602/0001",
                "detail": [
                    {
                        "noRangka": FRAME,
                        "nomorSTNK": "STNK-123",
                        "tanggalPenerimaanSTNKDariBiro": "10/02/2026",
                    }
                ],
            },
        )
        add(
            "pkb",
            datetime(2026, 2, 12, 9, 0),
            {
                "noWorkOrder": "07550/WO/2602/0001",
                "noPolisi": "D 1234 ABC",
                "noRangka": FRAME,
                "kmTerakhir": "980",
                "tipeComingCustomer": "Booking",
                "asalUnitEntry": "Booking Service",
                "jenisPIT": "KPB",
                "statusWorkOrder": "Closed",
                "tanggalServis": "12/02/2026",
                "services": [{"kodeJasa": "ASS1", "namaJasa": "Servis KPB 1"}],
                "parts": [],
            },
        )
        add(
            "pkb",
            datetime(2026, 2, 13, 9, 0),
            {
                "noWorkOrder": "07550/WO/2602/0002",
                "noPolisi": "D 9999 XY",
                "noRangka": "MH1OTHER00001",
                "jenisPIT": "Reguler",
                "statusWorkOrder": "Closed",
                "services": [{"kodeJasa": "SRV-GEN", "namaJasa": "Servis Lengkap"}],
            },
        )

    # helpers

    def _logs(self, endpoint=None):
        domain = [("backend_id", "=", self.backend.id)]
        if endpoint:
            domain.append(("endpoint", "=", endpoint))
        return self.env["daya.dms.log"].search(domain, order="id")

    def _leads(self):
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("dms_backend_id", "=", self.backend.id)])
        )
