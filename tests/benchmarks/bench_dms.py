"""Benchmark: pulling prospects and deliveries from a DMS (issue 13 item 6).

Starts the tests' DGI server (daya_dms/tests/dgi_server.py) on 127.0.0.1 with
seeded records, then measures, against a database with the suite and its demo data
installed (everything is rolled back at the end):

* the floor: the plain HTTP fetch of the same windows (signed POST, JSON decoded);
* the bare store of the prospects: the same number of customers and leads written
  with plain SQL (one multi-row INSERT per table, parameters only) into the real
  ``res_partner`` and ``crm_lead`` tables, their indexes and constraint triggers in
  place, in a savepoint rolled back: what merely storing the rows costs in
  PostgreSQL, below which no pull can go; and of the deliveries: per delivered
  motorcycle its ``daya_unit_sale`` row and the ``daya_wor_lead`` rows of its KPB
  workshop leads (one per coupon still valid), the same way;
* the first pull of the prospects (leads created) and of the deliveries (unit sales
  created, with their KPB workshop leads), the deals in between pulled untimed;
* the re-pull of the same windows (every record found, nothing written).

It prints records per second and the ratio to the floor (target: within 3x), and
each first pull against its bare store. Run it
with the Python that runs Odoo:

    python tests/benchmarks/bench_dms.py -d daya \
        --addons-path=/opt/odoo16/odoo/addons,addons \
        [--prospects 10000] [--deliveries 10000]
"""

import argparse
import os
import threading
import time
from datetime import datetime, timedelta

from psycopg2 import sql
from psycopg2.extras import execute_values

import odoo
from odoo.tools import config

KEY, SECRET, DEALER = "bench-key", "bench-secret", "99001"


def fixtures(prospects, deliveries, start):
    """``prospects`` prospects in the first window; a deal for each of the first
    ``deliveries`` of them in the second; their deliveries, two motorcycles a
    document, in the third."""
    from odoo.addons.daya_dms.tests.dgi_server import generate_fixtures

    data = generate_fixtures(
        DEALER,
        start,
        seed=6,
        prospects=prospects,
        days=21,
        types={"BNCH1": ("BC1",), "BNCH2": ("BC2",)},
        bad_rows=False,
    )
    seen, prsp = set(), []
    for when, row in data["prsp"]:  # without the prospect the DMS sends twice
        if row["idProspect"] not in seen:
            seen.add(row["idProspect"])
            prsp.append((when, row))
    spk, bast = [], []
    for number, (_when, row) in enumerate(prsp[:deliveries], 1):
        type_code = row["unit"][0]["kodeTipeUnit"]
        spk_id = "%s/SPK/%06d" % (DEALER, number)
        spk.append(
            (
                start + timedelta(days=8, seconds=number),
                {
                    "idSpk": spk_id,
                    "idProspect": row["idProspect"],
                    "namaCustomer": row["namaLengkap"],
                    "tanggalPesanan": (start + timedelta(days=8)).strftime("%d/%m/%Y"),
                    "unit": [
                        {
                            "kodeTipeUnit": type_code,
                            "kodeWarna": "BC1" if type_code == "BNCH1" else "BC2",
                            "hargaJual": 18650000,
                            "tipePembayaran": "1",
                        }
                    ],
                },
            )
        )
    for index in range(0, len(spk), 2):
        details = [
            {
                "idSPK": row["idSpk"],
                "noRangka": "MH1BN%010d" % (index + offset),
                "noMesin": "BNE%09d" % (index + offset),
            }
            for offset, (_when, row) in enumerate(spk[index : index + 2])
        ]
        moment = start + timedelta(days=15, seconds=index)
        bast.append(
            (
                moment,
                {
                    "deliveryDocumentId": "%s/BAST/%06d" % (DEALER, index),
                    "tanggalPengiriman": moment.strftime("%d/%m/%Y"),
                    "detail": details,
                },
            )
        )
    return {"prsp": prsp, "spk": spk, "bast": bast}


def windows(start_utc, days):
    return [
        (start_utc + timedelta(days=7 * i), start_utc + timedelta(days=7 * (i + 1)))
        for i in range(days // 7)
    ]


def fetch(backend, endpoint, spans):
    """The floor: the same signed POSTs, the answers decoded, nothing else."""
    count = 0
    for date_from, date_to in spans:
        count += len(backend._dms_request(endpoint, date_from, date_to))
    return count


def bare_rows(env, rows, backend):
    """The values ``bare_store`` writes for the prospect ``rows`` (made before it
    is timed): per row, a customer's and its lead's (without the customer)."""
    from odoo.addons.daya_base.tools import normalize_nik, phone_normalize

    branch = backend.branch_ids[:1]
    stage = env["crm.stage"].search([], limit=1)
    team = env["crm.team"].search([], limit=1)
    uid = env.uid
    values = []
    for row in rows:
        name, mobile = row["namaLengkap"], row.get("noKontak") or None
        nik = normalize_nik(row.get("noKtp")) or None
        partner = (
            name,
            name,
            nik,
            mobile,
            phone_normalize(mobile) or None,
            row.get("alamat") or None,
            row.get("kodePos") or None,
            True,
            False,
            "contact",
            uid,
            uid,
        )
        lead = (
            name,
            "lead",
            name,
            mobile,
            nik,
            branch.id or None,
            team.id or None,
            stage.id or None,
            backend.id,
            row["idProspect"],
            True,
            uid,
            uid,
        )
        values.append((partner, [lead]))
    return values


PROSPECT_TABLES = (
    (
        "res_partner",
        (
            "name",
            "display_name",
            "nik",
            "mobile",
            "mobile_e164",
            "street",
            "zip",
            "active",
            "is_company",
            "type",
            "create_uid",
            "write_uid",
        ),
    ),
    (
        "crm_lead",
        (
            "partner_id",
            "name",
            "type",
            "contact_name",
            "mobile",
            "nik",
            "branch_id",
            "team_id",
            "stage_id",
            "dms_backend_id",
            "dms_prospect_id",
            "active",
            "create_uid",
            "write_uid",
        ),
    ),
)

DELIVERY_TABLES = (
    (
        "daya_unit_sale",
        (
            "partner_id",
            "branch_id",
            "company_id",
            "product_id",
            "motor_type_id",
            "frame_number",
            "engine_number",
            "sale_date",
            "delivery_date",
            "payment_type",
            "user_id",
            "origin",
            "dms_delivery_id",
            "create_uid",
            "write_uid",
        ),
    ),
    (
        "daya_wor_lead",
        (
            "unit_sale_id",
            "name",
            "partner_id",
            "branch_id",
            "wor_type",
            "origin",
            "responsible_role",
            "user_id",
            "state",
            "kpb_valid_until",
            "create_uid",
            "write_uid",
        ),
    ),
)


def bare_delivery_rows(env, rows, backend):
    """The values ``bare_store`` writes for the delivered motorcycles ``rows``
    (the ``bast`` records, made before it is timed, once their deals are
    pulled): per motorcycle, its unit sale's and the KPB workshop leads'
    (without the unit sale) a delivery makes, one per coupon still valid."""
    from odoo.addons.daya_crm_wor.models.daya_wor_lead import KPB_VALID_MONTHS

    Wor = env["daya.wor.lead"]
    today = datetime.now().date()
    deals = {
        lead.dms_spk_id: lead
        for lead in env["crm.lead"].search(
            [("dms_spk_id", "in", [row["idSPK"] for row in rows])]
        )
    }
    labels = Wor._wor_type_labels()
    uid = env.uid
    values = []
    for row in rows:
        deal = deals[row["idSPK"]]
        branch = deal.branch_id or backend.branch_ids[:1]
        frame = row["noRangka"].upper()
        delivery = datetime.strptime(row["tanggalPengiriman"], "%d/%m/%Y").date()
        sale_date = deal.dms_spk_date or delivery
        unit = (
            deal.partner_id.id,
            branch.id,
            branch.company_id.id or None,
            deal.motor_product_id.id,
            deal.motor_product_id.product_tmpl_id.id,
            frame,
            row.get("noMesin") or None,
            sale_date,
            delivery,
            deal.payment_type or "cash",
            deal.user_id.id or None,
            "dms",
            row["deliveryDocumentId"],
            uid,
            uid,
        )
        leads = [
            (
                Wor._lead_name(wor_type, deal.partner_id.name, frame, labels),
                deal.partner_id.id,
                branch.id,
                wor_type,
                "h1_h2",
                Wor._responsible_role("h1_h2", wor_type),
                uid,
                "new",
                Wor._kpb_valid_until(sale_date, wor_type),
                uid,
                uid,
            )
            for wor_type in KPB_VALID_MONTHS
            if Wor._kpb_valid_until(sale_date, wor_type) >= today
        ]
        values.append((unit, leads))
    return values


def bare_store(cr, tables, values):
    """The physical floor of a pull: the rows of ``values`` ([(a parent row,
    [its child rows without the parent]), ...], from ``bare_rows`` or
    ``bare_delivery_rows``) written with plain SQL into the real ``tables``
    ((parent table, columns), (child table, columns: the parent's first)), one
    multi-row INSERT per table and page, parameters only, their indexes and
    constraint triggers in place, in a savepoint rolled back. Returns the
    parent rows written."""
    (parent_table, parent_columns), (child_table, child_columns) = tables

    def insert(table, columns):
        stamps = ", ".join(["now() at time zone 'UTC'"] * 2)
        query = sql.SQL(
            "INSERT INTO {} ({}, create_date, write_date) VALUES %s RETURNING id"
        ).format(
            sql.Identifier(table),
            sql.SQL(", ").join(map(sql.Identifier, columns)),
        )
        template = "(%s, %s)" % (", ".join(["%s"] * len(columns)), stamps)
        return query.as_string(cr._obj), template

    cr.execute("SAVEPOINT bench_bare_store")
    try:
        query, template = insert(parent_table, parent_columns)
        parent_ids = execute_values(
            cr._obj,
            query,
            [parent for parent, _children in values],
            template=template,
            page_size=1000,
            fetch=True,
        )
        query, template = insert(child_table, child_columns)
        execute_values(
            cr._obj,
            query,
            [
                (parent_id,) + child
                for (parent_id,), (_parent, children) in zip(parent_ids, values)
                for child in children
            ],
            template=template,
            page_size=1000,
        )
        return len(parent_ids)
    finally:
        cr.execute("ROLLBACK TO SAVEPOINT bench_bare_store")


def cpu_seconds(cr):
    """CPU seconds used so far by this process (Odoo and the DGI server's
    thread) and by the database's backend of ``cr`` (read from /proc, where
    available): on a loaded machine the ratio of CPU times is steadier than the
    ratio of elapsed times."""
    seconds = time.process_time()
    cr.execute("SELECT pg_backend_pid()")
    try:
        with open("/proc/%s/stat" % cr.fetchone()[0]) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        seconds += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        pass  # another host's database: this process only
    return seconds


def timed(function, *args, cr=None):
    """Elapsed seconds, CPU seconds (``cpu_seconds``, with ``cr``) and the
    result of ``function(*args)``."""
    cpu = cpu_seconds(cr) if cr else 0.0
    start = time.perf_counter()
    result = function(*args)
    elapsed = time.perf_counter() - start
    return elapsed, (cpu_seconds(cr) - cpu if cr else 0.0), result


def report(label, logs, queries, floor, first, again, bare=None):
    """Print an endpoint's counts and its rates against the floor (at once: a
    long run shows each endpoint when it is measured); ``floor``, ``first``,
    ``again`` and ``bare`` (the bare store, when measured) are (elapsed, CPU)
    seconds."""
    received = sum(log.received for log in logs)
    created = sum(log.created for log in logs)
    rejected = sum(log.rejected for log in logs)
    print(
        f"{label}: {received} received, {created} created, "
        f"{rejected} rejected, {queries / max(received, 1):.1f} queries/record"
    )
    lines = [
        ("floor (HTTP fetch)", floor),
        ("first pull", first),
        ("re-pull, no change", again),
    ]
    if bare:
        lines.insert(1, ("bare store (SQL)", bare))
    for name, (seconds, cpu) in lines:
        print(
            f"  {name:<20}{received / seconds:9.0f} rec/s "
            f"{seconds:9.2f} s  ratio {seconds / floor[0]:7.1f}x   "
            f"cpu {cpu:7.2f} s  ratio {cpu / max(floor[1], 1e-3):7.1f}x",
            flush=True,
        )
    if bare:
        print(
            f"  first pull / bare store: {first[0] / bare[0]:.1f}x elapsed, "
            f"{first[1] / max(bare[1], 1e-3):.1f}x cpu; "
            f"bare store / HTTP fetch: {bare[0] / floor[0]:.1f}x elapsed, "
            f"{bare[1] / max(floor[1], 1e-3):.1f}x cpu",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path")
    parser.add_argument("--prospects", type=int, default=10000)
    parser.add_argument("--deliveries", type=int, default=10000)
    args = parser.parse_args()
    options = ["-d", args.database]
    if args.addons_path:
        options.append(f"--addons-path={args.addons_path}")
    config.parse_config(options)
    # the sync commits each window; here everything is rolled back at the end
    threading.current_thread().testing = True
    from odoo.addons.daya_dms.tests.dgi_server import DgiServer

    start_local = datetime.combine(
        datetime.now().date() - timedelta(days=25), datetime.min.time()
    )
    start_utc = start_local - timedelta(hours=7)
    spans = windows(start_utc, 21)
    data = fixtures(args.prospects, min(args.deliveries, args.prospects), start_local)
    server = DgiServer(KEY, SECRET, DEALER).start()
    server.load(data)
    registry = odoo.registry(args.database)
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            types = env["product.template"].search(
                [("is_motorcycle", "=", True)], limit=2, order="id"
            )
            for template, code in zip(types, ("BNCH1", "BNCH2")):
                template.product_variant_ids[:1].default_code = code
                template.motor_color_ids[:1].dms_code = (
                    "BC1" if code == "BNCH1" else "BC2"
                )
            branch = env["daya.branch"].search([], limit=1)
            backend = env["daya.dms.backend"].create(
                server.connection_values(
                    branch, start_utc, name="Bench DMS", timeout=300
                )
            )
            env.flush_all()
            for endpoint, label in (("prsp", "prospects"), ("bast", "deliveries")):
                if endpoint == "bast":  # the deals the deliveries name, untimed
                    for span in spans:
                        backend._dms_pull("spk", *span)
                *floor, _rows = timed(fetch, backend, endpoint, spans, cr=cr)
                # the physical floor: the rows stored
                if endpoint == "prsp":
                    rows = [row for _w, row in data["prsp"]]
                    tables, values = PROSPECT_TABLES, bare_rows(env, rows, backend)
                else:
                    rows = backend._dms_records(
                        "bast", [row for _w, row in data["bast"]]
                    )
                    values = bare_delivery_rows(env, rows, backend)
                    tables = DELIVERY_TABLES
                *bare, stored = timed(bare_store, cr, tables, values, cr=cr)
                assert stored == len(rows), stored
                queries = cr.sql_log_count
                *first, logs = timed(
                    lambda e=endpoint: (
                        [backend._dms_pull(e, *s) for s in spans] + [env.flush_all()]
                    ),
                    cr=cr,
                )
                first_queries = cr.sql_log_count - queries
                *again, _logs = timed(
                    lambda e=endpoint: (
                        [backend._dms_pull(e, *s) for s in spans] + [env.flush_all()]
                    ),
                    cr=cr,
                )
                report(label, logs[:-1], first_queries, floor, first, again, bare)
            cr.rollback()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
