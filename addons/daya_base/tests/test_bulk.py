from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.daya_base.tools.bulk import insert_rows, next_ids

from .common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestBulkInsert(DayaCrmCommon):
    """``insert_rows`` (issue 15): rows that name their id and their many2many
    links, the links written before the record rules are checked, as
    ``create`` writes them."""

    def test_rows_with_their_ids_and_links(self):
        Partner = self.env(user=self.user_sales_a)["res.partner"].with_context(
            tracking_disable=True
        )
        ids = next_ids(Partner, 2)
        partners = insert_rows(
            Partner,
            [
                {
                    "id": ids[0],
                    "name": "Bulk One",
                    "commercial_partner_id": ids[0],
                    "branch_ids": [self.branch_a.id],
                },
                {
                    "id": ids[1],
                    "name": "Bulk Two",
                    "commercial_partner_id": ids[1],
                    "branch_ids": [(4, self.branch_a.id)],
                },
            ],
        )
        self.assertEqual(partners.ids, ids)
        self.env.invalidate_all()
        # written as the rows say: their own commercial partner, the branch link
        # (which the branch's record rule on customers needs)
        self.assertEqual(partners.mapped("commercial_partner_id"), partners)
        self.assertEqual(partners.branch_ids, self.branch_a)
        self.assertEqual(Partner.search([("id", "in", ids)]), partners)
        # a customer linked to another branch only: refused by the record rules
        with self.assertRaises(AccessError):
            insert_rows(
                Partner, [{"name": "Bulk Three", "branch_ids": [self.branch_b.id]}]
            )

    def test_commands_other_than_links_refused(self):
        Partner = self.env["res.partner"]
        with self.assertRaises(ValueError):
            insert_rows(Partner, [{"name": "Bulk Four", "branch_ids": [(5, 0, 0)]}])
        with self.assertRaises(ValueError):
            # an id on some rows only
            insert_rows(
                Partner,
                [{"name": "Bulk Five", "id": next_ids(Partner, 1)[0]}, {"name": "Six"}],
            )
