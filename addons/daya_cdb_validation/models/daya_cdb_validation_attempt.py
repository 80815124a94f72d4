from datetime import timedelta

from odoo import api, fields, models

WINDOW_MINUTES = 15
MAX_FAILURES = 10
KEEP_DAYS = 1


class DayaCdbValidationAttempt(models.Model):
    """A wrong validation link opened from an address: guessing links is limited
    per address, across all the server's workers."""

    _name = "daya.cdb.validation.attempt"
    _description = "Failed CDB Validation Attempt"
    _order = "id desc"
    _log_access = False

    ip_address = fields.Char(required=True, index=True)
    attempted_at = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now
    )

    @api.model
    def _is_blocked(self, ip_address):
        since = fields.Datetime.now() - timedelta(minutes=WINDOW_MINUTES)
        count = self.sudo().search_count(
            [("ip_address", "=", ip_address or ""), ("attempted_at", ">", since)]
        )
        return count >= MAX_FAILURES

    @api.model
    def _register_failure(self, ip_address):
        self.sudo().create({"ip_address": ip_address or ""})

    @api.model
    def _gc(self):
        """Forget old attempts (the daily cron)."""
        limit = fields.Datetime.now() - timedelta(days=KEEP_DAYS)
        self.sudo().search([("attempted_at", "<", limit)]).unlink()
