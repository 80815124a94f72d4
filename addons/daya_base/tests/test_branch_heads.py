from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestBranchHeads(DayaCrmCommon):
    """Issue 10: who heads a branch has one truth, the role's group held by a
    user of the branch; the branch's head fields read it and, written, give it."""

    def _group(self, role):
        return self.env.ref(f"daya_base.group_daya_{role}")

    def test_heads_read_from_roles(self):
        # nobody wrote the fields: the users' roles and branches say it
        self.assertEqual(self.branch_a.head_user_id, self.user_branch_head_a)
        self.assertEqual(self.branch_a.workshop_head_user_id, self.user_workshop_head_a)
        self.assertEqual(self.branch_b.head_user_id, self.user_branch_head_b)
        # nobody holds Kepala Bengkel in B: its branch head does the work
        self.assertEqual(self.branch_b.workshop_head_user_id, self.user_branch_head_b)
        Branch = self.env["daya.branch"]
        self.assertEqual(
            Branch.search([("head_user_id", "=", self.user_branch_head_a.id)]),
            self.branch_a,
        )
        self.assertIn(self.branch_a, Branch.search([("head_user_id", "!=", False)]))
        # the role lookup and the field are one answer
        holders = self.branch_a._role_holders(self._group("branch_head"))
        self.assertEqual(holders[self.branch_a.id][:1], self.branch_a.head_user_id)
        # a user moved to branch B heads B's workshop from then on
        self.user_workshop_head_a.write(
            {"branch_ids": [(4, self.branch_b.id)], "branch_id": self.branch_b.id}
        )
        self.branch_a.invalidate_recordset()
        self.branch_b.invalidate_recordset()
        self.assertEqual(self.branch_b.workshop_head_user_id, self.user_workshop_head_a)
        self.assertEqual(self.branch_a.workshop_head_user_id, self.user_branch_head_a)

    def test_choosing_head_gives_role(self):
        new_head = mail_new_test_user(
            self.env, login="t_new_kacab", groups="base.group_user"
        )
        branch = self.branch_a.with_user(self.user_head_office)
        branch.head_user_id = new_head
        group = self._group("branch_head")
        self.assertIn(group, new_head.groups_id)
        self.assertEqual(new_head.branch_id, self.branch_a)
        self.assertIn(self.branch_a, new_head.branch_ids)
        # the previous head no longer holds the role; the supervisors keep theirs
        self.assertNotIn(group, self.user_branch_head_a.groups_id)
        self.assertIn(group, self.user_area.groups_id)
        self.branch_a.invalidate_recordset()
        self.assertEqual(self.branch_a.head_user_id, new_head)
        self.assertEqual(self.branch_a._role_holders(group)[self.branch_a.id], new_head)
        # the workshop head likewise
        branch.workshop_head_user_id = self.user_pic_h23_a
        self.assertIn(self._group("workshop_head"), self.user_pic_h23_a.groups_id)
        self.assertNotIn(
            self._group("workshop_head"), self.user_workshop_head_a.groups_id
        )
        self.branch_a.invalidate_recordset()
        self.assertEqual(self.branch_a.workshop_head_user_id, self.user_pic_h23_a)

    def test_portal_user_cannot_head(self):
        portal = mail_new_test_user(
            self.env, login="t_portal_head", groups="base.group_portal"
        )
        with self.assertRaises(ValidationError):
            self.branch_a.with_user(self.user_head_office).head_user_id = portal
        self.assertNotIn(self._group("branch_head"), portal.groups_id)

    def test_search_head_reads_only_headed_branches(self):
        """A network has many branches: searching by head reads the branches
        where a user holds the role, the others match as "no head" in one
        ``not in`` term (their ids are not listed)."""
        Branch = self.env["daya.branch"]
        headless = Branch.create(
            [{"name": f"Tanpa Kepala {i}", "code": f"TKP{i:02d}"} for i in range(20)]
        )
        head_a = self.user_branch_head_a.id
        # (operator, value, the headless branches match, branch A matches)
        for operator, value, no_head, branch_a in [
            ("=", False, True, False),
            ("!=", False, False, True),
            ("!=", head_a, True, False),
            ("not in", [head_a], True, False),
            ("in", [head_a], False, True),
            ("=", head_a, False, True),
        ]:
            domain = Branch._daya_search_head("head_user_id", operator, value)
            listed = {
                branch_id
                for term in domain
                if isinstance(term, (list, tuple))
                for branch_id in term[2]
            }
            self.assertFalse(listed & set(headless.ids), (operator, value, domain))
            found = Branch.search([("head_user_id", operator, value)])
            self.assertEqual(headless & found, headless if no_head else Branch)
            self.assertEqual(self.branch_a in found, branch_a, (operator, value))
        self.assertEqual(
            Branch.search([("head_user_id", "=", self.user_branch_head_a.id)]),
            self.branch_a,
        )
        self.assertEqual(
            Branch.search([("workshop_head_user_id", "=", False)]) & self.branch_b,
            Branch,
        )
