import json

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMenusInIndonesian(HttpCase):
    """A branch user working in Bahasa Indonesia gets the suite's menus translated."""

    def setUp(self):
        super().setUp()
        self.user = self.env.ref("daya_base.user_sales_sh", raise_if_not_found=False)
        if not self.user:  # database without demo data: prepare the same user
            self.env["res.lang"]._activate_lang("id_ID")
            self.env["ir.module.module"]._load_module_terms(
                ["base", "web", "daya_crm_leads"], ["id_ID"]
            )
            branch = self.env["daya.branch"].create({"name": "UI", "code": "TUI"})
            self.user = self.env["res.users"].create(
                {
                    "name": "Andi Saputra",
                    "login": "sales.sh",
                    "password": "sales.sh",
                    "lang": "id_ID",
                    "branch_id": branch.id,
                    "groups_id": [
                        (
                            6,
                            0,
                            self.env.ref("daya_base.group_daya_sales_force").ids,
                        )
                    ],
                }
            )

    def test_menus_translated(self):
        self.assertEqual(self.user.lang, "id_ID")
        self.authenticate("sales.sh", "sales.sh")
        response = self.url_open("/web/webclient/load_menus/test")
        self.assertEqual(response.status_code, 200)
        menus = json.loads(response.content)
        root = self.env.ref("daya_base.menu_daya_root").id
        self.assertIn(str(root), menus)
        names = {menu["name"] for menu in menus.values() if isinstance(menu, dict)}
        self.assertIn("Pelanggan", names)  # Customers
        self.assertIn("Memo Penjualan", names)  # Sales Memos
        self.assertNotIn("Sales Memos", names)
        # the configuration is for branch heads and head office only
        config = self.env.ref("daya_base.menu_daya_config").id
        self.assertNotIn(str(config), menus)
