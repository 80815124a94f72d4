from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import code_translations


@tagged("post_install", "-at_install")
class TestTranslation(TransactionCase):
    """The DMS screens and messages exist in Bahasa Indonesia."""

    def test_indonesian(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["daya_dms"], ["id_ID"])
        env = self.env(context={"lang": "id_ID"})
        self.assertEqual(env.ref("daya_dms.menu_daya_dms_backend").name, "Koneksi DMS")
        self.assertEqual(
            env["daya.dms.log"]._fields["rejected"].get_description(env)["string"],
            "Ditolak",
        )
        messages = code_translations.get_python_translations("daya_dms", "id_ID")
        self.assertEqual(
            messages["The DMS did not answer within %(seconds)s seconds."],
            "DMS tidak menjawab dalam %(seconds)s detik.",
        )
