from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.daya_crm_followup.tests.common import GatewayHandler, start_gateway

from .common import PdpCommon


@tagged("post_install", "-at_install")
class TestConsent(PdpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        url = start_gateway(cls) + "/send"
        Gateway = cls.env["daya.message.gateway"]
        Gateway.search([]).active = False
        cls.whatsapp = Gateway.create(
            {"name": "Local WA", "channel": "whatsapp", "url": url, "timeout": 5}
        )
        cls.other = cls.Partner.create({"name": "Dewi", "mobile": "0857-3333-4444"})
        cls.other_unit = cls._unit("MH1TEST0002", cls.other, cls.branch_a)

    def setUp(self):
        super().setUp()
        GatewayHandler.received.clear()

    def _kpb1(self, unit):
        return self.Task.search(
            [("unit_sale_id", "=", unit.id), ("rule_id.code", "=", "kpb1_fu1")]
        )

    # ------------------------------------------------------------
    # basis and purposes
    # ------------------------------------------------------------

    def test_purposes_of_the_followup_rules(self):
        """Each processing states its purpose: KPB and STNK reminders serve the
        service, repeat orders are marketing, the first call the purchase."""
        Rule = self.env["daya.followup.rule"]
        purposes = {rule.kind: rule.pdp_purpose for rule in Rule.search([])}
        self.assertEqual(purposes["kpb"], "service_reminder")
        self.assertEqual(purposes["stnk"], "service_reminder")
        self.assertEqual(purposes["repeat_order"], "marketing")
        self.assertFalse(purposes["first_call"])

    def test_reminder_from_purchase_recorded_on_first_use(self):
        """No record: the KPB reminder goes out, and the consent is recorded as
        taken from the purchase (lawful basis: the purchase)."""
        self.assertFalse(self.customer.consent_ids)
        self.assertEqual(self.customer.consent_service_reminder, "implied")
        self._generate(date(2026, 4, 1))
        self.assertEqual(self._kpb1(self.unit).state, "todo")
        consent = self.customer.consent_ids
        self.assertEqual(len(consent), 1)
        self.assertEqual(
            (consent.purpose, consent.state, consent.channel, consent.legal_basis),
            ("service_reminder", "given", "purchase", "contract"),
        )
        self._generate(date(2026, 4, 2))
        self.assertEqual(len(self.customer.consent_ids), 1, "recorded once")

    def test_marketing_needs_a_recorded_consent(self):
        self.assertEqual(self.customer.consent_marketing, "none")
        self.assertFalse(self.customer._daya_consent_allows("marketing"))
        self.assertTrue(self.customer._daya_consent_allows("service_reminder"))
        self.customer.with_user(self.user_pic_h1_a).action_give_marketing()
        self.assertEqual(self.customer.consent_marketing, "given")
        self.assertTrue(self.customer._daya_consent_allows("marketing"))
        consent = self.customer.consent_ids
        self.assertEqual(consent.user_id, self.user_pic_h1_a)
        self.assertEqual(consent.channel, "form")
        self.assertEqual(consent.legal_basis, "consent")

    def test_marketing_message_without_consent_becomes_a_call(self):
        """A repeat-order offer by WhatsApp (head office's choice of channel) goes
        out only with a recorded marketing consent; without it the follow-up
        becomes a call, with the reason; withdrawn, it is not needed."""
        rule = self.env.ref("daya_crm_followup.rule_repeat_order")
        rule.channel = "whatsapp"
        self.other.with_user(self.user_sales_a).action_give_marketing()
        third = self.Partner.create({"name": "Sari", "mobile": "0857-5555-6666"})
        third_unit = self._unit("MH1TEST0003", third, self.branch_a)
        third.with_user(self.user_sales_a).action_withdraw_marketing()
        day = date(2028, 3, 1)
        self.Task._generate_followups(day)
        tasks = {
            unit: self.Task.search(
                [("unit_sale_id", "=", unit.id), ("rule_id", "=", rule.id)]
            )
            for unit in (self.unit, self.other_unit, third_unit)
        }
        self.assertEqual(tasks[third_unit].state, "cancel", "withdrawn: not needed")
        self.assertEqual(tasks[self.unit].state, "todo")
        with freeze_time(day):
            self.Task._cron_send_messages()
        recipients = {message["to"] for message in GatewayHandler.received}
        self.assertIn("+6285733334444", recipients, "consent given: sent")
        self.assertNotIn("+6285711112222", recipients)
        self.assertNotIn("+6285755556666", recipients)
        unconsented = tasks[self.unit]
        self.assertEqual((unconsented.state, unconsented.channel), ("todo", "call"))
        self.assertIn("consent", unconsented.note)
        self.assertEqual(tasks[self.other_unit].message_state, "sent")

    # ------------------------------------------------------------
    # opt-out honoured
    # ------------------------------------------------------------

    def test_withdrawal_blocks_the_whatsapp_blast(self):
        """The customer who withdrew gets no KPB WhatsApp; the other one does.
        Fails without the consent check: both would be sent."""
        self.customer.with_user(self.user_pic_h1_a).action_withdraw_service_reminder()
        self._generate(date(2026, 4, 1))
        blocked, sent = self._kpb1(self.unit), self._kpb1(self.other_unit)
        self.assertEqual(blocked.state, "cancel")
        self.assertIn("consent", blocked.note)
        self.assertFalse(blocked.user_id)
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        recipients = {message["to"] for message in GatewayHandler.received}
        self.assertIn("+6285733334444", recipients)
        self.assertNotIn("+6285711112222", recipients)
        self.assertFalse(
            self.env["daya.message.log"].search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(sent.message_state, "sent")

    def test_withdrawal_after_queueing_stops_the_queued_message(self):
        """A withdrawal between the queueing and the post: the queued message is
        not posted, the task is not needed."""
        self._generate(date(2026, 4, 1))
        task = self._kpb1(self.unit)
        with freeze_time("2026-04-01"):
            task._queue_messages({"whatsapp": self.whatsapp})
        message = self.env["daya.message.log"].search([("task_id", "=", task.id)])
        self.assertEqual(message.state, "outgoing")
        self.customer.with_user(self.user_pic_h23_a).action_withdraw_service_reminder()
        self.assertEqual(message.state, "failed")
        self.assertEqual(task.state, "cancel")
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        self.assertNotIn("+6285711112222", {m["to"] for m in GatewayHandler.received})

    def test_queue_check_catches_a_withdrawal_recorded_by_the_system(self):
        """The outbox checks the consent itself (a task left open by an import, a
        consent recorded by another addon): no message, the task not needed."""
        self._generate(date(2026, 4, 1))
        task = self._kpb1(self.unit)
        # recorded by the system without going through the withdrawal's side
        # effects (as an import of consents would)
        self.env.cr.execute(
            "INSERT INTO daya_consent (partner_id, purpose, state, date, channel) "
            "VALUES (%s, 'service_reminder', 'withdrawn', %s, 'form')",
            [self.customer.id, fields.Datetime.now() + timedelta(seconds=1)],
        )
        self.env["daya.consent"].invalidate_model()
        self.assertEqual(task.state, "todo")
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        self.assertEqual(task.state, "cancel")
        self.assertNotIn("+6285711112222", {m["to"] for m in GatewayHandler.received})

    def test_stop_reply_withdraws_at_once(self):
        self._generate(date(2026, 4, 1))
        task = self._kpb1(self.unit)
        Gateway = self.env["daya.message.gateway"]
        self.assertFalse(Gateway._handle_inbound("0857-1111-2222", "Terima kasih"))
        self.assertEqual(task.state, "todo")
        partners = Gateway._handle_inbound("+62 857 1111 2222", " stop ")
        self.assertEqual(partners, self.customer)
        withdrawn = self.customer.consent_ids.filtered(lambda c: c.state == "withdrawn")
        self.assertEqual(
            sorted(withdrawn.mapped("purpose")), ["marketing", "service_reminder"]
        )
        self.assertEqual(set(withdrawn.mapped("channel")), {"message_reply"})
        self.assertEqual(self.customer.consent_service_reminder, "withdrawn")
        self.assertEqual(task.state, "cancel")
        self.assertEqual(self._kpb1(self.other_unit).state, "todo")

    def test_validation_page_consent_is_logged(self):
        validation = self.env["daya.cdb.validation"].create(
            {"partner_id": self.customer.id, "branch_id": self.branch_a.id}
        )
        validation.sudo()._submit_customer_answers({}, {})
        consents = self.customer.consent_ids
        self.assertEqual(
            sorted(consents.mapped("purpose")), ["marketing", "service_reminder"]
        )
        self.assertEqual(set(consents.mapped("channel")), {"validation_page"})
        self.assertFalse(consents.user_id)
        self.assertEqual(self.customer.consent_marketing, "given")

    # ------------------------------------------------------------
    # the log's rights
    # ------------------------------------------------------------

    def test_log_is_append_only(self):
        consent = self.Consent.with_user(self.user_sales_a).create(
            {"partner_id": self.customer.id, "purpose": "marketing", "state": "given"}
        )
        self.assertEqual(consent.user_id, self.user_sales_a)
        with self.assertRaises(AccessError):
            consent.write({"state": "withdrawn"})
        with self.assertRaises(AccessError):
            consent.with_user(self.user_head_office).write({"channel": "call"})
        with self.assertRaises(AccessError):
            consent.unlink()
        # who and when are not the user's to choose
        other = self.Consent.with_user(self.user_sales_a).create(
            {
                "partner_id": self.customer.id,
                "purpose": "marketing",
                "user_id": self.user_branch_head_a.id,
                "date": "2020-01-01 00:00:00",
            }
        )
        self.assertEqual(other.user_id, self.user_sales_a)
        self.assertGreater(other.date.year, 2020)

    def test_other_branch_neither_sees_nor_records(self):
        self.customer.with_user(self.user_sales_a).action_give_marketing()
        Consent = self.Consent.with_user(self.user_branch_head_b)
        domain = [("partner_id", "=", self.customer.id)]
        self.assertFalse(Consent.search(domain))
        self.assertFalse(Consent.read_group(domain, ["purpose"], ["purpose"]))
        with self.assertRaises(AccessError):
            self.customer.consent_ids.with_user(self.user_branch_head_b).read(["state"])
        with self.assertRaises(AccessError):
            Consent.create({"partner_id": self.customer.id, "purpose": "marketing"})
        # head office sees every branch's
        self.assertEqual(
            len(self.Consent.with_user(self.user_head_office).search(domain)), 1
        )
