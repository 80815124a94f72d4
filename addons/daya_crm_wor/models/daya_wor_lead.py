from collections import Counter

from dateutil.relativedelta import relativedelta
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.daya_base.tools.bulk import insert_rows

# Months a KPB coupon stays valid after the sale (Honda's service booklet: KPB1
# 1,000 km / 2 months, KPB2 4,000 km / 4 months, KPB3 8,000 km / 8 months, KPB4
# 12,000 km / 12 months).
KPB_VALID_MONTHS = {"kpb1": 2, "kpb2": 4, "kpb3": 8, "kpb4": 12}
WOR_TYPES = [
    ("kpb1", "KPB 1"),
    ("kpb2", "KPB 2"),
    ("kpb3", "KPB 3"),
    ("kpb4", "KPB 4"),
    ("regular", "Regular"),
]
FOLLOW_UP_STATES = ["new", "fu1", "fu2", "fu3"]
# the customer's objection and the SOP's offer that answers it
OFFERS = {
    "no_time": "action_offer_weekend",
    "too_far": "action_offer_home_service",
    "disappointed": "action_offer_promo",
}
OPEN_STATES = FOLLOW_UP_STATES
CLOSED_STATES = ("done", "lost")
# the unique index of the KPB leads: one per motorcycle and coupon
KPB_UNIQUE_INDEX = "daya_wor_lead_kpb_unit_uniq"
STEP_DATES = {"fu1": "fu1_date", "fu2": "fu2_date", "fu3": "fu3_date"}
# what a done or lost lead keeps
LOCKED_FIELDS = {"partner_id", "unit_sale_id", "wor_type", "origin", "branch_id"}
# state → the states it may go to; "booked" and "done" are reached through a
# booking, the way back from "booked" is a no-show or a cancelled booking
TRANSITIONS = {
    "new": {"fu1", "fu2", "fu3", "booked", "lost"},
    "fu1": {"fu2", "fu3", "booked", "lost"},
    "fu2": {"fu3", "booked", "lost"},
    "fu3": {"booked", "lost"},
    "booked": {"done", "new", "fu1", "fu2", "fu3"},
    "done": set(),
    "lost": set(),
}
LOST_REASONS = [
    ("serviced_elsewhere", "Serviced at another dealer"),
    ("kpb_expired", "KPB period ended"),
    ("refused", "Refused"),
    ("unreachable", "Unreachable"),
    ("sold", "Motorcycle sold or gone"),
    ("other", "Other"),
]


class DayaWorLead(models.Model):
    """A workshop prospect (WOR): a customer's motorcycle to bring back to the
    AHASS, for a KPB free service or a regular one."""

    _name = "daya.wor.lead"
    _description = "Workshop Lead (WOR)"
    _inherit = ["daya.branch.mixin", "mail.thread"]
    _order = "kpb_valid_until, id desc"
    _branch_scoped_fields = ("unit_sale_id",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True, precompute=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    mobile = fields.Char(related="partner_id.mobile")
    unit_sale_id = fields.Many2one(
        "daya.unit.sale",
        string="Motorcycle",
        index=True,
        tracking=True,
        domain="[('partner_id', '=?', partner_id)]",
    )
    product_id = fields.Many2one(related="unit_sale_id.product_id", string="Model")
    motor_type_id = fields.Many2one(
        related="unit_sale_id.motor_type_id", string="Motorcycle Type"
    )
    frame_number = fields.Char(related="unit_sale_id.frame_number")
    sale_date = fields.Date(related="unit_sale_id.sale_date")
    branch_id = fields.Many2one(required=True, tracking=True)
    wor_type = fields.Selection(
        WOR_TYPES, string="Type", required=True, default="regular", index=True
    )
    origin = fields.Selection(
        [("h1_h2", "H1 to H2"), ("h2_h2", "H2 to H2")],
        required=True,
        default="h1_h2",
        help="H1 to H2: a motorcycle the dealer sold comes to the workshop; H2 to "
        "H2: a workshop customer comes back.",
    )
    responsible_role = fields.Selection(
        [("pic_crm_h1", "PIC CRM H1"), ("pic_crm_h23", "PIC CRM H23")],
        compute="_compute_responsible_role",
        store=True,
        precompute=True,
        index=True,
        help="Memo 005/IM/MKT/VII/2020: H1 to H2 KPB 1 belongs to PIC CRM H1; KPB 2 "
        "to 4, regular and H2 to H2 to PIC CRM H23.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("fu1", "Follow Up 1"),
            ("fu2", "Follow Up 2"),
            ("fu3", "Follow Up 3"),
            ("booked", "Booked"),
            ("done", "Done"),
            ("lost", "Lost"),
        ],
        default="new",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_group_expand_states",
    )
    state_before_booking = fields.Selection(
        [
            ("new", "New"),
            ("fu1", "Follow Up 1"),
            ("fu2", "Follow Up 2"),
            ("fu3", "Follow Up 3"),
        ],
        copy=False,
        help="Where the follow-up goes on after a no-show.",
    )
    fu1_date = fields.Date(string="Follow Up 1 on", readonly=True, copy=False)
    fu2_date = fields.Date(string="Follow Up 2 on", readonly=True, copy=False)
    fu3_date = fields.Date(string="Follow Up 3 on", readonly=True, copy=False)
    objection = fields.Selection(
        [
            ("no_time", "No time on weekdays"),
            ("too_far", "Too far from the workshop"),
            ("disappointed", "Disappointed or prefers another dealer"),
        ],
        tracking=True,
        copy=False,
        readonly=True,
        help="The customer's objection and the SOP's answer: weekend slot, home "
        "service or promo booking.",
    )
    weekdays_impossible = fields.Boolean(
        string="Weekdays Confirmed Impossible",
        tracking=True,
        copy=False,
        readonly=True,
        help="The customer confirmed that no weekday works: a weekend slot was "
        "offered.",
    )
    lost_reason = fields.Selection(
        LOST_REASONS, tracking=True, copy=False, readonly=True
    )
    kpb_valid_until = fields.Date(
        compute="_compute_kpb_valid_until",
        store=True,
        precompute=True,
        string="KPB Valid Until",
        help="The free service coupon is valid until this date (months after the "
        "sale as in the service booklet).",
    )
    booking_ids = fields.One2many("daya.service.booking", "wor_lead_id")
    booking_count = fields.Integer(compute="_compute_booking_count")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("wor_type", "partner_id.name", "unit_sale_id.frame_number")
    def _compute_name(self):
        labels = self._wor_type_labels()
        for lead in self:
            lead.name = self._lead_name(
                lead.wor_type,
                lead.partner_id.name,
                lead.unit_sale_id.frame_number,
                labels,
            )

    @api.depends("wor_type", "origin")
    def _compute_responsible_role(self):
        for lead in self:
            lead.responsible_role = self._responsible_role(lead.origin, lead.wor_type)

    @api.depends("responsible_role", "branch_id")
    def _compute_user_id(self):
        """The least busy user holding the responsible role in the branch (its own
        PIC before the supervisors who also hold the role)."""
        leads = self.filtered(lambda lead: lead.branch_id and lead.responsible_role)
        (self - leads).user_id = False
        if not leads:
            return
        responsible = self._responsible_picker(
            set(leads.mapped("responsible_role")), leads.branch_id
        )
        for lead in leads:
            lead.user_id = responsible(lead.responsible_role, lead.branch_id)

    @api.depends("wor_type", "unit_sale_id.sale_date")
    def _compute_kpb_valid_until(self):
        for lead in self:
            lead.kpb_valid_until = self._kpb_valid_until(
                lead.unit_sale_id.sale_date, lead.wor_type
            )

    @api.depends("booking_ids")
    def _compute_booking_count(self):
        for lead in self:
            lead.booking_count = len(lead.booking_ids)

    @api.model
    def _group_expand_states(self, states, domain, order):
        return [key for key, _label in self._fields["state"].selection]

    # ------------------------------------------------------------
    # CONSTRAINTS AND ONCHANGES
    # ------------------------------------------------------------

    @api.constrains("origin", "wor_type", "unit_sale_id")
    def _check_type(self):
        for lead in self:
            if lead.origin == "h2_h2" and lead.wor_type != "regular":
                raise ValidationError(
                    _("An H2 to H2 workshop lead is for a regular service.")
                )
            if lead.wor_type in KPB_VALID_MONTHS and not lead.unit_sale_id:
                raise ValidationError(
                    _(
                        "A KPB workshop lead needs the motorcycle sold by the dealer: "
                        "its sale date gives the KPB period."
                    )
                )

    def init(self):
        """One KPB lead per motorcycle and coupon in the database, whoever writes
        it (two cron workers, a delivery and the schedule at once): a partial
        unique index, regular leads apart (a closed one is history, the next visit
        gets a new one). The migration to 16.0.1.2.0 stops on duplicates."""
        self.env.cr.execute(
            sql.SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS {index} ON {table}"
                " (unit_sale_id, wor_type) WHERE wor_type IN %s"
            ).format(
                index=sql.Identifier(KPB_UNIQUE_INDEX),
                table=sql.Identifier(self._table),
            ),
            [tuple(KPB_VALID_MONTHS)],
        )

    @api.constrains("unit_sale_id", "wor_type")
    def _check_one_kpb_per_unit(self):
        self._check_kpb_free(
            [(lead.unit_sale_id.id, lead.wor_type) for lead in self], self.ids
        )

    @api.model
    def _check_kpb_free(self, pairs, exclude_ids=()):
        """One KPB lead per motorcycle and coupon, whichever branch holds it:
        ``pairs`` ([(unit sale id, type)]) must be free, among themselves and in
        the database apart from ``exclude_ids``. Read without flushing (the
        unique index ``KPB_UNIQUE_INDEX`` would refuse the pending write with a
        database error instead of this message)."""
        pairs = [
            (unit_id, wor_type)
            for unit_id, wor_type in pairs
            if unit_id and wor_type in KPB_VALID_MONTHS
        ]
        if not pairs:
            return
        taken = {pair for pair, count in Counter(pairs).items() if count > 1}
        if not taken:
            # the index of unit_sale_id, the types compared here
            self.env.cr.execute(
                sql.SQL(
                    "SELECT unit_sale_id, wor_type FROM {table}"
                    " WHERE unit_sale_id = ANY(%s) AND wor_type IN %s"
                    " AND NOT id = ANY(%s)"
                ).format(table=sql.Identifier(self._table)),
                [
                    sorted({unit_id for unit_id, _type in pairs}),
                    tuple(KPB_VALID_MONTHS),
                    list(exclude_ids),
                ],
            )
            taken = set(self.env.cr.fetchall()) & set(pairs)
        if taken:
            unit_id, wor_type = sorted(taken)[0]
            labels = self._wor_type_labels()
            raise ValidationError(
                _(
                    "%(unit)s already has a %(type)s workshop lead.",
                    unit=self.env["daya.unit.sale"].sudo().browse(unit_id).display_name,
                    type=labels[wor_type],
                )
            )

    @api.onchange("unit_sale_id")
    def _onchange_unit_sale_id(self):
        unit = self.unit_sale_id
        if unit:
            self.partner_id = unit.partner_id
            self.branch_id = unit.branch_id or self.branch_id

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # before the insert: the unique index would refuse a second KPB lead of a
        # motorcycle with a database error, not the constraint's message
        default_type = self._fields["wor_type"].default(self)
        self._check_kpb_free(
            [
                (vals.get("unit_sale_id"), vals.get("wor_type", default_type))
                for vals in vals_list
            ]
        )
        return super().create(vals_list)

    def write(self, vals):
        if LOCKED_FIELDS.intersection(vals) and any(
            lead.state in CLOSED_STATES for lead in self
        ):
            raise UserError(
                _(
                    "A done or lost workshop lead keeps its customer, motorcycle, "
                    "type and branch."
                )
            )
        if "state" in vals:
            self._check_transition(vals["state"], vals)
            date_field = STEP_DATES.get(vals["state"])
            if date_field and date_field not in vals:
                # the date a follow-up step was first reached
                today = fields.Date.context_today(self)
                first = self.filtered(lambda lead: not lead[date_field])
                if first and first != self:
                    super(DayaWorLead, self - first).write(vals)
                    return super(DayaWorLead, first).write(
                        dict(vals, **{date_field: today})
                    )
                if first:
                    vals = dict(vals, **{date_field: today})
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_follow_up(self):
        """The next follow-up contact happened: new → FU1 → FU2 → FU3. After FU3 the
        lead ends booked or lost."""
        for lead in self:
            if lead.state not in FOLLOW_UP_STATES[:-1]:
                raise UserError(
                    _(
                        "%(lead)s: only a workshop lead in follow-up (new, FU1, FU2) "
                        "moves to the next follow-up; after FU3 book it or mark it "
                        "lost.",
                        lead=lead.display_name,
                    )
                )
            lead.state = FOLLOW_UP_STATES[FOLLOW_UP_STATES.index(lead.state) + 1]
        return True

    def action_book(self):
        """The customer agreed: book at once on the negotiated date and time."""
        return self._action_new_booking("workshop")

    def action_offer(self, objection):
        """The SOP's answer to the customer's ``objection`` (``OFFERS``): the
        booking form of the offer, the objection kept on the lead."""
        self.ensure_one()
        if objection not in OFFERS:
            raise UserError(_("There is no offer for this objection."))
        return getattr(self, OFFERS[objection])()

    def action_offer_weekend(self):
        """No time: weekdays confirmed impossible, propose the next free weekend
        slots (the first one in the booking form)."""
        self.ensure_one()
        self._check_open()
        slots = self._weekend_slots()
        self.write({"weekdays_impossible": True, "objection": "no_time"})
        self.message_post(
            body=_(
                "No time on weekdays (confirmed). Weekend slots proposed: %(slots)s",
                slots=", ".join(self.branch_id._booking_format(s) for s in slots)
                or _("none in the coming weeks"),
            )
        )
        action = self._action_new_booking("weekend")
        if slots:
            action["context"]["default_start"] = fields.Datetime.to_string(slots[0])
        return action

    def action_offer_home_service(self):
        """Too far from the workshop: a mechanic comes to the customer."""
        self.ensure_one()
        self._check_open()
        self.objection = "too_far"
        return self._action_new_booking("home_service")

    def action_offer_promo(self):
        """Disappointed or prefers another dealer: a booking with a promotion."""
        self.ensure_one()
        self._check_open()
        self.objection = "disappointed"
        return self._action_new_booking("promo")

    def action_open_lost_wizard(self):
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": _("Lost Workshop Lead"),
            "res_model": "daya.wor.lead.lost",
            "view_mode": "form",
            "target": "new",
            "context": {"default_wor_lead_ids": self.ids},
        }

    def action_set_lost(self, lost_reason=False):
        """Close the leads as lost with ``lost_reason`` (one of LOST_REASONS)."""
        if not lost_reason:
            raise UserError(_("Give the reason why the workshop lead is lost."))
        self._check_open()
        self.write({"lost_reason": lost_reason, "state": "lost"})
        return True

    def action_serviced_elsewhere(self):
        """Serviced at another dealer: the lead is lost."""
        return self.action_set_lost("serviced_elsewhere")

    # ------------------------------------------------------------
    # BUSINESS METHODS: the follow-up engine's calls
    # ------------------------------------------------------------

    def _on_followup_attempt(self, attempt):
        """The follow-up engine made attempt ``attempt`` (1-3) on these leads: the
        open ones not past that step move to FU<attempt> (one write per batch,
        untracked); booked, done and lost ones keep their state."""
        step = f"fu{attempt}"
        earlier = FOLLOW_UP_STATES[: FOLLOW_UP_STATES.index(step)]
        leads = self.filtered(lambda lead: lead.state in earlier)
        if not leads:
            return
        # a machine-made move of thousands of leads a day: one UPDATE, no tracking
        # value or chatter message per lead (a person's move through the buttons is
        # tracked); the step's date set where it was first reached (see write())
        leads.check_access_rights("write")
        leads.check_access_rule("write")
        date_field = STEP_DATES[step]
        leads.flush_recordset(["state", date_field])
        self.env.cr.execute(
            sql.SQL(
                "UPDATE {table} SET state = %s, {day} = COALESCE({day}, %s),"
                " write_uid = %s, write_date = %s"
                " WHERE id = ANY(%s) AND state IN %s"
            ).format(table=sql.Identifier(self._table), day=sql.Identifier(date_field)),
            (
                step,
                fields.Date.context_today(self),
                self.env.uid,
                self.env.cr.now(),
                leads.ids,
                tuple(earlier),
            ),
        )
        leads.invalidate_recordset(["state", date_field, "write_uid", "write_date"])
        leads.modified(["state", date_field])

    def _on_serviced_elsewhere(self):
        """The customer was serviced at another dealer: the open leads are lost
        (booked, done and lost ones keep their state)."""
        return self._open_leads().action_serviced_elsewhere()

    def _open_leads(self):
        return self.filtered(lambda lead: lead.state in OPEN_STATES)

    def _is_open_for_followup(self):
        """Whether the follow-up engine still has work on the lead (not booked,
        done or lost, no booking)."""
        self.ensure_one()
        return bool(self._open_for_followup())

    def _open_for_followup(self):
        """The leads the follow-up engine still has work on (see
        ``_is_open_for_followup``), for a whole batch at once."""
        return self.filtered(
            lambda lead: lead.state in OPEN_STATES and not lead.booking_ids
        )

    def action_view_bookings(self):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": _("Bookings"),
            "res_model": "daya.service.booking",
            "view_mode": "tree,form",
            "domain": [("wor_lead_id", "=", self.id)],
            "context": self._booking_context("workshop"),
        }
        if len(self.booking_ids) == 1:
            action.update(view_mode="form", res_id=self.booking_ids.id)
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _responsible_role(self, origin, wor_type):
        """Memo 005/IM/MKT/VII/2020: H1 to H2 KPB 1 is PIC CRM H1's, the rest PIC
        CRM H23's (counter part / general workshop admin)."""
        if origin == "h1_h2" and wor_type == "kpb1":
            return "pic_crm_h1"
        return "pic_crm_h23"

    @api.model
    def _kpb_valid_until(self, sale_date, wor_type):
        """Last day the KPB coupon ``wor_type`` of a motorcycle sold on
        ``sale_date`` is valid (False for a regular service)."""
        months = KPB_VALID_MONTHS.get(wor_type)
        if not months or not sale_date:
            return False
        return fields.Date.to_date(sale_date) + relativedelta(months=months)

    @api.model
    def _get_or_create_for_unit_sales(self, unit_sales, wor_type, origin="h1_h2"):
        """{unit sale id: its workshop lead of ``wor_type``}, created where missing
        (see ``_get_or_create_for_units``).

        For a KPB the lead of that coupon is returned whatever its state; for a
        regular service the open or booked one."""
        leads = self._get_or_create_for_units({wor_type: unit_sales}, origin)
        return {unit_id: lead for (unit_id, _type), lead in leads.items()}

    @api.model
    def _get_or_create_for_units(self, units_by_type, origin="h1_h2"):
        """{(unit sale id, type): its workshop lead} for ``units_by_type`` ({type:
        unit sales}), created where missing: one search and one create for all the
        types together, whatever the number of motorcycles.

        Machine-made leads (a delivery, an import, the schedule: thousands a day)
        are created without chatter, tracking or followers; their responsible
        finds them in their queue."""
        pairs = {
            (unit.id, wor_type): unit
            for wor_type, units in units_by_type.items()
            for unit in units
        }
        if not pairs:
            return {}
        types = sorted({wor_type for _unit, wor_type in pairs})
        domain = [
            ("unit_sale_id", "in", sorted({unit_id for unit_id, _type in pairs})),
            ("wor_type", "in", types),
        ]
        if any(wor_type not in KPB_VALID_MONTHS for wor_type in types):
            # a closed regular lead is history: the next visit gets a new one
            domain += [
                "|",
                ("wor_type", "in", list(KPB_VALID_MONTHS)),
                ("state", "not in", CLOSED_STATES),
            ]
        found = {}
        for lead in self.search(domain, order="id"):
            found.setdefault((lead.unit_sale_id.id, lead.wor_type), lead)
        missing = [key for key in pairs if key not in found]
        if missing:
            created = self._create_machine_made(
                [(pairs[key], key[1]) for key in missing], origin
            )
            found.update(zip(missing, created))
        return {key: found[key] for key in pairs}

    @api.model
    def _create_machine_made(self, units_types, origin):
        """New workshop leads for ``units_types`` ([(unit sale, type)]) inserted in
        one query with their computed values (name, responsible role and person,
        KPB date) given: no ORM create, tracking, chatter or follower per lead. A
        second lead for a motorcycle's coupon is refused by the unique index
        ``daya_wor_lead_kpb_unit_uniq`` (two workers at once: the second fails
        and retries, see ``daya.followup.task._create_followups_once``)."""
        roles = {
            wor_type: self._responsible_role(origin, wor_type)
            for wor_type in {wor_type for _unit, wor_type in units_types}
        }
        units = self.env["daya.unit.sale"].concat(*(unit for unit, _t in units_types))
        responsible = self._responsible_picker(set(roles.values()), units.branch_id)
        labels = self._wor_type_labels()
        valid_until = {}
        # each motorcycle's values read once, whatever the number of its coupons
        facts = {
            unit.id: (
                unit.branch_id,
                unit.partner_id,
                unit.frame_number,
                unit.sale_date,
            )
            for unit in units
        }
        vals_list = []
        for unit, wor_type in units_types:
            branch, partner, frame_number, sale_date = facts[unit.id]
            user = responsible(roles[wor_type], branch)
            key = (sale_date, wor_type)
            if key not in valid_until:
                valid_until[key] = self._kpb_valid_until(*key)
            vals_list.append(
                {
                    "name": self._lead_name(
                        wor_type, partner.name, frame_number, labels
                    ),
                    "partner_id": partner.id,
                    "unit_sale_id": unit.id,
                    "branch_id": branch.id,
                    "wor_type": wor_type,
                    "origin": origin,
                    "responsible_role": roles[wor_type],
                    "user_id": user.id,
                    "state": "new",
                    "kpb_valid_until": valid_until[key],
                }
            )
        return insert_rows(self, vals_list)

    @api.model
    def _lead_name(self, wor_type, partner_name, frame_number, labels=None):
        """ "KPB 1 - customer - frame number", the lead's name (``labels``: the
        types' labels, when a batch read them once)."""
        if labels is None:
            labels = self._wor_type_labels()
        parts = [labels.get(wor_type), partner_name, frame_number]
        return " - ".join(filter(None, parts))

    @api.model
    def _wor_type_labels(self):
        """{type: its label in the user's language}."""
        return dict(self._fields["wor_type"]._description_selection(self.env))

    @api.model
    def _responsible_picker(self, roles, branches):
        """A function ``(role, branch)`` giving the least busy user holding the
        role in the branch (its own PIC before the supervisors who also hold the
        role), or an empty recordset: the open leads counted once for all, each
        lead given counting at once."""
        Branch = self.env["daya.branch"]
        holders = {
            role: branches._role_holders(Branch._role_group(role)) for role in roles
        }
        staff = self.env["res.users"].union(
            *(users for by_branch in holders.values() for users in by_branch.values())
        )
        load = {
            group["user_id"][0]: group["__count"]
            for group in self.sudo().read_group(
                [("user_id", "in", staff.ids), ("state", "in", OPEN_STATES)],
                ["user_id"],
                ["user_id"],
                lazy=False,
            )
        }

        def responsible(role, branch):
            users = holders[role].get(branch.id)
            return Branch._pick_least_loaded(users, load) or self.env["res.users"]

        return responsible

    def _weekend_slots(self, count=3):
        """Starts (UTC) of the next free weekend slots of the lead's branch."""
        self.ensure_one()
        return self.branch_id._booking_next_free_slots(
            fields.Datetime.now(), "weekend", count
        )

    def _check_open(self):
        closed = self.filtered(lambda lead: lead.state not in OPEN_STATES)
        if closed:
            raise UserError(
                _(
                    "%(lead)s is already booked or closed.",
                    lead=closed[0].display_name,
                )
            )

    def _check_transition(self, new_state, vals):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for lead in self:
            if lead.state == new_state:
                continue
            if new_state not in TRANSITIONS[lead.state]:
                raise UserError(
                    _(
                        "A workshop lead cannot go from %(old)s to %(new)s.",
                        old=labels[lead.state],
                        new=labels[new_state],
                    )
                )
            if new_state == "lost" and not (
                vals.get("lost_reason") or lead.lost_reason
            ):
                raise UserError(_("Give the reason why the workshop lead is lost."))
            if new_state in ("booked", "done") and not self.env.context.get(
                "daya_booking_update"
            ):
                raise UserError(
                    _("A workshop lead is booked and done through its service booking.")
                )

    def _booking_context(self, kind):
        return {
            "default_partner_id": self.partner_id.id,
            "default_unit_sale_id": self.unit_sale_id.id,
            "default_wor_lead_id": self.id,
            "default_branch_id": self.branch_id.id,
            "default_booking_kind": kind,
            "default_service_type": self.wor_type,
        }

    def _action_new_booking(self, kind):
        self.ensure_one()
        self._check_open()
        context = self._booking_context(kind)
        if kind == "home_service":
            address = self.partner_id._display_address(without_company=True).strip()
            if address:
                context["default_note"] = _("Home service at: %s", address)
        labels = dict(
            self.env["daya.service.booking"]
            ._fields["booking_kind"]
            ._description_selection(self.env)
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Book a Service: %s", labels[kind]),
            "res_model": "daya.service.booking",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def _on_booking(self):
        """A booking was made: the open leads are booked."""
        leads = self.filtered(lambda lead: lead.state in OPEN_STATES)
        for state in OPEN_STATES:
            batch = leads.filtered(lambda lead, state=state: lead.state == state)
            if batch:
                batch.with_context(daya_booking_update=True).write(
                    {"state_before_booking": state, "state": "booked"}
                )

    def _on_booking_done(self):
        self.filtered(lambda lead: lead.state == "booked").with_context(
            daya_booking_update=True
        ).write({"state": "done"})

    def _on_booking_missed(self, booking):
        """A no-show or a cancelled booking reopens the lead for follow-up where
        it was."""
        labels = dict(booking._fields["state"]._description_selection(self.env))
        for lead in self._reopen_if_unbooked():
            lead.message_post(
                body=_(
                    "Booking %(booking)s: %(state)s. Follow the customer up again.",
                    booking=booking.name,
                    state=labels[booking.state],
                )
            )

    def _reopen_if_unbooked(self):
        """The booked leads left without a booking in progress go back to their
        follow-up step; returns them."""
        leads = self.filtered(
            lambda lead: (
                lead.state == "booked"
                and not lead.booking_ids.filtered(
                    lambda b: b.state in ("booked", "arrived")
                )
            )
        )
        for lead in leads:
            lead.with_context(daya_booking_update=True).write(
                {"state": lead.state_before_booking or "new"}
            )
        return leads
