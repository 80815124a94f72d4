from odoo.tests import tagged, users, warmup

from odoo.addons.daya_base.tests.common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestLeadPerformance(DayaCrmCommon):
    """Query budgets of lead creation as a salesperson: one lead 50 queries, a batch
    of 20 240 (12 per lead: the checks run once per batch, each lead draws its number
    from Odoo's sequence). Of the fixed part, the
    customer's branch link (access check, relation row) takes 6 and the input checks
    (job, type and colour exist, down payment against the motorcycle's price) 8.
    Stock crm.lead creation is cheaper (issue 15 measures it): a rise here is a
    regression to explain."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Perf customer {idx}", "mobile": f"0812-5555-{idx:04d}"}
                for idx in range(20)
            ]
        )

    def setUp(self):
        super().setUp()
        # measure with tracking on, as users work
        self.env = self.env(context={})
        self.patch(self.env.registry, "ready", True)
        self.env.flush_all()

    def _values(self, customer):
        return self._lead_vals(
            name=f"Lead for {customer.name}",
            partner_id=customer.id,
            motor_type_id=self.type_beat.id,
            motor_color_id=self.color_red.id,
            sales_source="showroom",
        )

    @users("t_sales_a")
    @warmup
    def test_create_one_lead(self):
        customer = self.customers[0]
        with self.assertQueryCount(t_sales_a=50):
            self.env["crm.lead"].create(self._values(customer))
            self.env.flush_all()

    @users("t_sales_a")
    @warmup
    def test_create_batch_of_20(self):
        customers = self.customers.with_env(self.env)
        with self.assertQueryCount(t_sales_a=240):
            self.env["crm.lead"].create([self._values(c) for c in customers])
            self.env.flush_all()
