from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class DayaSalesMemo(models.Model):
    """A numbered sales memo form of the finance policy.

    Memos are printed in ranges, held by the branch (available), distributed to a
    salesperson, then used by one dealer memo, or withdrawn.
    """

    _name = "daya.sales.memo"
    _description = "Sales Memo"
    _inherit = ["daya.branch.mixin", "mail.thread"]
    _order = "name"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        string="Memo Number", required=True, index=True, copy=False, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    branch_id = fields.Many2one(required=True)
    company_id = fields.Many2one(related="branch_id.company_id", store=True, index=True)
    state = fields.Selection(
        [
            ("available", "Available"),
            ("distributed", "Distributed"),
            ("used", "Used"),
            ("withdrawn", "Withdrawn"),
        ],
        default="available",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    distribution_date = fields.Date(readonly=True, copy=False)
    used_date = fields.Date(readonly=True, copy=False)

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A sales memo number must be unique.",
        ),
    ]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("state", "user_id")
    def _check_user_when_distributed(self):
        for memo in self:
            if memo.state in ("distributed", "used") and not memo.user_id:
                raise ValidationError(
                    _(
                        "Sales memo %(memo)s is distributed: it needs a salesperson.",
                        memo=memo.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if "user_id" in vals and self.filtered(lambda m: m.state == "used"):
            raise UserError(
                _("A used sales memo cannot be given to another salesperson.")
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_distribute(self):
        if self.filtered(lambda m: m.state != "available"):
            raise UserError(_("Only available sales memos can be distributed."))
        if self.filtered(lambda m: not m.user_id):
            raise UserError(
                _("Choose the salesperson who receives the sales memo first.")
            )
        self.write(
            {
                "state": "distributed",
                "distribution_date": fields.Date.context_today(self),
            }
        )

    def action_withdraw(self):
        if self.filtered(lambda m: m.state not in ("available", "distributed")):
            raise UserError(_("A used sales memo cannot be withdrawn."))
        self.write({"state": "withdrawn"})

    def action_reset_available(self):
        if self.filtered(lambda m: m.state != "withdrawn"):
            raise UserError(
                _("Only withdrawn sales memos can be made available again.")
            )
        self.write({"state": "available", "user_id": False, "distribution_date": False})

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _mark_used(self):
        if self.filtered(lambda m: m.state != "distributed"):
            raise UserError(_("Only a distributed sales memo can be used."))
        self.write({"state": "used", "used_date": fields.Date.context_today(self)})

    @api.model
    def _distributed_count_by_user(self, users):
        """Number of distributed (unused) memos held by each of ``users``."""
        groups = self.sudo()._read_group(
            [("user_id", "in", users.ids), ("state", "=", "distributed")],
            ["user_id"],
            ["user_id"],
        )
        return {group["user_id"][0]: group["user_id_count"] for group in groups}
