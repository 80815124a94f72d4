from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.daya_base.hooks import _daya_set_rupiah
from odoo.addons.daya_base.tests.common import DayaCrmCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestDealerMemoRules(DayaCrmCommon):
    """Dealer memos come only from the wizard on a won opportunity and move only
    through the sales admin's actions; their orders carry the branch and the sale
    terms in Rupiah (issue 11 items 4, 5, 12; issue 12 item 6)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"].with_user(cls.user_sales_a)
        cls.lead = Lead.create(
            cls._lead_vals(
                contact_name="Memo Buyer",
                mobile="0812-3333-7777",
                payment_type="credit",
                leasing_id=cls.leasing.id,
                down_payment=3000000,
                motor_type_id=cls.type_beat.id,
                motor_color_id=cls.color_black.id,
            )
        )
        cls.lead.convert_opportunity(cls.lead.partner_id)
        cls._fill_cdb(cls.lead.partner_id)
        cls.lead.action_set_won_rainbowman()
        cls.sales_memo = cls.sales_memos.filtered(
            lambda m: m.user_id == cls.user_sales_a
        )
        # another branch's PIC CRM H1 (like crmh1.cm for a Soekarno Hatta order)
        cls.user_pic_h1_b = mail_new_test_user(
            cls.env,
            login="t_pich1_b",
            groups="daya_base.group_daya_pic_crm_h1",
            branch_id=cls.branch_b.id,
            branch_ids=[(6, 0, cls.branch_b.ids)],
        )

    def _make_memo(self, **values):
        form = Form(
            self.env["daya.dealer.memo.wizard"]
            .with_user(self.user_sales_a)
            .with_context(default_lead_id=self.lead.id)
        )
        form.sales_memo_id = self.sales_memo
        form.tenor = values.get("tenor", 24)
        form.instalment = values.get("instalment", 850000)
        form.save().action_process()
        return self.lead.dealer_memo_id

    def _order(self):
        memo = self._make_memo()
        memo.with_user(self.user_sales_admin_a).action_create_sale_order()
        return memo, memo.sale_order_id

    # ------------------------------------------------------------
    # issue 11 item 5: the sales force doesn't control dealer memos
    # ------------------------------------------------------------

    def test_sales_force_cannot_forge_memo(self):
        available = self.env["daya.sales.memo"].create(
            {"name": "T-SM-FREE", "branch_id": self.branch_a.id}
        )
        Memo = self.env["daya.dealer.memo"].with_user(self.user_sales_a)
        with self.assertRaises(AccessError):
            Memo.create(
                {
                    "lead_id": self.lead.id,
                    "partner_id": self.lead.partner_id.id,
                    "branch_id": self.branch_a.id,
                    "user_id": self.user_sales_a.id,
                    "sales_memo_id": available.id,
                    "motor_product_id": self.lead.motor_product_id.id,
                    "payment_type": "cash",
                    "down_payment": -5000,
                    "state": "done",
                }
            )
        memo = self._make_memo().with_user(self.user_sales_a)
        with self.assertRaises(UserError):
            self.lead.with_user(self.user_sales_a).write({"dealer_memo_id": False})
        other = self.env["res.partner"].create({"name": "Someone Else"})
        for values in ({"state": "done"}, {"partner_id": other.id}, {"tenor": 99}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                memo.write(values)
        with self.assertRaises(AccessError):
            memo.action_create_sale_order()
        with self.assertRaises(AccessError):
            memo.action_cancel()
        self.assertEqual(memo.state, "to_admin")
        self.assertFalse(memo.sale_order_id)
        # the sales admin writes no state either: only the actions move it
        with self.assertRaises(AccessError):
            memo.with_user(self.user_sales_admin_a).write({"state": "done"})

    def test_amounts_validated(self):
        for values in ({"tenor": 0}, {"tenor": -3}, {"tenor": 100000}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self._make_memo(**values)
        self.assertEqual(self.sales_memo.state, "distributed", "nothing half-written")
        self.assertFalse(self.lead.dealer_memo_id)

    # ------------------------------------------------------------
    # issue 11 item 4: orders belong to the memo's branch
    # ------------------------------------------------------------

    def test_order_branch_rule(self):
        memo, order = self._order()
        self.assertEqual(order.branch_id, self.branch_a)
        other = order.with_user(self.user_pic_h1_b)
        with self.assertRaises(AccessError):
            other.read(["name", "amount_total"])
        with self.assertRaises(AccessError):
            other.write({"note": "mine now"})
        with self.assertRaises(AccessError):
            other.copy()
        with self.assertRaises(AccessError):
            order.order_line.with_user(self.user_pic_h1_b).read(["price_unit"])
        self.assertNotIn(
            order, self.env["sale.order"].with_user(self.user_pic_h1_b).search([])
        )
        # the own branch's PIC CRM H1 sees it
        order.with_user(self.user_pic_h1_a).read(["name"])

    def test_order_behind_memo_not_deleted(self):
        memo, order = self._order()
        with self.assertRaises(UserError):
            order.with_user(self.user_branch_head_a).unlink()
        self.assertTrue(order.exists())
        self.assertEqual(memo.sale_order_id, order)

    # ------------------------------------------------------------
    # issue 12 item 6: Rupiah, and the sale terms on memo and order
    # ------------------------------------------------------------

    def test_rupiah_and_sale_terms(self):
        idr = self.env.ref("base.IDR")
        memo, order = self._order()
        self.assertEqual(order.pricelist_id.currency_id, idr)
        self.assertEqual(order.currency_id, idr)
        self.assertEqual(
            (memo.price, memo.down_payment, memo.tenor, memo.instalment),
            (18650000, 3000000, 24, 850000),
        )
        self.assertEqual(memo.currency_id, idr)
        self.assertEqual(self.lead.daya_currency_id, idr)
        order = order.with_user(self.user_sales_admin_a)
        self.assertEqual(order.order_line.price_unit, 18650000)
        self.assertEqual(
            (
                order.daya_price,
                order.daya_down_payment,
                order.daya_leasing_id,
                order.daya_tenor,
                order.daya_instalment,
            ),
            (18650000, 3000000, self.leasing, 24, 850000),
        )
        self.assertEqual(idr.decimal_places, 0, "Rupiah shown without decimals")

    def test_company_currency_set_on_install(self):
        idr = self.env.ref("base.IDR")
        company = self.env["res.company"].create(
            {"name": "Dealer Baru", "currency_id": self.env.ref("base.USD").id}
        )
        _daya_set_rupiah(self.env, company)
        self.assertEqual(company.currency_id, idr)
        # a company with journal items (the demo's accounting) keeps its currency,
        # with a warning
        main = self.env.ref("base.main_company")
        before = main.currency_id
        if before != idr and self.env["account.move.line"].search_count(
            [("company_id", "=", main.id)], limit=1
        ):
            with self.assertLogs("odoo.addons.daya_base.hooks", "WARNING"):
                _daya_set_rupiah(self.env, main)
            self.assertEqual(main.currency_id, before)
        else:
            _daya_set_rupiah(self.env, main)
            self.assertEqual(main.currency_id, idr)
