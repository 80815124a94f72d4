from odoo.tests import tagged

from .common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestPartnerLookupScale(DayaCrmCommon):
    """Issue 15: at a million customers a lookup by BPA code or by part of a name
    must be answered by an index: the BPA code is stored in capitals (an equality
    on its unique index), names are searched through trigram indexes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Rina Kartika Scale",
                "mobile": "0857-9990-1234",
                "bpa_code": " bpa-s-15 ",
            }
        )
        cls.Partner = cls.env["res.partner"].with_user(cls.user_sales_a)

    def _plan(self, query):
        """The plan of an ORM query with sequential scans priced out, as on a big
        table: a condition no index answers still shows a Seq Scan."""
        query_sql, params = query.select()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        try:
            self.env.cr.execute("EXPLAIN " + query_sql, params)
            return "\n".join(row[0] for row in self.env.cr.fetchall())
        finally:
            self.env.cr.execute("SET LOCAL enable_seqscan = on")

    def test_bpa_code_stored_in_capitals(self):
        self.assertEqual(self.customer.bpa_code, "BPA-S-15")
        self.customer.bpa_code = "bpa-s-16"
        self.assertEqual(self.customer.bpa_code, "BPA-S-16")
        for term in ("BPA-S-16", "bpa-s-16", " Bpa-S-16 "):
            with self.subTest(term=term):
                self.assertEqual(
                    self.Partner.search([("daya_lookup", "=", term)]), self.customer
                )
                self.assertEqual(
                    self.Partner._daya_identify(bpa_code=term)["bpa"], self.customer
                )
        # no wildcard of the user's applies
        self.assertFalse(self.Partner._daya_identify(bpa_code="BPA-S-1_")["bpa"])

    def test_bpa_lookup_uses_the_index(self):
        plan = self._plan(self.Partner._search([("daya_lookup", "=", "bpa-s-15")]))
        self.assertNotIn("Seq Scan on res_partner", plan)
        self.assertIn("res_partner_bpa_code_uniq", plan)

    def test_name_search_by_part_of_a_name_uses_trigrams(self):
        query = self.Partner._name_search("Kartika Sca", limit=8)
        self.assertEqual(list(query), [self.customer.id])
        plan = self._plan(query)
        self.assertNotIn("Seq Scan on res_partner", plan)
        self.assertIn("res_partner_display_name_daya_trgm_index", plan)
