from odoo import fields, models


class DayaBranchMixin(models.AbstractModel):
    """Records that belong to a branch: the user's current branch by default.

    Visibility is decided by the record rule of each model (see
    ``security/daya_security.xml``): a branch user sees the records of the branches
    in their ``branch_ids``; head office sees all.
    """

    _name = "daya.branch.mixin"
    _description = "Branch-scoped Record"

    def _default_branch_id(self):
        return self.env.user.branch_id

    branch_id = fields.Many2one(
        "daya.branch",
        index=True,
        default=lambda self: self._default_branch_id(),
    )
    daya_currency_id = fields.Many2one(
        "res.currency",
        string="Rupiah",
        compute="_compute_daya_currency_id",
        help="The dealer network's amounts are in Rupiah, whatever the company's "
        "accounting currency.",
    )

    def _compute_daya_currency_id(self):
        self.daya_currency_id = self.env.ref("base.IDR")
