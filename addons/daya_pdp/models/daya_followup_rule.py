from odoo import api, fields, models

from .daya_consent import PURPOSES

# The purpose each kind of follow-up serves: the first call belongs to the sale
# itself (thanks, data check), no consent asked.
KIND_PURPOSES = {
    "stnk": "service_reminder",
    "kpb": "service_reminder",
    "repeat_order": "marketing",
}


class DayaFollowupRule(models.Model):
    _inherit = "daya.followup.rule"

    pdp_purpose = fields.Selection(
        PURPOSES,
        string="Purpose (UU PDP)",
        compute="_compute_pdp_purpose",
        store=True,
        readonly=False,
        help="The stated purpose of this processing: a customer who withdrew their "
        "consent for it gets no such follow-up. Empty: the follow-up belongs to "
        "the purchase itself (the first call).",
    )

    @api.depends("kind")
    def _compute_pdp_purpose(self):
        for rule in self:
            rule.pdp_purpose = KIND_PURPOSES.get(rule.kind, False)
