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

    def test_branch_links_in_queries_flat_in_size(self):
        """The customers of a batch of branch records are linked to their
        branches in the same number of queries for 5 or 50 records, whether
        linked already (the schedule's batches: nothing written, no query when
        the customers' branches are in the cache) or not (the missing links
        written, one write per branch)."""
        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        Unit = self.env["daya.unit.sale"].with_context(tracking_disable=True)
        product = self.type_beat.product_variant_ids[0]

        def queries(records):
            self.env.flush_all()
            before = self.cr.sql_log_count
            Partner._daya_link_branches(records)
            self.env.flush_all()
            return self.cr.sql_log_count - before

        counts = {}
        for size in (5, 50):
            customers = Partner.create(
                [{"name": f"Link {size} {n}"} for n in range(size)]
            )
            units = Unit.create(
                [
                    {
                        "partner_id": customer.id,
                        "branch_id": (self.branch_a if n % 2 else self.branch_b).id,
                        "product_id": product.id,
                        "frame_number": f"MHLINK{size}X{n:04d}",
                        "sale_date": "2026-01-05",
                    }
                    for n, customer in enumerate(customers)
                ]
            )
            # the customers' branches not in the cache: read at once
            self.env.invalidate_all()
            linked = queries(units)
            # in the cache (read already): none
            units.partner_id.mapped("branch_ids")
            self.assertEqual(queries(units), 0)
            # links lost (a database made before the branch boundary): written
            self.cr.execute(
                "DELETE FROM daya_branch_res_partner_rel WHERE partner_id = ANY(%s)",
                [customers.ids],
            )
            self.env.invalidate_all()
            missing = queries(units)
            self.env.invalidate_all()
            for unit in units:
                self.assertEqual(unit.partner_id.branch_ids, unit.branch_id)
            counts[size] = (linked, missing)
        self.assertEqual(counts[5], counts[50], counts)
