from odoo import fields, models


class DayaPdpAudit(models.Model):
    """One anonymization: who approved it, when, why, and what it erased. Written
    by the system only, read by head office only; it names no person (the
    customer's record is the anonymous one)."""

    _name = "daya.pdp.audit"
    _description = "Anonymization Audit Record"
    _order = "id desc"
    _rec_name = "partner_reference"

    partner_id = fields.Many2one(
        "res.partner", string="Anonymous Customer", readonly=True, index=True
    )
    partner_reference = fields.Char(string="Customer Reference", readonly=True)
    reason = fields.Selection(
        [("request", "Deletion Request"), ("retention", "Retention Period Over")],
        readonly=True,
    )
    request_id = fields.Many2one("daya.pdp.request", readonly=True)
    approved_by_id = fields.Many2one("res.users", readonly=True)
    create_date = fields.Datetime(string="Anonymized On", readonly=True)
    summary = fields.Text(
        readonly=True, help="What was erased or kept, per kind of record (JSON)."
    )
