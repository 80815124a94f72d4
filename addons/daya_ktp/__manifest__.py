{
    "name": "Daya CRM - KTP Scan",
    "summary": "Read a customer's identity card (KTP) photo into the lead or customer form",
    "version": "16.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Daya CRM",
    "website": "https://www.daya-motor.com",
    "license": "LGPL-3",
    "depends": ["daya_crm_leads", "daya_cdb_validation"],
    "external_dependencies": {
        "python": ["pytesseract", "cv2", "numpy"],
        "bin": ["tesseract"],
    },
    "data": [
        "security/daya_ktp_security.xml",
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "data/ir_cron_data.xml",
        "wizard/daya_ktp_scan_wizard_views.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
    ],
}
