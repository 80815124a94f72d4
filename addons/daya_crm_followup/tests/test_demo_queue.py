from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestFreshDatabaseQueue(TransactionCase):
    """Issue 12: a fresh database is useful at once: its follow-up queue is
    generated on install, not at the first nightly run."""

    def test_queue_generated_on_install(self):
        Task = self.env["daya.followup.task"]
        unit = self.env.ref(
            "daya_crm_followup.unit_sale_wawan", raise_if_not_found=False
        )
        # the install day (a database kept for later runs gets older)
        today = fields.Date.context_today(Task, unit.create_date if unit else None)
        # with or without demo data: nothing due that day was left for the cron
        for rule in self.env["daya.followup.rule"].search([]):
            with self.subTest(rule=rule.code):
                self.assertFalse(Task._followup_candidates(rule, today, 1))
        if not unit:  # a dealer's database: no motorcycle yet, no task made up
            self.assertFalse(Task.search_count([]))
            return
        # the demo motorcycles have the tasks due by today (the others' are not
        # due yet, or too old: ``horizon_days``); the KPB 1 invitation of the
        # motorcycle sold 30 days ago is due this week, assigned, and its workshop
        # lead is at its first follow-up
        siti, dedi = (
            self.env.ref("daya_base.unit_sale_siti"),
            self.env.ref("daya_base.unit_sale_dedi"),
        )
        tasks = Task.search([])
        self.assertEqual(
            {(task.unit_sale_id, task.rule_id.code) for task in tasks},
            {
                (unit, "first_call_1"),
                (unit, "stnk_premium"),
                (unit, "kpb1_fu1"),
                (siti, "first_call_1"),
                (siti, "stnk_premium"),
                (dedi, "repeat_order"),
            },
        )
        kpb = tasks.filtered(
            lambda task: task.rule_id.code == "kpb1_fu1" and task.unit_sale_id == unit
        )
        self.assertEqual(kpb.state, "todo")
        self.assertTrue(
            today - timedelta(days=1) <= kpb.due_date <= today + timedelta(days=7)
        )
        self.assertEqual(kpb.user_id, self.env.ref("daya_base.user_crmh1_sh"))
        self.assertEqual(kpb.wor_lead_id.wor_type, "kpb1")
        self.assertEqual(kpb.wor_lead_id.state, "fu1")
        self.assertTrue(
            tasks.filtered(lambda task: task.state == "todo" and task.user_id)
        )

    def test_branch_heads_open_on_branch_today(self):
        action = self.env.ref(
            "daya_crm_followup.daya_followup_task_action_branch_today"
        )
        head = self.env.ref("daya_base.user_kacab_sh", raise_if_not_found=False)
        if not head:  # a dealer's database: its heads' home is set by the admin
            return
        self.assertEqual(head.action_id.id, action.id)
        self.assertTrue(
            self.env.ref("daya_base.menu_daya_branch_today")
            .with_user(head)
            ._filter_visible_menus()
        )
        pic = self.env.ref("daya_base.user_crmh1_sh")
        self.assertFalse(
            self.env.ref("daya_base.menu_daya_branch_today")
            .with_user(pic)
            ._filter_visible_menus(),
            "the PIC CRM works the queue, not the branch's figures",
        )
