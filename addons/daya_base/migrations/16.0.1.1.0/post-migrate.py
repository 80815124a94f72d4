"""Who heads a branch is the role's group held by a user of the branch: the heads
recorded in the former stored ``daya.branch.head_user_id`` and
``workshop_head_user_id`` get their role (hooks.daya_heads_to_roles)."""

from odoo import SUPERUSER_ID, api

from odoo.addons.daya_base.hooks import daya_heads_to_roles


def migrate(cr, version):
    if not version:
        return
    daya_heads_to_roles(api.Environment(cr, SUPERUSER_ID, {"active_test": False}))
