from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DmsCommon
from .dgi_server import generate_fixtures

ENDPOINTS = ("prsp", "spk", "lsng", "inv1", "bast", "doch", "pkb", "cdb")
# the customer fields the customer data (cdb) fills in
CDB_FIELDS = (
    "birth_place",
    "birthdate",
    "gender",
    "email",
    "monthly_expense",
    "house_status",
    "motorcycle_use",
    "occupation_id",
    "previous_motorcycle",
    "motorcycle_ownership",
)


@tagged("post_install", "-at_install")
class TestDmsFixtures(DmsCommon):
    """Issue 13: two dealers' DMS (branch A and branch B), each serving two weeks
    of generated records (several hundred across the endpoints, with bad rows and
    a prospect sent twice), pulled in full once for the class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.color_cream.dms_code = "CR"
        cls.env["daya.dms.code.map"].create(
            {
                "code_type": "salesperson",
                "code": "SLS-B",
                "user_id": cls.user_sales_b.id,
            }
        )
        # two weeks ending a few days ago (local time): the KPB coupons are valid
        cls.start_local = datetime.combine(
            fields.Date.today() - timedelta(days=20), time()
        )
        cls.start = cls.start_local - timedelta(hours=7)  # naive UTC
        cls.now = cls.start + timedelta(days=14)
        cls.dealer_a = cls._dealer("17551", cls.branch_a, "SLS-A", 150, "327301")
        cls.dealer_b = cls._dealer("17552", cls.branch_b, "SLS-B", 100, "327302")
        for dealer in (cls.dealer_a, cls.dealer_b):
            dealer["backend"]._dms_sync(now=cls.now, force=True)

    @classmethod
    def _dealer(cls, code, branch, salesperson, prospects, region, **kw):
        fixtures = generate_fixtures(
            code,
            cls.start_local,
            seed=int(code),
            prospects=prospects,
            salespeople=(salesperson,),
            nik_region=region,
            **kw,
        )
        server, backend = cls._dms_connection(
            code, branch, cls.start, cls.addClassCleanup, fixtures, timeout=10
        )
        return {
            "backend": backend,
            "server": server,
            "fixtures": fixtures,
            "expected": fixtures["expected"],
        }

    # helpers

    def _synced(self, backend):
        """Every record the backend's sync made, per kind."""
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("dms_backend_id", "=", backend.id)])
        )
        units = self.env["daya.unit.sale"].search(
            [("partner_id", "in", leads.partner_id.ids), ("origin", "=", "dms")]
        )
        return {
            "crm.lead": leads,
            "daya.unit.sale": units,
            "daya.wor.lead": self.env["daya.wor.lead"].search(
                [("unit_sale_id", "in", units.ids)]
            ),
            "daya.dms.work.order": self.env["daya.dms.work.order"].search(
                [("backend_id", "=", backend.id)]
            ),
            "daya.dms.log": self.env["daya.dms.log"].search(
                [("backend_id", "=", backend.id)]
            ),
        }

    def _state(self, backend):
        return {
            model: sorted(records.ids)
            for model, records in self._synced(backend).items()
            if model != "daya.dms.log"
        }

    # ------------------------------------------------------------
    # tests
    # ------------------------------------------------------------

    def test_full_pull(self):
        """Every prospect becomes one lead, every deal its opportunity, every
        delivery a unit sale with its KPB workshop leads and follow-up schedule;
        each bad row is rejected with its DMS id, the others kept."""
        for dealer in (self.dealer_a, self.dealer_b):
            backend, expected = dealer["backend"], dealer["expected"]
            synced = self._synced(backend)
            leads = synced["crm.lead"]
            self.assertEqual(
                sorted(leads.mapped("dms_prospect_id")), sorted(expected["prsp"])
            )
            self.assertEqual(
                sorted(leads.filtered("dms_spk_id").mapped("dms_spk_id")),
                sorted(expected["spk"]),
            )
            branch = backend.branch_ids
            self.assertEqual(leads.branch_id, branch)
            self.assertTrue(all(lead.partner_id.nik for lead in leads))
            deals = leads.filtered("dms_spk_id")
            self.assertEqual(set(deals.mapped("type")), {"opportunity"})
            self.assertTrue(all(deal.motor_color_id for deal in deals))
            units = self.env["daya.unit.sale"].search(
                [("frame_number", "in", expected["bast"])]
            )
            self.assertEqual(sorted(units.mapped("frame_number")), expected["bast"])
            self.assertEqual(units.branch_id, branch)
            self.assertTrue(all(unit.delivery_date for unit in units))
            self.assertTrue(units.filtered("stnk_ready_date"))
            wor = self.env["daya.wor.lead"].search([("unit_sale_id", "in", units.ids)])
            self.assertEqual(set(wor.unit_sale_id.ids), set(units.ids))
            # the rejected rows, by their DMS id
            logs = self._synced(backend)["daya.dms.log"]
            self.assertEqual(set(logs.mapped("state")), {"done"})
            reasons = "\n".join(
                logs.filtered("rejection_reasons").mapped("rejection_reasons")
            )
            code = backend.dealer_code
            for bad in (
                "PSP/BAD1",
                "PSP/BAD2",
                "PSP/BAD3",
                "SPK/BAD1",
                "WO/BAD",
                "CUST/BAD1",
                "CUST/BAD2",
            ):
                self.assertIn("%s/%s" % (code, bad), reasons)
            self.assertIn("MH1XX9999999999", reasons)
            self.assertIn("MH1ZZ0000000000", reasons)
            self.assertEqual(sum(logs.mapped("rejected")), 10)
            self.assertEqual(
                sum(
                    logs.filtered(lambda log: log.endpoint == "prsp").mapped("created")
                ),
                len(expected["prsp"]),
            )
        # the follow-up schedule starts from the DMS's deliveries
        if "daya.followup.task" in self.env:
            Task = self.env["daya.followup.task"]
            units = self._synced(self.dealer_a["backend"])["daya.unit.sale"]
            Task._generate_followups(fields.Date.today())
            tasks = Task.search([("unit_sale_id", "in", units.ids)])
            self.assertTrue(tasks)
            self.assertIn("first_call", tasks.rule_id.mapped("kind"))

    def _customer(self, nik):
        return self.env["res.partner"].search([("nik", "=", nik)])

    def _customers(self, niks):
        return self.env["res.partner"].search([("nik", "in", list(niks))])

    def _cdb_values(self, customer):
        return {fname: customer[fname] for fname in CDB_FIELDS}

    def test_cdb_fills_empty_fields(self):
        """The customer data (cdb) fills in the customers' empty CDB fields,
        found by NIK, the codes mapped through the code tables; a pull again
        fills what was emptied since and leaves what staff changed."""
        Map = self.env["daya.dms.code.map"]
        expected = self.dealer_a["expected"]["cdb"]
        self.assertGreater(len(expected), 20)
        for nik, row in expected.items():
            customer = self._customer(nik)
            self.assertEqual(len(customer), 1, nik)
            with self.subTest(nik=nik):
                self.assertEqual(customer.birth_place, "Bandung")
                self.assertEqual(
                    customer.birthdate.strftime("%d/%m/%Y"), row["tanggalLahir"]
                )
                self.assertEqual(customer.email, row["email"])
                self.assertEqual(customer.occupation_id, self.occupation)
                for fname, key in (
                    ("gender", "jenisKelamin"),
                    ("monthly_expense", "pengeluaran"),
                    ("house_status", "statusRumah"),
                    ("motorcycle_use", "penggunaanMotor"),
                    ("previous_motorcycle", "idMerkMotorYangDimilikiSekarang"),
                ):
                    mapping = Map.search(
                        [
                            ("code_type", "=", fname),
                            ("code", "=", row[key]),
                            ("backend_id", "=", False),
                        ]
                    )
                    self.assertEqual(customer[fname], mapping.value, fname)
                # no motorcycle before: this one is the first; else not known
                self.assertEqual(
                    customer.motorcycle_ownership,
                    "1" if customer.previous_motorcycle == "none" else False,
                )
        self.assertEqual(
            set(self._customers(expected).mapped("previous_motorcycle")),
            {"honda", "yamaha", "suzuki", "kawasaki", "other", "none"},
        )
        # staff changed one customer's data, another's birth place was emptied
        first, second = (self._customer(nik) for nik in list(expected)[:2])
        first.write({"monthly_expense": "gt_5m", "email": "baru@contoh.co.id"})
        second.birth_place = False
        staff = self._cdb_values(first)
        backend = self.dealer_a["backend"]
        backend.cdb_cursor = False
        logs = self._synced(backend)["daya.dms.log"]
        backend._dms_sync(now=self.now, force=True)
        again = self._synced(backend)["daya.dms.log"] - logs
        self.assertEqual(again.mapped("endpoint"), ["cdb", "cdb"])
        self.assertEqual(sum(again.mapped("updated")), 1)
        self.assertEqual(self._cdb_values(first), staff)
        self.assertEqual(second.birth_place, "Bandung")

    def test_cdb_rejections(self):
        """Customer data of a NIK no customer of the branches has is rejected
        with its reason, as is one with an unknown code (its customer left as
        it was); administrators see the records as the DMS sent them."""
        fixtures = self.dealer_a["fixtures"]
        logs = self._synced(self.dealer_a["backend"])["daya.dms.log"].filtered(
            lambda log: log.endpoint == "cdb"
        )
        self.assertEqual(sum(logs.mapped("rejected")), 2)
        self.assertEqual(
            sum(logs.mapped("updated")), len(self.dealer_a["expected"]["cdb"])
        )
        reasons = "\n".join(
            logs.filtered("rejection_reasons").mapped("rejection_reasons")
        )
        self.assertIn("17551/CUST/BAD1: no customer with this NIK", reasons)
        self.assertIn(
            "17551/CUST/BAD2: no DMS code mapping for Monthly Expense", reasons
        )
        self.assertIn("Garut", "".join(logs.mapped("rejected_payloads")))
        first = self._customer(fixtures["prsp"][0][1]["noKtp"])
        self.assertFalse(first.birth_place)
        self.assertFalse(first.monthly_expense)

    def test_cdb_branch_isolation(self):
        """A DMS of branch B sending data of a branch A customer fills nothing:
        rejected, no customer with this NIK among its branches; once branch A is
        one of the connection's branches, it fills the customer in."""
        nik = self.dealer_a["fixtures"]["prsp"][0][1]["noKtp"]  # fields empty
        customer = self._customer(nik)
        self.assertEqual(customer.branch_ids, self.branch_a)
        before = self._cdb_values(customer)
        dealer = self.dealer_b
        dealer["server"].add(
            "cdb",
            self.start_local + timedelta(days=13),
            {"idCustomer": "17552/CUST/A1", "noKtp": nik, "tempatLahir": "Bogor"},
        )
        self.addCleanup(dealer["server"].fixtures["cdb"].pop)
        backend = dealer["backend"]
        backend.cdb_cursor = False
        logs = self._synced(backend)["daya.dms.log"]
        backend._dms_sync(now=self.now, force=True)
        reasons = "\n".join(
            (self._synced(backend)["daya.dms.log"] - logs)
            .filtered("rejected")
            .mapped("rejection_reasons")
        )
        self.assertIn("17552/CUST/A1: no customer with this NIK", reasons)
        self.assertEqual(self._cdb_values(customer), before)
        # the connection's branches decide
        backend.branch_ids |= self.branch_a
        backend.cdb_cursor = False
        backend._dms_sync(now=self.now, force=True)
        self.assertEqual(customer.birth_place, "Bogor")

    def test_cdb_motorcycle_owned_by_name(self):
        """A DMS sending the brand of the motorcycle owned now by its name only
        (``merkMotorYangDimilikiSekarang``) fills the previous motorcycle through
        a mapping of that name; an unmapped name rejects the record and fills
        nothing."""
        nik = self.dealer_a["fixtures"]["prsp"][0][1]["noKtp"]  # fields empty
        customer = self._customer(nik)
        dealer = self.dealer_a
        backend = dealer["backend"]
        for when, name in ((12, "BELUM PUNYA"), (13, "TVS")):
            dealer["server"].add(
                "cdb",
                self.start_local + timedelta(days=when),
                {
                    "idCustomer": "17551/CUST/N%s" % when,
                    "noKtp": nik,
                    "merkMotorYangDimilikiSekarang": name,
                },
            )
            self.addCleanup(dealer["server"].fixtures["cdb"].pop)
        logs = self._synced(backend)["daya.dms.log"]
        backend.cdb_cursor = False
        backend._dms_sync(now=self.now, force=True)
        reasons = "\n".join(
            (self._synced(backend)["daya.dms.log"] - logs).mapped("rejection_reasons")
        )
        self.assertIn(
            "17551/CUST/N12: no DMS code mapping for Motorcycle Owned", reasons
        )
        self.assertIn(
            "17551/CUST/N13: no DMS code mapping for Motorcycle Owned", reasons
        )
        self.assertFalse(customer.previous_motorcycle)
        self.env["daya.dms.code.map"].create(
            {
                "backend_id": backend.id,
                "code_type": "previous_motorcycle",
                "code": "BELUM PUNYA",
                "value": "none",
            }
        )
        backend.cdb_cursor = False
        backend._dms_sync(now=self.now, force=True)
        self.assertEqual(customer.previous_motorcycle, "none")
        self.assertEqual(customer.motorcycle_ownership, "1")

    def test_kpb_work_orders_close_the_right_lead(self):
        """A closed KPB work order makes that KPB's workshop lead of that frame
        done, and no other: ASS1 closes KPB 1, ASS2 closes KPB 2 and leaves KPB 1
        open; a regular service closes nothing."""
        expected = self.dealer_a["expected"]
        units = self.env["daya.unit.sale"].search(
            [("frame_number", "in", expected["bast"])]
        )
        checked = 0
        for unit in units:
            leads = {
                lead.wor_type: lead
                for lead in self.env["daya.wor.lead"].search(
                    [("unit_sale_id", "=", unit.id)]
                )
            }
            kpb = expected["kpb"].get(unit.frame_number)
            done = {
                wor_type for wor_type, lead in leads.items() if lead.state == "done"
            }
            if kpb and "kpb%s" % kpb in leads:
                self.assertEqual(done, {"kpb%s" % kpb}, unit.frame_number)
                checked += 1
            else:
                self.assertFalse(done, unit.frame_number)
        self.assertGreater(checked, 10)

    def test_repull_changes_nothing(self):
        """Pulling every window again creates and writes nothing: the same records,
        their write_date untouched."""
        backend = self.dealer_a["backend"]
        before = self._state(backend)
        tables = {
            "crm.lead": "crm_lead",
            "daya.unit.sale": "daya_unit_sale",
            "daya.wor.lead": "daya_wor_lead",
            "daya.dms.work.order": "daya_dms_work_order",
        }
        old = datetime(2001, 1, 1)
        for model, table in tables.items():
            self.env.flush_all()
            self.cr.execute(
                "UPDATE %s SET write_date = %%s WHERE id IN %%s" % table,  # noqa: S608
                (old, tuple(before[model])),
            )
        self.env.invalidate_all()
        logs = self._synced(backend)["daya.dms.log"]
        backend.write({"%s_cursor" % endpoint: False for endpoint in ENDPOINTS})
        backend._dms_sync(now=self.now, force=True)
        again = self._synced(backend)["daya.dms.log"] - logs
        self.assertEqual(len(again), len(logs))
        self.assertEqual(sum(again.mapped("created")), 0)
        self.assertEqual(sum(again.mapped("updated")), 0)
        self.assertEqual(self._state(backend), before)
        self.env.flush_all()
        for model in tables:
            records = (
                self.env[model].with_context(active_test=False).browse(before[model])
            )
            self.assertEqual(set(records.mapped("write_date")), {old}, model)

    def test_crash_between_windows(self):
        """A run that dies in the middle of a window (nothing of that window
        committed, its cursor not moved) then resumes: every record once, the
        same as one uninterrupted pull."""
        dealer = self._dealer("17553", self.branch_a, "SLS-A", 60, "327303")
        backend = dealer["backend"]
        backend.write({"max_windows": 1, "window_days": 3})
        backend._dms_sync(now=self.now, force=True)  # the first window of each

        class Crash(Exception):
            pass

        cursors = {e: backend["%s_cursor" % e] for e in ENDPOINTS}
        with self.assertRaises(Crash), self.cr.savepoint():
            backend._dms_sync(now=self.now, force=True)
            raise Crash()  # the process dies before the commit
        self.env.invalidate_all()
        self.assertEqual({e: backend["%s_cursor" % e] for e in ENDPOINTS}, cursors)
        backend.max_windows = 20
        backend._dms_sync(now=self.now, force=True)
        for endpoint in ENDPOINTS:
            self.assertEqual(backend["%s_cursor" % endpoint], self.now)
        expected = dealer["expected"]
        leads = self._synced(backend)["crm.lead"]
        self.assertEqual(
            sorted(leads.mapped("dms_prospect_id")), sorted(expected["prsp"])
        )
        self.assertEqual(
            sorted(leads.filtered("dms_spk_id").mapped("dms_spk_id")),
            sorted(expected["spk"]),
        )
        units = self.env["daya.unit.sale"].search(
            [("frame_number", "in", expected["bast"])]
        )
        self.assertEqual(sorted(units.mapped("frame_number")), expected["bast"])
        orders = self._synced(backend)["daya.dms.work.order"]
        self.assertEqual(len(orders), len(dealer["fixtures"]["pkb"]) - 1)

    def test_branch_isolation(self):
        """A user of one branch, whatever their role, never sees the other
        branch's synced records: leads, unit sales, workshop leads, work orders,
        sync logs."""
        synced = {
            self.branch_a: self._synced(self.dealer_a["backend"]),
            self.branch_b: self._synced(self.dealer_b["backend"]),
        }
        for branch, records in synced.items():
            for model, found in records.items():
                self.assertTrue(found, "%s: %s" % (branch.code, model))
        users = {
            self.branch_a: (
                self.user_sales_a,
                self.user_sales_admin_a,
                self.user_admin_stnk_a,
                self.user_adh_a,
                self.user_pic_h1_a,
                self.user_pic_h23_a,
                self.user_workshop_head_a,
                self.user_branch_head_a,
            ),
            self.branch_b: (self.user_sales_b, self.user_branch_head_b),
        }
        seen_own = set()
        for branch, branch_users in users.items():
            other = self.branch_b if branch == self.branch_a else self.branch_a
            for user in branch_users:
                for model, records in synced[other].items():
                    Model = self.env[model].with_user(user)
                    if not Model.check_access_rights("read", raise_exception=False):
                        continue
                    with self.subTest(user=user.login, model=model):
                        found = Model.with_context(active_test=False).search(
                            [("id", "in", records.ids)]
                        )
                        self.assertFalse(found)
                        with self.assertRaises(AccessError):
                            records.with_user(user).read(["id"])
                    own = Model.with_context(active_test=False).search(
                        [("id", "in", synced[branch][model].ids)]
                    )
                    if own:
                        seen_own.add((branch.id, model))
        # the rules are not blind: the branch's own records are seen, each kind
        for branch in users:
            for model in synced[branch]:
                self.assertIn((branch.id, model), seen_own, model)

    def _sized_connections(self, code_prefix, region_prefix, region_start):
        """A small (10 prospects) and a large (50) connection of branch A, each
        with its own dealer code and NIK region, for per-record cost checks."""
        backends = {}
        for offset, (name, prospects) in enumerate((("small", 10), ("large", 50))):
            code = f"{code_prefix}{offset}"
            fixtures = generate_fixtures(
                code,
                self.start_local,
                prospects=prospects,
                nik_region=f"{region_prefix}{region_start + offset}",
                bad_rows=False,
            )
            _server, backends[name] = self._dms_connection(
                code,
                self.branch_a,
                self.start,
                self.addCleanup,
                fixtures,
                name="DMS %s" % name,
                timeout=30,
            )
        return backends

    def test_queries_flat_in_records(self):
        """A window's lookups are one search per model: pulling again a window of
        50 prospects (or deals, deliveries, work orders) costs the queries of a
        window of 10."""
        costs = {}
        for name, backend in self._sized_connections("2701", "32730", 4).items():
            backend._dms_sync(now=self.now, force=True)
            # the records exist now: a second pull of each endpoint finds them all
            for endpoint in ENDPOINTS:
                date_from = self.start + timedelta(days=7)
                backend._dms_pull(endpoint, date_from - timedelta(days=7), date_from)
                backend._dms_pull(endpoint, date_from, self.now)
                self.env.flush_all()
                self.env.invalidate_all()
                count = self.cr.sql_log_count
                logs = backend._dms_pull(
                    endpoint, date_from - timedelta(days=7), date_from
                ) | backend._dms_pull(endpoint, date_from, self.now)
                self.env.flush_all()
                costs[name, endpoint] = (
                    self.cr.sql_log_count - count,
                    sum(logs.mapped("received")),
                    sum(logs.mapped("created")) + sum(logs.mapped("updated")),
                )
        for endpoint in ENDPOINTS:
            (small_queries, small_received, small_written) = costs["small", endpoint]
            (large_queries, large_received, large_written) = costs["large", endpoint]
            with self.subTest(endpoint=endpoint):
                self.assertGreater(large_received, small_received)
                self.assertEqual((small_written, large_written), (0, 0))
                # 40 records more, not a query more per record
                self.assertLessEqual(abs(large_queries - small_queries), 2)

    def test_first_pull_batched(self):
        """The first pull of a window writes its records in chunks: what it
        reads is one search per model, new records are made in one create,
        changed ones are written together (one UPDATE each, those with the same
        values in one), with no savepoint or query of its own per record. A
        window of 50 prospects' deliveries, documents, billings and work orders
        costs the queries of a window of 10, plus at most one per record
        written."""
        costs = {}
        for name, backend in self._sized_connections("3701", "32730", 6).items():
            middle = self.start + timedelta(days=7)
            for endpoint in ENDPOINTS:
                self.env.flush_all()
                self.env.invalidate_all()
                count = self.cr.sql_log_count
                logs = backend._dms_pull(endpoint, self.start, middle) | (
                    backend._dms_pull(endpoint, middle, self.now)
                )
                self.env.flush_all()
                costs[name, endpoint] = (
                    self.cr.sql_log_count - count,
                    sum(logs.mapped("created")) + sum(logs.mapped("updated")),
                    sum(logs.mapped("rejected")),
                )
        for endpoint, per_record in (
            ("bast", 0),
            ("doch", 0),
            ("inv1", 1),
            ("pkb", 1),
        ):
            small_queries, small_written, small_rejected = costs["small", endpoint]
            large_queries, large_written, large_rejected = costs["large", endpoint]
            with self.subTest(endpoint=endpoint):
                self.assertEqual((small_rejected, large_rejected), (0, 0))
                self.assertGreater(large_written, small_written + 5)
                self.assertLessEqual(
                    large_queries - small_queries,
                    per_record * (large_written - small_written) + 3,
                    costs,
                )

    def test_chunk_refused_rejects_its_bad_record_alone(self):
        """A chunk of changes the database refuses (here a leasing tenor out of
        an integer's range) is written again one record at a time: the bad
        record is rejected alone with its reason and left as it was, the others
        of its window are written."""
        code = "37012"
        fixtures = generate_fixtures(
            code, self.start_local, prospects=30, nik_region="327308", bad_rows=False
        )
        middle_local = self.start_local + timedelta(days=7)
        first_window = [row for when, row in fixtures["lsng"] if when < middle_local]
        self.assertGreater(len(first_window), 2)
        bad = first_window[0]
        bad["tenor"] = "99999999999"
        _server, backend = self._dms_connection(
            code, self.branch_a, self.start, self.addCleanup, fixtures, timeout=30
        )
        with mute_logger("odoo.sql_db"):  # the refused UPDATE, logged by Odoo
            backend._dms_sync(now=self.now, force=True)
        logs = self.env["daya.dms.log"].search(
            [("backend_id", "=", backend.id), ("endpoint", "=", "lsng")]
        )
        self.assertEqual(sum(logs.mapped("rejected")), 1)
        self.assertIn(
            bad["idDokumenPengajuan"], "".join(logs.mapped("rejection_reasons"))
        )
        self.assertIn("out of range", "".join(logs.mapped("rejection_reasons")))
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("dms_backend_id", "=", backend.id)])
        )
        by_spk = {lead.dms_spk_id: lead for lead in leads}
        self.assertFalse(by_spk[bad["idSPK"]].dms_leasing_application_id)
        self.assertEqual(by_spk[bad["idSPK"]].dms_tenor, 0)
        for row in first_window[1:]:
            lead = by_spk[row["idSPK"]]
            self.assertEqual(
                (lead.dms_leasing_application_id, lead.dms_tenor),
                (row["idDokumenPengajuan"], int(row["tenor"])),
            )
