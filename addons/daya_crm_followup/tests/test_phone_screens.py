from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.daya_base.tests.common import DayaPhoneCase

from .common import FollowupCommon


class PhoneScreensCommon(DayaPhoneCase, FollowupCommon):
    """A 390 x 844 phone; a KPB 1 invitation due today for the PIC CRM H1 of
    branch A (the motorcycle was sold 30 days ago)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the queue's "today" is its user's (the superuser's time zone may put
        # the day after, from 17:00 UTC, in Asia/Jakarta)
        today = fields.Date.context_today(cls.Task.with_user(cls.user_pic_h1_a))
        cls.queue_customer = cls.env["res.partner"].create(
            {"name": "Queue Customer", "mobile": "0812-3456-7890"}
        )
        cls.queue_unit = cls._unit(
            "MH1QUEUE0001",
            cls.queue_customer,
            cls.branch_a,
            sale_date=today - timedelta(days=30),
            delivery_date=today - timedelta(days=30),
            stnk_ready_date=today - timedelta(days=16),
        )
        cls.Task._generate_followups(today)
        cls.queue_task = cls.Task.search(
            [("unit_sale_id", "=", cls.queue_unit.id), ("kind", "=", "kpb")]
        )


@tagged("post_install", "-at_install")
class TestPhoneQueue(PhoneScreensCommon):
    def test_queue_card_links(self):
        task = self.queue_task.with_user(self.user_pic_h1_a)
        self.assertEqual(task.user_id, self.user_pic_h1_a)
        self.assertEqual(task.due_date, fields.Date.context_today(task))
        self.assertEqual(task.mobile_e164, "+6281234567890")
        url = task.whatsapp_url
        self.assertTrue(url.startswith("https://wa.me/6281234567890?text="), url)
        self.assertIn("Queue+Customer", url, "the SOP's message is prefilled")
        self.queue_customer.mobile = False
        task.invalidate_recordset(["whatsapp_url", "mobile_e164"])
        self.assertFalse(task.whatsapp_url, "no number, no link")

    def test_phone_queue_tour(self):
        """The PIC CRM H1 records a result from the card of the queue at 390 px."""
        self.start_tour(
            "/web#action=daya_crm_followup.daya_followup_task_action_my",
            "daya_crm_followup_phone_queue_tour",
            login="t_pich1_a",
            timeout=180,
        )
        self.assertEqual(
            (self.queue_task.state, self.queue_task.result),
            ("done", "no_response"),
        )
        self.assertEqual(self.queue_task.done_user_id, self.user_pic_h1_a)

    def test_branch_today_tour(self):
        """The branch head reads the day per branch and person, graph then pivot,
        at 390 px; then the weekly review, week by week, and this week's records."""
        self.start_tour(
            "/web#action=daya_crm_followup.daya_followup_task_action_branch_today",
            "daya_crm_followup_branch_today_tour",
            login="t_kacab_a",
            timeout=180,
        )
        self.Task.search(
            [("unit_sale_id", "=", self.queue_unit.id), ("kind", "=", "first_call")]
        ).with_user(self.user_admin_h1_a).action_result_contacted()
        self.start_tour(
            "/web#action=daya_crm_followup.daya_followup_week_report_action",
            "daya_crm_followup_weekly_review_tour",
            login="t_kacab_a",
            timeout=180,
        )


@tagged("-standard", "daya_screens", "post_install", "-at_install")
class TestScreenshots(PhoneScreensCommon):
    """Not a check: writes the PNGs of README (``docs/screens``), in Bahasa
    Indonesia, with ``--test-tags=daya_screens``."""

    def test_screenshots(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["base", "web", "daya_crm_leads", "daya_crm_wor", "daya_crm_followup"],
            ["id_ID"],
        )
        (self.user_pic_h1_a | self.user_branch_head_a).write({"lang": "id_ID"})
        # short names, as people have
        self.user_pic_h1_a.name = "Sinta"
        self.user_admin_h1_a.name = "Rudi"
        self.user_branch_head_a.name = "Pak Hendra"
        # Rudi has made his first call today
        self.Task.search(
            [("unit_sale_id", "=", self.queue_unit.id), ("kind", "=", "first_call")]
        ).with_user(self.user_admin_h1_a).action_result_contacted()
        self._screenshot(
            "t_pich1_a",
            "/web#action=daya_crm_followup.daya_followup_task_action_my",
            "!!document.querySelector('.o_kanban_record a.o_daya_whatsapp')",
            "phone_queue_390.png",
        )
        self._screenshot(
            "t_kacab_a",
            "/web#action=daya_crm_followup.daya_followup_task_action_branch_today",
            "!!document.querySelector('.o_graph_renderer canvas')",
            "branch_today_graph_390.png",
        )
        self._screenshot(
            "t_kacab_a",
            "/web#action=daya_crm_followup.daya_followup_task_action_branch_today"
            "&view_type=pivot",
            "!!document.querySelector('.o_pivot .o_pivot_cell_value')",
            "branch_today_pivot_390.png",
        )
        self._screenshot(
            "t_kacab_a",
            "/web#action=daya_crm_followup.daya_service_booking_action_branch_today"
            "&view_type=pivot",
            "!!document.querySelector('.o_pivot')",
            "branch_today_bookings_390.png",
        )
        self._screenshot(
            "t_kacab_a",
            "/web#action=daya_crm_followup.daya_followup_week_report_action",
            "!!document.querySelector('.o_pivot .o_pivot_cell_value')",
            "weekly_review_390.png",
        )
