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

    def test_message_templates_converted(self):
        """daya_crm_followup's migration 16.0.1.1.0: the follow-up rules' message
        templates of the old syntax ({name}) became inline templates that render
        (mail.render.mixin), in every language they are stored in."""
        self.env["res.lang"]._activate_lang("id_ID")
        rules = (
            self.env["daya.followup.rule"]
            .with_context(active_test=False)
            .search([("message_template", "!=", False)])
        )
        self.assertTrue(rules)
        for lang in ("en_US", "id_ID"):
            for rule in rules.with_context(lang=lang):
                with self.subTest(rule=rule.code, lang=lang):
                    self.assertIn("{{ object.partner_id.name }}", rule.message_template)
                    self.assertNotIn("{name}", rule.message_template)
        rules._check_message_template()
        # rendered on a follow-up of the seeded data, in the customer's language
        task = self.env["daya.followup.task"].search(
            [("partner_id.name", "!=", False)], limit=1
        )
        self.assertTrue(task, "the seeded sales have follow-ups")
        kpb1 = self.env.ref("daya_crm_followup.rule_kpb1_fu1")
        body = kpb1._render_field("message_template", task.ids, compute_lang=True)
        self.assertIn(task.partner_id.name, body[task.id])
        self.assertNotIn("{{", body[task.id])
