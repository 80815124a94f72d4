from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .daya_pdp_deadline_mixin import RESPONSE_HOURS


class DayaPdpBreach(models.Model):
    """A personal data breach (UU PDP 27/2022 art. 46): the persons concerned and
    the authority are notified within 3×24 hours of its discovery; the responsible
    user gets a reminder activity due by then."""

    _name = "daya.pdp.breach"
    _description = "Personal Data Breach"
    _inherit = [
        "daya.pdp.deadline.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "daya.branch.mixin",
    ]
    _order = "detected_at desc, id desc"
    _pdp_open_state = "open"
    _pdp_deadline_field = "notice_deadline"
    _pdp_protected_fields = frozenset({"state", "notified_at"})

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Summary", required=True, tracking=True)
    detected_at = fields.Datetime(
        string="Discovered On",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
    )
    notice_deadline = fields.Datetime(
        string="Notice Due By",
        compute="_compute_notice_deadline",
        store=True,
        index=True,
        help="3×24 hours after the breach was discovered.",
    )
    description = fields.Text(help="What happened and how it was contained.")
    data_categories = fields.Char(
        string="Data Concerned", help="NIK, phone numbers, KTP photos, addresses…"
    )
    affected_count = fields.Integer(string="Persons Concerned")
    partner_ids = fields.Many2many("res.partner", string="Customers Concerned")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        required=True,
        tracking=True,
    )
    state = fields.Selection(
        [("open", "To Notify"), ("notified", "Notified"), ("closed", "Closed")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    notified_at = fields.Datetime(string="Notified On", readonly=True, tracking=True)
    is_overdue = fields.Boolean(compute="_compute_is_overdue")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("detected_at")
    def _compute_notice_deadline(self):
        for breach in self:
            breach.notice_deadline = breach.detected_at and (
                breach.detected_at + timedelta(hours=RESPONSE_HOURS)
            )

    @api.depends("notice_deadline", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for breach in self:
            breach.is_overdue = (
                breach.state == "open"
                and bool(breach.notice_deadline)
                and breach.notice_deadline < now
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("affected_count")
    def _check_affected_count(self):
        if any(breach.affected_count < 0 for breach in self):
            raise ValidationError(_("Persons Concerned: a number of 0 or more."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _pdp_reminder_summary(self):
        return _('Notify the data breach "%s" within 3×24 hours') % self.name

    def _pdp_protected_message(self):
        return _("A breach is marked notified or closed with its buttons.")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_notified(self):
        """The persons concerned and the authority were notified."""
        self.check_access_rule("write")
        if any(breach.state != "open" for breach in self):
            raise UserError(_("Only a breach still to notify can be marked notified."))
        self.sudo().write({"state": "notified", "notified_at": fields.Datetime.now()})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_close(self):
        self.check_access_rule("write")
        if any(breach.state != "notified" for breach in self):
            raise UserError(_("Close a breach once it was notified."))
        self.sudo().write({"state": "closed"})
        return True
