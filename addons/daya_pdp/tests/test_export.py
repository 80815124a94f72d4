import io
import zipfile

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.daya_cdb_validation.models.res_partner import CDB_FIELDS

from .common import PdpCommon


@tagged("post_install", "-at_install")
class TestExport(PdpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.footprint = cls._footprint()
        cls.customer.with_user(cls.user_pic_h1_a).action_give_marketing()

    def test_export_holds_every_models_data(self):
        """The JSON holds the person's data of every addon: customer, leads, unit
        sales, workshop leads, bookings, follow-ups, validations, consents,
        messages, documents; the xlsx beside it."""
        action = self.customer.with_user(self.user_adh_a).action_export_personal_data()
        attachment = self._download(action)
        self.assertTrue(attachment.name.endswith(".json"))
        sections = self._sections(attachment)
        [partner] = sections["partner"]["records"]
        # the customer's personal data: every item of the customer database
        self.assertLessEqual(set(CDB_FIELDS), set(partner))
        self.assertEqual(partner["nik"], "3273015504900004")
        self.assertEqual(partner["name"], "Rina")
        self.assertEqual(partner["birthdate"], "1990-04-15")
        expected = {
            "leads": ("description", "Lives near Braga, calls after 5pm"),
            "unit_sales": ("frame_number", "MH1TEST0001"),
            "bookings": ("note", "Home service at Jl. Braga 5"),
            "outgoing_messages": ("body", "Halo Rina, KPB 1 Anda..."),
            "cdb_validations": ("customer_note", "Rina's own note"),
            "attachments": ("name", "ktp_rina.jpg"),
        }
        for key, (fname, value) in expected.items():
            values = " ".join(
                str(record.get(fname)) for record in sections[key]["records"]
            )
            self.assertIn(value, values, key)
        self.assertTrue(sections["wor_leads"]["records"])
        self.assertTrue(sections["followup_tasks"]["records"])
        consents = sections["consents"]["records"]
        self.assertIn("Marketing Offers", [c["purpose"] for c in consents])
        bodies = " ".join(str(m["body"]) for m in sections["messages"]["records"])
        self.assertIn("Rina asked for a brochure", bodies)
        # the validation's answers are in it
        [validation] = sections["cdb_validations"]["records"]
        self.assertTrue(validation["line_ids"])
        request = self.Request.browse(attachment.res_id)
        self.assertEqual(
            (request.request_type, request.state, request.partner_id),
            ("access", "done", self.customer),
        )
        xlsx = request.export_attachment_ids.filtered(
            lambda a: a.name.endswith(".xlsx")
        )
        with zipfile.ZipFile(io.BytesIO(xlsx.raw)) as workbook:
            self.assertIn("xl/workbook.xml", workbook.namelist())

    def test_export_readable_only_by_the_branch_data_roles(self):
        action = self.customer.with_user(
            self.user_pic_h1_a
        ).action_export_personal_data()
        attachment = self._download(action)
        self.assertTrue(attachment.with_user(self.user_pic_h1_a).raw)
        self.assertTrue(attachment.with_user(self.user_branch_head_a).raw)
        for user in (
            self.user_sales_a,
            self.user_admin_stnk_a,
            self.user_branch_head_b,
        ):
            with self.assertRaises(AccessError, msg=user.login):
                attachment.with_user(user).read(["raw"])
            self.assertFalse(
                self.env["ir.attachment"]
                .with_user(user)
                .search([("id", "=", attachment.id)]),
                user.login,
            )

    def test_export_refused_to_other_roles_and_branches(self):
        for user in (self.user_sales_a, self.user_admin_h1_a, self.user_branch_head_b):
            with self.assertRaises(AccessError, msg=user.login):
                self.customer.with_user(user).action_export_personal_data()
        self.assertFalse(
            self.Request.search([("partner_id", "=", self.customer.id)]),
            "nothing half-written",
        )

    def test_export_outside_own_branches_is_logged(self):
        Log = self.env["daya.partner.access.log"]
        self.customer.with_user(self.user_adh_a).action_export_personal_data()
        self.assertFalse(Log.search([("partner_id", "=", self.customer.id)]))
        self.user_head_office.write(
            {"branch_ids": [(6, 0, self.branch_b.ids)], "branch_id": self.branch_b.id}
        )
        self.customer.with_user(self.user_head_office).action_export_personal_data()
        log = Log.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            (log.user_id, log.access_type), (self.user_head_office, "export")
        )


@tagged("post_install", "-at_install")
class TestExportHttp(HttpCase, PdpCommon):
    """The export's download over HTTP (/web/content), as the web client does."""

    def test_download_only_for_the_branch_data_roles(self):
        self._footprint()
        action = self.customer.with_user(
            self.user_pic_h1_a
        ).action_export_personal_data()
        url = action["url"]
        self.authenticate(self.user_pic_h1_a.login, self.user_pic_h1_a.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("3273015504900004", response.text)
        for user in (self.user_branch_head_b, self.user_sales_a):
            self.authenticate(user.login, user.login)
            response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), user.login)
            self.assertNotIn("3273015504900004", response.text)
