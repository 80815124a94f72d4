"""A database of the release before the base addon, upgraded to this checkout
(tests/run.sh step 3b runs this file on it; the step itself compares every row of
the suite's tables before and after). The records that moved into ``daya_base`` and
``daya_crm_sale`` kept their ids: no second copy of a group, a rule or a menu."""

from odoo.tests.common import TransactionCase

MOVED = {
    "daya_base": (
        "group_daya_sales_force",
        "group_daya_head_office",
        "res_partner_rule_branch",
        "daya_unit_sale_rule_branch",
        "menu_daya_root",
        "daya_branch_view_form",
        "access_daya_unit_sale_user",
        "occupation_02",
        "partner_leasing_adira",
        "branch_sh",
        "unit_sale_dedi",
    ),
    "daya_crm_sale": (
        "sale_order_rule_branch",
        "sale_order_view_form",
        "pricelist_rupiah",
    ),
}


class TestReleaseUpgrade(TransactionCase):
    def test_new_addons_installed(self):
        Module = self.env["ir.module.module"]
        for name in ("daya_base", "daya_crm_sale"):
            with self.subTest(module=name):
                self.assertEqual(
                    Module.search([("name", "=", name)]).state, "installed"
                )

    def test_moved_records_kept_their_ids(self):
        Data = self.env["ir.model.data"]
        for module, names in MOVED.items():
            for name in names:
                with self.subTest(xmlid=f"{module}.{name}"):
                    self.assertTrue(self.env.ref(f"{module}.{name}", False))
                    self.assertFalse(
                        Data.search(
                            [
                                ("module", "in", ("daya_crm_leads",)),
                                ("name", "=", name),
                            ]
                        )
                    )

    def test_one_copy_of_each_role(self):
        category = self.env.ref("daya_base.module_category_daya_crm")
        groups = self.env["res.groups"].search([("category_id", "=", category.id)])
        self.assertEqual(len(groups), len(set(groups.mapped("name"))))
        sales = self.env.ref("daya_base.group_daya_sales_force")
        self.assertTrue(sales.users, "the demo salespeople kept their role")

    def test_sales_order_branch_kept(self):
        self.assertIn("branch_id", self.env["sale.order"]._fields)
        self.assertTrue(self.env["sale.order"].search([("branch_id", "!=", False)]))
