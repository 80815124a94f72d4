from odoo import api, fields, models


class DayaBranchMixin(models.AbstractModel):
    """Records that belong to a branch: the user's current branch by default.

    Visibility is decided by the record rule of each model (see
    ``security/daya_security.xml``): a branch user sees the records of the branches
    in their ``branch_ids``; head office sees all.

    A record of a customer (``partner_id``) gives its branch a relationship with the
    customer (``res.partner.branch_ids``): the branch sees the customer from then on.
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

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if "partner_id" in records._fields:
            self.env["res.partner"]._daya_link_branches(records)
        return records

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in self._fields and {"partner_id", "branch_id"} & set(vals):
            self.env["res.partner"]._daya_link_branches(self)
        return res
