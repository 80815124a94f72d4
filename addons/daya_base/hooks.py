import csv
import logging
import os

from lxml import etree
from psycopg2 import sql

from odoo.modules.module import get_manifest, get_module_path

_logger = logging.getLogger(__name__)

# the addons whose parts moved into another addon of the suite (issue 10)
FORMER_MODULES = ("daya_crm_leads", "daya_crm_followup", "daya_cdb_validation")


# the glue addons that take records of a former addon, installed after it
GLUE_MODULES = ("daya_crm_sale", "daya_cdb_crm")


def pre_init_hook(cr):
    """On an upgrade of a database made before the base addon existed: its
    records (groups, rules, views, menus, master data) keep their ids; the views
    that move to a glue addon are removed, the glue addon makes them again."""
    daya_adopt_xmlids(cr, "daya_base")
    for module in GLUE_MODULES:
        _daya_drop_moved_views(cr, module)


def post_init_hook(cr, registry):
    """Amounts are in Rupiah."""
    from odoo import SUPERUSER_ID, api

    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    _daya_set_rupiah(env, env.ref("base.main_company"))
    daya_heads_to_roles(env)


def daya_heads_to_roles(env):
    """The branch heads recorded in the former stored columns ``head_user_id`` /
    ``workshop_head_user_id`` of ``daya_branch`` become what says who heads a
    branch now: the role's group, held by a user of the branch. A recorded head
    gets the group; their current branch becomes the branch when they have none
    (a head recorded for another branch than their current one is only logged:
    moving them would take them from that branch). Idempotent; the old columns
    are left as Odoo leaves the columns of a field no longer stored."""
    from odoo.tools.sql import column_exists

    from .models.daya_branch import HEAD_ROLES

    cr = env.cr
    for column, xmlid in HEAD_ROLES.items():
        if not column_exists(cr, "daya_branch", column):
            continue
        group = env.ref(xmlid)
        cr.execute(
            sql.SQL(
                "SELECT id, {} FROM daya_branch WHERE {} IS NOT NULL ORDER BY id"
            ).format(sql.Identifier(column), sql.Identifier(column))
        )
        for branch_id, user_id in cr.fetchall():
            user = env["res.users"].browse(user_id).exists()
            if not user or user.share:
                continue
            vals = {}
            if group not in user.groups_id:
                vals["groups_id"] = [(4, group.id)]
            if not user.branch_id:
                vals.update(branch_ids=[(4, branch_id)], branch_id=branch_id)
            elif user.branch_id.id != branch_id:
                _logger.warning(
                    "Daya CRM: %s was recorded as %s of branch %s but works in "
                    "branch %s: set their current branch to make them its head.",
                    user.login,
                    group.name,
                    branch_id,
                    user.branch_id.id,
                )
            if vals:
                user.write(vals)
                _logger.info(
                    "Daya CRM: %s holds the role %s of branch %s (was recorded on "
                    "the branch only)",
                    user.login,
                    group.name,
                    branch_id,
                )


def daya_adopt_xmlids(cr, module):
    """Give ``module`` the external ids of the records its data files define
    that a former addon of the suite created (the records moved with their
    code). Without this, installing ``module`` into an existing database would
    make second copies of them (second groups, without their users) and the
    former addon's upgrade would then delete the originals."""
    for former, names in _daya_moved_names(module).items():
        cr.execute(
            """
            UPDATE ir_model_data old
               SET module = %s
             WHERE old.module = %s
               AND old.name = ANY(%s)
               AND NOT EXISTS (
                    SELECT 1 FROM ir_model_data new
                     WHERE new.module = %s AND new.name = old.name
               )
            """,
            (module, former, sorted(names), module),
        )
        if cr.rowcount:
            _logger.info(
                "Daya CRM: %d record(s) moved from %s to %s kept their ids",
                cr.rowcount,
                former,
                module,
            )


def _daya_drop_moved_views(cr, module):
    """Remove the views a former addon made that ``module`` (a glue addon, loaded
    after the former addon's upgrade) defines now. They extend the former addon's
    views with fields that only ``module`` brings: left in place, they would break
    the validation of the former addon's views during its upgrade. Views hold no
    data; ``module`` creates them again when it is installed."""
    for former, names in _daya_moved_names(module).items():
        cr.execute(
            """
            SELECT id, res_id FROM ir_model_data
             WHERE module = %s AND name = ANY(%s) AND model = 'ir.ui.view'
            """,
            (former, sorted(names)),
        )
        rows = cr.fetchall()
        if not rows:
            continue
        cr.execute(
            "DELETE FROM ir_ui_view WHERE id IN %s", (tuple(row[1] for row in rows),)
        )
        cr.execute(
            "DELETE FROM ir_model_data WHERE id IN %s", (tuple(row[0] for row in rows),)
        )
        _logger.info(
            "Daya CRM: %d view(s) of %s moving to %s removed (it makes them again)",
            len(rows),
            former,
            module,
        )


def _daya_moved_names(module):
    """{former addon: the ids of ``module``'s records that it no longer
    defines} (an id is only unique within its addon)."""
    names = _daya_data_xmlids(module)
    return {
        former: names - _daya_data_xmlids(former)
        for former in FORMER_MODULES
        if former != module
    }


def _daya_data_xmlids(module):
    """The ids (without module) of the records in ``module``'s data files."""
    path = get_module_path(module)
    if not path:
        return set()
    manifest = get_manifest(module)
    names = set()
    for filename in manifest.get("data", []) + manifest.get("demo", []):
        full = os.path.join(path, filename)
        if filename.endswith(".csv"):
            with open(full, newline="", encoding="utf-8") as csv_file:
                names.update(
                    row["id"]
                    for row in csv.DictReader(csv_file)
                    if "." not in row["id"]
                )
        elif filename.endswith(".xml"):
            tree = etree.parse(full)
            names.update(
                node.get("id")
                for node in tree.iter("record", "menuitem", "template")
                if node.get("id") and "." not in node.get("id")
            )
    return names


def _daya_set_rupiah(env, company):
    """Amounts are in Rupiah, shown without decimals: the company's currency
    becomes IDR, unless it already has journal items (then an accountant decides:
    changing it would corrupt them, so it is left as it is, with a warning; the
    CRM's amounts are in Rupiah anyway)."""
    idr = env.ref("base.IDR")
    # accounting is not a dependency: only a database that has it has journal items
    has_accounting = "account.move.line" in env
    Lines = env["account.move.line"].sudo() if has_accounting else None
    if company.currency_id != idr:
        if has_accounting and Lines.search_count(
            [("company_id", "=", company.id)], limit=1
        ):
            _logger.warning(
                "Company %s has journal items in %s: its currency is left as it is "
                "(Daya CRM works in Rupiah, IDR).",
                company.name,
                company.currency_id.name,
            )
        else:
            company.currency_id = idr
    if idr.rounding != 1.0:
        if has_accounting and Lines.search_count(
            [("currency_id", "=", idr.id)], limit=1
        ):
            _logger.warning(
                "IDR is used in journal items: its rounding (%s) is left as it is.",
                idr.rounding,
            )
        else:
            idr.rounding = 1.0
