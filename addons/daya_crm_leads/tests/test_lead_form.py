from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.daya_base.tests.common import NIK_MAN, NIK_WOMAN, DayaCrmCommon


@tagged("post_install", "-at_install")
class TestLeadForm(DayaCrmCommon):
    def _form(self, user=None):
        form = Form(
            self.env["crm.lead"].with_user(user or self.user_sales_a),
            view="crm.crm_lead_view_form",
        )
        form.name = "BeAT for Rina"
        return form

    def test_form_requires_what_model_requires(self):
        """Seed 001's mandatory fields show as required before saving, as the
        lead's constraint requires them: category, cash/credit, the leasing of a
        credit purchase, the occupation."""
        required_where = {
            "lead_category": [],
            "payment_type": [],
            "leasing_id": [("payment_type", "=", "credit")],
            "occupation_id": [],
        }
        cases = [
            {},
            {"lead_category": "prospect"},
            {"lead_category": "order_in", "payment_type": "cash"},
            {"lead_category": "order_in", "payment_type": "credit"},
        ]
        for values in cases:
            with self.subTest(**values):
                form = self._form()
                for fname, value in values.items():
                    setattr(form, fname, value)
                shown = {
                    fname
                    for fname in required_where
                    if form._get_modifier(fname, "required")
                }
                lead = self.env["crm.lead"].new(values)
                by_model = {
                    fname
                    for fname, domain in required_where.items()
                    if not domain or lead.filtered_domain(domain)
                }
                self.assertEqual(shown, by_model)
                self.assertEqual(set(lead._daya_required_fields()), by_model)
        # a lead saved without them is refused by the model, naming them
        with self.assertRaisesRegex(ValidationError, "Cash / Credit"):
            self.env["crm.lead"].with_user(self.user_sales_a).create(
                {
                    "name": "No payment type",
                    "lead_category": "prospect",
                    "occupation_id": self.occupation.id,
                }
            )

    def test_new_customer_created_from_lead(self):
        form = self._form()
        form.contact_name = "Rina Kartika"
        form.nik = NIK_WOMAN
        form.mobile = "0857 9911 2233"
        form.street = "Jl. Cikutra 12"
        form.city = "Bandung"
        form.lead_category = "order_in"
        form.payment_type = "credit"
        form.leasing_id = self.leasing
        form.down_payment = 0.0
        form.occupation_id = self.occupation
        form.sales_source = "showroom"
        self.assertEqual(form.priority, "2", "NIK and phone known: high priority")
        lead = form.save()
        self.assertTrue(lead.lead_number.startswith("LD/"))
        self.assertEqual(lead.branch_id, self.branch_a)
        self.assertEqual(lead.priority, "2")
        customer = lead.partner_id
        self.assertEqual(customer.name, "Rina Kartika")
        self.assertEqual(customer.nik, NIK_WOMAN)
        self.assertEqual(customer.mobile_e164, "+6285799112233")
        self.assertEqual(customer.street, "Jl. Cikutra 12")
        # editing address, NIK or phone on the lead updates the customer
        lead.with_user(self.user_sales_a).write(
            {"street": "Jl. Dago 1", "mobile": "0857-9911-4455", "nik": NIK_MAN}
        )
        self.assertEqual(customer.street, "Jl. Dago 1")
        self.assertEqual(customer.mobile_e164, "+6285799114455")
        self.assertEqual(customer.nik, NIK_MAN)

    def test_existing_customer_filled_from_history(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Agus Salim",
                "nik": NIK_MAN,
                "mobile": "0813-9876-5432",
                "bpa_code": "BPA-T-1",
                "street": "Jl. Gatot Subroto 7",
            }
        )
        product = self.type_beat.product_variant_ids[0]
        self.env["daya.unit.sale"].create(
            [
                {
                    "partner_id": customer.id,
                    "branch_id": self.branch_a.id,
                    "product_id": product.id,
                    "frame_number": "T-FRAME-OLD",
                    "sale_date": date(2020, 1, 10),
                    "payment_type": "cash",
                },
                {
                    "partner_id": customer.id,
                    "branch_id": self.branch_a.id,
                    "product_id": product.id,
                    "frame_number": "T-FRAME-LAST",
                    "sale_date": date(2023, 5, 20),
                    "payment_type": "credit",
                    "leasing_id": self.leasing.id,
                    "tenor": 24,
                    "down_payment": 2500000,
                },
            ]
        )
        with self.debug_mode():  # the customer field of a lead shows in debug mode
            form = self._form()
        form.partner_id = customer
        self.assertEqual(form.nik, NIK_MAN)
        self.assertEqual(form.mobile, "+62 813-9876-5432")
        self.assertEqual(form.street, "Jl. Gatot Subroto 7")
        self.assertEqual(form.priority, "2")
        self.assertEqual(form.last_sale_date, date(2023, 5, 20))
        self.assertEqual(form.last_motor_type_id, self.type_beat)
        self.assertEqual(form.last_product_id, product)
        self.assertEqual(form.last_tenor, 24)
        self.assertEqual(form.last_payment_type, "credit")
        self.assertEqual(form.last_down_payment, 2500000)

    def test_required_fields_refused_with_names(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        partners_before = self.env["res.partner"].search_count([])
        with self.assertRaises(ValidationError) as err:
            Lead.create({"name": "Incomplete", "contact_name": "Nobody Yet"})
        message = str(err.exception)
        for words in ("Category", "Cash / Credit", "Occupation"):
            self.assertIn(words, message)
        with self.assertRaises(ValidationError) as err:
            Lead.create(self._lead_vals(payment_type="credit"))
        self.assertIn("Leasing", str(err.exception))
        # DP may be 0 on a credit purchase
        lead = Lead.create(
            self._lead_vals(
                payment_type="credit", leasing_id=self.leasing.id, down_payment=0
            )
        )
        self.assertEqual(lead.down_payment, 0)
        with self.assertRaises(ValidationError):
            lead.write({"down_payment": -1})
        self.env.flush_all()
        self.assertEqual(
            self.env["res.partner"].search_count([]),
            partners_before,
            "no orphan partner",
        )

    def test_bad_phone_or_nik_on_lead(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        with self.assertRaises(ValidationError):
            Lead.create(self._lead_vals(contact_name="X", mobile="12"))
        with self.assertRaises(ValidationError):
            Lead.create(self._lead_vals(contact_name="X", nik="1234567890123456"))

    def test_salesperson_without_sales_memo(self):
        newcomer = self.env["res.users"].create(
            {
                "name": "Newcomer",
                "login": "t_newcomer",
                "branch_id": self.branch_a.id,
                "groups_id": [
                    (6, 0, self.env.ref("daya_base.group_daya_sales_force").ids)
                ],
            }
        )
        form = self._form(user=self.user_branch_head_a)
        with self.assertLogs("odoo.tests.common", level="WARNING") as logs:
            form.user_id = newcomer
        self.assertIn("Distribute a sales memo first", "\n".join(logs.output))
        form.lead_category = "prospect"
        form.payment_type = "cash"
        form.occupation_id = self.occupation
        with self.assertRaises(ValidationError) as err:
            form.save()
        self.assertIn("Distribute a sales memo to Newcomer first", str(err.exception))
        self.env["daya.sales.memo"].create(
            {
                "name": "T-NEW-1",
                "branch_id": self.branch_a.id,
                "user_id": newcomer.id,
                "state": "distributed",
            }
        )
        lead = form.save()
        self.assertEqual(lead.user_id, newcomer)

    def test_salesperson_sets_team(self):
        team = self.env["crm.team"].create(
            {
                "name": "Team A",
                "branch_id": self.branch_a.id,
                "member_ids": [(6, 0, self.user_sales_a.ids)],
            }
        )
        form = self._form(user=self.user_branch_head_a)
        form.user_id = self.user_sales_a
        self.assertEqual(form.team_id, team)

    @freeze_time("2026-03-02")
    def test_prospect_status_window(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        for days, status in ((3, "hot"), (10, "hot"), (15, "medium"), (25, "low")):
            lead = Lead.create(self._lead_vals(date_deadline=date(2026, 3, 2 + days)))
            self.assertEqual(lead.prospect_status, status, days)
        with self.assertRaises(ValidationError) as err:
            Lead.create(
                self._lead_vals(prospect_status="hot", date_deadline="2026-03-27")
            )
        self.assertIn("HOT", str(err.exception))
        form = Form(
            self.env["crm.lead"]
            .with_user(self.user_sales_a)
            .with_context(default_type="opportunity"),
            view="crm.crm_lead_view_form",
        )
        form.prospect_status = "medium"
        self.assertEqual(form.date_deadline, date(2026, 3, 22))
        form.date_deadline = date(2026, 3, 5)
        self.assertEqual(form.prospect_status, "hot")

    def test_prospect_status_follows_the_calendar(self):
        """A lead saved LOW turns MEDIUM then HOT as its expected closing nears,
        without any edit: the daily cron moves it (issue 10, item 4), in bounded
        batches; a status without an expected closing stays as the user set it."""
        cron = self.env.ref("daya_crm_leads.ir_cron_refresh_prospect_status")
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        with freeze_time("2026-03-02"):
            lead = Lead.create(self._lead_vals(date_deadline=date(2026, 3, 27)))
            other = Lead.create(self._lead_vals(date_deadline=date(2026, 3, 28)))
            undated = Lead.create(self._lead_vals(prospect_status="low"))
            self.assertEqual((lead | other).mapped("prospect_status"), ["low", "low"])
        with freeze_time("2026-03-10 01:00:00"):  # 17 days left
            cron.method_direct_trigger()
            (lead | other).invalidate_recordset()
            self.assertEqual(lead.prospect_status, "medium")
            self.assertEqual(
                Lead.search([("prospect_status", "=", "medium"), ("id", "=", lead.id)]),
                lead,
            )
        with freeze_time("2026-03-20 01:00:00"):  # 7 days left
            # one lead per run: the cron calls itself again for the next one
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()
            self.assertEqual(Lead.sudo()._cron_refresh_prospect_status(1), 1)
            self.assertTrue(
                self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
            )
            cron.method_direct_trigger()
            (lead | other).invalidate_recordset()
            self.assertEqual((lead | other).mapped("prospect_status"), ["hot", "hot"])
        self.assertEqual(undated.prospect_status, "low")

    def test_filters_by_status(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        hot = Lead.create(self._lead_vals(prospect_status="hot"))
        low = Lead.create(self._lead_vals(prospect_status="low"))
        found = Lead.search(
            [("prospect_status", "=", "hot"), ("id", "in", (hot | low).ids)]
        )
        self.assertEqual(found, hot)
        groups = Lead.read_group(
            [("id", "in", (hot | low).ids)], ["prospect_status"], ["prospect_status"]
        )
        self.assertEqual({g["prospect_status"] for g in groups}, {"hot", "low"})


@tagged("post_install", "-at_install")
class TestDuplicateGuard(DayaCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales_a2 = cls.env["res.users"].create(
            {
                "name": "Sales A2",
                "login": "t_sales_a2",
                "branch_id": cls.branch_a.id,
                "groups_id": [
                    (6, 0, cls.env.ref("daya_base.group_daya_sales_force").ids)
                ],
            }
        )
        cls.env["daya.sales.memo"].create(
            {
                "name": "T-SM-A2",
                "branch_id": cls.branch_a.id,
                "user_id": cls.user_sales_a2.id,
                "state": "distributed",
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Dedi", "nik": NIK_MAN, "mobile": "0822-1000-2000"}
        )
        cls.first = (
            cls.env["crm.lead"]
            .with_user(cls.user_sales_a)
            .create(cls._lead_vals(partner_id=cls.customer.id))
        )

    def test_second_salesperson_refused(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a2)
        count = self.env["crm.lead"].search_count([])
        for values in (
            {"partner_id": self.customer.id},
            {"contact_name": "Dedi K", "mobile": "+62 822 1000 2000"},
            {"contact_name": "Dedi K", "nik": NIK_MAN},
        ):
            with self.subTest(values=values), self.assertRaises(UserError) as err:
                Lead.create(self._lead_vals(**values))
            self.assertIn(self.first.lead_number, str(err.exception))
            self.assertIn("Sales A", str(err.exception))
        self.assertEqual(self.env["crm.lead"].search_count([]), count)
        # the form warns before saving
        with self.debug_mode():
            form = Form(Lead, view="crm.crm_lead_view_form")
        form.name = "Again"
        form.partner_id = self.customer
        self.assertIn(self.first.lead_number, form.duplicate_warning)

    def test_same_salesperson_or_other_branch_allowed(self):
        self.env["crm.lead"].with_user(self.user_sales_a).create(
            self._lead_vals(partner_id=self.customer.id)
        )
        # another branch attaches the customer by their NIK first (issue 11 item 1)
        self.customer.with_user(self.user_sales_b).action_attach_to_branch(NIK_MAN)
        self.env["crm.lead"].with_user(self.user_sales_b).create(
            self._lead_vals(partner_id=self.customer.id)
        )

    def test_closed_lead_frees_customer(self):
        self.first.action_set_lost(
            lost_reason_id=self.env.ref("daya_crm_leads.lost_reason_postponed").id
        )
        self.env["crm.lead"].with_user(self.user_sales_a2).create(
            self._lead_vals(partner_id=self.customer.id)
        )

    def test_branch_head_override_logged(self):
        with self.assertRaises(UserError):
            self.env["crm.lead"].with_user(self.user_sales_a2).create(
                self._lead_vals(partner_id=self.customer.id, duplicate_override=True)
            )
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_branch_head_a)
            .create(
                self._lead_vals(
                    partner_id=self.customer.id,
                    user_id=self.user_sales_a2.id,
                    duplicate_override=True,
                )
            )
        )
        self.assertTrue(lead.duplicate_override)
        log = lead.message_ids.filtered(
            lambda m: "Parallel lead allowed" in (m.body or "")
        )
        self.assertTrue(log)
        self.assertIn(self.user_branch_head_a.name, log.body)
        self.assertEqual(log.author_id, self.user_branch_head_a.partner_id)
