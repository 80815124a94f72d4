{
    "name": "Daya CRM - DMS Link",
    "summary": "Pull prospects, deals, leasing, billing, deliveries, STNK documents "
    "and workshop visits from the principal's dealer system (Honda DGI API)",
    "version": "16.0.1.1.0",
    "category": "Sales/CRM",
    "author": "Daya CRM",
    "website": "https://www.daya-motor.com",
    "license": "LGPL-3",
    "depends": ["daya_crm_leads", "daya_crm_wor", "daya_cdb_validation"],
    "data": [
        "security/daya_dms_security.xml",
        "security/ir.model.access.csv",
        "data/daya_dms_code_map_data.xml",
        "data/ir_cron_data.xml",
        "views/daya_dms_backend_views.xml",
        "views/daya_dms_log_views.xml",
        "views/daya_dms_code_map_views.xml",
        "views/daya_dms_work_order_views.xml",
        "views/crm_lead_views.xml",
        "views/product_attribute_views.xml",
        "views/daya_dms_menus.xml",
    ],
}
