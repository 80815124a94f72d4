from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .daya_consent import PURPOSES
from .daya_pdp_deadline_mixin import RESPONSE_HOURS


class DayaPdpRequest(models.Model):
    """A data subject's request (UU PDP 27/2022 art. 5-9): access, correction,
    deletion or withdrawal of consent, answered within 3×24 hours.

    The register of the branch's data protection roles (ADH, PIC CRM, branch head,
    head office); an access request holds the export given to the person."""

    _name = "daya.pdp.request"
    _description = "Data Subject Request"
    _inherit = [
        "daya.pdp.deadline.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "daya.branch.mixin",
    ]
    _order = "due_at, id"
    _pdp_open_state = "new"
    _pdp_deadline_field = "due_at"
    _pdp_protected_fields = frozenset(
        {"partner_id", "request_type", "state", "done_at", "done_user_id"}
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    branch_id = fields.Many2one(required=True)
    request_type = fields.Selection(
        [
            ("access", "Access (Export)"),
            ("correction", "Correction"),
            ("deletion", "Deletion (Erasure)"),
            ("withdrawal", "Withdrawal of Consent"),
        ],
        string="Request",
        required=True,
        tracking=True,
    )
    purpose = fields.Selection(
        PURPOSES, help="The purpose whose consent is withdrawn (empty: all)."
    )
    channel = fields.Selection(
        [
            ("counter", "At the Branch"),
            ("call", "Call"),
            ("message", "Message"),
            ("email", "Email"),
            ("letter", "Letter"),
        ],
        default="counter",
        required=True,
    )
    received_at = fields.Datetime(
        string="Received On", required=True, default=fields.Datetime.now, tracking=True
    )
    due_at = fields.Datetime(
        string="Due By",
        compute="_compute_due_at",
        store=True,
        index=True,
        help="3×24 hours after the request was received.",
    )
    state = fields.Selection(
        [("new", "To Do"), ("done", "Done"), ("rejected", "Rejected")],
        default="new",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )
    description = fields.Text(help="What the person asks for, in their words.")
    resolution = fields.Text(help="What was done, or why the request was rejected.")
    done_at = fields.Datetime(string="Closed On", readonly=True)
    done_user_id = fields.Many2one("res.users", string="Closed By", readonly=True)
    export_attachment_ids = fields.Many2many(
        "ir.attachment", string="Export", compute="_compute_export_attachment_ids"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("received_at")
    def _compute_due_at(self):
        for request in self:
            request.due_at = request.received_at and request.received_at + timedelta(
                hours=RESPONSE_HOURS
            )

    @api.depends("due_at", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_overdue = (
                request.state == "new" and bool(request.due_at) and request.due_at < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search overdue requests with = or != and a boolean."))
        overdue = [("state", "=", "new"), ("due_at", "<", fields.Datetime.now())]
        if (operator == "=") == value:
            return overdue
        return ["!"] + ["&"] + overdue

    def _compute_export_attachment_ids(self):
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        )
        for request in self:
            request.export_attachment_ids = attachments.filtered(
                lambda a, r=request: a.res_id == r.id
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = Sequence.next_by_code("daya.pdp.request") or "/"
        return super().create(vals_list)

    def _pdp_reminder_summary(self):
        return _("Answer the data subject request %s (3×24 hours)") % self.name

    def _pdp_protected_message(self):
        return _(
            "A request keeps its customer and kind, and is closed with its "
            "buttons (Done, Reject): these fields are not edited."
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_process(self):
        """Do what the request asks: export the data, record the withdrawal, open
        the customer for a correction, or (head office) the erasure."""
        self.ensure_one()
        self._check_open()
        if self.request_type == "access":
            return self._daya_export()
        if self.request_type == "withdrawal":
            purposes = [self.purpose] if self.purpose else [p for p, _l in PURPOSES]
            for purpose in purposes:
                self.partner_id._daya_record_consent(
                    purpose, "withdrawn", channel="request", note=self.name
                )
            return self._close("done")
        if self.request_type == "deletion":
            return self.partner_id.with_context(
                daya_pdp_request_id=self.id
            ).action_anonymize()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_done(self):
        self._check_open()
        return self._close("done")

    def action_reject(self):
        self._check_open()
        if any(not request.resolution for request in self):
            raise UserError(
                _("Resolution: say why the request is rejected before rejecting it.")
            )
        return self._close("rejected")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_open(self):
        self.check_access_rule("write")
        if any(request.state != "new" for request in self):
            raise UserError(_("This request is already closed."))

    def _close(self, state):
        """Close the requests as the user (the buttons are the only way)."""
        self.sudo().write(
            {
                "state": state,
                "done_at": fields.Datetime.now(),
                "done_user_id": self.env.uid,
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    @api.model
    def _daya_access_request(self, partner):
        """An open access request of ``partner`` in the user's branch, or a new one
        (the export is an answer to a request: the register keeps it). The user
        must be allowed to create requests and to read the customer."""
        self.check_access_rights("create")
        partner.check_access_rights("read")
        partner.check_access_rule("read")
        branch = self.env.user.branch_id or partner.sudo().branch_ids[:1]
        request = self.search(
            [
                ("partner_id", "=", partner.id),
                ("request_type", "=", "access"),
                ("state", "=", "new"),
                ("branch_id", "=", branch.id),
            ],
            limit=1,
        )
        return request or self.create(
            {"partner_id": partner.id, "request_type": "access", "branch_id": branch.id}
        )

    def _daya_export(self):
        """Export the person's data onto this request (JSON and xlsx), close it and
        download the JSON. The customer's data outside the user's branches is
        logged (who exported what)."""
        self.ensure_one()
        self._check_open()
        partner = self.partner_id
        # the user exports a customer they may read (their branches' own)
        partner.check_access_rule("read")
        if partner.daya_anonymized_at:
            raise UserError(_("%s was anonymized: nothing to export.", partner.name))
        json_bytes, xlsx_bytes = partner._daya_export_files()
        stem = "personal_data_%s_%s" % (partner.id, fields.Date.today())
        # the export belongs to this request: readable by who reads the request
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": stem + ".json",
                        "raw": json_bytes,
                        "mimetype": "application/json",
                        "res_model": self._name,
                        "res_id": self.id,
                    },
                    {
                        "name": stem + ".xlsx",
                        "raw": xlsx_bytes,
                        "mimetype": "application/vnd.openxmlformats-officedocument."
                        "spreadsheetml.sheet",
                        "res_model": self._name,
                        "res_id": self.id,
                    },
                ]
            )
        )
        if partner.sudo().branch_ids - self.env.user.branch_ids:
            partner._daya_log_access("export")
        self.message_post(
            body=_("Personal data exported by %s.", self.env.user.name),
            subtype_xmlid="mail.mt_note",
        )
        self._close("done")
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachments[0].id,
            "target": "self",
        }
