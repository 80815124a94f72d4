def post_init_hook(cr, registry):
    """Opportunities follow the dealer's steps: move the leads of Odoo's default
    stages into them and remove those stages, so that the pipeline shows only New,
    Follow Up 1-3 and Won."""
    from odoo import SUPERUSER_ID, api

    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    stage_new = env.ref("daya_crm_leads.stage_new")
    stage_won = env.ref("daya_crm_leads.stage_won")
    others = env["crm.stage"].search([("daya_stage_code", "=", False)])
    leads = env["crm.lead"].search([("stage_id", "in", others.ids)])
    leads.filtered(lambda lead: lead.stage_id.is_won).write({"stage_id": stage_won.id})
    leads.filtered(lambda lead: not lead.stage_id.is_won).write(
        {"stage_id": stage_new.id}
    )
    others.unlink()
