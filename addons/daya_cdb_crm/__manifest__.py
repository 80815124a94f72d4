{
    "name": "Daya CRM - Customer Database on Leads",
    "summary": "The CDB's completeness on the opportunity, and a complete CDB before "
    "the dealer memo",
    "version": "16.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Daya CRM",
    "website": "https://www.daya-motor.com",
    "license": "LGPL-3",
    "depends": ["daya_base", "daya_crm_leads", "daya_cdb_validation"],
    "data": [
        "views/crm_lead_views.xml",
    ],
    # glue: installed with both (and, on an upgrade from the suite before the
    # split, together with daya_base)
    "auto_install": ["daya_base", "daya_crm_leads", "daya_cdb_validation"],
    "pre_init_hook": "pre_init_hook",
}
