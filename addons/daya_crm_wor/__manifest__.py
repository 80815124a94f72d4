{
    "name": "Daya CRM - Workshop Leads",
    "summary": "Workshop repeat-order leads (WOR) and service bookings",
    "version": "16.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Daya CRM",
    "website": "https://www.daya-motor.com",
    "license": "LGPL-3",
    "depends": ["daya_crm_leads"],
    "data": [],
    "installable": True,
    "application": False,
}
