{
    "name": "Daya CRM - Sales Orders",
    "summary": "The sales admin continues a dealer memo into a sales order, in Rupiah",
    "version": "16.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Daya CRM",
    "website": "https://www.daya-motor.com",
    "license": "LGPL-3",
    "depends": ["daya_base", "daya_crm_leads", "sale_crm"],
    "data": [
        "security/daya_sale_security.xml",
        "data/product_pricelist_data.xml",
        "views/sale_order_views.xml",
        "views/daya_dealer_memo_views.xml",
    ],
    # installed with the H1 pipeline (and, on an upgrade from the suite before the
    # split, together with daya_base): the workshop and CDB addons do not need it
    "auto_install": ["daya_base", "daya_crm_leads"],
    "pre_init_hook": "pre_init_hook",
}
