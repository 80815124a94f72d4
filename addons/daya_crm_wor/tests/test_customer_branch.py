from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import WorCommon


@tagged("post_install", "-at_install")
class TestWorCustomerBranch(WorCommon):
    """Issue 11 item 1: a workshop lead gives its branch a relationship with the
    customer; before it, the branch does not see the customer."""

    def test_wor_lead_links_branch(self):
        customer = self.customer.with_user(self.user_sales_a).copy({"name": "Copy"})
        unit = self._unit("MH1WORB001", customer, branch=self.branch_a)
        self.assertEqual(customer.sudo().branch_ids, self.branch_a)
        Partner = self.env["res.partner"].with_user(self.user_branch_head_b)
        with self.assertRaises(AccessError):
            Partner.browse(customer.id).read(["mobile"])
        self._lead(unit=unit, branch_id=self.branch_b.id)
        self.assertEqual(customer.sudo().branch_ids, self.branch_a | self.branch_b)
        Partner.browse(customer.id).read(["mobile"])
