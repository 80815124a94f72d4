from datetime import date, datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.misc import format_date

from .common import FollowupCommon


@tagged("post_install", "-at_install")
class TestQueue(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Task._generate_followups(date(2026, 4, 1))
        cls.kpb1 = cls.Task.search(
            [("unit_sale_id", "=", cls.unit.id), ("rule_id.code", "=", "kpb1_fu1")]
        )

    def test_my_queue(self):
        Task = self.Task.with_user(self.user_pic_h1_a)
        mine = Task.search(
            [("user_id", "=", self.user_pic_h1_a.id), ("state", "=", "todo")]
        )
        self.assertEqual(mine, self.kpb1)
        self.assertEqual(self.kpb1.kpb_valid_until, date(2026, 5, 2))
        self.assertIn("KPB 1", self.kpb1.script)
        self.assertEqual(self.kpb1.wor_lead_id.state, "fu1")

    @freeze_time("2026-04-03")
    def test_booked_result_opens_booking(self):
        task = self.kpb1.with_user(self.user_pic_h1_a)
        action = task.action_result_booked()
        self.assertEqual(action["res_model"], "daya.service.booking")
        form = Form(
            self.env["daya.service.booking"]
            .with_user(self.user_pic_h1_a)
            .with_context(**action["context"])
        )
        form.start = "2026-04-06 02:00:00"  # Monday 09:00 in Jakarta
        booking = form.save()
        self.assertEqual(task.state, "done")
        self.assertEqual(task.result, "booked")
        self.assertEqual(task.booking_id, booking)
        self.assertEqual(task.done_user_id, self.user_pic_h1_a)
        self.assertTrue(task.done_date)
        self.assertEqual(task.wor_lead_id.state, "booked")
        # nothing further once a booking exists
        self.Task._generate_followups(date(2026, 4, 20))
        self.assertFalse(
            self.Task.search(
                [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu2")]
            )
        )
        with self.assertRaises(UserError):
            task.action_result_no_response()

    def test_refusals_lead_to_offers(self):
        task = self.kpb1.with_user(self.user_pic_h1_a)
        action = task.action_result_refused_time()
        self.assertEqual(task.result, "refused_time")
        self.assertEqual(action["context"]["default_booking_kind"], "weekend")
        self.assertTrue(task.wor_lead_id.weekdays_impossible)

    def test_serviced_elsewhere(self):
        task = self.kpb1.with_user(self.user_pic_h1_a)
        task.action_result_serviced_elsewhere()
        lead = task.wor_lead_id
        self.assertEqual((lead.state, lead.lost_reason), ("lost", "serviced_elsewhere"))
        # no more KPB1 invitation for a lost lead
        self.Task._generate_followups(date(2026, 4, 20))
        self.assertFalse(
            self.Task.search(
                [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu2")]
            )
        )

    def test_wrong_number_updates_customer(self):
        action = self.kpb1.with_user(self.user_pic_h1_a).action_result_wrong_number()
        Wizard = (
            self.env["daya.followup.wrong.number"]
            .with_user(self.user_pic_h1_a)
            .with_context(**action["context"])
        )
        with self.assertRaises(ValidationError):
            Wizard.create({"mobile": "12"}).action_confirm()
        self.assertEqual(self.kpb1.state, "todo", "nothing half-written")
        Wizard.create({"mobile": "0857 9999 0000"}).action_confirm()
        self.assertEqual(self.customer.mobile_e164, "+6285799990000")
        self.assertEqual(self.kpb1.result, "wrong_number")
        # a retry follows for the corrected number
        self.Task._generate_followups(date(2026, 4, 16))
        self.assertTrue(
            self.Task.search(
                [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu2")]
            )
        )

    def test_branch_isolation(self):
        with self.assertRaises(AccessError):
            self.kpb1.with_user(self.user_branch_head_b).read(["due_date"])
        self.assertFalse(
            self.Task.with_user(self.user_branch_head_b).search(
                [("id", "=", self.kpb1.id)]
            )
        )
        with self.assertRaises(AccessError):
            self.Task.with_user(self.user_pic_h1_a).create(
                {
                    "unit_sale_id": self.unit.id,
                    "partner_id": self.customer.id,
                    "rule_id": self.kpb1.rule_id.id,
                    "due_date": date(2026, 4, 1),
                }
            )

    def test_daily_summary(self):
        self.branch_a.write(
            {
                "head_user_id": self.user_branch_head_a.id,
                "area_coordinator_user_id": self.user_area.id,
            }
        )
        first_call = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "first_call_1")]
        )
        first_call.with_user(self.user_admin_h1_a).action_result_contacted()
        # the branch's day (WIB): from 17:00 UTC it is already tomorrow
        wib_today = fields.Date.context_today(self.Task.with_context(tz="Asia/Jakarta"))
        figures = self.Task._daily_figures(self.branch_a, wib_today)
        self.assertEqual(figures[self.branch_a.id]["followed_up"], 1)
        self.assertEqual(figures[self.branch_a.id]["responses"], 1)
        self.assertGreaterEqual(figures[self.branch_a.id]["overdue"], 1)
        mails = self.Task._cron_send_daily_summary()
        mail = mails.filtered(lambda m: self.branch_a.code in m.subject)
        self.assertIn(self.user_branch_head_a.email, mail.email_to)
        self.assertIn(self.user_area.email, mail.email_cc)
        self.assertIn("Customers followed up", mail.body_html)

    @freeze_time("2026-12-01 18:00:00")
    def test_daily_summary_branch_day(self):
        """At 18:00 UTC it is 01:00 on 2 December in the branch (WIB): a result
        recorded then is the 2nd's work, and the summary sent then is the 2nd's."""
        first_call = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "first_call_1")]
        )
        first_call.with_user(self.user_admin_h1_a).action_result_contacted()
        self.assertEqual(first_call.done_date, datetime(2026, 12, 1, 18, 0))
        figures = self.Task._daily_figures(self.branch_a, date(2026, 12, 2))
        self.assertEqual(figures[self.branch_a.id]["followed_up"], 1)
        figures = self.Task._daily_figures(self.branch_a, date(2026, 12, 1))
        self.assertEqual(figures[self.branch_a.id]["followed_up"], 0)
        mails = self.Task.with_context(tz="UTC")._cron_send_daily_summary()
        mail = mails.filtered(lambda m: self.branch_a.code in m.subject)
        self.assertIn(format_date(self.env, date(2026, 12, 2)), mail.subject)

    def test_daily_summary_to_role_holder(self):
        """Issue 10: the summary goes to the user holding the Kepala Cabang role
        in the branch, without anyone recording them on the branch."""
        mails = self.Task._cron_send_daily_summary()
        mail = mails.filtered(lambda m: f" {self.branch_a.code} " in m.subject)
        self.assertEqual(len(mail), 1)
        self.assertIn(self.user_branch_head_a.email, mail.email_to)

    def test_daily_summary_in_recipients_language(self):
        """Each branch head reads the summary in their own language."""
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["daya_crm_followup"], ["id_ID"]
        )
        self.user_branch_head_a.lang = "id_ID"
        self.user_branch_head_b.lang = "en_US"
        self.branch_a.head_user_id = self.user_branch_head_a
        self.branch_b.head_user_id = self.user_branch_head_b
        mails = self.Task.with_context(lang="en_US")._cron_send_daily_summary()
        mail_a = mails.filtered(lambda m: f" {self.branch_a.code} " in m.subject)
        mail_b = mails.filtered(lambda m: f" {self.branch_b.code} " in m.subject)
        self.assertIn("Konsumen di-follow up", mail_a.body_html)
        self.assertNotIn("Customers followed up", mail_a.body_html)
        self.assertTrue(mail_a.subject.startswith("Ringkasan CRM"), mail_a.subject)
        self.assertIn("Customers followed up", mail_b.body_html)
        self.assertTrue(mail_b.subject.startswith("CRM summary"), mail_b.subject)

    def test_daily_summary_unassigned_in_recipients_language(self):
        """Overdue follow-ups assigned to no one are named in each head's language,
        whatever the cron's."""
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["daya_crm_followup"], ["id_ID"]
        )
        unit_b = self._unit("MH1TEST0002", self.customer, self.branch_b)
        self.Task._generate_followups(date(2026, 4, 1))
        overdue = self.Task.search(
            [("unit_sale_id", "in", (self.unit | unit_b).ids), ("state", "=", "todo")]
        )
        self.assertEqual(overdue.branch_id, self.branch_a | self.branch_b)
        overdue.write({"user_id": False})
        self.user_branch_head_a.lang = "id_ID"
        self.user_branch_head_b.lang = "en_US"
        self.branch_a.head_user_id = self.user_branch_head_a
        self.branch_b.head_user_id = self.user_branch_head_b
        for cron_lang in ("en_US", "id_ID"):
            mails = self.Task.with_context(lang=cron_lang)._cron_send_daily_summary()
            mail_a = mails.filtered(lambda m: f" {self.branch_a.code} " in m.subject)
            mail_b = mails.filtered(lambda m: f" {self.branch_b.code} " in m.subject)
            self.assertIn("Belum Ditugaskan:", mail_a.body_html, cron_lang)
            self.assertNotIn("Unassigned", mail_a.body_html, cron_lang)
            self.assertIn("Unassigned:", mail_b.body_html, cron_lang)
            self.assertNotIn("Belum Ditugaskan", mail_b.body_html, cron_lang)
