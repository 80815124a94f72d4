{
    "name": "Daya CRM - After-sales Follow-up",
    "summary": "After-sales follow-up schedule, work queue and daily summary",
    "version": "16.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Daya CRM",
    "website": "https://www.daya-motor.com",
    "license": "LGPL-3",
    "depends": ["daya_crm_wor"],
    "data": [],
    "installable": True,
    "application": False,
}
