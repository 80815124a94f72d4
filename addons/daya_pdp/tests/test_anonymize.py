import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.daya_cdb_validation.models.res_partner import CDB_FIELDS

from .common import PdpCommon


@tagged("post_install", "-at_install")
class TestAnonymize(PdpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.footprint = cls._footprint()

    def _anonymize(self, user=None, request=None):
        user = user or self.user_head_office
        partner = self.customer.with_user(user)
        if request:
            partner = partner.with_context(daya_pdp_request_id=request.id)
        action = partner.action_anonymize()
        wizard = self.env[action["res_model"]].with_user(user).browse(action["res_id"])
        wizard.confirm = True
        wizard.action_confirm()
        return wizard

    def test_refused_to_anyone_but_head_office(self):
        for user in (
            self.user_branch_head_a,
            self.user_area,
            self.user_adh_a,
            self.user_pic_h1_a,
            self.user_sales_a,
        ):
            with self.assertRaises(AccessError, msg=user.login):
                self.customer.with_user(user).action_anonymize()
            with self.assertRaises(AccessError, msg=user.login):
                self.env["daya.pdp.anonymize.wizard"].with_user(user).create(
                    {"partner_id": self.customer.id, "confirm": True}
                )
        self.assertEqual(self.customer.name, "Rina")
        self.assertFalse(self.env["daya.pdp.audit"].search([]))

    def test_confirmation_needed(self):
        action = self.customer.with_user(self.user_head_office).action_anonymize()
        self.assertEqual(action["res_model"], "daya.pdp.anonymize.wizard")
        wizard = self.env["daya.pdp.anonymize.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.unit_sale_count, 1)
        with self.assertRaises(UserError):
            wizard.with_user(self.user_head_office).action_confirm()
        self.assertEqual(self.customer.nik, "3273015504900004")

    def test_anonymize_erases_the_person_and_keeps_the_sale(self):
        footprint = self.footprint
        self._anonymize()
        customer = self.customer.with_context(active_test=False)
        self.assertTrue(customer.daya_anonymized_at)
        self.assertNotIn("Rina", customer.name)
        for fname in (
            "nik",
            "mobile",
            "mobile_e164",
            "email",
            "street",
            "city",
            "birth_place",
            "birthdate",
            "gender",
        ):
            self.assertFalse(customer[fname], fname)
        # every item of the customer database but the name, replaced above
        for fname in set(CDB_FIELDS) - {"name"}:
            self.assertFalse(customer[fname], fname)
        lead = footprint["lead"].with_context(active_test=False)
        for fname in ("contact_name", "mobile", "description", "nik"):
            self.assertFalse(lead[fname], fname)
        self.assertNotIn("Rina", lead.name)
        self.assertFalse(footprint["booking"].note)
        self.assertFalse(footprint["message"].body or footprint["message"].to)
        validation = footprint["validation"]
        self.assertFalse(validation.line_ids)
        self.assertFalse(validation.customer_note)
        self.assertFalse(footprint["ktp"].exists(), "the KTP photo is deleted")
        messages = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", customer.id)]
        )
        self.assertNotIn("brochure", " ".join(messages.mapped("body")))
        tracked = self.env["mail.tracking.value"].search(
            [("mail_message_id", "in", messages.ids)]
        )
        self.assertFalse(tracked, "the old values in the chatter go too")
        # what the books need stays, without the person
        unit = self.unit
        self.assertTrue(unit.exists())
        self.assertEqual(unit.frame_number, "MH1TEST0001")
        self.assertEqual(unit.partner_id, customer)
        self.assertTrue(footprint["wor_lead"].exists())
        self.assertFalse(
            footprint["tasks"].filtered(lambda t: t.state == "todo"),
            "an erased person is not contacted any more",
        )
        audit = self.env["daya.pdp.audit"].with_user(self.user_head_office).search([])
        self.assertEqual(len(audit), 1)
        self.assertEqual(audit.approved_by_id, self.user_head_office)
        self.assertEqual(audit.reason, "request")
        summary = json.loads(audit.summary)
        self.assertEqual(summary["unit_sales_kept"], 1)
        self.assertEqual(summary["attachments"], 1)
        self.assertNotIn("Rina", audit.summary + audit.partner_reference)
        # the audit is head office's
        with self.assertRaises(AccessError):
            audit.with_user(self.user_branch_head_a).read(["summary"])

    def test_irreversible_and_done_once(self):
        self._anonymize()
        with self.assertRaises(UserError):
            self.customer.with_user(self.user_head_office).action_anonymize()
        with self.assertRaises(UserError):
            self.customer.with_user(self.user_head_office).action_export_personal_data()

    def test_anonymized_mark_is_the_systems(self):
        for user in (self.user_head_office, self.user_branch_head_a):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).write(
                    {"daya_anonymized_at": "2026-01-01 00:00:00"}
                )
            with self.assertRaises(AccessError):
                self.footprint["lead"].with_user(user).write(
                    {"daya_anonymized_at": "2026-01-01 00:00:00"}
                )

    def test_users_and_companies_are_not_anonymized(self):
        for partner in (self.user_sales_a.partner_id, self.leasing):
            with self.assertRaises(UserError):
                partner.with_user(self.user_head_office).action_anonymize()

    def test_deletion_request_approved_by_head_office(self):
        request = self.Request.with_user(self.user_pic_h1_a).create(
            {
                "partner_id": self.customer.id,
                "request_type": "deletion",
                "branch_id": self.branch_a.id,
                "description": "Please delete all my data",
            }
        )
        with self.assertRaises(AccessError):
            request.action_process()
        self.assertEqual(request.state, "new")
        action = request.with_user(self.user_head_office).action_process()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.request_id, request)
        wizard.confirm = True
        wizard.with_user(self.user_head_office).action_confirm()
        self.assertEqual(request.state, "done")
        self.assertEqual(request.done_user_id, self.user_head_office)
        self.assertFalse(request.description, "the request's free text goes too")
        audit = self.env["daya.pdp.audit"].search([("request_id", "=", request.id)])
        self.assertEqual(audit.approved_by_id, self.user_head_office)
