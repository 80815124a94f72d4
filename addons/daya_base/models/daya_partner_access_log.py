from odoo import fields, models


class DayaPartnerAccessLog(models.Model):
    """A customer's data shown to a user outside the customer's branches: the
    minimal card of an exact lookup, or the customer attached to another branch.

    Written by the system only; read by head office only (UU PDP 27/2022)."""

    _name = "daya.partner.access.log"
    _description = "Customer Data Access Log"
    _order = "id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    user_id = fields.Many2one("res.users", required=True, readonly=True)
    branch_id = fields.Many2one(
        "daya.branch",
        string="User's Branch",
        readonly=True,
        help="The current branch of the user when the data was shown.",
    )
    access_type = fields.Selection(
        [
            ("lookup", "Card shown (exact lookup)"),
            ("attach", "Attached to the user's branch"),
        ],
        string="Access",
        required=True,
        readonly=True,
    )
    create_date = fields.Datetime(string="When", readonly=True)
