# Run by tests/run.sh with `odoo shell` on a database where only Odoo's `crm` and
# `sale_crm` are installed (no demo data), before the suite is installed into it: a
# dealer's CRM as it was before, with leads, open, won and lost opportunities in
# Odoo's default stages and in a stage of the dealer's own, activities, messages and
# sales orders. What the suite must keep is written as JSON to the path in
# DAYA_STOCK_CRM_EXPECT, which tests/migration/test_stock_crm.py checks after the
# install. `env` is given by `odoo shell`.
# ruff: noqa: F821
import json
import os

Lead = env["crm.lead"].with_context(mail_create_nolog=False)
stage = {xmlid: env.ref(f"crm.{xmlid}") for xmlid in ("stage_lead1", "stage_lead2")}
stage["won"] = env["crm.stage"].search([("is_won", "=", True)], limit=1)
stage["own"] = env["crm.stage"].create({"name": "Negosiasi Dealer", "sequence": 3})
reason = env["crm.lost.reason"].create({"name": "Harga terlalu tinggi"})
customers = env["res.partner"].create(
    [{"name": f"Pelanggan Lama {i}", "phone": f"0812000000{i:02d}"} for i in range(8)]
)
product = env["product.product"].create(
    {"name": "Honda BeAT (stok lama)", "list_price": 18650000, "type": "consu"}
)

leads = Lead.create(
    [
        {"name": "Lead lama A", "type": "lead", "partner_id": customers[0].id},
        {"name": "Lead lama B", "type": "lead", "contact_name": "Tanpa Partner"},
    ]
)
opportunities = Lead.create(
    [
        {
            "name": f"Peluang lama {i}",
            "type": "opportunity",
            "partner_id": customers[i].id,
            "stage_id": stage_record.id,
            "expected_revenue": 18650000,
        }
        for i, stage_record in enumerate(
            [
                stage["stage_lead1"],
                stage["stage_lead2"],
                stage["own"],
                stage["stage_lead2"],  # won below
                stage["stage_lead1"],  # won below
                stage["stage_lead2"],  # lost below
                stage["stage_lead1"],  # lost below
            ],
            start=1,
        )
    ]
)
open_ones, won, lost = opportunities[:3], opportunities[3:5], opportunities[5:]
won.action_set_won()
lost.action_set_lost(lost_reason_id=reason.id)
for lead in opportunities[:2] | won[:1] | lost[:1]:
    lead.activity_schedule("mail.mail_activity_data_todo", summary="Telepon pelanggan")
    lead.message_post(body="Catatan sebelum Daya CRM")
orders = env["sale.order"].create(
    [
        {
            "partner_id": lead.partner_id.id,
            "opportunity_id": lead.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
        }
        for lead in won | open_ones[:1]
    ]
)
orders[:1].action_confirm()
env.flush_all()

all_leads = leads | opportunities
expect = {
    "leads": {
        str(lead.id): {
            "name": lead.name,
            "type": lead.type,
            "active": lead.active,
            "stage": "won" if lead in won else "new",
            "lost_reason_id": lead.lost_reason_id.id,
            "partner_id": lead.partner_id.id,
            "activities": len(lead.activity_ids),
            "messages": len(lead.message_ids),
        }
        for lead in all_leads.with_context(active_test=False)
    },
    "orders": {
        str(order.id): {
            "opportunity_id": order.opportunity_id.id,
            "state": order.state,
            "amount_total": order.amount_total,
        }
        for order in orders
    },
    "lost_reason_id": reason.id,
}
with open(os.environ["DAYA_STOCK_CRM_EXPECT"], "w", encoding="utf-8") as file:
    json.dump(expect, file, indent=1)
env.cr.commit()
print(f"seeded {len(all_leads)} leads and opportunities, {len(orders)} sales orders")
