from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import datetime, safe_eval

from odoo.addons.daya_base.tests.common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestLeadsByStatus(DayaCrmCommon):
    """Issue 12: Branch Today's leads (Reporting > Leads by Status): open leads
    by HOT/MEDIUM/LOW and won this month, within the branch rule, for every role
    that sees the menu; Odoo's branch-less demo leads left out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.action = cls.env.ref("daya_crm_leads.crm_lead_action_branch_today")
        cls.menu = cls.env.ref("daya_crm_leads.menu_daya_branch_today_leads")
        arch = cls.env["crm.lead"].get_views(
            [(cls.action.search_view_id.id, "search")]
        )["views"]["search"]["arch"]
        cls.filters = {
            node.get("name"): node.get("domain")
            for node in etree.fromstring(arch).iter("filter")
            if node.get("domain")
        }

    def _domain(self, *filters):
        context = {
            "context_today": datetime.date.today,
            "datetime": datetime,
            "relativedelta": relativedelta,
        }
        domain = safe_eval(self.action.domain)
        for name in filters:
            domain += safe_eval(self.filters[name], context)
        return domain

    def _count_by_status(self, user, *filters):
        groups = (
            self.env["crm.lead"]
            .with_user(user)
            .read_group(self._domain(*filters), [], ["prospect_status"])
        )
        return {g["prospect_status"]: g["prospect_status_count"] for g in groups}

    def test_open_by_status_and_won_this_month(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        for status in ("hot", "hot", "medium", "low"):
            Lead.create(self._lead_vals(name=f"Lead {status}", prospect_status=status))
        won = Lead.create(
            self._lead_vals(
                name="Won lead",
                contact_name="Won Customer",
                mobile="0812-1111-9999",
                motor_type_id=self.type_beat.id,
                motor_color_id=self.color_red.id,
                prospect_status="hot",
            )
        )
        won.convert_opportunity(won.partner_id)
        won.action_set_won_rainbowman()
        self.env["crm.lead"].with_user(self.user_sales_b).create(
            self._lead_vals(name="Branch B lead", prospect_status="low")
        )
        self.assertEqual(
            self._count_by_status(self.user_branch_head_a, "open"),
            {"hot": 2, "medium": 1, "low": 1},
        )
        self.assertEqual(
            sum(
                self._count_by_status(
                    self.user_branch_head_a, "won_this_month"
                ).values()
            ),
            1,
        )
        self.assertEqual(
            self._count_by_status(self.user_branch_head_b, "open"), {"low": 1}
        )
        # Odoo's demo leads have no branch: head office does not count them
        self.assertTrue(
            self.env["crm.lead"].search_count([("branch_id", "=", False)]),
            "the demo leads are installed",
        )
        self.assertEqual(
            sum(self._count_by_status(self.user_head_office, "open").values()), 5
        )

    def test_every_role_that_sees_the_menu_opens_it(self):
        roles = self.role_users_a
        seen = self.env["res.users"]
        for user in roles:
            if (
                self.menu.id
                not in self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            ):
                continue
            seen |= user
            Lead = self.env["crm.lead"].with_user(user)
            Lead.get_views(
                [(False, mode) for mode in self.action.view_mode.split(",")]
                + [(self.action.search_view_id.id, "search")]
            )
            for name in ("open", "won_this_month", "last_8_weeks"):
                Lead.search_read(self._domain(name), limit=80)
            Lead.read_group(
                self._domain("last_8_weeks"),
                [],
                ["create_date:week", "prospect_status"],
                lazy=False,
            )
            Lead.read_group(self._domain("won"), [], ["date_closed:week"], lazy=False)
        self.assertIn(self.user_branch_head_a, seen)
        self.assertIn(self.user_head_office, seen)
        self.assertNotIn(self.user_pic_h23_a, seen, "the workshop has no leads")

    def test_on_branch_today(self):
        """Issue 12: the branch head's one screen shows the leads too: Branch
        Today > Leads by Status, for the branch head, not for the workshop head
        (no access to leads)."""
        menu = self.env.ref("daya_crm_leads.menu_daya_branch_today_leads_status")
        self.assertEqual(
            menu.parent_id, self.env.ref("daya_base.menu_daya_branch_today")
        )
        self.assertEqual(menu.action, self.action)
        Menu = self.env["ir.ui.menu"]
        self.assertIn(
            menu.id, Menu.with_user(self.user_branch_head_a)._visible_menu_ids()
        )
        self.assertNotIn(
            menu.id, Menu.with_user(self.user_workshop_head_a)._visible_menu_ids()
        )
