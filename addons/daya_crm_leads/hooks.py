import logging

_logger = logging.getLogger(__name__)


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
    _daya_set_rupiah(env, env.ref("base.main_company"))


def _daya_set_rupiah(env, company):
    """Amounts are in Rupiah, shown without decimals: the company's currency
    becomes IDR, unless it already has journal items (then an accountant decides:
    changing it would corrupt them, so it is left as it is, with a warning; the
    CRM's amounts are in Rupiah anyway)."""
    idr = env.ref("base.IDR")
    Lines = env["account.move.line"].sudo()
    if company.currency_id != idr:
        if Lines.search_count([("company_id", "=", company.id)], limit=1):
            _logger.warning(
                "Company %s has journal items in %s: its currency is left as it is "
                "(Daya CRM works in Rupiah, IDR).",
                company.name,
                company.currency_id.name,
            )
        else:
            company.currency_id = idr
    if idr.rounding != 1.0:
        if Lines.search_count([("currency_id", "=", idr.id)], limit=1):
            _logger.warning(
                "IDR is used in journal items: its rounding (%s) is left as it is.",
                idr.rounding,
            )
        else:
            idr.rounding = 1.0
