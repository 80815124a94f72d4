import base64

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import DayaKtpCommon


@tagged("post_install", "-at_install")
class TestKtpWizard(DayaKtpCommon):
    """Scan KTP on the lead and on the customer, as the branch's salespeople."""

    def _wizard(self, user, **context):
        Wizard = self.env["daya.ktp.scan.wizard"].with_user(user)
        wizard = Wizard.with_context(**context).create(
            {"photo": base64.b64encode(self.card_image)}
        )
        wizard.action_read()
        return wizard

    def _photos(self, record):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("daya_ktp_photo", "=", True),
                ]
            )
        )

    def test_lead_new_customer_prefilled(self):
        person = self.card_person
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_sales_a)
            .create(self._lead_vals(contact_name="?", mobile="081234567890"))
        )
        wizard = self._wizard(self.user_sales_a, default_lead_id=lead.id)
        self.assertEqual(wizard.state, "review")
        self.assertEqual(wizard.nik, person["nik"])
        self.assertEqual(wizard.name, person["name"])
        self.assertEqual(wizard.birthdate, person["birthdate"])
        self.assertEqual(wizard.gender, person["gender"])
        self.assertFalse(wizard.existing_partner_id)
        # nothing saved before the confirmation
        self.assertFalse(lead.nik)
        self.assertFalse(self._photos(lead))
        wizard.action_confirm()
        self.assertEqual(lead.nik, person["nik"])
        self.assertEqual(lead.contact_name, person["name"])
        self.assertEqual(lead.street, person["street"])
        self.assertIn(person["village"], lead.street2)
        photo = self._photos(lead.partner_id or lead)
        self.assertEqual(len(photo), 1)
        self.assertEqual(photo.daya_ktp_branch_id, self.branch_a)

    def test_lead_existing_customer_offered(self):
        person = self.card_person
        customer = (
            self.env["res.partner"]
            .with_user(self.user_sales_a)
            .create({"name": "Known Customer", "nik": person["nik"]})
        )
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_sales_a)
            .create(self._lead_vals(contact_name="Walk-in", mobile="081234567891"))
        )
        wizard = self._wizard(self.user_sales_a, default_lead_id=lead.id)
        self.assertEqual(wizard.existing_partner_id, customer)
        wizard.action_confirm()
        self.assertEqual(lead.partner_id, customer)
        self.assertEqual(len(self._photos(customer)), 1)

    def test_customer_of_another_branch_not_shown(self):
        """Branch B's salesperson scanning a card of branch A's customer sees the
        minimal card only, and cannot copy the NIK onto another customer."""
        self.env["res.partner"].with_user(self.user_sales_a).create(
            {"name": "Branch A Customer", "nik": self.card_person["nik"]}
        )
        partner_b = (
            self.env["res.partner"]
            .with_user(self.user_sales_b)
            .create({"name": "Someone in B"})
        )
        wizard = self._wizard(self.user_sales_b, default_partner_id=partner_b.id)
        self.assertFalse(wizard.existing_partner_id)
        self.assertTrue(wizard.existing_card)
        # the minimal card of the lookup: name, masked phone, branches
        self.assertIn(self.branch_a.name, wizard.existing_card)
        with self.assertRaisesRegex(UserError, "another branch"):
            wizard.action_confirm()
        self.assertFalse(partner_b.nik)

    def test_customer_form_prefilled_after_confirmation(self):
        person = self.card_person
        partner = (
            self.env["res.partner"]
            .with_user(self.user_sales_a)
            .create({"name": "To Be Scanned"})
        )
        wizard = self._wizard(self.user_sales_a, default_partner_id=partner.id)
        # the user corrects a value before confirming
        with Form(wizard) as form:
            form.birth_place = "KOTA " + person["birth_place"]
        self.assertFalse(partner.nik)
        wizard.action_confirm()
        self.assertEqual(partner.nik, person["nik"])
        self.assertEqual(partner.name, person["name"])
        self.assertEqual(partner.birth_place, "KOTA " + person["birth_place"])
        self.assertEqual(partner.birthdate, person["birthdate"])
        self.assertEqual(partner.gender, person["gender"])
        self.assertEqual(len(self._photos(partner)), 1)

    def test_confirm_needs_reading(self):
        partner = (
            self.env["res.partner"].with_user(self.user_sales_a).create({"name": "X"})
        )
        wizard = (
            self.env["daya.ktp.scan.wizard"]
            .with_user(self.user_sales_a)
            .create({"partner_id": partner.id})
        )
        with self.assertRaisesRegex(UserError, "photo"):
            wizard.action_read()
        with self.assertRaisesRegex(UserError, "Read the KTP"):
            wizard.action_confirm()
