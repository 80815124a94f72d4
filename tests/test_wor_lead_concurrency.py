"""Two transactions creating the same KPB workshop lead at once (issue 15).

Two threads, each with its own cursor on the database tests/run.sh installed, look
for the KPB 1 lead of the same motorcycle in snapshots taken before either writes
(as two cron workers, or a delivery and the schedule, would), then create it where
missing. The Python check of each transaction sees only its own lead: only the
database's unique index (``daya_wor_lead_kpb_unit_uniq``) stops the second one.
One lead must be left and the other transaction refused. What the test creates is
committed (the two cursors must see it) and removed at the end."""

import threading
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields

FRAME = "MH1WORPAR0001"


def _create_lead(db_name, unit_id, barrier, results, index):
    registry = odoo.registry(db_name)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute("SELECT 1")  # the snapshot, before the other one writes
            barrier.wait(timeout=60)
            unit = env["daya.unit.sale"].browse(unit_id)
            leads = env["daya.wor.lead"]._get_or_create_for_unit_sales(unit, "kpb1")
            results[index] = leads[unit_id].id
    except Exception as error:  # noqa: BLE001 - reported by the test
        results[index] = repr(error)


def test_two_transactions_cannot_create_the_same_kpb_lead(env, db_name):
    today = fields.Date.context_today(env["daya.wor.lead"])
    branch = env["daya.branch"].search([], limit=1)
    product = env["product.product"].search(
        [("product_tmpl_id.is_motorcycle", "=", True)], limit=1
    )
    customer = env["res.partner"].create(
        {"name": "WOR Parallel", "mobile": "0857-9111-0001"}
    )
    # sold but not delivered: no KPB lead made by the delivery
    unit = env["daya.unit.sale"].create(
        {
            "partner_id": customer.id,
            "branch_id": branch.id,
            "product_id": product.id,
            "frame_number": FRAME,
            "sale_date": today - timedelta(days=3),
            "payment_type": "cash",
        }
    )
    env.cr.commit()
    try:
        barrier, results = threading.Barrier(2), [None, None]
        threads = [
            threading.Thread(
                target=_create_lead, args=(db_name, unit.id, barrier, results, index)
            )
            for index in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        env.cr.commit()  # a snapshot after the threads' commits
        env.invalidate_all()
        leads = env["daya.wor.lead"].search(
            [("unit_sale_id", "=", unit.id), ("wor_type", "=", "kpb1")]
        )
        assert len(leads) == 1, (leads.ids, results)
        made = [result for result in results if isinstance(result, int)]
        refused = [result for result in results if isinstance(result, str)]
        assert made == leads.ids, results
        assert len(refused) == 1 and "daya_wor_lead_kpb_unit_uniq" in refused[0], (
            results
        )
    finally:
        env.cr.rollback()
        env.invalidate_all()
        env["daya.wor.lead"].search([("unit_sale_id", "=", unit.id)]).unlink()
        unit.unlink()
        customer.unlink()
        env.cr.commit()
