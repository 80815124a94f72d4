"""Two pulls of one DMS connection at once (issue 13: the scheduled action and
"Pull Now", or the crons of two servers).

A local DGI server answers slowly (a second and a half a call); two threads, each
with its own cursor on the database tests/run.sh installed, pull the same
connection's prospects at the same moment. One pulls, committing each window; the
other finds the connection's pull lock taken and leaves it at once. Every prospect
is made once, each window asked once, and no record is rejected as a duplicate.
What the test creates is committed (the two cursors must see it) and removed at
the end."""

import threading
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, api

from odoo.addons.daya_dms.tests.dgi_server import DgiServer

KEY, SECRET, DEALER = "parallel-key", "parallel-secret", "99077"
TYPE_CODE = "PARPULL1"
PROSPECTS = 9
WINDOWS = 3


def _pull(db_name, backend_id, now, barrier, results, index):
    registry = odoo.registry(db_name)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            backend = env["daya.dms.backend"].browse(backend_id)
            barrier.wait(timeout=60)
            results[index] = backend._dms_sync_backend(now)
    except Exception as error:  # noqa: BLE001 - reported by the test
        results[index] = repr(error)


def test_two_pulls_of_one_connection(env, db_name):
    start_local = datetime.combine(
        datetime.now().date() - timedelta(days=30), datetime.min.time()
    )
    start_utc = start_local - timedelta(hours=7)
    now = start_utc + timedelta(days=7 * WINDOWS)
    server = DgiServer(KEY, SECRET, DEALER).start()
    for number in range(PROSPECTS):
        server.add(
            "prsp",
            start_local + timedelta(days=2 * number, hours=9),
            {
                "idProspect": "%s/PSP/PAR/%04d" % (DEALER, number),
                "namaLengkap": "Paralel Prospek %s" % number,
                "noKontak": "0857770%05d" % number,
                "statusProspect": "2",
                "sumberProspect": "0004",
                "unit": [{"kodeTipeUnit": TYPE_CODE, "salesProgramId": ""}],
            },
        )
    motorcycle = env["product.template"].create(
        {"name": "Parallel Pull Type", "is_motorcycle": True}
    )
    motorcycle.product_variant_ids.default_code = TYPE_CODE
    branch = env["daya.branch"].search([], limit=1)
    backend = env["daya.dms.backend"].create(
        server.connection_values(
            branch,
            start_utc,
            name="Parallel DMS",
            timeout=30,
            **{
                "%s_enabled" % endpoint: False
                for endpoint in ("spk", "lsng", "inv1", "bast", "doch", "pkb", "cdb")
            },
        )
    )
    env.cr.commit()
    server.fail, server.delay = "timeout", 1.5  # slow answers, not failing ones
    try:
        barrier, results = threading.Barrier(2), [None, None]
        threads = [
            threading.Thread(
                target=_pull,
                args=(db_name, backend.id, now, barrier, results, index),
            )
            for index in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert sorted(results) == ["busy", "done"], results
        env.cr.commit()  # a snapshot after the pull's commits
        env.invalidate_all()
        asked = [body["fromTime"] for endpoint, body, _h in server.calls]
        assert len(asked) == WINDOWS and len(set(asked)) == WINDOWS, asked
        leads = (
            env["crm.lead"]
            .with_context(active_test=False)
            .search([("dms_backend_id", "=", backend.id)])
        )
        assert sorted(leads.mapped("dms_prospect_id")) == [
            "%s/PSP/PAR/%04d" % (DEALER, number) for number in range(PROSPECTS)
        ]
        logs = env["daya.dms.log"].search([("backend_id", "=", backend.id)])
        assert len(logs) == WINDOWS, logs.mapped("date_from")
        assert sum(logs.mapped("created")) == PROSPECTS
        assert not sum(logs.mapped("rejected")), logs.mapped("rejection_reasons")
        assert backend.prsp_cursor == now
    finally:
        server.stop()
        env.cr.rollback()
        env.invalidate_all()
        leads = (
            env["crm.lead"]
            .with_context(active_test=False)
            .search([("dms_backend_id", "=", backend.id)])
        )
        customers = leads.partner_id
        leads.unlink()
        customers.unlink()
        env["daya.dms.log"].search([("backend_id", "=", backend.id)]).unlink()
        backend.unlink()
        motorcycle.unlink()
        env.cr.commit()
