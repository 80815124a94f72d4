from odoo import fields, models

from ..models.daya_wor_lead import LOST_REASONS


class DayaWorLeadLost(models.TransientModel):
    """Why the workshop leads are lost."""

    _name = "daya.wor.lead.lost"
    _description = "Lost Workshop Lead"

    wor_lead_ids = fields.Many2many("daya.wor.lead", string="Workshop Leads")
    lost_reason = fields.Selection(LOST_REASONS, required=True)
    note = fields.Text(help="What the customer said.")

    def action_confirm(self):
        self.ensure_one()
        self.wor_lead_ids.action_set_lost(self.lost_reason)
        if self.note:
            for lead in self.wor_lead_ids:
                lead.message_post(body=self.note)
        return {"type": "ir.actions.act_window_close"}
