from odoo.addons.daya_base.hooks import daya_adopt_xmlids


def pre_init_hook(cr):
    """On an upgrade of a database made before this glue existed: the lead form's
    CDB view keeps its id."""
    daya_adopt_xmlids(cr, "daya_cdb_crm")
