from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class DayaBranchMixin(models.AbstractModel):
    """Records that belong to a branch: the user's current branch by default.

    Visibility is decided by the record rule of each model (see
    ``security/daya_security.xml``): a branch user sees the records of the branches
    in their ``branch_ids``; head office sees all.

    A model lists in ``_branch_scoped_fields`` its many2one fields to other
    branch-scoped records (a motorcycle, a workshop lead, a booking...): whoever
    writes them, over the web client or JSON-RPC, may only point them at a record
    they may read, of the record's own branch (``_check_branch_consistency``).
    A record of a customer (``partner_id``) gives its branch a relationship with the
    customer (``res.partner.branch_ids``): the branch sees the customer from then on.
    """

    _name = "daya.branch.mixin"
    _description = "Branch-scoped Record"
    # many2one fields to records of a branch: checked on every create and write
    _branch_scoped_fields = ()

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

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    def _validate_fields(self, field_names, excluded_names=()):
        # before the model's own constraints: their messages may describe the
        # linked record
        field_names = set(field_names)
        checked = [
            fname
            for fname in self._branch_scoped_fields
            if fname in field_names or "branch_id" in field_names
        ]
        if checked:
            self._check_branch_consistency(checked)
        return super()._validate_fields(field_names, excluded_names)

    def _check_branch_consistency(self, field_names):
        """Each of ``field_names`` (many2one fields to branch-scoped records) points
        into the user's branches (the target's record rules, as the user) and into
        the record's own branch. The system (superuser, sudo) links as it needs."""
        if self.env.su:
            return
        for fname in field_names:
            targets = self[fname]
            if not targets:
                continue
            readable = targets._filter_access_rules("read")
            has_branch = "branch_id" in targets._fields
            for record in self:
                target = record[fname]
                if not target:
                    continue
                if target in readable and not (
                    has_branch
                    and record.branch_id
                    and target.sudo().branch_id
                    and target.sudo().branch_id != record.branch_id
                ):
                    continue
                raise ValidationError(
                    _(
                        "%(field)s: choose a record of %(branch)s, among the "
                        "branches you work for. A record of another branch cannot "
                        "be linked here.",
                        field=self._fields[fname]._description_string(self.env),
                        branch=record.branch_id.sudo().name or _("your branch"),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

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
