import ast
import math
from datetime import timedelta

from lxml.builder import E
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools.misc import format_amount, format_date

from odoo.addons.daya_base.models.daya_unit_sale import PAYMENT_TYPES
from odoo.addons.daya_base.models.res_partner import is_bpa_code, phone_e164
from odoo.addons.daya_base.tools import check_text_lengths
from odoo.addons.daya_base.tools.bulk import add_computed_values

# Opportunity steps in order; Won ends them (Lost is Odoo's archive with a reason).
FU_STEPS = ["new", "fu1", "fu2", "fu3"]
# Where a lead stands for the lock rules (see _daya_editable_fields): a lead being
# entered, an open opportunity at its step, won, or lost (archived).
LOCK_STATES = [
    ("lead", "Lead"),
    ("new", "New"),
    ("fu1", "Follow Up 1"),
    ("fu2", "Follow Up 2"),
    ("fu3", "Follow Up 3"),
    ("won", "Won"),
    ("lost", "Lost"),
]
# Editable on an opportunity at every open step (SOP: "New" screen).
OPPORTUNITY_EDITABLE = {
    "date_deadline",
    "probability",
    "prospect_status",
    "motor_type_id",
    "motor_color_id",
    "payment_type",
    "leasing_id",
    "down_payment",
    "leasing_status",
}
# Editable in addition at a given step.
STEP_EDITABLE = {
    "new": set(),
    "fu1": {"fu1_date", "fu2_plan_date", "customer_status"},
    "fu2": {"fu2_date", "fu3_plan_date", "customer_status"},
    "fu3": {"fu3_date", "customer_status"},
    "won": set(),
}
# What the lead form captured, locked once the lead is an opportunity.
LEAD_INPUT = {
    "name",
    "partner_id",
    "contact_name",
    "partner_name",
    "email_from",
    "phone",
    "mobile",
    "street",
    "street2",
    "city",
    "state_id",
    "zip",
    "country_id",
    "nik",
    "lead_category",
    "sales_source",
    "user_id",
    "team_id",
    "occupation_id",
    "branch_id",
    "lead_number",
}
GUARDED = (
    LEAD_INPUT
    | OPPORTUNITY_EDITABLE
    | {"fu1_date", "fu2_plan_date", "fu2_date", "fu3_plan_date", "fu3_date"}
    | {"customer_status"}
)
# What every open lead needs (seed 001's blue fields) and where: the constraint
# refuses a lead without them, and the form marks them required (see _get_view).
REQUIRED_WHERE = {
    "lead_category": [],
    "payment_type": [],
    "leasing_id": [("payment_type", "=", "credit")],
    "occupation_id": [],
}
# Customer fields that editing the lead writes back to the customer.
PARTNER_SYNC = [
    "nik",
    "mobile",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
]
# Free text of the lead refused beyond TEXT_MAX_LENGTH characters.
LEAD_TEXT_FIELDS = (
    "name",
    "contact_name",
    "partner_name",
    "street",
    "street2",
    "city",
    "email_from",
)
# HOT closes within 10 days, MEDIUM within 20, LOW within 30 (and beyond).
STATUS_DAYS = {"hot": 10, "medium": 20, "low": 30}
# An expected closing lies within this many days around today.
DEADLINE_WINDOW_DAYS = 365


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "daya.branch.mixin"]
    _branch_scoped_fields = ("dealer_memo_id",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    lead_number = fields.Char(readonly=True, copy=False, index=True)
    lead_category = fields.Selection(
        [("order_in", "Order In"), ("prospect", "Leads Prospect")],
        string="Category",
        tracking=True,
        help="Order In: deal about 90% sure (documents complete, credit application "
        "in progress, down payment or booking paid). Leads Prospect: needs follow-up.",
    )
    prospect_status = fields.Selection(
        [("hot", "HOT"), ("medium", "MEDIUM"), ("low", "LOW")],
        compute="_compute_prospect_status",
        store=True,
        readonly=False,
        tracking=True,
        help="HOT: deal expected within 10 days (>70%). MEDIUM: within 10-20 days "
        "(50-70%). LOW: within 20-30 days (<50%).",
    )
    sales_source = fields.Selection(
        [
            ("showroom", "Showroom"),
            ("exhibition", "Exhibition"),
            ("pos", "POS"),
            ("event", "Event"),
            ("leads", "Leads"),
        ],
        tracking=True,
    )
    nik = fields.Char(
        string="NIK",
        compute="_compute_nik",
        store=True,
        readonly=False,
        help="The customer's 16-digit NIK; editing it updates the customer.",
    )
    occupation_id = fields.Many2one("daya.occupation")
    motor_type_id = fields.Many2one(
        "product.template",
        string="Motorcycle Type",
        domain="[('is_motorcycle', '=', True)]",
        tracking=True,
    )
    motor_color_allowed_ids = fields.Many2many(
        related="motor_type_id.motor_color_ids", string="Allowed Colours"
    )
    motor_color_id = fields.Many2one(
        "product.attribute.value",
        string="Colour",
        domain="[('id', 'in', motor_color_allowed_ids)]",
        tracking=True,
    )
    motor_product_id = fields.Many2one(
        "product.product",
        string="Motorcycle",
        compute="_compute_motor_product_id",
        store=True,
        help="The variant of the chosen type in the chosen colour.",
    )
    payment_type = fields.Selection(
        PAYMENT_TYPES, string="Cash / Credit", tracking=True
    )
    leasing_id = fields.Many2one(
        "res.partner",
        domain="[('is_leasing_company', '=', True)]",
        tracking=True,
    )
    down_payment = fields.Monetary(currency_field="daya_currency_id", tracking=True)
    leasing_status = fields.Selection(
        [
            ("not_submitted", "Not Submitted"),
            ("submitted", "Submitted"),
            ("survey", "Survey"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        tracking=True,
    )
    customer_status = fields.Selection(
        [
            ("interested", "Interested"),
            ("considering", "Considering"),
            ("not_reachable", "Not Reachable"),
            ("refused", "Refused"),
        ],
        tracking=True,
        copy=False,
        help="Result of the last follow-up call.",
    )
    daya_stage_code = fields.Selection(related="stage_id.daya_stage_code")
    daya_lock_state = fields.Selection(
        LOCK_STATES,
        string="Lock State",
        compute="_compute_daya_lock_state",
        help="Where the lead stands for the pipeline's locks: the form makes "
        "read-only what the model refuses to change in this state.",
    )
    fu1_date = fields.Date(string="Follow Up 1", tracking=True, copy=False)
    fu2_plan_date = fields.Date(
        string="Next Plan Follow Up 2", tracking=True, copy=False
    )
    fu2_date = fields.Date(string="Follow Up 2", tracking=True, copy=False)
    fu3_plan_date = fields.Date(
        string="Next Plan Follow Up 3", tracking=True, copy=False
    )
    fu3_date = fields.Date(string="Follow Up 3", tracking=True, copy=False)
    dealer_memo_id = fields.Many2one(
        "daya.dealer.memo", readonly=True, copy=False, index=True
    )
    # the customer's last purchase, from their unit sales
    last_unit_sale_id = fields.Many2one(
        "daya.unit.sale", compute="_compute_last_purchase", string="Last Purchase"
    )
    last_motor_type_id = fields.Many2one(
        "product.template", compute="_compute_last_purchase", string="Last Type"
    )
    last_sale_date = fields.Date(
        compute="_compute_last_purchase", string="Last Sales Date"
    )
    last_product_id = fields.Many2one(
        "product.product", compute="_compute_last_purchase"
    )
    last_tenor = fields.Integer(compute="_compute_last_purchase")
    last_payment_type = fields.Selection(
        PAYMENT_TYPES,
        compute="_compute_last_purchase",
        string="Last Cash / Credit",
    )
    last_down_payment = fields.Monetary(
        compute="_compute_last_purchase",
        currency_field="daya_currency_id",
    )
    # the customer of another branch found by the lead's NIK or BPA code
    customer_card = fields.Char(
        compute="_compute_customer_card",
        help="A customer of another branch with this NIK or BPA code: saving the "
        "lead attaches the customer to the lead's branch.",
    )
    # duplicate guard
    duplicate_warning = fields.Char(
        compute="_compute_duplicate_warning",
        help="Who already holds an open lead for this customer in the branch.",
    )
    duplicate_override = fields.Boolean(
        string="Parallel Lead Allowed",
        copy=False,
        tracking=True,
        help="Set by the branch head to allow this lead although another salesperson "
        "holds an open lead for the same customer.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("date_deadline")
    def _compute_prospect_status(self):
        today = fields.Date.context_today(self)
        for lead in self:
            if lead.date_deadline:
                lead.prospect_status = self._status_for_days(
                    (lead.date_deadline - today).days
                )
            else:
                lead.prospect_status = lead.prospect_status

    @api.depends("type", "active", "stage_id")
    def _compute_daya_lock_state(self):
        for lead in self:
            if not lead._origin.id:
                lead.daya_lock_state = "lead"  # being entered: nothing is locked yet
            elif not lead.active:
                lead.daya_lock_state = "lost"
            elif lead.type != "opportunity":
                lead.daya_lock_state = "lead"
            else:
                lead.daya_lock_state = lead.stage_id.daya_stage_code or "new"

    @api.depends("partner_id")
    def _compute_nik(self):
        for lead in self:
            if lead.partner_id.nik:
                lead.nik = lead.partner_id.nik

    @api.depends("motor_type_id", "motor_color_id")
    def _compute_motor_product_id(self):
        # one search per distinct type and colour, not per lead
        variants = {}
        for motor_type, color in {
            (lead.motor_type_id, lead.motor_color_id) for lead in self
        }:
            if motor_type and color:
                variants[(motor_type, color)] = self.env["product.product"].search(
                    [
                        ("product_tmpl_id", "=", motor_type.id),
                        (
                            "product_template_attribute_value_ids.product_attribute_value_id",
                            "=",
                            color.id,
                        ),
                    ],
                    limit=1,
                )
        for lead in self:
            lead.motor_product_id = variants.get(
                (lead.motor_type_id, lead.motor_color_id), False
            )

    @api.depends("partner_id")
    def _compute_last_purchase(self):
        last_by_partner = {}
        if self.partner_id:
            sales = self.env["daya.unit.sale"].search(
                [("partner_id", "in", self.partner_id.ids)],
                order="sale_date desc, id desc",
            )
            for sale in sales:
                last_by_partner.setdefault(sale.partner_id.id, sale)
        for lead in self:
            sale = last_by_partner.get(lead.partner_id.id, self.env["daya.unit.sale"])
            lead.last_unit_sale_id = sale
            lead.last_motor_type_id = sale.motor_type_id
            lead.last_sale_date = sale.sale_date
            lead.last_product_id = sale.product_id
            lead.last_tenor = sale.tenor
            lead.last_payment_type = sale.payment_type
            lead.last_down_payment = sale.down_payment

    def _compute_is_partner_visible(self):
        # the lead form picks an existing customer (BPA code, NIK or phone)
        self.is_partner_visible = True

    def _compute_customer_card(self):
        # set by the lead form's onchange only: showing a card is logged
        self.customer_card = False

    @api.depends("partner_id", "nik", "mobile", "phone", "branch_id", "user_id")
    def _compute_duplicate_warning(self):
        duplicates = self._daya_open_duplicates()
        for lead in self:
            holders = duplicates.get(lead)
            lead.duplicate_warning = (
                lead._daya_duplicate_message(holders) if holders else False
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(*REQUIRED_WHERE)
    def _check_daya_required_fields(self):
        labels = {
            "lead_category": _("Category (Order In / Leads Prospect)"),
            "payment_type": _("Cash / Credit"),
            "leasing_id": _("Leasing (a credit purchase needs its leasing company)"),
            "occupation_id": _("Occupation"),
        }
        for lead in self.filtered("active"):
            missing = [labels[fname] for fname in lead._daya_missing_required_fields()]
            if missing:
                raise ValidationError(
                    _("Fill in the required fields: %s.", ", ".join(missing))
                )

    def _daya_required_fields(self):
        """The fields of ``REQUIRED_WHERE`` the lead needs in its present state."""
        self.ensure_one()
        return [
            fname
            for fname, domain in REQUIRED_WHERE.items()
            if not domain or self.filtered_domain(domain)
        ]

    def _daya_missing_required_fields(self):
        self.ensure_one()
        return [fname for fname in self._daya_required_fields() if not self[fname]]

    @api.constrains("nik")
    def _check_nik(self):
        for lead in self.filtered("nik"):
            self.env["res.partner"]._daya_check_nik_value(lead.nik)

    @api.constrains("down_payment", "motor_type_id", "motor_color_id")
    def _check_down_payment(self):
        for lead in self:
            price = lead._daya_motorcycle_price()
            if lead.down_payment < 0 or (price and lead.down_payment > price):
                raise ValidationError(lead._daya_down_payment_message(price))

    @api.constrains("leasing_id")
    def _check_leasing_company(self):
        # the leasing's flag is read as the system: the user may not see the partner
        wrong = self.leasing_id.sudo().filtered(lambda p: not p.is_leasing_company)
        if wrong:
            raise ValidationError(
                _(
                    "Leasing: %(partner)s is not a leasing company. Choose one of the "
                    "leasing companies.",
                    partner=wrong[0].display_name,
                )
            )

    @api.constrains("date_deadline")
    def _check_date_deadline(self):
        today = fields.Date.context_today(self)
        start = today - timedelta(days=DEADLINE_WINDOW_DAYS)
        end = today + timedelta(days=DEADLINE_WINDOW_DAYS)
        if self.filtered(
            lambda lead: lead.date_deadline and not start <= lead.date_deadline <= end
        ):
            raise ValidationError(
                _(
                    "Expected Closing must lie between %(start)s and %(end)s (within "
                    "a year of today).",
                    start=format_date(self.env, start),
                    end=format_date(self.env, end),
                )
            )

    @api.constrains("motor_type_id", "motor_color_id")
    def _check_motor_color(self):
        # a colour of the type has its variant
        for lead in self.filtered("motor_color_id"):
            if not lead.motor_product_id:
                raise ValidationError(
                    _(
                        "%(type)s is not sold in %(color)s. Choose one of its colours.",
                        type=lead.motor_type_id.name or _("This motorcycle type"),
                        color=lead.motor_color_id.name,
                    )
                )

    @api.constrains("stage_id", "fu1_date", "fu2_date", "fu3_date")
    def _check_follow_up_dates(self):
        for lead in self:
            step = lead.stage_id.daya_stage_code
            if step in ("fu1", "fu2", "fu3") and not lead[f"{step}_date"]:
                raise ValidationError(
                    _(
                        "Enter the date of %(step)s.",
                        step=lead.stage_id.name,
                    )
                )

    @api.constrains("user_id")
    def _check_salesperson_memo(self):
        """A salesperson takes leads only while holding a distributed sales memo."""
        salespeople = self.filtered("active").user_id.filtered(
            lambda u: u.has_group("daya_base.group_daya_sales_force")
        )
        without = salespeople.filtered(lambda u: not u.distributed_sales_memo_count)
        if without:
            raise ValidationError(
                _(
                    "Distribute a sales memo to %(names)s first: a salesperson needs "
                    "a distributed sales memo before taking leads.",
                    names=", ".join(without.mapped("name")),
                )
            )

    # ------------------------------------------------------------
    # ONCHANGES
    # ------------------------------------------------------------

    @api.onchange("motor_type_id")
    def _onchange_motor_type_id(self):
        if self.motor_color_id not in self.motor_type_id.motor_color_ids:
            self.motor_color_id = False

    @api.onchange("payment_type")
    def _onchange_payment_type(self):
        if self.payment_type == "cash":
            self.leasing_id = False
            self.down_payment = 0.0
            self.leasing_status = False

    @api.onchange("prospect_status")
    def _onchange_prospect_status(self):
        """Choosing a status proposes the end of its window as the expected closing,
        unless the expected closing already lies in that window."""
        if not self.prospect_status:
            return
        today = fields.Date.context_today(self)
        if (
            not self.date_deadline
            or self._status_for_days((self.date_deadline - today).days)
            != self.prospect_status
        ):
            self.date_deadline = today + timedelta(
                days=STATUS_DAYS[self.prospect_status]
            )

    @api.onchange("user_id")
    def _onchange_user_id_sales_memo(self):
        user = self.user_id
        if not user or not user.has_group("daya_base.group_daya_sales_force"):
            return
        if not user.distributed_sales_memo_count:
            return {
                "warning": {
                    "title": _("Distribute a sales memo first"),
                    "message": _(
                        "%(name)s holds no distributed sales memo. Ask the sales admin "
                        "to distribute a sales memo first.",
                        name=user.name,
                    ),
                }
            }

    @api.onchange("partner_id", "nik", "mobile", "phone")
    def _onchange_duplicate_warning(self):
        if self.duplicate_warning and not self.duplicate_override:
            return {
                "warning": {
                    "title": _("The customer already has an open lead"),
                    "message": self.duplicate_warning,
                }
            }

    @api.onchange("contact_name", "nik", "mobile", "phone")
    def _onchange_customer_identity(self):
        """Typing a BPA code, NIK or phone finds the customer at once: a NIK or BPA
        code of a customer of the user's branches fills in the customer; one of
        another branch shows the minimal card (saving attaches them). A phone only
        suggests, and a NIK and phone of different people are shown both."""
        self.customer_card = False
        if self.partner_id or self.type == "opportunity":
            return None
        identity = self._daya_identity()
        # the same name and phone of a customer of the user's branches: the same
        # person (as on save)
        customer = identity["customer"] or identity["same_name"]
        if customer:
            if customer.with_env(self.env)._filter_access_rules("read"):
                self.partner_id = customer.id
            else:
                self.customer_card = customer._daya_card_text()
                customer._daya_log_access("lookup")
        message = self._daya_identity_warning(identity)
        if message:
            return {
                "warning": {
                    "title": _("Check who the customer is"),
                    "message": message,
                }
            }
        return None

    @api.onchange("nik", "phone", "mobile")
    def _onchange_priority(self):
        if self.nik and (self.phone or self.mobile) and (self.priority or "0") < "2":
            self.priority = "2"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        numbers = self._daya_next_lead_numbers(len(vals_list))
        self._daya_check_input(vals_list)
        for vals, number in zip(vals_list, numbers):
            check_text_lengths(self, vals, LEAD_TEXT_FIELDS)
            Partner._daya_normalize_vals(vals)
            self._daya_check_status_consistency(vals)
            vals["lead_number"] = number
        if any(vals.get("duplicate_override") for vals in vals_list):
            self._daya_check_override_right()
        leads = super().create(vals_list)
        if not self.env.su:
            # after defaults (a context's default_stage_id counts too)
            leads._daya_check_created()
        # constraints run on create only for the fields given: check them all
        leads._check_daya_required_fields()
        # completing the leads being created is no change of a locked field (an
        # opportunity entered at New); marked on the cursor, out of any caller's reach
        creating = self.env.cr.cache.setdefault("daya_leads_creating", set())
        creating.update(leads.ids)
        try:
            leads._daya_assign_customers()
            leads._daya_raise_priority()
        finally:
            creating.difference_update(leads.ids)
        leads._daya_check_duplicates()
        overridden = leads.filtered("duplicate_override")
        if overridden:
            overridden._daya_log_override()
        return leads

    def write(self, vals):
        check_text_lengths(self, vals, LEAD_TEXT_FIELDS)
        self.env["res.partner"]._daya_normalize_vals(vals)
        self._daya_check_input([vals])
        if "stage_id" in vals:
            undated = self._daya_follow_up_date_vals(vals)
            if undated:
                # some leads already have the date of the step they enter
                return (self - undated).write(vals) and undated.write(
                    dict(vals, **self._daya_follow_up_date_vals(vals, force=True))
                )
        # the pipeline rules bind users; the superuser (install, migrations) may
        # move records freely
        if not self.env.su:
            if "duplicate_override" in vals:
                self._daya_check_override_right()
            self._daya_check_pipeline_rules(vals)
        res = super().write(vals)
        sync = {fname: vals[fname] for fname in PARTNER_SYNC if fname in vals}
        if sync:
            # editing the customer's data on the lead updates the customer
            self.partner_id.write(sync)
        # the leads being created get both once, when all have their customer
        if not self._daya_creating():
            if {"nik", "mobile", "phone", "partner_id"} & set(vals):
                self._daya_raise_priority()
            if {"partner_id", "nik", "mobile", "phone", "user_id", "branch_id"} & set(
                vals
            ):
                self._daya_check_duplicates()
        if vals.get("duplicate_override"):
            self._daya_log_override()
        return res

    def copy(self, default=None):
        """A copy is a fresh lead: at New, open, with no follow-up of its own."""
        default = dict(default or {})
        default.setdefault("stage_id", self.env.ref("daya_crm_leads.stage_new").id)
        default.update(active=True, type="lead")
        return super().copy(default)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_won(self):
        if self.env.su:
            return
        won = self.filtered(
            lambda lead: lead.daya_stage_code == "won" or lead.dealer_memo_id
        )
        if won:
            raise UserError(
                _(
                    "%(lead)s is won: a won opportunity is kept (its dealer memo and "
                    "sales depend on it).",
                    lead=won[0].lead_number or won[0].name,
                )
            )

    # ------------------------------------------------------------
    # VIEWS
    # ------------------------------------------------------------

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """The form shows read-only what the pipeline rules lock: each guarded field
        is read-only in the lock states where ``_daya_editable_fields`` leaves it
        out (on top of the view's own conditions)."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type != "form":
            return arch, view
        states = [state for state, _label in LOCK_STATES]
        guarded = False
        for node in arch.xpath("//field[not(ancestor::field)]"):
            fname = node.get("name")
            if (
                fname not in GUARDED
                or self._fields[fname].readonly
                or node.get("readonly") in ("1", "True")
            ):
                continue
            attrs = ast.literal_eval(node.get("attrs") or "{}")
            readonly = attrs.get("readonly")
            if readonly is True:
                continue
            editable = [s for s in states if fname in self._daya_editable_fields(s)]
            locked = [("daya_lock_state", "not in", editable)]
            if isinstance(readonly, list) and readonly:
                locked = expression.OR([locked, readonly])
            attrs["readonly"] = locked
            node.set("attrs", repr(attrs))
            guarded = True
        if guarded and not arch.xpath("//field[@name='daya_lock_state']"):
            arch.append(E.field(name="daya_lock_state", invisible="1"))
        self._daya_mark_required(arch)
        return arch, view

    @api.model
    def _daya_mark_required(self, arch):
        """The form marks required what the lead's constraint requires
        (``REQUIRED_WHERE``), on top of the view's own conditions."""
        for fname, domain in REQUIRED_WHERE.items():
            for node in arch.xpath(f"//field[@name='{fname}'][not(ancestor::field)]"):
                if node.get("required") in ("1", "True"):
                    continue
                attrs = ast.literal_eval(node.get("attrs") or "{}")
                required = attrs.pop("required", None)
                if not domain or required is True:
                    node.set("required", "1")
                else:
                    attrs["required"] = (
                        expression.OR([domain, required])
                        if isinstance(required, list) and required
                        else domain
                    )
                node.set("attrs", repr(attrs))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_follow_up_1(self):
        return self._daya_action_move("fu1")

    def action_follow_up_2(self):
        return self._daya_action_move("fu2")

    def action_follow_up_3(self):
        return self._daya_action_move("fu3")

    def action_customer_refused(self):
        """The customer refused at this follow-up: FU1 → FU2 → FU3 → Lost."""
        for lead in self:
            step = lead.daya_stage_code
            if lead.type != "opportunity" or step not in ("fu1", "fu2", "fu3"):
                raise UserError(_("A refusal is recorded during Follow Up 1, 2 or 3."))
            if step == "fu3":
                lead.action_set_lost(
                    customer_status="refused",
                    lost_reason_id=self.env.ref(
                        "daya_crm_leads.lost_reason_refused_fu3"
                    ).id,
                )
            else:
                # one write: the next step's rules (its plan date) decide first
                lead._daya_action_move(
                    "fu2" if step == "fu1" else "fu3", customer_status="refused"
                )
        return True

    def action_set_lost(self, **additional_values):
        """Lost with its reason, in one write (the pipeline rules refuse an
        opportunity archived without a reason, and a won one)."""
        if self.filtered(lambda lead: lead.type == "opportunity") and not (
            additional_values.get("lost_reason_id")
        ):
            raise UserError(_("Give the reason why the opportunity is lost."))
        self.filtered("active").write(
            dict(
                additional_values, active=False, probability=0, automated_probability=0
            )
        )
        return True

    def action_create_dealer_memo(self):
        self.ensure_one()
        if self.daya_stage_code != "won":
            raise UserError(_("A dealer memo is created once the opportunity is won."))
        if self.dealer_memo_id:
            raise UserError(
                _(
                    "Dealer memo %s already exists for this opportunity.",
                    self.dealer_memo_id.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Create Dealer Memo"),
            "res_model": "daya.dealer.memo.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    def action_view_dealer_memo(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "daya.dealer.memo",
            "view_mode": "form",
            "res_id": self.dealer_memo_id.id,
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _daya_next_lead_numbers(self, count):
        """``count`` lead numbers from the lead sequence (Odoo's own
        ``ir.sequence``): a standard sequence draws them in one query, a gapless
        or dated one one ``next_by_id`` a number."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .browse(self._daya_ref_id("daya_crm_leads.seq_daya_crm_lead"))
        )
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence.next_by_id() for _i in range(count)]
        # what _next_do does, for ``count`` numbers at once
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            ["ir_sequence_%03d" % sequence.id, count],
        )
        return [sequence.get_next_char(number) for (number,) in self.env.cr.fetchall()]

    @api.model
    def _daya_ref_id(self, xmlid):
        """The id of ``xmlid`` from the registry's cache: unlike ``env.ref``, no
        query to check that the record still exists (it is the addon's own data)."""
        return self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=True
        )

    @api.model
    def _daya_check_input(self, vals_list):
        """Refuse values the database or the checks can't take, before writing."""
        wanted = {}  # field: the ids given
        for fname in ("occupation_id", "leasing_id", "motor_type_id", "motor_color_id"):
            values = [vals[fname] for vals in vals_list if vals.get(fname)]
            if not values:
                continue
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                self._daya_raise_missing_record(fname)
            wanted[fname] = set(values)
        if wanted:
            # which exist, all fields in one query (``exists()`` of each)
            query = sql.SQL(" UNION ALL ").join(
                sql.SQL("SELECT {}, id FROM {} WHERE id = ANY(%s)").format(
                    sql.Literal(fname),
                    sql.Identifier(self.env[self._fields[fname].comodel_name]._table),
                )
                for fname in wanted
            )
            self.env.cr.execute(query, [sorted(ids) for ids in wanted.values()])
            found = {}
            for fname, record_id in self.env.cr.fetchall():
                found.setdefault(fname, set()).add(record_id)
            for fname, ids in wanted.items():
                if found.get(fname, set()) != ids:
                    self._daya_raise_missing_record(fname)
        for vals in vals_list:
            self._daya_check_amount_input(vals)

    @api.model
    @api.model
    def _daya_raise_missing_record(self, fname):
        raise ValidationError(
            _(
                "%(field)s: the chosen record does not exist. Choose one "
                "from the list.",
                field=self._fields[fname].get_description(self.env)["string"],
            )
        )

    def _daya_check_amount_input(self, vals):
        if vals.get("down_payment"):
            try:
                amount = float(vals["down_payment"])
            except (TypeError, ValueError):
                amount = math.nan
            if not (0 <= amount < 1e12):  # also NaN and infinity
                raise ValidationError(self._daya_down_payment_message(0.0))

    def _daya_motorcycle_price(self):
        """The on-the-road price of the chosen motorcycle (0 when none is chosen)."""
        self.ensure_one()
        return self.motor_product_id.lst_price or self.motor_type_id.list_price

    def _daya_down_payment_message(self, price):
        if price:
            return _(
                "Down Payment must be between 0 and %(price)s, the price of the "
                "motorcycle.",
                price=format_amount(self.env, price, self.env.ref("base.IDR")),
            )
        return _("Down Payment must be between 0 and the price of the motorcycle.")

    @api.model
    def _status_for_days(self, days):
        for status in ("hot", "medium"):
            if days <= STATUS_DAYS[status]:
                return status
        return "low"

    @api.model
    def _cron_refresh_prospect_status(self, batch_size=1000):
        """The daily step of the calendar: an open lead's status follows the days
        left to its expected closing (a LOW lead turns MEDIUM then HOT without
        being edited). At most ``batch_size`` leads per run, through the stored
        compute; the cron runs again at once while more are behind."""
        today = fields.Date.context_today(self)
        hot_until = today + timedelta(days=STATUS_DAYS["hot"])
        medium_until = today + timedelta(days=STATUS_DAYS["medium"])
        behind = [
            [("date_deadline", "<=", hot_until), ("prospect_status", "!=", "hot")],
            [
                ("date_deadline", ">", hot_until),
                ("date_deadline", "<=", medium_until),
                ("prospect_status", "!=", "medium"),
            ],
            [("date_deadline", ">", medium_until), ("prospect_status", "!=", "low")],
        ]
        leads = self.search(
            expression.AND(
                [
                    [("date_deadline", "!=", False), ("stage_id.is_won", "=", False)],
                    expression.OR(behind),
                ]
            ),
            limit=batch_size,
        )
        self.env.add_to_compute(self._fields["prospect_status"], leads)
        leads.flush_recordset(["prospect_status"])
        if len(leads) == batch_size:
            self.env.ref("daya_crm_leads.ir_cron_refresh_prospect_status")._trigger()
        return len(leads)

    def _daya_check_status_consistency(self, vals):
        """A status given must match the window of the expected closing, given with
        it or kept (on create, ``self`` is empty: only the given one counts)."""
        status = vals.get("prospect_status")
        if not status:
            return
        if "date_deadline" in vals:
            deadlines = [fields.Date.to_date(vals["date_deadline"])]
        else:
            deadlines = self.mapped("date_deadline")
        today = fields.Date.context_today(self)
        for deadline in filter(None, deadlines):
            days = (deadline - today).days
            if self._status_for_days(days) == status:
                continue
            labels = dict(self._fields["prospect_status"].selection)
            raise ValidationError(
                _(
                    "A %(status)s prospect closes within %(low)s-%(high)s days; the "
                    "expected closing is in %(days)s days.",
                    status=labels[status],
                    low={"hot": 1, "medium": 11, "low": 21}[status],
                    high=STATUS_DAYS[status],
                    days=days,
                )
            )

    def _daya_action_move(self, step, **values):
        stage = self.env["crm.stage"].search([("daya_stage_code", "=", step)], limit=1)
        self.write(dict(values, stage_id=stage.id))
        return True

    # The pipeline's rules: every write (the buttons', the kanban's, an RPC call's)
    # passes here; creation, copy and deletion end in the same rules.

    @api.model
    def _daya_editable_fields(self, lock_state):
        """The guarded fields that can change in ``lock_state`` (the form shows the
        others read-only, see ``_get_view``)."""
        if lock_state == "lead":
            return GUARDED
        if lock_state in ("won", "lost"):
            return set()
        return OPPORTUNITY_EDITABLE | STEP_EDITABLE[lock_state]

    def _daya_check_pipeline_rules(self, vals):
        if "dealer_memo_id" in vals and any(
            lead._daya_value_changes("dealer_memo_id", vals["dealer_memo_id"])
            for lead in self
        ):
            raise UserError(_("A dealer memo is created from the won opportunity."))
        if "lead_number" in vals and any(
            lead._daya_value_changes("lead_number", vals["lead_number"])
            for lead in self
        ):
            # numbers are unique because only the sequence gives them (README)
            raise UserError(
                _("The lead number is given when the lead is saved; it never changes.")
            )
        self._daya_check_status_consistency(vals)
        self._daya_check_type_change(vals)
        self._daya_check_active_change(vals)
        self._daya_check_locked_fields(vals)
        if "stage_id" in vals:
            self._daya_check_stage_change(vals)

    def _daya_check_created(self):
        """A new lead or opportunity starts open, at New, with no dealer memo: the
        steps, won and lost are reached through the pipeline's actions."""
        new_stage = self.env["crm.stage"].browse(
            self._daya_ref_id("daya_crm_leads.stage_new")
        )
        for lead in self:
            if lead.stage_id and lead.stage_id != new_stage:
                raise UserError(
                    _(
                        "%(lead)s: a new lead or opportunity starts at %(new)s, not "
                        "at %(stage)s. Move it on with the follow-up buttons.",
                        lead=lead.name,
                        new=new_stage.name,
                        stage=lead.stage_id.name,
                    )
                )
            if not lead.active and lead.type == "opportunity":
                raise UserError(
                    _(
                        "%(lead)s: an opportunity is created open; mark it lost "
                        "afterwards with its reason.",
                        lead=lead.name,
                    )
                )
            if lead.dealer_memo_id:
                raise UserError(_("A dealer memo is created from the won opportunity."))

    def _daya_check_type_change(self, vals):
        """A lead becomes an opportunity once, while open; never the way back."""
        if "type" not in vals:
            return
        for lead in self.filtered(lambda lead: lead.type != vals["type"]):
            if lead.type == "opportunity":
                raise UserError(
                    _(
                        "%(lead)s is an opportunity: it cannot become a lead again.",
                        lead=lead.name,
                    )
                )
            if not lead.active:
                raise UserError(
                    _(
                        "%(lead)s is closed: a lost lead cannot become an opportunity.",
                        lead=lead.name,
                    )
                )

    def _daya_check_active_change(self, vals):
        """Lost only with its reason (the Lost button), never once won, and for
        good."""
        if "active" not in vals:
            return
        if vals["active"]:
            if self.filtered(
                lambda lead: not lead.active and lead.type == "opportunity"
            ):
                raise UserError(_("A lost opportunity cannot be continued."))
            return
        closing = self.filtered(lambda lead: lead.active and lead.type == "opportunity")
        if closing.filtered(lambda lead: lead.daya_stage_code == "won"):
            raise UserError(
                _("The opportunity is won: it cannot be marked lost. Won is final.")
            )
        if closing and not vals.get("lost_reason_id"):
            raise UserError(
                _(
                    "Mark the opportunity lost with the Lost button and give the "
                    "reason why it is lost."
                )
            )

    def _daya_check_locked_fields(self, vals):
        written = GUARDED & set(vals)
        if not written:
            return
        # entering a step opens its fields (its follow-up date)
        target = (
            self.env["crm.stage"].browse(vals["stage_id"]).daya_stage_code
            if vals.get("stage_id")
            else None
        )
        creating = self._daya_creating_ids()
        for lead in self:
            if lead.id in creating:
                continue
            lock_state = lead.daya_lock_state
            allowed = self._daya_editable_fields(lock_state)
            if lock_state not in ("lead", "won", "lost"):
                allowed = allowed | STEP_EDITABLE.get(target, set())
            locked = [
                fname
                for fname in written - allowed
                if lead._daya_value_changes(fname, vals[fname])
            ]
            if locked:
                names = ", ".join(
                    self._fields[f].get_description(self.env)["string"] for f in locked
                )
                if lock_state == "lost":
                    reason = _("The opportunity is lost and cannot be changed.")
                elif lock_state == "won":
                    reason = _("The opportunity is won: everything is locked.")
                else:
                    reason = _(
                        "At %(stage)s these fields are locked.",
                        stage=lead.stage_id.name,
                    )
                raise UserError(
                    _("%(reason)s (%(fields)s)", reason=reason, fields=names)
                )

    def _daya_value_changes(self, fname, value):
        field = self._fields[fname]
        new = field.convert_to_record(field.convert_to_cache(value, self), self)
        return new != self[fname]

    def _daya_check_stage_change(self, vals):
        """Opportunities go New → FU1 → FU2 → FU3 one step at a time, and may be won
        from any of them; nothing goes back, and won is final."""
        target = self.env["crm.stage"].browse(vals["stage_id"])
        step = target.daya_stage_code
        becomes_opportunity = vals.get("type") == "opportunity"
        for lead in self:
            current = lead.daya_stage_code
            if lead.stage_id == target:
                continue
            if lead.type != "opportunity" and not becomes_opportunity:
                raise UserError(_("Convert the lead to an opportunity first."))
            if not lead.active:
                raise UserError(_("A lost opportunity cannot be continued."))
            if current == "won":
                raise UserError(_("The opportunity is won: everything is locked."))
            if not step:
                raise UserError(
                    _("Opportunities follow New, Follow Up 1, 2, 3 and Won.")
                )
            if becomes_opportunity and lead.type != "opportunity":
                if step != "new":
                    raise UserError(_("A converted lead starts at New."))
                continue
            if step == "won":
                continue
            if (
                step == "new"
                or FU_STEPS.index(step) != FU_STEPS.index(current or "new") + 1
            ):
                raise UserError(
                    _(
                        "From %(current)s the opportunity can only go to the next "
                        "follow-up, be won or be lost.",
                        current=lead.stage_id.name,
                    )
                )
            if step in ("fu2", "fu3"):
                plan = f"{step}_plan_date"
                if not (vals.get(plan) or lead[plan]):
                    raise UserError(
                        _(
                            "Fill in the next plan date for %(stage)s first.",
                            stage=target.name,
                        )
                    )

    def _daya_follow_up_date_vals(self, vals, force=False):
        """Entering a follow-up step without its date: the follow-up is today.

        Adds the date to ``vals`` when no lead has it. When only some have it, returns
        the leads without it (to be written apart); with ``force``, returns the
        values to add for them."""
        step = self.env["crm.stage"].browse(vals["stage_id"]).daya_stage_code
        if step not in ("fu1", "fu2", "fu3") or vals.get(f"{step}_date"):
            return {} if force else None
        today = {f"{step}_date": fields.Date.context_today(self)}
        if force:
            return today
        undated = self.filtered(lambda lead: not lead[f"{step}_date"])
        if undated == self:
            vals.update(today)
            return None
        return undated or None

    def _daya_creating_ids(self):
        """The ids of the leads ``create`` is completing (marked on the cursor,
        out of any caller's reach)."""
        return self.env.cr.cache.get("daya_leads_creating", set())

    def _daya_creating(self):
        """Whether all these leads are being completed by ``create``."""
        return bool(self) and set(self.ids) <= self._daya_creating_ids()

    def _daya_raise_priority(self):
        """NIK and phone both known: the lead is a high priority."""
        leads = self.filtered(
            lambda lead: (
                lead.nik
                and (lead.phone or lead.mobile)
                and (lead.priority or "0") < "2"
            )
        )
        if leads:
            leads.write({"priority": "2"})

    def _daya_assign_customers(self):
        """Link each lead without customer to its customer: the one with the lead's
        NIK or BPA code (a customer of another branch is attached to the lead's
        branch, logged), else the one with the lead's phone and name; otherwise
        create the customer from the lead. A phone alone never makes another
        person's lead: nothing of an existing customer is overwritten.

        Set-based: the identities of all the leads are looked up at once and the
        missing customers created in one batch. Leads of the batch with the same
        NIK, or the same phone and name, share their new customer (as if created
        one after the other)."""
        leads = self.filtered(
            lambda lead: (
                not lead.partner_id
                and (
                    lead.contact_name
                    or lead.partner_name
                    or lead.nik
                    or lead.mobile
                    or lead.phone
                )
            )
        )
        if not leads:
            return
        identities = leads._daya_identities()
        found = self.env["res.partner"].sudo()
        for identity in identities.values():
            found |= identity["customer"] | identity["same_name"]
        visible = found.with_env(self.env)._filter_access_rules("read")
        assign = {}  # lead: existing customer
        new = {}  # lead: the lead whose values make its new customer
        by_nik, by_phone = {}, {}  # new customers of the batch so far
        for lead in leads:
            identity = identities[lead]
            if identity["conflict"]:
                raise UserError(identity["conflict"])
            # a new customer of the batch is the newest with its NIK or phone
            maker = not identity["customer"] and lead._daya_new_customer_of_batch(
                by_nik, by_phone
            )
            if maker:
                new[lead] = maker
                continue
            customer = identity["customer"] or identity["same_name"]
            if customer:
                assign[lead] = customer
                continue
            if is_bpa_code(lead.contact_name):
                raise ValidationError(
                    _(
                        "No customer has the BPA code %(code)s. Type the customer's "
                        "name as the contact, or choose an existing customer.",
                        code=lead.contact_name,
                    )
                )
            new[lead] = lead
            if lead.nik:
                by_nik[lead.nik] = lead
            # stored in the international format of _daya_normalize_vals: read as is
            e164 = phone_e164(lead.mobile or lead.phone)
            if e164:
                by_phone.setdefault(e164, []).insert(0, lead)
        for lead, customer in assign.items():
            if customer not in visible:
                customer._daya_attach(lead.branch_id)
        makers = self.browse([maker.id for maker in dict.fromkeys(new.values())])
        customers = makers._daya_create_customers()
        # the lead's creation message says it all: no tracking of its customer,
        # no followers to add (the customer is no user)
        quiet = self.with_context(tracking_disable=True)
        for lead, customer in assign.items():
            lead.with_env(quiet.env).partner_id = customer.id
        for lead, maker in new.items():
            lead.with_env(quiet.env).partner_id = customers[maker].id

    def _daya_new_customer_of_batch(self, by_nik, by_phone):
        """The lead of the batch whose new customer this lead is: the one with the
        lead's NIK, else the last one with its phone and name (and no other NIK),
        as ``_daya_identity`` would find it once created."""
        self.ensure_one()
        if self.nik and self.nik in by_nik:
            return by_nik[self.nik]
        name = " ".join((self.contact_name or "").split()).casefold()
        e164 = phone_e164(self.mobile or self.phone)
        if not name or not e164:
            return None
        for maker in by_phone.get(e164, []):
            if " ".join((maker.contact_name or "").split()).casefold() == name and (
                not self.nik or not maker.nik
            ):
                return maker
        return None

    def _daya_create_customers(self):
        """Create the customers of these leads from their values (crm's
        ``_create_customer``), the people in one batch; returns ``{lead:
        customer}``."""
        Partner = self.env["res.partner"]
        # a company name makes a company and its contact: crm's own way, per lead
        companies = self.filtered("partner_name")
        result = {lead: lead._create_customer() for lead in companies}
        people = self - companies
        values = []
        for lead in people:
            name = lead.contact_name
            if not name and lead.email_from:
                name = Partner._parse_partner_name(lead.email_from)[0]
            values.append(lead._prepare_customer_values(name or lead.name))
        result.update(
            zip(people, Partner.create(self._daya_person_create_values(values)))
        )
        return result

    @api.model
    def _daya_person_create_values(self, vals_list):
        """The create values of new people (no company, parent or user) from
        ``_prepare_customer_values``, as ``res.partner.create`` stores them, at
        the cost of one row each: no parent (``parent_id`` left out when empty:
        no parent cycle to check, a query per customer), and the stored computed
        values the ORM computes anyway (``res.partner._daya_person_values``, the
        read-only computed fields only), inserted with the row: their computes
        still run after the creation and, finding the same values, update no
        row (any value they find different is written as before)."""
        Partner = self.env["res.partner"]
        results = []
        for vals, computed in zip(vals_list, Partner._daya_person_values(vals_list)):
            vals = dict(vals)
            if not vals.get("parent_id"):
                vals.pop("parent_id", None)
            results.append(add_computed_values(Partner, vals, computed))
        return results

    def _daya_identity(self):
        """Who the lead's BPA code (typed as contact name), NIK and phone belong
        to, across branches (sudo records): see ``_daya_identities``."""
        self.ensure_one()
        return self._daya_identities()[self]

    def _daya_identities(self):
        """Per lead, who its BPA code (typed as contact name), NIK and phone belong
        to, across branches (sudo records), all looked up at once: ``customer``
        decided by the NIK or BPA code; ``phone`` the others with the lead's phone;
        ``same_name`` the one of them with the lead's contact name, when no NIK says
        otherwise; ``conflict`` a message when the NIK and the BPA code are
        different people's."""
        codes = [
            lead.contact_name if is_bpa_code(lead.contact_name) else None
            for lead in self
        ]
        founds = self.env["res.partner"]._daya_identify_batch(
            [
                (lead.nik, lead.mobile or lead.phone, code)
                for lead, code in zip(self, codes)
            ]
        )
        phones = self.env["res.partner"].sudo()
        for found in founds:
            phones |= found["phone"]
        # a customer of another branch is attached only by NIK or BPA code
        visible = phones.with_env(self.env)._filter_access_rules("read").sudo()
        result = {}
        for lead, bpa_code, found in zip(self, codes, founds):
            customer = found["nik"] or found["bpa"]
            conflict = False
            if found["nik"] and found["bpa"] and found["nik"] != found["bpa"]:
                conflict = _(
                    "The NIK %(nik)s belongs to %(first)s and the BPA code %(code)s "
                    "to %(second)s. Check the KTP and choose the customer.",
                    nik=lead.nik,
                    first=found["nik"]._daya_card_text(),
                    code=bpa_code,
                    second=found["bpa"]._daya_card_text(),
                )
            others = found["phone"] - customer
            same_name = others.browse()
            name = " ".join((lead.contact_name or "").split()).casefold()
            if not customer and name:
                same_name = others.filtered(
                    lambda p, lead=lead, name=name: (
                        p in visible
                        and " ".join((p.name or "").split()).casefold() == name
                        and (not lead.nik or not p.nik)
                    )
                )[:1]
            result[lead] = {
                "customer": customer,
                "phone": others - same_name,
                "same_name": same_name,
                "conflict": conflict,
            }
        return result

    def _daya_identity_warning(self, identity):
        """The message showing the user a phone that belongs to other people than
        the lead's customer (logged when they are of another branch)."""
        others = identity["phone"]
        if identity["conflict"]:
            return identity["conflict"]
        if not others:
            return False
        visible = others.with_env(self.env)._filter_access_rules("read")
        (others - visible)._daya_log_access("lookup")
        names = ", ".join(
            partner.name if partner in visible else partner._daya_card_text()
            for partner in others
        )
        customer = identity["customer"]
        if customer:
            return _(
                "The NIK is the one of %(customer)s, but the phone %(phone)s is also "
                "the number of %(others)s. The lead is for %(customer)s; check the "
                "phone number with the customer.",
                customer=customer.name,
                phone=self.mobile or self.phone,
                others=names,
            )
        return _(
            "The phone %(phone)s is the number of %(others)s. If the lead is for "
            "that person, choose them as the customer; otherwise saving creates a new "
            "customer %(name)s with this phone (nothing of %(others)s changes).",
            phone=self.mobile or self.phone,
            others=names,
            name=self.contact_name or self.partner_name or "",
        )

    def _prepare_customer_values(self, partner_name, is_company=False, parent_id=False):
        values = super()._prepare_customer_values(
            partner_name, is_company=is_company, parent_id=parent_id
        )
        if not is_company:
            values["nik"] = self.nik
        return values

    def _daya_open_duplicates(self):
        """Open leads of the same customer (same partner, NIK or phone) in the same
        branch held by another salesperson, per lead.

        Read with sudo: a salesperson can't see the others' leads, yet must be told
        who already holds the customer (only the name and holder are shown)."""
        leads = self.filtered(lambda lead: lead.branch_id and lead.active)
        if not leads:
            return {}
        niks = {lead.nik or lead.partner_id.nik for lead in leads} - {False, None}
        # stored in the international format of _daya_normalize_vals: read as is
        lead_phones = {
            lead: {phone_e164(number) for number in (lead.mobile, lead.phone)} - {False}
            for lead in leads
        }
        phones = set().union(*lead_phones.values())
        if not (leads.partner_id or niks or phones):
            return {}
        self._daya_flush_others(
            leads, ["partner_id", "active", "branch_id", "stage_id"]
        )
        self.env["res.partner"].flush_model(["nik", "mobile_e164"])
        self.env["crm.stage"].flush_model(["is_won"])
        # one query, each part an index lookup: the customers (by id, by the unique
        # NIK, by the indexed phone), then their leads by the indexed customer. No
        # OR across the join, which makes PostgreSQL scan the branch's leads. In
        # crm.lead's order (the message names the holders in it).
        self.env.cr.execute(
            """
            SELECT lead.id
              FROM crm_lead lead
             WHERE lead.partner_id IN (
                       SELECT unnest(%(partners)s::int[])
                        UNION SELECT id FROM res_partner
                               WHERE nik = ANY(%(niks)s::varchar[])
                        UNION SELECT id FROM res_partner
                               WHERE mobile_e164 = ANY(%(phones)s::varchar[]))
               AND lead.active
               AND lead.branch_id = ANY(%(branches)s::int[])
               AND lead.id <> ALL(%(leads)s::int[])
               -- not won (a lead's probability may be unset: ask the stage)
               AND (lead.stage_id IS NULL
                    OR lead.stage_id NOT IN (SELECT id FROM crm_stage WHERE is_won))
             ORDER BY lead.priority DESC, lead.id DESC
            """,
            {
                "partners": leads.partner_id.ids,
                "niks": sorted(niks),
                "phones": sorted(phones),
                "branches": leads.branch_id.ids,
                "leads": [lead.id for lead in leads if isinstance(lead.id, int)],
            },
        )
        candidates = self.sudo().browse(row[0] for row in self.env.cr.fetchall())
        result = {}
        for lead in leads:
            lead_nik = lead.nik or lead.partner_id.nik
            result[lead] = candidates.filtered(
                lambda other, lead=lead, nik=lead_nik, phones=lead_phones[lead]: (
                    other.branch_id == lead.branch_id
                    and other.user_id != lead.user_id
                    and (
                        (lead.partner_id and other.partner_id == lead.partner_id)
                        or (nik and other.partner_id.nik == nik)
                        or (other.partner_id.mobile_e164 in phones)
                    )
                )
            ).with_env(self.env)
        return result

    def _daya_flush_others(self, leads, fnames):
        """Flush ``fnames`` of crm.lead before reading them in SQL, unless only
        ``leads`` have them pending (their own values are not read: writing them
        now would only split their insert's update in two)."""
        Lead = self.env["crm.lead"]
        for fname in fnames:
            field = Lead._fields[fname]
            pending = self.env.cache.get_dirty_records(
                Lead, field
            ) | self.env.records_to_compute(field)
            if pending - leads:
                Lead.flush_model(fnames)
                return

    def _daya_duplicate_message(self, holders):
        holders = holders.sudo()
        lines = ", ".join(
            _(
                "%(lead)s held by %(user)s",
                lead=other.lead_number or other.name,
                user=other.user_id.name or _("nobody"),
            )
            for other in holders
        )
        return _(
            "This customer already has an open lead in the branch: %(lines)s. Ask the "
            "branch head to allow a parallel lead.",
            lines=lines,
        )

    def _daya_check_duplicates(self):
        duplicates = self._daya_open_duplicates()
        for lead, holders in duplicates.items():
            if holders and not lead.duplicate_override:
                raise UserError(lead._daya_duplicate_message(holders))

    def _daya_check_override_right(self):
        if not self.env.user.has_group("daya_base.group_daya_branch_head"):
            raise UserError(_("Only the branch head can allow a parallel lead."))

    def _daya_log_override(self):
        duplicates = self._daya_open_duplicates()
        for lead in self:
            holders = duplicates.get(lead)
            lead.message_post(
                body=_(
                    "Parallel lead allowed by %(user)s. %(holders)s",
                    user=self.env.user.name,
                    holders=lead._daya_duplicate_message(holders) if holders else "",
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
