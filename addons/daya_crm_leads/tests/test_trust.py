import base64

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.daya_base.tests.common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestDocumentLeaks(DayaCrmCommon):
    """Issue 11.13: messages and attachments follow their document's branch, also
    through name_get and read_group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead_a = (
            cls.env["crm.lead"]
            .with_user(cls.user_sales_a)
            .create(cls._lead_vals(name="Secret deal Bandung", contact_name="Ani"))
        )
        cls.message = cls.lead_a.with_user(cls.user_sales_a).message_post(
            body="Called the customer", message_type="comment"
        )
        cls.attachment = (
            cls.env["ir.attachment"]
            .with_user(cls.user_sales_a)
            .create(
                {
                    "name": "ktp.txt",
                    "datas": base64.b64encode(b"KTP"),
                    "res_model": "crm.lead",
                    "res_id": cls.lead_a.id,
                }
            )
        )

    def test_message_name_of_another_branch(self):
        self.env.invalidate_all()
        self.assertIn(
            "Secret deal",
            self.message.with_user(self.user_sales_a).name_get()[0][1],
        )
        for user in (self.user_sales_b, self.user_branch_head_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.message.with_user(user).name_get()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.message.with_user(user).read(["record_name"])

    def test_attachment_counts_of_another_branch(self):
        def counts(user):
            self.env.invalidate_all()
            groups = (
                self.env["ir.attachment"]
                .with_user(user)
                .read_group([("res_model", "=", "crm.lead")], ["res_id"], ["res_id"])
            )
            return {group["res_id"]: group["res_id_count"] for group in groups}

        self.assertEqual(counts(self.user_sales_a).get(self.lead_a.id), 1)
        for user in (self.user_sales_b, self.user_branch_head_b):
            with self.subTest(user=user.login):
                self.assertNotIn(self.lead_a.id, counts(user))
                self.assertNotIn(
                    self.attachment,
                    self.env["ir.attachment"]
                    .with_user(user)
                    .search([("res_model", "=", "crm.lead")]),
                )
