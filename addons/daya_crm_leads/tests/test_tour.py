from odoo.tests import HttpCase, tagged

from odoo.addons.daya_base.tests.common import DayaCrmCommon, DayaPhoneCase


@tagged("post_install", "-at_install")
class TestSalesTour(HttpCase, DayaCrmCommon):
    def test_lead_to_dealer_memo_tour(self):
        self.type_beat.name = "Tour BeAT"
        # the customer is known (by phone): the lead links to them
        customer = self.env["res.partner"].create(
            {"name": "Rina Tour", "mobile": "0857 1234 9876"}
        )
        self._fill_cdb(customer)
        self.start_tour(
            "/web", "daya_crm_leads_sales_tour", login="t_sales_a", timeout=180
        )
        lead = self.env["crm.lead"].search([("name", "=", "Tour lead Rina")])
        self.assertEqual(lead.stage_id, self.env.ref("daya_crm_leads.stage_won"))
        self.assertTrue(lead.fu1_date and lead.fu2_date)
        memo = lead.dealer_memo_id
        self.assertEqual(memo.state, "to_admin")
        self.assertEqual(memo.sales_memo_id.state, "used")

    def test_refused_checks_before_confirm_tour(self):
        """Issue 12 items 8 and 10 on the screen."""
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        lead = Lead.create(
            self._lead_vals(
                name="Tour refusal",
                contact_name="Refusing Customer",
                mobile="0857 2222 3333",
                motor_type_id=self.type_beat.id,
                motor_color_id=self.color_red.id,
            )
        )
        lead.convert_opportunity(lead.partner_id)
        lead.action_follow_up_1()
        self.start_tour(
            f"/web#model=crm.lead&id={lead.id}&view_type=form",
            "daya_crm_leads_refused_tour",
            login="t_sales_a",
            timeout=120,
        )
        self.assertEqual(lead.stage_id, self.env.ref("daya_crm_leads.stage_fu2"))
        self.assertEqual(lead.customer_status, "refused")


class PhoneCase(DayaPhoneCase, DayaCrmCommon):
    """A 390 x 844 phone (as daya_crm_followup's phone screens)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_beat.name = "Phone BeAT"
        cls.dedi = cls.env["res.partner"].create(
            {
                "name": "Dedi Pameran",
                "nik": "3273011505900001",
                "mobile": "0812 7777 8888",
            }
        )


@tagged("post_install", "-at_install")
class TestLeadPhoneTour(PhoneCase):
    def test_phone_lead_tour(self):
        """Issue 12: at an exhibition, the lead form on a phone (390 px): the
        customer by NIK, category, payment, occupation, HOT, saved."""
        self.start_tour(
            "/web#action=crm.crm_lead_all_leads&view_type=form",
            "daya_crm_leads_phone_lead_tour",
            login="t_sales_a",
            timeout=180,
        )
        lead = self.env["crm.lead"].search([("name", "=", "Pameran Dedi")])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.partner_id, self.dedi)
        self.assertEqual(
            (lead.lead_category, lead.payment_type, lead.prospect_status),
            ("prospect", "credit", "hot"),
        )
        self.assertEqual(lead.leasing_id, self.leasing)
        self.assertEqual(lead.occupation_id, self.occupation)
        self.assertEqual(lead.branch_id, self.user_sales_a.branch_id)
        self.assertTrue(lead.lead_number)


@tagged("-standard", "daya_screens", "post_install", "-at_install")
class TestLeadScreenshot(PhoneCase):
    """Not a check: writes docs/screens/lead_form_phone_390.png (README), in
    Bahasa Indonesia, with ``--test-tags=daya_screens``."""

    def test_screenshot(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["base", "web", "crm", "daya_base", "daya_crm_leads"], ["id_ID"]
        )
        self.user_sales_a.write({"lang": "id_ID", "name": "Andi"})
        self._screenshot(
            "t_sales_a",
            "/web#action=crm.crm_lead_all_leads&view_type=form",
            "!!document.querySelector('.o_form_view .o_field_widget[name=nik] input')",
            "lead_form_phone_390.png",
            pause=1,
        )
