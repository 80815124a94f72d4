from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from odoo.addons.daya_base.tests.common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestBranchSecurity(DayaCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"]
        cls.lead_a = Lead.create(
            cls._lead_vals(name="Lead A", branch_id=cls.branch_a.id)
        )
        cls.lead_b = Lead.create(
            cls._lead_vals(name="Lead B", branch_id=cls.branch_b.id)
        )
        Memo = cls.env["daya.sales.memo"]
        cls.memo_a = Memo.create({"name": "T-SM-A-1", "branch_id": cls.branch_a.id})
        cls.memo_b = Memo.create({"name": "T-SM-B-1", "branch_id": cls.branch_b.id})

    @users("t_kacab_a")
    def test_branch_user_sees_only_own_branch(self):
        Lead = self.env["crm.lead"]
        both = (self.lead_a | self.lead_b).ids
        self.assertEqual(Lead.search([("id", "in", both)]), self.lead_a)
        self.assertEqual(Lead.search_count([("id", "in", both)]), 1)
        self.assertEqual(
            [g["__count"] for g in Lead.read_group([("id", "in", both)], [], [])],
            [1],
        )
        with self.assertRaises(AccessError):
            Lead.browse(self.lead_b.id).read(["name"])
        with self.assertRaises(AccessError):
            Lead.browse(self.lead_b.id).write({"name": "hijacked"})
        with self.assertRaises(AccessError):
            Lead.browse(self.lead_b.id).unlink()
        Memo = self.env["daya.sales.memo"]
        self.assertEqual(
            Memo.search([("id", "in", (self.memo_a | self.memo_b).ids)]), self.memo_a
        )
        with self.assertRaises(AccessError):
            Memo.browse(self.memo_b.id).write({"name": "hijacked"})
        self.assertEqual(self.lead_b.sudo().name, "Lead B")

    @users("t_kacab_a")
    def test_create_in_other_branch_refused(self):
        with self.assertRaises(AccessError):
            self.env["crm.lead"].create(
                self._lead_vals(name="Sneaky", branch_id=self.branch_b.id)
            )

    @users("t_sales_a")
    def test_default_branch_is_users_branch(self):
        lead = self.env["crm.lead"].create(self._lead_vals(name="New lead"))
        self.assertEqual(lead.branch_id, self.branch_a)
        memo = self.env["daya.sales.memo"].new({})
        self.assertEqual(memo.branch_id, self.branch_a)

    @users("t_area")
    def test_area_coordinator_sees_allowed_branches(self):
        leads = self.env["crm.lead"].search(
            [("id", "in", (self.lead_a | self.lead_b).ids)]
        )
        self.assertEqual(leads, self.lead_a | self.lead_b)

    @users("t_ho")
    def test_head_office_sees_all(self):
        branch_c = self.env["daya.branch"].create({"name": "Branch C", "code": "TC"})
        lead_c = (
            self.env["crm.lead"]
            .sudo()
            .create(self._lead_vals(name="C", branch_id=branch_c.id))
        )
        found = self.env["crm.lead"].search(
            [("id", "in", (self.lead_a | self.lead_b | lead_c).ids)]
        )
        self.assertEqual(len(found), 3)

    def test_allowed_branches_change_applies_at_once(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_b)
        self.lead_a.user_id = False
        self.assertFalse(Lead.search([("id", "=", self.lead_a.id)]))
        self.user_sales_b.branch_ids = [(4, self.branch_a.id)]
        self.assertEqual(Lead.search([("id", "=", self.lead_a.id)]), self.lead_a)
        self.user_sales_b.branch_ids = [(3, self.branch_a.id)]
        self.assertFalse(Lead.search([("id", "=", self.lead_a.id)]))

    def test_current_branch_must_be_allowed(self):
        from odoo.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.user_sales_a.write({"branch_id": self.branch_b.id})
        # a user may switch their current branch only among their allowed ones
        with self.assertRaises(ValidationError):
            self.user_sales_a.with_user(self.user_sales_a).write(
                {"branch_id": self.branch_b.id}
            )
        self.user_area.with_user(self.user_area).write({"branch_id": self.branch_b.id})
        self.assertEqual(self.user_area.branch_id, self.branch_b)

    def test_branch_list_restricted(self):
        Branch = self.env["daya.branch"].with_user(self.user_sales_a)
        self.assertEqual(
            Branch.search([("id", "in", (self.branch_a | self.branch_b).ids)]),
            self.branch_a,
        )
