from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.daya_base.tests.common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestWords(DayaCrmCommon):
    """Issue 12, words: what a branch user reads, and what their lists count."""

    def _action(self, xmlid):
        action = self.env.ref(xmlid)
        return safe_eval(action.domain or "[]"), safe_eval(action.context or "{}")

    def test_customers_list_shows_customers(self):
        """Not the staff, the dealer's or a branch's company, nor a leasing company."""
        domain, context = self._action("daya_base.res_partner_action_customer")
        branch_partner = self.env["res.partner"].create(
            {"name": "Daya Motor Test Branch", "is_company": True}
        )
        self.branch_a.partner_id = branch_partner
        customer = self.env["res.partner"].create(
            {"name": "Rina Customer", "mobile": "0812-5555-6666"}
        )
        shown = self.env["res.partner"].with_context(**context).search(domain)
        self.assertIn(customer, shown)
        for partner in (
            self.user_sales_a.partner_id,
            self.user_branch_head_a.partner_id,
            self.env.company.partner_id,
            branch_partner,
            self.leasing,
        ):
            self.assertNotIn(partner, shown, partner.name)

    def test_pipeline_analysis_counts_the_branches_open_leads(self):
        """Odoo's branch-less demo leads stay out, and lost opportunities are out
        of the stage counts unless the filter Lost asks for them."""
        domain, context = self._action("daya_crm_leads.crm_lead_action_analysis")
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        lead = Lead.create(self._lead_vals(name="Analysis open"))
        lost = Lead.create(
            self._lead_vals(
                name="Analysis lost",
                contact_name="Lost Customer",
                mobile="0812-3333-4444",
            )
        )
        lost.convert_opportunity(lost.partner_id)
        lost.action_set_lost(
            lost_reason_id=self.env.ref("daya_crm_leads.lost_reason_postponed").id
        )
        # as Odoo's demo leads, made before the branches
        branchless = self.env["crm.lead"].create(self._lead_vals(name="No branch"))
        self.env.cr.execute(
            "UPDATE crm_lead SET branch_id = NULL WHERE id = %s", [branchless.id]
        )
        branchless.invalidate_recordset(["branch_id"])
        Analysis = (
            self.env["crm.lead"]
            .with_user(self.user_head_office)
            .with_context(**context)
        )
        counted = Analysis.search(domain)
        self.assertIn(lead, counted)
        self.assertNotIn(lost, counted)
        self.assertNotIn(branchless, counted)
        total = sum(
            group["stage_id_count"]
            for group in Analysis.read_group(domain, [], ["stage_id"])
        )
        self.assertEqual(total, len(counted))
        lost_filter = [("active", "=", False), ("probability", "=", 0)]
        self.assertIn(lost, Analysis.search(domain + lost_filter))

    def test_indonesian_words(self):
        """The lost wizard's button, the province, won and lost."""
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["base", "crm", "daya_crm_leads"], ["id_ID"], overwrite=True
        )
        env_id = self.env(context=dict(self.env.context, lang="id_ID"))
        lost_form = env_id["crm.lead.lost"].get_views([(False, "form")])
        arch = lost_form["views"]["form"]["arch"]
        self.assertIn('string="Tandai Gagal"', arch)
        self.assertNotIn("Menyerahkan", arch)
        lead_form = env_id["crm.lead"].get_views([(False, "form")])
        arch = lead_form["views"]["form"]["arch"]
        self.assertIn('placeholder="Provinsi"', arch)
        self.assertNotIn('placeholder="Status"', arch)
        self.env.registry.clear_caches()  # the selections' labels
        outcomes = dict(
            env_id["daya.crm.report.wizard"]
            ._fields["outcome"]
            ._description_selection(env_id)
        )
        self.assertEqual((outcomes["won"], outcomes["lost"]), ("Berhasil", "Gagal"))

    def test_dealer_name_not_yourcompany(self):
        """The customer's page and the emails show the company's name: the demo
        dealer's, not Odoo's "YourCompany"."""
        self.assertEqual(self.env.ref("base.main_company").name, "Daya Motor")
