{
    "name": "Daya CRM - Workshop Leads",
    "summary": "Workshop repeat-order leads (WOR) and service bookings",
    "version": "16.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Daya CRM",
    "website": "https://www.daya-motor.com",
    "license": "LGPL-3",
    "depends": ["daya_crm_leads"],
    "data": [
        "security/ir.model.access.csv",
        "security/daya_wor_security.xml",
        "data/ir_sequence_data.xml",
        "views/daya_wor_lead_views.xml",
        "views/daya_service_booking_views.xml",
        "views/daya_branch_views.xml",
        "views/daya_wor_menus.xml",
    ],
    "demo": ["demo/daya_wor_demo.xml"],
    "assets": {
        "web.assets_tests": ["daya_crm_wor/static/tests/tours/*.js"],
    },
}
