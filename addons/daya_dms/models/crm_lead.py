from odoo import _, api, fields, models
from odoo.exceptions import UserError

# written by the DMS sync only
DMS_FIELDS = {
    "dms_backend_id",
    "dms_prospect_id",
    "dms_prospect_date",
    "dms_spk_id",
    "dms_spk_date",
    "dms_spk_status",
    "dms_tenor",
    "dms_instalment",
    "dms_leasing_application_id",
    "dms_invoice_id",
    "dms_invoice_amount",
    "dms_billing_status",
    "dms_push_state",
    "dms_push_attempts",
    "dms_push_next",
    "dms_push_error",
}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    dms_backend_id = fields.Many2one(
        "daya.dms.backend", string="DMS Connection", readonly=True, copy=False
    )
    dms_prospect_id = fields.Char(
        string="DMS Prospect", readonly=True, copy=False, index=True
    )
    dms_prospect_date = fields.Date(
        string="DMS Prospect Date", readonly=True, copy=False
    )
    dms_spk_id = fields.Char(string="DMS SPK", readonly=True, copy=False, index=True)
    dms_spk_date = fields.Date(string="SPK Date", readonly=True, copy=False)
    dms_spk_status = fields.Char(string="SPK Status", readonly=True, copy=False)
    dms_tenor = fields.Integer(
        string="Tenor (months)", readonly=True, copy=False, help="From the DMS leasing."
    )
    dms_instalment = fields.Monetary(
        string="Monthly Instalment",
        currency_field="daya_currency_id",
        readonly=True,
        copy=False,
    )
    dms_leasing_application_id = fields.Char(
        string="Leasing Application", readonly=True, copy=False
    )
    dms_invoice_id = fields.Char(string="DMS Invoice", readonly=True, copy=False)
    dms_invoice_amount = fields.Monetary(
        string="Invoice Amount",
        currency_field="daya_currency_id",
        readonly=True,
        copy=False,
    )
    dms_billing_status = fields.Char(
        string="DMS Billing Status", readonly=True, copy=False
    )
    dms_push_state = fields.Selection(
        [("sent", "Sent"), ("failed", "Failed")],
        string="Sent to the DMS",
        readonly=True,
        copy=False,
        index=True,
    )
    dms_push_attempts = fields.Integer(
        string="DMS Send Attempts", readonly=True, copy=False
    )
    dms_push_next = fields.Datetime(string="Next DMS Send", readonly=True, copy=False)
    dms_push_error = fields.Char(string="DMS Send Error", readonly=True, copy=False)
    dms_to_complete = fields.Boolean(
        string="To Complete (DMS)",
        compute="_compute_dms_to_complete",
        store=True,
        help="Synced from the DMS without everything the lead form requires "
        "(category, cash or credit, leasing, occupation): the salesperson completes "
        "it at the next edit.",
    )

    _sql_constraints = [
        (
            "dms_prospect_id_uniq",
            "unique(dms_prospect_id)",
            "A lead with this DMS prospect id already exists.",
        ),
        (
            "dms_spk_id_uniq",
            "unique(dms_spk_id)",
            "An opportunity with this DMS SPK id already exists.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends(
        "dms_backend_id", "lead_category", "payment_type", "leasing_id", "occupation_id"
    )
    def _compute_dms_to_complete(self):
        for lead in self:
            lead.dms_to_complete = bool(lead.dms_backend_id) and (
                not lead.lead_category
                or not lead.payment_type
                or not lead.occupation_id
                or (lead.payment_type == "credit" and not lead.leasing_id)
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("lead_category", "payment_type", "leasing_id", "occupation_id")
    def _check_daya_required_fields(self):
        # a lead synced from the DMS is kept with what the DMS gives; the form
        # asks for the rest
        return super(
            CrmLead, self.filtered(lambda lead: not lead.dms_to_complete)
        )._check_daya_required_fields()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(DMS_FIELDS & set(vals) for vals in vals_list):
            raise UserError(_("The DMS fields of a lead are filled by the DMS sync."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and DMS_FIELDS & set(vals):
            raise UserError(_("The DMS fields of a lead are filled by the DMS sync."))
        return super().write(vals)
