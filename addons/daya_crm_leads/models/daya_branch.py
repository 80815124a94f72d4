from odoo import api, fields, models


class DayaBranch(models.Model):
    _name = "daya.branch"
    _description = "Dealer Branch"
    _order = "code"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=False)
    code = fields.Char(
        required=True, index=True, help="Short branch code used in reports and DMS."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Address", help="Address and contact of the branch."
    )
    phone = fields.Char(related="partner_id.phone", readonly=False)
    head_user_id = fields.Many2one("res.users", string="Branch Head")
    workshop_head_user_id = fields.Many2one("res.users", string="Workshop Head")
    area_coordinator_user_id = fields.Many2one("res.users", string="Area Coordinator")
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Working days and public holidays of the branch, used for follow-up "
        "deadlines.",
    )
    user_ids = fields.One2many("res.users", "branch_id", string="Staff")
    has_full_structure = fields.Boolean(
        compute="_compute_has_full_structure",
        help="The branch has an ADH, an Admin STNK and a Sales Admin: Admin STNK "
        "checks the customers' data validation. Otherwise the PIC CRM does.",
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The branch code must be unique."),
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("user_ids.groups_id")
    def _compute_has_full_structure(self):
        # each role must be held by its own person, not only implied by a
        # supervisor's role (a branch head implies all of them)
        ref = self.env.ref
        roles = [
            (
                ref("daya_crm_leads.group_daya_adh"),
                ref("daya_crm_leads.group_daya_branch_head"),
            ),
            (
                ref("daya_crm_leads.group_daya_admin_stnk"),
                ref("daya_crm_leads.group_daya_adh"),
            ),
            (
                ref("daya_crm_leads.group_daya_sales_admin"),
                ref("daya_crm_leads.group_daya_adh"),
            ),
        ]
        for branch in self:
            staff = branch.sudo().user_ids
            branch.has_full_structure = all(
                staff.filtered(
                    lambda u, role=role, above=above: (
                        role in u.groups_id and above not in u.groups_id
                    )
                )
                for role, above in roles
            )

    def name_get(self):
        return [(branch.id, f"[{branch.code}] {branch.name}") for branch in self]

    @api.model
    def _name_search(
        self, name, args=None, operator="ilike", limit=100, name_get_uid=None
    ):
        args = list(args or [])
        if name:
            args = [
                "|",
                ("code", "=ilike", name + "%"),
                ("name", operator, name),
            ] + args
        return self._search(args, limit=limit, access_rights_uid=name_get_uid)
