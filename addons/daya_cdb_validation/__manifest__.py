{
    "name": "Daya CRM - Customer Database Validation",
    "summary": "Customer database completeness and the customer's validation link",
    "version": "16.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Daya CRM",
    "website": "https://www.daya-motor.com",
    "license": "LGPL-3",
    "depends": ["daya_crm_leads", "portal"],
    "data": [],
    "installable": True,
    "application": False,
}
