from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.daya_base.tests.common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestUnitSaleInput(DayaCrmCommon):
    """Issue 11: bad unit sale input (12) and links across branches (8), as the
    sales admin who records the sold motorcycles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a customer both branches hold a relationship with (res.partner.branch_ids)
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Budi Unit",
                "branch_ids": [(6, 0, (cls.branch_a | cls.branch_b).ids)],
            }
        )
        lead_b = cls.env["crm.lead"].create(
            cls._lead_vals(name="Lead B", branch_id=cls.branch_b.id, type="opportunity")
        )
        cls.dealer_memo_b = cls.env["daya.dealer.memo"].create(
            {
                "lead_id": lead_b.id,
                "partner_id": cls.customer.id,
                "branch_id": cls.branch_b.id,
                "user_id": cls.user_sales_b.id,
                "sales_memo_id": cls.sales_memos.filtered(
                    lambda memo: memo.user_id == cls.user_sales_b
                ).id,
                "motor_product_id": cls.type_beat.product_variant_ids[0].id,
                "payment_type": "cash",
            }
        )

    def _create(self, **values):
        return (
            self.env["daya.unit.sale"]
            .with_user(self.user_sales_admin_a)
            .create(
                dict(
                    {
                        "partner_id": self.customer.id,
                        "branch_id": self.branch_a.id,
                        "product_id": self.type_beat.product_variant_ids[0].id,
                        "frame_number": "MH1INPUT0001",
                        "sale_date": date(2026, 3, 2),
                        "payment_type": "cash",
                    },
                    **values,
                )
            )
        )

    def _assert_refused(self, values, *expected):
        Unit = self.env["daya.unit.sale"]
        count = Unit.search_count([])
        with self.assertRaises(ValidationError) as error:
            self._create(**values)
        for text in expected:
            self.assertIn(text, str(error.exception))
        self.assertEqual(Unit.search_count([]), count, "nothing written")

    def test_sale_date_range(self):
        for day in (date(1900, 1, 1), date(2999, 12, 31)):
            self._assert_refused(
                {"sale_date": day}, "Sale Date", "outside the accepted range", "2000"
            )
        self._assert_refused(
            {"delivery_date": date(2999, 1, 1)}, "Delivery Date", "accepted range"
        )
        self.assertEqual(self._create().sale_date, date(2026, 3, 2))

    def test_frame_number_required(self):
        for frame in ("", "   ", "MH1 ABC/12"):
            self._assert_refused(
                {"frame_number": frame}, "Frame Number", "1 to 30 letters, digits"
            )
        self.assertEqual(self._create(frame_number=" mh1ok-1 ").frame_number, "MH1OK-1")

    def test_dealer_memo_of_another_branch_refused(self):
        self._assert_refused(
            {"dealer_memo_id": self.dealer_memo_b.id},
            "Dealer Memo",
            "Test Branch Bandung",
            "another branch",
        )
