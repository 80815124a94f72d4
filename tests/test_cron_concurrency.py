"""Two cron workers generating the follow-ups at once (issue 15, scaling out).

Two threads, each with its own cursor on the database tests/run.sh installed, run
the generation cron's method at the same moment over the same due motorcycles, in
small committed batches, as two cron threads (of one node or of two) would when
the job is triggered twice. Every due task must be made once: no duplicate, no
batch lost, no worker failing. What the test creates is committed (the two
cursors must see it) and removed at the end."""

import threading
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields

PREFIX = "MH1CRONPAR"
UNITS = 60


def _generate(db_name, today, barrier, errors, index):
    registry = odoo.registry(db_name)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            barrier.wait(timeout=60)
            env["daya.followup.task"]._generate_followups(
                today, batch_size=5, max_batches=10**6
            )
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors[index] = repr(error)


def test_two_cron_workers_generate_each_task_once(env, db_name):
    Task = env["daya.followup.task"]
    today = fields.Date.context_today(Task)
    first_call = env.ref("daya_crm_followup.rule_first_call_1")
    branch = env["daya.branch"].search([("resource_calendar_id", "!=", False)], limit=1)
    product = env["product.product"].search(
        [("product_tmpl_id.is_motorcycle", "=", True)], limit=1
    )
    # what was due before this test is made first: only the test's units remain
    Task._generate_followups(today, max_batches=10**6)
    env.cr.commit()
    customers = env["res.partner"].create(
        [
            {"name": f"Cron Parallel {i}", "mobile": f"0857-9{i:03d}-{i:04d}"}
            for i in range(UNITS)
        ]
    )
    delivered = today - timedelta(days=7)  # the first call is due
    units = env["daya.unit.sale"].create(
        [
            {
                "partner_id": customer.id,
                "branch_id": branch.id,
                "product_id": product.id,
                "frame_number": f"{PREFIX}{i:04d}",
                "sale_date": delivered,
                "delivery_date": delivered,
                "payment_type": "cash",
            }
            for i, customer in enumerate(customers)
        ]
    )
    env.cr.commit()
    try:
        due = Task._followup_candidates(first_call, today, 1000) & units
        assert len(due) == UNITS, "the test's motorcycles are due for the first call"
        barrier, errors = threading.Barrier(2), [None, None]
        threads = [
            threading.Thread(
                target=_generate, args=(db_name, today, barrier, errors, index)
            )
            for index in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        assert errors == [None, None], errors
        env.cr.commit()  # a snapshot after the workers' commits
        env.invalidate_all()
        env.cr.execute(
            """SELECT t.rule_id, count(*) FROM daya_followup_task t
                WHERE t.unit_sale_id IN %s GROUP BY t.rule_id, t.unit_sale_id
               HAVING count(*) > 1""",
            (tuple(units.ids),),
        )
        assert env.cr.fetchall() == [], "a task made twice"
        made = Task.search([("unit_sale_id", "in", units.ids)])
        assert made.filtered(lambda t: t.rule_id == first_call).unit_sale_id == units
        # nothing left behind: every rule's candidates among them are made
        for rule in env["daya.followup.rule"].search([]):
            assert not (Task._followup_candidates(rule, today, 1000) & units), rule.code
    finally:
        env.cr.rollback()
        env.invalidate_all()
        wor = env["daya.wor.lead"].search([("unit_sale_id", "in", units.ids)])
        env["daya.followup.task"].search([("unit_sale_id", "in", units.ids)]).unlink()
        wor.unlink()
        units.unlink()
        customers.unlink()
        env.cr.commit()
