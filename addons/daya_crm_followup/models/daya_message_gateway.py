import logging
import threading
import time

import requests

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import config

_logger = logging.getLogger(__name__)


class DayaMessageGateway(models.Model):
    """An HTTP gateway that sends WhatsApp or SMS messages: configured, not coded.

    It receives ``POST <url>`` with JSON ``{"to": "+62…", "message": "…",
    "sender": "…"}`` and a bearer token, and answers 2xx when it accepted it."""

    _name = "daya.message.gateway"
    _description = "Message Gateway"
    _inherit = ["daya.restricted.fields.mixin"]

    name = fields.Char(required=True)
    channel = fields.Selection(
        [("whatsapp", "WhatsApp"), ("sms", "SMS")], required=True, default="whatsapp"
    )
    url = fields.Char(string="URL", required=True)
    api_token = fields.Char(
        string="API Token",
        groups="base.group_system",
        help="Administrators only: not readable, searchable, groupable or "
        "exportable by anyone else.",
    )
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
        """Send a test message to the administrator's own mobile number."""
        self.ensure_one()
        if not self.env.user._is_system():
            raise AccessError(_("Only administrators test a message gateway."))
        ok, error = self._send(self.env.user.partner_id.mobile_e164, _("Test message"))
        if not ok:
            raise UserError(_("The gateway did not accept the message: %s", error))
        return True


class DayaMessageLog(models.Model):
    """The outbox and the log of the messages to customers (like ``sms.sms``).

    A message is written here (``outgoing``) and committed before it is posted;
    just before its post it turns ``sending``, committed too, so that a run
    interrupted at any point never posts a message twice: a message left
    ``sending`` is marked failed (its task becomes a call), not posted again."""

    _name = "daya.message.log"
    _description = "Message Log"
    _inherit = ["daya.restricted.fields.mixin"]
    _order = "id desc"

    task_id = fields.Many2one("daya.followup.task", index=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Customer", index=True)
    branch_id = fields.Many2one("daya.branch", index=True)
    gateway_id = fields.Many2one("daya.message.gateway", ondelete="set null")
    channel = fields.Selection([("whatsapp", "WhatsApp"), ("sms", "SMS")])
    to = fields.Char()
    body = fields.Text()
    state = fields.Selection(
        [
            ("outgoing", "Outgoing"),
            ("sending", "Sending"),
            ("sent", "Sent"),
            ("failed", "Failed"),
        ],
        index=True,
    )
    error = fields.Char()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _deadline(self, time_budget=None):
        """The monotonic time by which a sending run stops: ``time_budget``
        seconds, by default half the cron's ``limit_time_real`` (a post waits at
        most its gateway's timeout beyond it)."""
        if time_budget is None:
            limit = config.get("limit_time_real_cron") or -1
            if limit <= 0:
                limit = config.get("limit_time_real") or 120
            time_budget = limit / 2
        return time.monotonic() + time_budget

    @api.model
    def _past(self, deadline):
        return time.monotonic() >= deadline

    @api.model
    def _commit(self):
        """Write the outbox to the database for good (only flushed in tests, which
        run in one transaction)."""
        self.env.flush_all()
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _recover_interrupted(self):
        """Messages left ``sending`` by an interrupted run may have reached the
        customer: never post them again; their tasks become calls."""
        interrupted = self.search([("state", "=", "sending")])
        if not interrupted:
            return
        interrupted.write(
            {
                "state": "failed",
                "error": _(
                    "Interrupted while sending: the customer may have received it. "
                    "Not sent again; call the customer."
                ),
            }
        )
        for message in interrupted.filtered("task_id"):
            message.task_id._message_done(False)
        self._commit()

    @api.model
    def _send_outgoing(self, deadline):
        """Post the outgoing messages one by one, each marked ``sending`` and
        committed before its post, its result committed after. Returns False when
        the deadline stopped it with messages left (after one post at least)."""
        while True:
            message = self.search([("state", "=", "outgoing")], order="id", limit=1)
            if not message:
                return True
            message.state = "sending"
            self._commit()
            gateway = message.gateway_id
            if gateway:
                ok, error = gateway._send(message.to, message.body)
            else:
                ok, error = False, _("The gateway was removed.")
            message.write(
                {"state": "sent" if ok else "failed", "error": error or False}
            )
            if message.task_id:
                message.task_id._message_done(ok)
            self._commit()
            if self._past(deadline):
                return not self.search_count([("state", "=", "outgoing")], limit=1)
