from odoo.tests import Form

from odoo.addons.daya_base.tests.common import DayaCrmCommon


class PipelineCommon(DayaCrmCommon):
    """The dealer's stages, a lost reason, and a new opportunity of a salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage = {
            code: cls.env.ref(f"daya_crm_leads.stage_{code}")
            for code in ("new", "fu1", "fu2", "fu3", "won")
        }
        cls.reason = cls.env.ref("daya_crm_leads.lost_reason_postponed")

    def _opportunity(self, user=None, **values):
        """A new opportunity of ``user`` (salesperson A by default)."""
        Lead = self.env["crm.lead"].with_user(user or self.user_sales_a)
        lead = Lead.create(
            self._lead_vals(
                contact_name="Customer",
                mobile="0812-1111-2222",
                motor_type_id=self.type_beat.id,
                motor_color_id=self.color_red.id,
                **values,
            )
        )
        lead.convert_opportunity(lead.partner_id)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.stage_id, self.stage["new"])
        return lead


class DealerMemoCommon(DayaCrmCommon):
    """A credit opportunity of salesperson A with a complete CDB, her sales memo,
    and the dealer memo wizard (daya_crm_leads' memo tests and daya_crm_sale's
    order tests)."""

    def setUp(self):
        super().setUp()
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        self.lead = Lead.create(
            self._lead_vals(
                contact_name="Buyer",
                mobile="0812-3333-4444",
                payment_type="credit",
                leasing_id=self.leasing.id,
                down_payment=3000000,
                motor_type_id=self.type_beat.id,
                motor_color_id=self.color_black.id,
            )
        )
        self.lead.convert_opportunity(self.lead.partner_id)
        self._fill_cdb(self.lead.partner_id)
        self.memo = self.sales_memos.filtered(lambda m: m.user_id == self.user_sales_a)

    def _wizard(self, **values):
        form = Form(
            self.env["daya.dealer.memo.wizard"]
            .with_user(self.user_sales_a)
            .with_context(default_lead_id=self.lead.id)
        )
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()
