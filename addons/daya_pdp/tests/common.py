import json
from datetime import date, timedelta

from odoo import fields

from odoo.addons.daya_crm_followup.tests.common import FollowupCommon


class PdpCommon(FollowupCommon):
    """The follow-up suite's branches, role users and sold motorcycle (customer
    Rina, branch A), with her whole footprint in the suite: a lead, KPB follow-ups
    and their workshop lead, a booking, a data validation with answers, a queued
    message, a chatter note and a KTP photo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {
                "nik": "3273015504900004",
                "email": "rina@example.com",
                "street": "Jl. Braga 5",
                "city": "Bandung",
                "birth_place": "Bandung",
                "birthdate": "1990-04-15",
                "gender": "female",
                "branch_ids": [(4, cls.branch_a.id)],
            }
        )
        cls.Partner = cls.env["res.partner"]
        cls.Consent = cls.env["daya.consent"]
        cls.Request = cls.env["daya.pdp.request"]

    @classmethod
    def _footprint(cls, customer=None):
        """Records of every addon on ``customer`` (Rina by default)."""
        customer = customer or cls.customer
        lead = cls.env["crm.lead"].create(
            cls._lead_vals(
                name="Rina wants a Scoopy",
                partner_id=customer.id,
                branch_id=cls.branch_a.id,
                user_id=cls.user_sales_a.id,
                contact_name="Rina",
                mobile="0857-1111-2222",
                description="Lives near Braga, calls after 5pm",
            )
        )
        cls.Task._generate_followups(date(2026, 4, 1))
        tasks = cls.Task.search([("partner_id", "=", customer.id)])
        wor_lead = tasks.wor_lead_id[:1]
        booking = cls.env["daya.service.booking"].create(
            {
                "partner_id": customer.id,
                "unit_sale_id": cls.unit.id,
                "wor_lead_id": wor_lead.id,
                "branch_id": cls.branch_a.id,
                "start": fields.Datetime.now() + timedelta(days=3),
                "booking_kind": "home_service",
                "note": "Home service at Jl. Braga 5",
            }
        )
        message = cls.env["daya.message.log"].create(
            {
                "task_id": tasks[:1].id,
                "partner_id": customer.id,
                "branch_id": cls.branch_a.id,
                "channel": "whatsapp",
                "to": "+6285711112222",
                "body": "Halo Rina, KPB 1 Anda...",
                "state": "sent",
            }
        )
        validation = cls.env["daya.cdb.validation"].create(
            {"partner_id": customer.id, "branch_id": cls.branch_a.id}
        )
        validation.sudo()._submit_customer_answers({}, {}, note="Rina's own note")
        customer.message_post(
            body="Rina asked for a brochure", subtype_xmlid="mail.mt_note"
        )
        ktp = cls.env["ir.attachment"].create(
            {
                "name": "ktp_rina.jpg",
                "raw": b"not really a photo",
                "res_model": "res.partner",
                "res_id": customer.id,
            }
        )
        return {
            "lead": lead,
            "tasks": tasks,
            "wor_lead": wor_lead,
            "booking": booking,
            "message": message,
            "validation": validation,
            "ktp": ktp,
        }

    def _download(self, action):
        """The attachment an act_url action downloads."""
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        return self.env["ir.attachment"].browse(attachment_id)

    def _sections(self, attachment):
        payload = json.loads(attachment.raw)
        return {section["key"]: section for section in payload["sections"]}
