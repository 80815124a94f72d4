from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import DayaKtpCommon


@tagged("post_install", "-at_install")
class TestKtpPhotoAccess(DayaKtpCommon, HttpCase):
    """The KTP photo: its branch's sales staff read it, over /web/content too;
    another branch, the workshop roles and exports never."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = (
            cls.env["res.partner"]
            .with_user(cls.user_sales_a)
            .create({"name": "Photo Customer", "mobile": "081299998888"})
        )
        cls.photo = cls.env["ir.attachment"]._daya_ktp_store(
            cls.customer, cls.card_image, cls.branch_a
        )
        # branch B knows the customer too (a sale there): it reads the customer,
        # never the photo taken in branch A
        cls.customer.sudo().branch_ids = [(4, cls.branch_b.id)]

    def _get(self, login):
        self.authenticate(login, login)
        return self.url_open("/web/content/%s" % self.photo.id)

    def test_web_content_by_branch(self):
        response = self._get(self.user_sales_a.login)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, self.card_image)
        self.assertTrue(self.customer.with_user(self.user_sales_b).name)
        for user in (self.user_sales_b, self.user_workshop_head_a):
            response = self._get(user.login)
            self.assertIn(response.status_code, (403, 404), user.login)
            self.assertNotEqual(response.content, self.card_image)

    def test_orm_read_and_search(self):
        Attachment = self.env["ir.attachment"]
        self.assertEqual(
            Attachment.with_user(self.user_sales_a).browse(self.photo.id).raw,
            self.card_image,
        )
        for user in (self.user_sales_b, self.user_pic_h23_a):
            with self.assertRaises(AccessError):
                Attachment.with_user(user).browse(self.photo.id).read(["raw"])
            found = Attachment.with_user(user).search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
            )
            self.assertNotIn(self.photo, found)

    def test_never_exported_nor_forged(self):
        with self.assertRaisesRegex(UserError, "never exported"):
            self.photo.with_user(self.user_sales_a).export_data(["name", "datas"])
        with self.assertRaisesRegex(UserError, "Scan KTP"):
            self.env["ir.attachment"].with_user(self.user_sales_b).create(
                {
                    "name": "fake",
                    "raw": b"x",
                    "res_model": "res.partner",
                    "res_id": self.customer.id,
                    "daya_ktp_branch_id": self.branch_b.id,
                }
            )


@tagged("post_install", "-at_install")
class TestKtpPhotoRetention(DayaKtpCommon):
    """The daily cron deletes a photo 30 days (the system parameter) after the
    customer's data was validated, or after the longest retention."""

    def test_retention_after_cdb_validation(self):
        customer = self.env["res.partner"].create({"name": "Validated Customer"})
        photo = self.env["ir.attachment"]._daya_ktp_store(
            customer, self.card_image, self.branch_a
        )
        other = self.env["res.partner"].create({"name": "Not Validated"})
        kept = self.env["ir.attachment"]._daya_ktp_store(
            other, self.card_image, self.branch_a
        )
        Attachment = self.env["ir.attachment"]
        validated = datetime(2026, 3, 1, 10, 0)
        customer.cdb_validated_at = validated
        with freeze_time(validated + timedelta(days=29)):
            self.assertEqual(Attachment._cron_delete_ktp_photos(), 0)
        self.assertTrue(photo.exists())
        with freeze_time(validated + timedelta(days=30, hours=1)):
            self.assertEqual(Attachment._cron_delete_ktp_photos(), 1)
            self.assertEqual(Attachment._cron_delete_ktp_photos(), 0)  # idempotent
        self.assertFalse(photo.exists())
        self.assertTrue(kept.exists())
        # a shorter retention set by the dealer applies at once
        other.cdb_validated_at = validated
        self.env["ir.config_parameter"].set_param("daya_ktp.photo_retention_days", "5")
        with freeze_time(validated + timedelta(days=6)):
            self.assertEqual(Attachment._cron_delete_ktp_photos(), 1)
        self.assertFalse(kept.exists())

    def test_longest_retention_without_validation(self):
        customer = self.env["res.partner"].create({"name": "Never Validated"})
        photo = self.env["ir.attachment"]._daya_ktp_store(
            customer, self.card_image, self.branch_a
        )
        Attachment = self.env["ir.attachment"]
        with freeze_time(photo.create_date + timedelta(days=364)):
            self.assertEqual(Attachment._cron_delete_ktp_photos(), 0)
        with freeze_time(photo.create_date + timedelta(days=366)):
            self.assertEqual(Attachment._cron_delete_ktp_photos(), 1)
        self.assertFalse(photo.exists())

    def test_cron_record(self):
        cron = self.env.ref("daya_ktp.ir_cron_delete_ktp_photos")
        self.assertEqual(cron.interval_type, "days")
        cron.method_direct_trigger()
