# Run by tests/run.sh with `odoo shell` on the demo database before the upgrade check:
# gives the database the suite's own data in every state, made through the suite's
# actions as the demo users would (a lead, opportunities at New, Follow Up 1-3, won
# and lost, a dealer memo with its sales order and delivered unit, follow-up tasks,
# bookings, a CDB validation), then commits. `env` is given by `odoo shell`.
# ruff: noqa: F821
from datetime import timedelta

from odoo import fields

users = {
    user.login: user
    for user in env["res.users"].search(
        [("login", "in", ["sales.sh", "salesadmin.sh", "stnk.sh"])]
    )
}
sales, sales_admin, stnk = users["sales.sh"], users["salesadmin.sh"], users["stnk.sh"]
motorcycle = env["product.template"].search([("is_motorcycle", "=", True)], limit=1)
color = motorcycle.attribute_line_ids.value_ids[:1]
today = fields.Date.context_today(sales)
Lead = env["crm.lead"].with_user(sales)


def new_lead(index, **values):
    return Lead.create(
        dict(
            {
                "name": f"Upgrade check {index}",
                "contact_name": f"Pelanggan Upgrade {index}",
                "mobile": f"0812-7700-{index:04d}",
                "lead_category": "prospect",
                "payment_type": "cash",
                "occupation_id": env.ref("daya_base.occupation_02").id,
                "motor_type_id": motorcycle.id,
                "motor_color_id": color.id,
                "type": "lead",
            },
            **values,
        )
    )


def opportunity(index):
    lead = new_lead(index)
    lead.convert_opportunity(lead.partner_id)
    return lead


new_lead(1)
opportunity(2)
at_fu1 = opportunity(3)
at_fu1.action_follow_up_1()
at_fu2 = opportunity(4)
at_fu2.action_follow_up_1()
at_fu2.write({"fu2_plan_date": today + timedelta(days=3)})
at_fu2.action_follow_up_2()
at_fu3 = opportunity(5)
at_fu3.action_follow_up_1()
at_fu3.write({"fu2_plan_date": today + timedelta(days=3)})
at_fu3.action_follow_up_2()
at_fu3.write({"fu3_plan_date": today + timedelta(days=6)})
at_fu3.action_follow_up_3()
lost = opportunity(6)
env["crm.lead.lost"].with_user(sales).with_context(active_ids=lost.ids).create(
    {"lost_reason_id": env.ref("daya_crm_leads.lost_reason_postponed").id}
).action_lost_reason_apply()

# won, dealer memo, sales order, delivered unit
won = opportunity(7)
won.action_set_won_rainbowman()
partner = won.partner_id.sudo()
if "cdb_completeness" in partner._fields:
    partner.write(
        {
            "street": "Jl. Soekarno Hatta 77",
            "city": "Bandung",
            "nik": "3273010303930007",
            "birth_place": "Bandung",
            "birthdate": "1993-03-03",
            "email": "upgrade.check@example.com",
            "social_media": "@upgrade.check",
            "monthly_expense": "2m_3m",
            "house_status": "own",
            "motorcycle_ownership": "1",
            "previous_motorcycle": "none",
            "motorcycle_use": "work",
        }
    )
sales_memo = env["daya.sales.memo"].search(
    [("user_id", "=", sales.id), ("state", "=", "distributed")], limit=1
)
env["daya.dealer.memo.wizard"].with_user(sales).create(
    {"lead_id": won.id, "sales_memo_id": sales_memo.id}
).action_process()
memo = won.dealer_memo_id.with_user(sales_admin)
memo.action_create_sale_order()
env["daya.unit.delivery.wizard"].with_user(sales_admin).create(
    {
        "dealer_memo_id": memo.id,
        "frame_number": "MH1UPGRADE0000007",
        "engine_number": "UPG0000007",
    }
).action_record()

# the after-sales schedule of every delivered unit (tasks, KPB workshop leads)
if "daya.followup.task" in env:
    env["daya.followup.task"].sudo()._cron_generate_followups()
# a CDB validation link for the delivered unit's customer
if "daya.cdb.validation" in env:
    won.partner_id.with_user(stnk).action_send_cdb_validation()

# booking hours of their own at Cimahi (Wednesday: 5 motorcycles per slot): the
# upgrade keeps them, from the slots of daya_crm_wor 16.0.1.0.0 as well
cimahi = env.ref("daya_base.branch_cm")
if "booking_attendance_ids" in cimahi._fields:
    hours, capacity = cimahi.booking_attendance_ids, "daya_booking_capacity"
elif "booking_slot_ids" in cimahi._fields:  # daya_crm_wor before 16.0.1.1.0
    hours, capacity = cimahi.booking_slot_ids, "capacity"
else:
    hours = None
if hours is not None:
    hours.filtered(lambda line: line.dayofweek == "2").write({capacity: 5})

env.cr.commit()
print(
    "seeded:",
    {
        model: env[model].sudo().with_context(active_test=False).search_count([])
        for model in (
            "crm.lead",
            "daya.dealer.memo",
            "sale.order",
            "daya.unit.sale",
            "daya.followup.task",
            "daya.wor.lead",
            "daya.service.booking",
            "daya.cdb.validation",
        )
        if model in env
    },
)
