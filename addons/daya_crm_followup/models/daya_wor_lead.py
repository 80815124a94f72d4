from odoo import models

OFFERS = {
    "refused_time": "action_offer_weekend",
    "refused_distance": "action_offer_home_service",
    "refused_dissatisfied": "action_offer_promo",
}


class DayaWorLead(models.Model):
    _inherit = "daya.wor.lead"

    def _followup_refused(self, result):
        """A refusal in the follow-up queue leads to the SOP's offer."""
        if not self:
            return True
        return getattr(self, OFFERS[result])()

    def _followup_serviced_elsewhere(self):
        return self.filtered(
            lambda lead: lead.state in ("new", "fu1", "fu2", "fu3")
        ).action_serviced_elsewhere()
