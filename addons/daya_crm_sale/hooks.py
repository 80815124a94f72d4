from odoo.addons.daya_base.hooks import daya_adopt_xmlids


def pre_init_hook(cr):
    """On an upgrade of a database made before the sales bridge existed: the
    sales order's rules and views keep their ids."""
    daya_adopt_xmlids(cr, "daya_crm_sale")
