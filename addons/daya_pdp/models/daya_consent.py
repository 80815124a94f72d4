from odoo import _, api, fields, models
from odoo.exceptions import AccessError

# The purposes of processing a customer's data (UU PDP 27/2022, art. 20-22), the
# lawful basis each one rests on and what it covers.
PURPOSES = [
    ("service_reminder", "Service Reminders"),
    ("marketing", "Marketing Offers"),
    ("credit_processing", "Data Processing for Credit"),
]
LEGAL_BASES = [
    ("consent", "Explicit Consent"),
    ("contract", "Performance of the Purchase"),
    ("legal_obligation", "Legal Obligation"),
]
# Purposes a customer without any record counts as consenting to: the KPB and STNK
# reminders serve the purchase itself, until the customer withdraws.
PURPOSES_IMPLIED_BY_PURCHASE = ("service_reminder",)
CHANNELS = [
    ("validation_page", "Validation Page"),
    ("form", "Form"),
    ("call", "Call"),
    ("message_reply", "Message Reply"),
    ("purchase", "From the Purchase"),
    ("request", "Data Subject Request"),
]


class DayaConsent(models.Model):
    """One consent or withdrawal of a customer for one purpose: an append-only log.

    The latest record of a customer and purpose decides (see
    ``res.partner._daya_consent_states``); a change is a new record, never an
    edit, so the log shows when, how and by whom each decision was recorded.
    Withdrawing stops the processing for that purpose at once (follow-ups and
    queued messages, see ``_daya_apply_withdrawal``), well within the law's
    3×24 hours."""

    _name = "daya.consent"
    _description = "Customer Consent"
    _order = "date desc, id desc"
    _rec_name = "purpose"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    purpose = fields.Selection(PURPOSES, required=True, index=True)
    state = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn")],
        required=True,
        default="given",
        index=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    channel = fields.Selection(
        CHANNELS,
        required=True,
        default="form",
        help="How the customer gave or withdrew the consent.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        help="The staff member who recorded it (empty: the customer themselves, on "
        "the validation page or by a message reply).",
    )
    branch_id = fields.Many2one(
        "daya.branch",
        default=lambda self: self.env.user.branch_id,
        index=True,
        help="The branch where it was recorded.",
    )
    legal_basis = fields.Selection(
        LEGAL_BASES,
        compute="_compute_legal_basis",
        store=True,
        help="The lawful basis of the processing: a service reminder taken from the "
        "purchase rests on the purchase itself, everything else on the customer's "
        "explicit consent.",
    )
    note = fields.Char()

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("channel")
    def _compute_legal_basis(self):
        for consent in self:
            consent.legal_basis = (
                "contract" if consent.channel == "purchase" else "consent"
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                # who, when and where it was recorded are not values to choose
                vals["user_id"] = self.env.uid
                vals["branch_id"] = self.env.user.branch_id.id
                vals.pop("date", None)
        consents = super().create(vals_list)
        consents.filtered(lambda c: c.state == "withdrawn")._daya_apply_withdrawal()
        return consents

    def write(self, vals):
        if not self.env.su:
            raise AccessError(
                _(
                    "The consent log is kept as recorded: record a new consent or "
                    "withdrawal instead of changing one."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _daya_apply_withdrawal(self):
        """Stop the processing for the withdrawn purposes at once: the customer's
        open follow-ups of that purpose are not needed any more and their queued
        messages are not sent. A system step (sudo): the withdrawal binds every
        branch, not only the recorder's."""
        for purpose in set(self.mapped("purpose")):
            partners = self.filtered(lambda c, p=purpose: c.purpose == p).partner_id
            self.env["daya.followup.task"].sudo()._daya_stop_processing(
                partners, purpose
            )
