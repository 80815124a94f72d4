import logging

_logger = logging.getLogger(__name__)


def post_init_hook(cr, registry):
    """The dealer's pipeline stages, on install."""
    from odoo import SUPERUSER_ID, api

    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    _daya_move_to_dealer_stages(env)


def _daya_move_to_dealer_stages(env):
    """Opportunities follow the dealer's steps: move the leads of Odoo's default
    stages (or of any stage the database had before) into the suite's, then remove
    those stages, so that the pipeline shows only New, Follow Up 1-3 and Won.

    This is a data migration of records that existed before the suite: it moves
    them in SQL, outside the pipeline's rules (which would refuse a jump to Won or
    a lead missing the dealer's required fields), and keeps everything else of
    theirs: won ones land in Won, the others in New, lost ones stay lost (inactive
    with their reason), activities, messages and sales orders are untouched. What
    it moved and removed is written to the install log."""
    cr = env.cr
    stage_new = env.ref("daya_crm_leads.stage_new")
    stage_won = env.ref("daya_crm_leads.stage_won")
    others = env["crm.stage"].search([("daya_stage_code", "=", False)])
    if not others:
        return
    env.flush_all()
    won_stages = others.filtered("is_won")
    moves = [(stage_won, won_stages), (stage_new, others - won_stages)]
    for target, stages in moves:
        if not stages:
            continue
        cr.execute(
            "UPDATE crm_lead SET stage_id = %s WHERE stage_id IN %s",
            (target.id, tuple(stages.ids)),
        )
        if cr.rowcount:
            _logger.info(
                "Daya CRM: %d lead(s) and opportunities of the stages %s moved to "
                "the stage %s",
                cr.rowcount,
                ", ".join(stages.mapped("name")),
                target.name,
            )
    env["crm.lead"].invalidate_model(["stage_id"])
    names = ", ".join(others.mapped("name"))
    others.unlink()
    _logger.warning(
        "Daya CRM: Odoo's pipeline stages %s were removed (the suite's stages New, "
        "Follow Up 1-3 and Won replace them); their leads were kept and moved.",
        names,
    )
