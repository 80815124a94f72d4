from odoo import api, models


class DayaMessageGateway(models.Model):
    _inherit = "daya.message.gateway"

    @api.model
    def _handle_inbound(self, sender, text):
        """A customer's reply received by a gateway (its inbound hook): a "STOP"
        withdraws the consent to messages at once. Returns the customers whose
        consent was withdrawn."""
        return self.env["res.partner"]._daya_handle_inbound_reply(sender, text)
