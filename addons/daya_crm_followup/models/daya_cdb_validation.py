from odoo import _, models
from odoo.tools.misc import format_date

# The link's place in the message log: the clear link is a secret of the customer
# (the validation stores only its hash), so the log keeps the text without it.
LINK_PLACEHOLDER = "[link]"


class DayaCdbValidation(models.Model):
    """The customer's validation link sent by WhatsApp (else SMS) through the
    suite's message gateway, and logged in the message log."""

    _inherit = "daya.cdb.validation"

    def _send_validation_link_other_channels(self):
        """Post the link at once through the newest WhatsApp gateway (else SMS).

        The message does not wait in the outbox like the follow-up blasts: the
        clear link exists only while it is being sent (only its hash is stored),
        so it is posted now and the message log keeps its text with the link left
        out. Without a gateway or a mobile number, or when the gateway refuses
        it, the validation shows the link as not sent, with the reason."""
        self.ensure_one()
        # a system step of the sending: the gateways' settings and the message
        # log are the administrators' (the sender's right was checked before)
        Gateway = self.env["daya.message.gateway"].sudo()
        gateway = Gateway.search(
            [("channel", "=", "whatsapp")], order="id desc", limit=1
        ) or Gateway.search([("channel", "=", "sms")], order="id desc", limit=1)
        partner = self.partner_id
        to = partner.mobile_e164
        url = self.sudo().validation_url
        if not gateway:
            self._record_link_message(
                False, _("No WhatsApp or SMS gateway is configured.")
            )
            return []
        if not to:
            self._record_link_message(False, _("The customer has no mobile number."))
            return []
        if not url:
            self._record_link_message(False, _("The link is shown only once."))
            return []
        lang = partner.lang or self._public_lang()
        body = self.with_context(lang=lang)._link_message_body(url)
        ok, error = gateway._send(to, body)
        channel = dict(gateway._fields["channel"]._description_selection(self.env))[
            gateway.channel
        ]
        self.env["daya.message.log"].sudo().create(
            {
                "partner_id": partner.id,
                "branch_id": self.branch_id.id,
                "gateway_id": gateway.id,
                "channel": gateway.channel,
                "to": to,
                "body": body.replace(url, LINK_PLACEHOLDER),
                "state": "sent" if ok else "failed",
                "error": error or False,
            }
        )
        if not ok:
            self._record_link_message(
                False,
                _(
                    "The %(channel)s gateway refused it: %(error)s",
                    channel=channel,
                    error=error,
                ),
            )
            return []
        label = _("%(channel)s %(number)s", channel=channel, number=to)
        self._record_link_message(True, label)
        return [label]

    def _link_message_body(self, url):
        """The WhatsApp / SMS text of the link, in the context's language."""
        self.ensure_one()
        return _(
            "Hello %(name)s, %(company)s asks you to check your customer data and "
            "correct what is wrong: %(url)s (valid until %(date)s).",
            name=self.partner_id.name,
            company=self.branch_id.company_id.name or self.env.company.name,
            url=url,
            date=format_date(self.env, self.expires_at),
        )
