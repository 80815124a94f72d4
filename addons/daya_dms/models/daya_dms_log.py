from odoo import fields, models

from .daya_dms_backend import ENDPOINTS


class DayaDmsLog(models.Model):
    """One call to the DMS: its window, what it brought and what was refused."""

    _name = "daya.dms.log"
    _description = "DMS Sync Log"
    _inherit = ["daya.restricted.fields.mixin"]
    _order = "id desc"
    _rec_name = "endpoint"

    backend_id = fields.Many2one(
        "daya.dms.backend",
        string="DMS Connection",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    endpoint = fields.Selection(ENDPOINTS, required=True, readonly=True)
    direction = fields.Selection(
        [("pull", "Pull"), ("push", "Send")],
        required=True,
        default="pull",
        readonly=True,
    )
    date_from = fields.Datetime(string="From", required=True, readonly=True)
    date_to = fields.Datetime(string="To", required=True, readonly=True)
    state = fields.Selection(
        [("done", "Done"), ("failed", "Failed")], required=True, readonly=True
    )
    received = fields.Integer(readonly=True)
    created = fields.Integer(readonly=True)
    updated = fields.Integer(readonly=True)
    rejected = fields.Integer(readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 2))
    error = fields.Text(readonly=True)
    rejection_reasons = fields.Text(
        readonly=True, help="Each rejected record's DMS id and why it was refused."
    )
    rejected_payloads = fields.Text(
        string="Rejected Records",
        readonly=True,
        groups="base.group_system",
        help="Administrators only: the rejected records as the DMS sent them "
        "(customers' personal data).",
    )
