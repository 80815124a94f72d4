from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

# the roles that do the branch's follow-up work, and their groups
ROLE_GROUPS = {
    "admin_h1": "daya_base.group_daya_admin_h1",
    "pic_crm_h1": "daya_base.group_daya_pic_crm_h1",
    "pic_crm_h23": "daya_base.group_daya_pic_crm_h23",
    "sales_force": "daya_base.group_daya_sales_force",
}

# the branch's heads: the role whose holder each field shows
HEAD_ROLES = {
    "head_user_id": "daya_base.group_daya_branch_head",
    "workshop_head_user_id": "daya_base.group_daya_workshop_head",
}


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
    # Who heads the branch is the role's group held by a user of the branch
    # (_role_holders): these fields read it and, written, give the role.
    head_user_id = fields.Many2one(
        "res.users",
        string="Branch Head",
        compute="_compute_heads",
        inverse="_inverse_head_user_id",
        search="_search_head_user_id",
        domain=[("share", "=", False)],
        help="The user of this branch holding the Kepala Cabang role. Choosing "
        "another user gives them the role and this branch as their current one, "
        "and takes the role from the branch's previous head.",
    )
    workshop_head_user_id = fields.Many2one(
        "res.users",
        string="Workshop Head",
        compute="_compute_heads",
        inverse="_inverse_workshop_head_user_id",
        search="_search_workshop_head_user_id",
        domain=[("share", "=", False)],
        help="The user of this branch holding the Kepala Bengkel role (the branch "
        "head where nobody else does). Choosing another user gives them the role "
        "and this branch as their current one, and takes the role from the "
        "branch's previous workshop head.",
    )
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

    def _compute_heads(self):
        for fname, xmlid in HEAD_ROLES.items():
            holders = self._role_holders(self.env.ref(xmlid))
            for branch in self:
                branch[fname] = holders.get(branch.id, self.env["res.users"])[:1]

    def _inverse_head_user_id(self):
        self._daya_set_head("head_user_id")

    def _inverse_workshop_head_user_id(self):
        self._daya_set_head("workshop_head_user_id")

    def _search_head_user_id(self, operator, value):
        return self._daya_search_head("head_user_id", operator, value)

    def _search_workshop_head_user_id(self, operator, value):
        return self._daya_search_head("workshop_head_user_id", operator, value)

    @api.model
    def _daya_search_head(self, fname, operator, value):
        """The branches whose head (``fname``) matches. Only the branches where a
        user holds the role are read (one query finds them): the others have no
        head and match as a many2one without value does (``= False``, ``!= x``,
        ``not in``), as one ``not in`` term, whatever the number of branches."""
        group = self.env.ref(HEAD_ROLES[fname])
        holders = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", group.ids),
                    ("share", "=", False),
                    ("branch_id", "!=", False),
                ]
            )
        )
        headed = holders.branch_id.with_env(self.env).with_context(active_test=False)
        matching = headed.filtered_domain([(fname, operator, value)])
        no_value = value is False or value is None
        if isinstance(value, (list, tuple)):
            no_value = False in value
        if (operator in expression.NEGATIVE_TERM_OPERATORS) != no_value:
            # the branches without a head match too
            return ["|", ("id", "not in", headed.ids), ("id", "in", matching.ids)]
        return [("id", "in", matching.ids)]

    @api.depends("user_ids.groups_id")
    def _compute_has_full_structure(self):
        # each role must be held by its own person, not only implied by a
        # supervisor's role (a branch head implies all of them)
        ref = self.env.ref
        roles = [
            (
                ref("daya_base.group_daya_adh"),
                ref("daya_base.group_daya_branch_head"),
            ),
            (
                ref("daya_base.group_daya_admin_stnk"),
                ref("daya_base.group_daya_adh"),
            ),
            (
                ref("daya_base.group_daya_sales_admin"),
                ref("daya_base.group_daya_adh"),
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

    # ------------------------------------------------------------
    # BUSINESS METHODS: who holds a role
    # ------------------------------------------------------------

    def _daya_set_head(self, fname):
        """Make the user written in ``fname`` the one holder of its role in the
        branch: they get the role's group and the branch as their current one;
        the branch's other users lose the group (the groups it implies stay,
        as when a role is unticked on the user's form). Written by the system:
        the branch's manager (head office) need not manage users' rights."""
        group = self.env.ref(HEAD_ROLES[fname])
        supervisors = self._role_supervisor_groups(group)
        Users = self.env["res.users"].sudo()
        for branch in self:
            head = branch[fname]
            if head.share:
                raise ValidationError(
                    _(
                        "%(user)s is a portal user: a branch's head is one of the "
                        "dealer's staff.",
                        user=head.name,
                    )
                )
            # the supervisors (area coordinator, head office) hold it through
            # their own role: only the branch's own holders are replaced
            previous = Users.search(
                [
                    ("branch_id", "=", branch.id),
                    ("groups_id", "in", group.ids),
                    ("groups_id", "not in", supervisors.ids),
                    ("id", "!=", head.id),
                ]
            )
            previous.write({"groups_id": [(3, group.id)]})
            if head:
                head.sudo().write(
                    {
                        "groups_id": [(4, group.id)],
                        "branch_ids": [(4, branch.id)],
                        "branch_id": branch.id,
                    }
                )

    def _role_holders(self, group):
        """Per branch id, the users who do the work of the role ``group`` there:
        the internal users of the branch (their current branch) holding it as
        their own role, or, where nobody does, the supervisors whose higher role
        implies it (a branch head holds every branch role). Ordered by id.

        The one answer to "who holds this role in this branch". Read with the
        system's rights: who does the work is a matter of roles, not of the
        reader's right to see other users' groups."""
        supervisors = self._role_supervisor_groups(group)
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("branch_id", "in", self.ids),
                    ("groups_id", "in", group.ids),
                    ("share", "=", False),
                ],
                order="id",
            )
        )
        holders = {}
        for branch_id in set(users.branch_id.ids):
            staff = users.filtered(lambda u, b=branch_id: u.branch_id.id == b)
            own = staff.filtered(lambda u: not (u.groups_id & supervisors))
            holders[branch_id] = own or staff
        return holders

    @api.model
    def _role_supervisor_groups(self, group):
        """The suite's roles that imply ``group`` (their holders hold it too)."""
        category = self.env.ref("daya_base.module_category_daya_crm")
        roles = (
            self.env["res.groups"].sudo().search([("category_id", "=", category.id)])
        )
        return roles.filtered(
            lambda role: role != group and group in role.trans_implied_ids
        )

    @api.model
    def _role_group(self, role):
        """The group of a follow-up role (``ROLE_GROUPS``)."""
        return self.env.ref(ROLE_GROUPS[role])

    @api.model
    def _pick_least_loaded(self, users, load):
        """The one of ``users`` with the fewest open items in ``load`` (user id:
        count; the one given now counts, so ``load`` is updated)."""
        if not users:
            return users
        user = min(users, key=lambda u: (load.get(u.id, 0), u.id))
        load[user.id] = load.get(user.id, 0) + 1
        return user
