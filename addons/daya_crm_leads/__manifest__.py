{
    "name": "Daya CRM - Leads",
    "summary": "The H1 sales pipeline of a Honda dealer network: leads, follow-ups, dealer memos",
    "version": "16.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Daya CRM",
    "website": "https://www.daya-motor.com",
    "license": "LGPL-3",
    "depends": ["daya_base", "crm"],
    "data": [
        "security/daya_security.xml",
        "security/ir.model.access.csv",
        "data/crm_stage_data.xml",
        "data/ir_sequence_data.xml",
        "data/res_partner_branch_data.xml",
        "data/ir_cron_data.xml",
        "views/daya_sales_memo_views.xml",
        "views/crm_lead_views.xml",
        "views/daya_dealer_memo_views.xml",
        "views/daya_menus.xml",
    ],
    "demo": [
        "demo/daya_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "daya_crm_leads/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
}
