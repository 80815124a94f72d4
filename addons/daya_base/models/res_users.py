from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResUsers(models.Model):
    _inherit = "res.users"

    branch_id = fields.Many2one(
        "daya.branch",
        string="Current Branch",
        index=True,
        help="Branch of the records this user creates.",
    )
    branch_ids = fields.Many2many(
        "daya.branch",
        "daya_branch_res_users_rel",
        "user_id",
        "branch_id",
        string="Allowed Branches",
        help="Branches whose records this user may see.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["branch_id", "branch_ids"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        # users switch their current branch among their allowed ones (constraint)
        return super().SELF_WRITEABLE_FIELDS + ["branch_id"]

    # ------------------------------------------------------------
    # RECORD RULES
    # ------------------------------------------------------------

    def _daya_branch_domain(self, field="branch_id"):
        """The one branch rule (every record rule of a branch-scoped model uses
        it): head office sees every record, anyone else the records of their
        allowed branches and those of no branch. ``field`` is the path to the
        record's branch."""
        self.ensure_one()
        if self.has_group("daya_base.group_daya_head_office"):
            return [(1, "=", 1)]
        return ["|", (field, "=", False), (field, "in", self.branch_ids.ids)]

    def _daya_creator_domain(self, field="create_uid"):
        """A record made for one person (a wizard, an import): its creator's only,
        and head office's."""
        self.ensure_one()
        if self.has_group("daya_base.group_daya_head_office"):
            return [(1, "=", 1)]
        return [(field, "=", self.id)]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("branch_id", "branch_ids")
    def _check_branch_in_allowed(self):
        for user in self:
            if user.branch_id and user.branch_id not in user.branch_ids:
                raise ValidationError(
                    _(
                        "The current branch of %(user)s must be one of their allowed "
                        "branches.",
                        user=user.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # the current branch is always an allowed one
            if vals.get("branch_id") and "branch_ids" not in vals:
                vals["branch_ids"] = [(4, vals["branch_id"])]
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if "branch_ids" in vals or "branch_id" in vals:
            # record rules read user.branch_ids: their cached domains are stale
            self.env["ir.rule"].clear_caches()
        return res
