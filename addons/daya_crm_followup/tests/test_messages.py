import json
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.daya_crm_followup.models.daya_followup_rule import (
    convert_legacy_template,
)

from .common import FollowupCommon, GatewayHandler, start_gateway


@tagged("post_install", "-at_install")
class TestMessages(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.base_url = start_gateway(cls)
        cls.env["daya.message.gateway"].search([]).active = False
        cls.whatsapp = cls.env["daya.message.gateway"].create(
            {
                "name": "Local WA",
                "channel": "whatsapp",
                "url": cls.base_url + "/send",
                "api_token": "secret-token",
                "timeout": 5,
            }
        )
        cls.sms = cls.env["daya.message.gateway"].create(
            {"name": "Local SMS", "channel": "sms", "url": cls.base_url + "/send"}
        )

    def setUp(self):
        super().setUp()
        GatewayHandler.received.clear()
        GatewayHandler.probe = None
        self.addCleanup(setattr, GatewayHandler, "probe", None)

    def test_kpb1_whatsapp_blast(self):
        self.Task._generate_followups(date(2026, 4, 1))
        kpb1 = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu1")]
        )
        self.assertEqual(kpb1.channel, "whatsapp")
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        [message] = [m for m in GatewayHandler.received if "KPB 1" in m["message"]]
        self.assertEqual(message["to"], "+6285711112222")
        self.assertEqual(message["authorization"], "Bearer secret-token")
        self.assertIn("Rina", message["message"])
        self.assertIn("02/05/2026", message["message"])  # KPB 1 valid until
        self.assertEqual(kpb1.message_state, "sent")
        self.assertEqual(kpb1.state, "todo", "waits for the customer's reply")
        log = self.env["daya.message.log"].search([("task_id", "=", kpb1.id)])
        self.assertEqual(log.state, "sent")
        # sent once only
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        self.assertEqual(
            len([m for m in GatewayHandler.received if "KPB 1" in m["message"]]), 1
        )

    def test_stnk_sms_in_bahasa_indonesia(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["daya_crm_followup"], ["id_ID"]
        )
        self.customer.lang = "id_ID"
        self.Task._generate_followups(date(2026, 3, 16))
        stnk = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("kind", "=", "stnk")]
        )
        with freeze_time("2026-03-16"):
            self.Task._cron_send_messages()
        sms = [m for m in GatewayHandler.received if m["to"] == "+6285711112222"]
        self.assertTrue(any("MH1TEST0001" in m["message"] for m in sms))
        self.assertTrue(any("sudah jadi" in m["message"] for m in sms), sms)
        self.assertEqual((stnk.state, stnk.result), ("done", "contacted"))

    def test_failing_gateway_turns_into_call(self):
        self.whatsapp.url = self.base_url + "/fail"
        self.Task._generate_followups(date(2026, 4, 1))
        kpb1 = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu1")]
        )
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        self.assertEqual(kpb1.message_state, "failed")
        self.assertEqual(kpb1.channel, "call")
        self.assertEqual(kpb1.state, "todo")
        log = self.env["daya.message.log"].search([("task_id", "=", kpb1.id)])
        self.assertEqual(log.state, "failed")
        self.assertIn("500", log.error)

    def test_unreachable_gateway(self):
        self.whatsapp.url = "http://127.0.0.1:9/send"  # nothing listens there
        self.Task._generate_followups(date(2026, 4, 1))
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        kpb1 = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu1")]
        )
        self.assertEqual((kpb1.message_state, kpb1.channel), ("failed", "call"))

    def _second_customer(self):
        customer = self.env["res.partner"].create(
            {"name": "Sari", "mobile": "0857-3333-4444"}
        )
        self._unit("MH1TEST0002", customer, self.branch_a)
        return customer

    def test_bad_template_is_an_error_and_nothing_is_sent_twice(self):
        """Issue 11.10: a template with a misspelled placeholder fails its own
        messages (the reason recorded, the task a call), the other messages go out
        once; each is in the outbox, flushed as ``sending``, when the gateway
        receives it; a second run posts nothing again."""
        self._second_customer()
        kpb1 = self.env["daya.followup.rule"].search([("code", "=", "kpb1_fu1")])
        bad = "Hello {{ object.nmae }}, your KPB 1 at {{ object.branch_id.name }}."
        # saved before the template check existed (or through a translation)
        self.env.cr.execute(
            "UPDATE daya_followup_rule SET message_template = %s WHERE id = %s",
            (json.dumps({"en_US": bad, "id_ID": bad}), kpb1.id),
        )
        kpb1.invalidate_recordset()
        seen = []

        def probe(payload):
            # the test's own cursor (the sending code waits for this answer)
            self.env.cr.execute(
                'SELECT state FROM daya_message_log WHERE "to" = %s AND body = %s',
                (payload["to"], payload["message"]),
            )
            seen.append([state for (state,) in self.env.cr.fetchall()])

        GatewayHandler.probe = probe
        self.Task._generate_followups(date(2026, 3, 16))
        self.Task._generate_followups(date(2026, 4, 1))
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
            self.Task._cron_send_messages()
        received = GatewayHandler.received
        self.assertEqual(
            sorted(m["to"] for m in received),
            ["+6285711112222", "+6285733334444"],
            "one message each: the STNK notice, once",
        )
        self.assertTrue(all("STNK" in m["message"] for m in received))
        self.assertEqual(seen, [["sending"], ["sending"]])
        tasks = self.Task.search(
            [("rule_id", "=", kpb1.id), ("branch_id", "=", self.branch_a.id)]
        )
        self.assertEqual(len(tasks), 2)
        self.assertEqual(set(tasks.mapped("channel")), {"call"})
        self.assertEqual(set(tasks.mapped("message_state")), {"failed"})
        logs = self.env["daya.message.log"].search([("task_id", "in", tasks.ids)])
        self.assertEqual(logs.mapped("state"), ["failed", "failed"])
        self.assertIn("nmae", logs[0].error)

    def test_run_bounded_by_time(self):
        """Issue 11.10: a run stops at its time budget (after one post at least)
        and triggers the cron to go on."""
        self._second_customer()
        self.Task._generate_followups(date(2026, 3, 16))
        cron = self.env.ref("daya_crm_followup.ir_cron_send_messages")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search([("cron_id", "=", cron.id)])
        with freeze_time("2026-03-16"):
            self.Task._cron_send_messages(time_budget=0)
        self.assertEqual(len(GatewayHandler.received), 1)
        self.assertTrue(Trigger.search([("cron_id", "=", cron.id)]) - triggers)
        with freeze_time("2026-03-16"):
            self.Task._cron_send_messages(time_budget=0)
        self.assertEqual(len(GatewayHandler.received), 2)
        self.assertEqual(
            len({m["to"] for m in GatewayHandler.received}), 2, "no one twice"
        )

    def test_interrupted_message_is_not_sent_again(self):
        """A message left ``sending`` by a run that died during its post may have
        gone out: it is not posted again, its task becomes a call."""
        self.Task._generate_followups(date(2026, 4, 1))
        kpb1 = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu1")]
        )
        self.env["daya.message.log"].create(
            {
                "task_id": kpb1.id,
                "gateway_id": self.whatsapp.id,
                "channel": "whatsapp",
                "to": "+6285711112222",
                "body": "KPB 1 invitation",
                "state": "sending",
            }
        )
        kpb1.message_state = "outgoing"
        with freeze_time("2026-04-01"):
            self.Task._cron_send_messages()
        self.assertFalse(
            [m for m in GatewayHandler.received if "KPB 1" in m["message"]]
        )
        self.assertEqual((kpb1.message_state, kpb1.channel), ("failed", "call"))

    def test_template_checked_on_save(self):
        """The template is rendered (``mail.render.mixin``) when the head office
        saves the rule: a field that does not exist, a forbidden expression or an
        old ``{name}`` placeholder is refused there, not in the sending cron."""
        kpb1 = self.env["daya.followup.rule"].search([("code", "=", "kpb1_fu1")])
        kpb1 = kpb1.with_user(self.user_head_office)
        for template in (
            "Hello {{ object.nmae }}",
            "Hello {{ object.partner_id.__class__ }}",
            "Hello {{ 1 / 0 }}",
            "Hello {name}, KPB 1 until {{ object.kpb_valid_until }}",
        ):
            with self.subTest(template=template), self.assertRaises(ValidationError):
                with Form(kpb1) as form:
                    form.message_template = template
        with self.assertRaisesRegex(ValidationError, "object.partner_id.name"):
            kpb1.message_template = "Hello {name}"
        kpb1.message_template = (
            "Halo {{ object.partner_id.name }}, {promo} KPB 1 s/d "
            "{{ format_date(object.kpb_valid_until, 'dd/MM/yyyy') }}."
        )
        self.Task._generate_followups(date(2026, 4, 1))
        task = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id", "=", kpb1.id)]
        )
        self.assertEqual(
            task._message_body(), "Halo Rina, {promo} KPB 1 s/d 02/05/2026."
        )

    def test_message_in_the_customers_language(self):
        """The same task's message in English and in Bahasa Indonesia, following
        its customer's language (Bahasa Indonesia when the customer has none)."""
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["daya_crm_followup"], ["id_ID"]
        )
        self.Task._generate_followups(date(2026, 4, 1))
        kpb1 = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id.code", "=", "kpb1_fu1")]
        )
        for lang, start in (
            ("en_US", "Hello Rina, thank you for choosing Honda "),
            ("id_ID", "Halo Rina, terima kasih telah memilih Honda "),
            (False, "Halo Rina, terima kasih telah memilih Honda "),
        ):
            with self.subTest(lang=lang):
                self.customer.lang = lang
                body = kpb1._message_body()
                self.assertTrue(body.startswith(start), body)
                self.assertIn(self.unit.product_id.name, body)
                self.assertIn(kpb1.branch_id.name, body)
                self.assertIn("02/05/2026", body)

    def test_legacy_template_converted(self):
        """The migration to 16.0.1.1.0 turns a template of the old syntax into an
        inline template that renders the same text."""
        old = (
            "Hello {name}, your Honda {type} ({frame}) {{promo}}: KPB 1 at {branch} "
            "until {kpb_date}."
        )
        kpb1 = self.env["daya.followup.rule"].search([("code", "=", "kpb1_fu1")])
        kpb1.message_template = convert_legacy_template(old)
        self.Task._generate_followups(date(2026, 4, 1))
        task = self.Task.search(
            [("unit_sale_id", "=", self.unit.id), ("rule_id", "=", kpb1.id)]
        )
        self.customer.lang = "en_US"
        self.assertEqual(
            task._message_body(),
            old.format(
                name="Rina",
                type=self.unit.product_id.name,
                frame="MH1TEST0001",
                branch=task.branch_id.name,
                kpb_date="02/05/2026",
            ),
        )
        # left as they are: what the old code could not render, and a template
        # already converted (the migration may meet it twice)
        for kept in (
            "Hello {",
            "Hello {nmae}",
            "Hello {name} {",
            kpb1.message_template,
        ):
            self.assertEqual(convert_legacy_template(kept), kept)

    # the customer's CDB validation link, sent through the same gateways

    def _send_cdb_link(self):
        return (
            self.env["daya.cdb.validation"]
            .with_user(self.user_admin_stnk_a)
            ._create_and_send(self.customer.with_user(self.user_admin_stnk_a))
        )

    def test_cdb_link_sent_by_whatsapp(self):
        validation = self._send_cdb_link()
        url = validation.validation_url
        self.assertIn("/cdb/validate/", url)
        [message] = GatewayHandler.received
        self.assertEqual(message["to"], "+6285711112222")
        self.assertIn(url, message["message"])
        self.assertIn("Rina", message["message"])
        self.assertEqual(validation.link_message_state, "sent")
        self.assertIn("+6285711112222", validation.link_message_note)
        log = self.env["daya.message.log"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "whatsapp")]
        )
        self.assertEqual(log.state, "sent")
        self.assertNotIn(url, log.body, "the clear link is never stored")
        self.assertIn("[link]", log.body)
        self.assertIn("WhatsApp", validation.message_ids[0].body)

    def test_cdb_link_sms_when_no_whatsapp(self):
        self.whatsapp.active = False
        validation = self._send_cdb_link()
        [message] = GatewayHandler.received
        self.assertIn(validation.validation_url, message["message"])
        self.assertEqual(validation.link_message_state, "sent")
        self.assertIn("SMS", validation.link_message_note)

    def test_cdb_link_not_sent_says_why(self):
        self.customer.mobile = False
        validation = self._send_cdb_link()
        self.assertEqual(validation.link_message_state, "not_sent")
        self.assertEqual(
            validation.link_message_note, "The customer has no mobile number."
        )
        self.assertIn("no mobile number", validation.message_ids[0].body)
        self.customer.mobile = "0857-1111-2222"
        self.whatsapp.url = self.base_url + "/fail"
        self.sms.active = False
        validation = self._send_cdb_link()
        self.assertEqual(validation.link_message_state, "not_sent")
        self.assertIn("refused", validation.link_message_note)
        log = self.env["daya.message.log"].search(
            [("partner_id", "=", self.customer.id)], limit=1
        )
        self.assertEqual(log.state, "failed")
        self.whatsapp.active = False
        validation = self._send_cdb_link()
        self.assertEqual(
            validation.link_message_note, "No WhatsApp or SMS gateway is configured."
        )
        self.assertFalse(GatewayHandler.received[1:], "nothing sent without a gateway")
        # the form shows it: the state and its reason are on the validation's form
        arch = validation.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="link_message_note"', arch)
        with self.assertRaises(UserError):
            validation.with_user(self.user_admin_stnk_a).write(
                {"link_message_state": "sent"}
            )
