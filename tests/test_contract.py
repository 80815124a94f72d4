"""The technical names of ../shared/CONTRACT.md, which reports, the DMS API, data
imports and acceptance checks rely on, exist in the installed suite."""

from odoo.tests.common import TransactionCase

from odoo.addons.daya_base.tests.role_rights import SUITE

CONTRACT = {
    "daya.branch": [
        "name",
        "code",
        "company_id",
        "head_user_id",
        "workshop_head_user_id",
        "area_coordinator_user_id",
        "has_full_structure",
        "resource_calendar_id",
    ],
    "res.users": ["branch_id", "branch_ids"],
    "res.partner": [
        "nik",
        "bpa_code",
        "mobile_e164",
        "is_leasing_company",
        # daya_cdb_validation
        "occupation_id",
        "email",
        "social_media",
        "monthly_expense",
        "house_status",
        "motorcycle_ownership",
        "previous_motorcycle",
        "motorcycle_use",
        "birth_place",
        "birthdate",
        "cdb_completeness",
    ],
    "product.template": ["is_motorcycle"],
    "daya.occupation": ["name"],
    "daya.sales.memo": ["name", "user_id", "branch_id", "state"],
    "crm.lead": [
        "lead_number",
        "branch_id",
        "lead_category",
        "prospect_status",
        "sales_source",
        "motor_type_id",
        "motor_color_id",
        "motor_product_id",
        "payment_type",
        "leasing_id",
        "down_payment",
        "leasing_status",
        "occupation_id",
        "fu1_date",
        "fu2_plan_date",
        "fu2_date",
        "fu3_plan_date",
        "fu3_date",
        "dealer_memo_id",
    ],
    "daya.dealer.memo": [
        "name",
        "lead_id",
        "partner_id",
        "branch_id",
        "user_id",
        "sales_memo_id",
        "motor_product_id",
        "payment_type",
        "leasing_id",
        "down_payment",
        "tenor",
        "state",
        "sale_order_id",
    ],
    "daya.unit.sale": [
        "partner_id",
        "branch_id",
        "product_id",
        "frame_number",
        "engine_number",
        "sale_date",
        "delivery_date",
        "stnk_ready_date",
        "payment_type",
        "leasing_id",
        "tenor",
        "is_premium",
        "dealer_memo_id",
        "origin",
    ],
    "daya.crm.report.wizard": [
        "report_type",
        "stage_ids",
        "date_from",
        "date_to",
        "branch_ids",
    ],
    "daya.wor.lead": [
        "partner_id",
        "unit_sale_id",
        "branch_id",
        "wor_type",
        "origin",
        "responsible_role",
        "user_id",
        "state",
        "lost_reason",
        "booking_ids",
    ],
    "daya.service.booking": [
        "partner_id",
        "unit_sale_id",
        "wor_lead_id",
        "branch_id",
        "start",
        "stop",
        "service_type",
        "booking_kind",
        "state",
    ],
    "daya.cdb.validation": [
        "partner_id",
        "branch_id",
        "access_token",
        "expires_at",
        "state",
        "reviewer_id",
    ],
    # the DMS link, KTP scan, personal data
    "daya.dms.backend": [
        "name",
        "base_url",
        "dealer_code",
        "api_key",
        "api_secret",
        "token_join",
        "window_days",
        "timeout",
        "branch_ids",
    ],
    "daya.dms.log": [
        "backend_id",
        "endpoint",
        "date_from",
        "date_to",
        "state",
        "received",
        "created",
        "updated",
        "rejected",
        "error",
    ],
    "product.attribute.value": ["dms_code"],
    "daya.consent": ["partner_id", "purpose", "state", "date", "channel", "user_id"],
}
CONTRACT["crm.lead"] += ["dms_prospect_id", "dms_spk_id"]
CONTRACT["daya.unit.sale"] = CONTRACT.get("daya.unit.sale", []) + ["dms_delivery_id"]
CONTRACT["res.partner"] += ["consent_ids"]

SELECTIONS = {
    ("daya.sales.memo", "state"): {"available", "distributed", "used", "withdrawn"},
    ("crm.lead", "lead_category"): {"order_in", "prospect"},
    ("crm.lead", "prospect_status"): {"hot", "medium", "low"},
    ("crm.lead", "sales_source"): {"showroom", "exhibition", "pos", "event", "leads"},
    ("crm.lead", "payment_type"): {"cash", "credit"},
    ("daya.dealer.memo", "state"): {"draft", "to_admin", "done", "cancel"},
    ("daya.unit.sale", "origin"): {"memo", "import"},
    ("daya.crm.report.wizard", "report_type"): {"all", "lead", "opportunity"},
    ("daya.wor.lead", "wor_type"): {"kpb1", "kpb2", "kpb3", "kpb4", "regular"},
    ("daya.wor.lead", "origin"): {"h1_h2", "h2_h2"},
    ("daya.wor.lead", "responsible_role"): {"pic_crm_h1", "pic_crm_h23"},
    ("daya.wor.lead", "state"): {
        "new",
        "fu1",
        "fu2",
        "fu3",
        "booked",
        "done",
        "lost",
    },
    ("daya.service.booking", "booking_kind"): {
        "workshop",
        "weekend",
        "home_service",
        "promo",
    },
    ("daya.service.booking", "state"): {
        "booked",
        "arrived",
        "done",
        "no_show",
        "cancel",
    },
    ("daya.dms.backend", "token_join"): {"concat", "colon"},
    ("daya.dms.log", "state"): {"done", "failed"},
    ("daya.consent", "purpose"): {"service_reminder", "marketing", "credit_processing"},
    ("daya.consent", "state"): {"given", "withdrawn"},
    ("daya.cdb.validation", "state"): {
        "sent",
        "submitted",
        "approved",
        "rejected",
        "expired",
    },
}

XMLIDS = [
    "daya_crm_leads.stage_new",
    "daya_crm_leads.stage_fu1",
    "daya_crm_leads.stage_fu2",
    "daya_crm_leads.stage_fu3",
    "daya_crm_leads.stage_won",
]


class TestSuiteContract(TransactionCase):
    def test_suite_installed(self):
        self.assertTrue(SUITE, "the repository's .env lists the suite's addons")
        modules = self.env["ir.module.module"].search([("name", "in", SUITE)])
        self.assertEqual(
            {m.name: m.state for m in modules}, {name: "installed" for name in SUITE}
        )

    def test_models_and_fields(self):
        missing = [
            f"{model}.{field}"
            for model, fields in CONTRACT.items()
            for field in (fields if model in self.env else ["(model)"])
            if model not in self.env or field not in self.env[model]._fields
        ]
        self.assertFalse(missing, f"contract names missing: {missing}")

    def test_selection_values(self):
        wrong = {}
        for (model, field), values in SELECTIONS.items():
            if model not in self.env or field not in self.env[model]._fields:
                wrong[(model, field)] = "missing"
                continue
            have = {key for key, _label in self.env[model]._fields[field].selection}
            if not values <= have:
                wrong[(model, field)] = sorted(values - have)
        self.assertFalse(wrong)

    def test_stages_and_actions(self):
        for xmlid in XMLIDS:
            self.assertTrue(self.env.ref(xmlid, raise_if_not_found=False), xmlid)
        Lead = self.env["crm.lead"]
        for method in (
            "action_follow_up_1",
            "action_follow_up_2",
            "action_follow_up_3",
            "action_set_won_rainbowman",
            "action_set_lost",
            "action_create_dealer_memo",
        ):
            self.assertTrue(callable(getattr(Lead, method, None)), method)
        self.assertTrue(callable(self.env["daya.crm.report.wizard"].action_export))
        self.assertTrue(callable(self.env["daya.dms.backend"]._dms_pull))
        Partner = self.env["res.partner"]
        for method in (
            "_daya_read_ktp",
            "action_export_personal_data",
            "action_anonymize",
        ):
            self.assertTrue(callable(getattr(Partner, method, None)), method)
