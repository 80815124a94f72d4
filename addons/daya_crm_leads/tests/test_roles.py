from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.daya_base.tests.common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestRoles(DayaCrmCommon):
    def _can(self, user, model, operation):
        return (
            self.env[model]
            .with_user(user)
            .check_access_rights(operation, raise_exception=False)
        )

    def test_role_hierarchy(self):
        """Supervisors hold the roles they supervise."""
        g = "daya_base.group_daya_"
        expectations = {
            self.user_sales_a: ["sales_force"],
            self.user_sales_admin_a: ["sales_admin", "sales_force"],
            self.user_adh_a: ["adh", "sales_admin", "admin_stnk", "admin_h1"],
            self.user_pic_h1_a: ["pic_crm_h1", "sales_force"],
            self.user_workshop_head_a: ["workshop_head", "pic_crm_h23"],
            self.user_branch_head_a: [
                "branch_head",
                "adh",
                "pic_crm_h1",
                "pic_crm_h23",
                "workshop_head",
                "sales_admin",
            ],
            self.user_area: ["area_coordinator", "branch_head"],
            self.user_head_office: ["head_office", "area_coordinator"],
        }
        for user, groups in expectations.items():
            for group in groups:
                self.assertTrue(user.has_group(g + group), f"{user.login} {group}")
        self.assertFalse(self.user_sales_a.has_group(g + "sales_admin"))
        self.assertFalse(self.user_pic_h23_a.has_group(g + "pic_crm_h1"))
        self.assertFalse(self.user_branch_head_a.has_group(g + "head_office"))
        self.assertTrue(self.user_sales_a.has_group("sales_team.group_sale_salesman"))
        self.assertTrue(
            self.user_branch_head_a.has_group("sales_team.group_sale_manager")
        )

    def test_master_data_rights(self):
        """Everyone reads master data; only head office changes it."""
        staff = [
            self.user_sales_a,
            self.user_admin_stnk_a,
            self.user_admin_h1_a,
            self.user_pic_h23_a,
            self.user_branch_head_a,
        ]
        for model in ("daya.branch", "daya.occupation"):
            for user in staff:
                self.assertTrue(self._can(user, model, "read"))
                self.assertFalse(self._can(user, model, "create"), user.login)
                self.assertFalse(self._can(user, model, "write"), user.login)
            self.assertTrue(self._can(self.user_head_office, model, "create"))
        with self.assertRaises(AccessError):
            self.env["daya.occupation"].with_user(self.user_branch_head_a).create(
                {"name": "Astronaut"}
            )
        self.env["daya.occupation"].with_user(self.user_head_office).create(
            {"name": "Astronaut"}
        )

    def test_sales_memo_rights(self):
        """Sales admins register and distribute memos; salespeople only read."""
        self.assertTrue(self._can(self.user_sales_a, "daya.sales.memo", "read"))
        self.assertFalse(self._can(self.user_sales_a, "daya.sales.memo", "write"))
        self.assertFalse(self._can(self.user_pic_h23_a, "daya.sales.memo", "read"))
        Memo = self.env["daya.sales.memo"].with_user(self.user_sales_admin_a)
        memo = Memo.create({"name": "T-SM-1"})
        self.assertEqual(memo.branch_id, self.branch_a)
        with self.assertRaises(UserError):
            memo.action_distribute()  # no salesperson chosen yet
        memo.user_id = self.user_sales_a
        memo.action_distribute()
        self.assertEqual(memo.state, "distributed")
        self.assertTrue(memo.distribution_date)
        with self.assertRaises(UserError):
            memo.action_distribute()
        self.assertEqual(
            Memo._distributed_count_by_user(self.user_sales_a | self.user_sales_b),
            {self.user_sales_a.id: 2, self.user_sales_b.id: 1},
        )
        memo.action_withdraw()
        memo.action_reset_available()
        self.assertEqual(memo.state, "available")
        self.assertFalse(memo.user_id)
        with self.assertRaises(AccessError):
            memo.with_user(self.user_sales_a).write({"user_id": self.user_sales_a.id})

    def test_branch_structure(self):
        """A branch has the full structure when ADH, Admin STNK and Sales Admin
        are present."""
        self.assertTrue(self.branch_a.has_full_structure)
        self.assertFalse(self.branch_b.has_full_structure)
