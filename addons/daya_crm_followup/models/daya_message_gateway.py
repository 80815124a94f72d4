import logging

import requests

from odoo import _, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class DayaMessageGateway(models.Model):
    """An HTTP gateway that sends WhatsApp or SMS messages: configured, not coded.

    It receives ``POST <url>`` with JSON ``{"to": "+62…", "message": "…",
    "sender": "…"}`` and a bearer token, and answers 2xx when it accepted it."""

    _name = "daya.message.gateway"
    _description = "Message Gateway"

    name = fields.Char(required=True)
    channel = fields.Selection(
        [("whatsapp", "WhatsApp"), ("sms", "SMS")], required=True, default="whatsapp"
    )
    url = fields.Char(string="URL", required=True)
    api_token = fields.Char(string="API Token", groups="base.group_system")
    sender = fields.Char(help="Sender name or number shown to the customer.")
    timeout = fields.Integer(default=10, help="Seconds to wait for the gateway.")
    active = fields.Boolean(default=True)

    def _send(self, to, message):
        """Send one message; returns (ok, error)."""
        self.ensure_one()
        if not to:
            return False, _("The customer has no mobile number.")
        headers = {}
        token = self.sudo().api_token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = requests.post(
                self.url,
                json={"to": to, "message": message, "sender": self.sender or ""},
                headers=headers,
                timeout=self.timeout or 10,
            )
            response.raise_for_status()
        except requests.RequestException as error:
            _logger.info("Message gateway %s failed: %s", self.name, error)
            return False, str(error)[:500]
        return True, False

    def action_test(self):
        self.ensure_one()
        ok, error = self._send(self.env.user.partner_id.mobile_e164, _("Test message"))
        if not ok:
            raise UserError(_("The gateway did not accept the message: %s", error))
        return True


class DayaMessageLog(models.Model):
    _name = "daya.message.log"
    _description = "Message Log"
    _order = "id desc"

    task_id = fields.Many2one("daya.followup.task", index=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Customer", index=True)
    branch_id = fields.Many2one("daya.branch", index=True)
    gateway_id = fields.Many2one("daya.message.gateway", ondelete="set null")
    channel = fields.Selection([("whatsapp", "WhatsApp"), ("sms", "SMS")])
    to = fields.Char()
    body = fields.Text()
    state = fields.Selection([("sent", "Sent"), ("failed", "Failed")], index=True)
    error = fields.Char()
