from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .daya_branch import BAY_STATES, WEEKEND
from .daya_wor_lead import OPEN_STATES

# state → the states a booking may go to
TRANSITIONS = {
    "booked": {"arrived", "done", "no_show", "cancel"},
    "arrived": {"done", "cancel"},
    "done": set(),
    "no_show": set(),
    "cancel": set(),
}
# what decides a slot's load: changing them locks the branch's bookings
SLOT_FIELDS = {"branch_id", "start", "booking_kind", "unit_sale_id"}
# how far back or ahead a booking may be
BOOKING_RANGE = timedelta(days=365)
# what stays as it was once the customer came (or did not)
LOCKED_FIELDS = {
    "partner_id",
    "unit_sale_id",
    "wor_lead_id",
    "branch_id",
    "start",
    "booking_kind",
}


class DayaServiceBooking(models.Model):
    """A service booking at a branch's AHASS: mandatory for every service, from a
    workshop lead or for a walk-in customer."""

    _name = "daya.service.booking"
    _description = "Service Booking"
    _inherit = ["daya.branch.mixin", "mail.thread"]
    _order = "start desc, id desc"
    _branch_scoped_fields = ("unit_sale_id", "wor_lead_id")

    # ------------------------------------------------------------
    # DEFAULT METHODS
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if (
            "start" in fields_list
            and not values.get("start")
            and values.get("branch_id")
        ):
            # the next slot with room for this kind of booking
            branch = self.env["daya.branch"].browse(values["branch_id"])
            free = branch._booking_next_free_slots(
                fields.Datetime.now(), values.get("booking_kind") or "workshop", 1
            )
            if free:
                values["start"] = fields.Datetime.to_string(free[0])
        return values

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
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
    frame_number = fields.Char(related="unit_sale_id.frame_number")
    wor_lead_id = fields.Many2one(
        "daya.wor.lead",
        string="Workshop Lead",
        index=True,
        ondelete="set null",
        domain="[('partner_id', '=?', partner_id), "
        "('state', 'in', ['new', 'fu1', 'fu2', 'fu3'])]",
        help="Empty for a walk-in customer.",
    )
    branch_id = fields.Many2one(required=True, tracking=True)
    start = fields.Datetime(required=True, tracking=True, index=True)
    stop = fields.Datetime(compute="_compute_stop", store=True, precompute=True)
    service_type = fields.Selection(
        [
            ("kpb1", "KPB 1"),
            ("kpb2", "KPB 2"),
            ("kpb3", "KPB 3"),
            ("kpb4", "KPB 4"),
            ("regular", "Regular Service"),
            ("repair", "Repair"),
        ],
        compute="_compute_service_type",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    booking_kind = fields.Selection(
        [
            ("workshop", "Workshop"),
            ("weekend", "Weekend"),
            ("home_service", "Home Service"),
            ("promo", "Promo"),
        ],
        string="Kind",
        required=True,
        default="workshop",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("booked", "Booked"),
            ("arrived", "Arrived"),
            ("done", "Done"),
            ("no_show", "No-show"),
            ("cancel", "Cancelled"),
        ],
        default="booked",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    note = fields.Text(help="Complaint, address of a home service, promotion offered.")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        domain="[('share', '=', False)]",
        help="The responsible of the workshop lead, or who booked the walk-in "
        "customer.",
    )
    responsible_role = fields.Selection(
        related="wor_lead_id.responsible_role", store=True, string="Role"
    )
    is_walk_in = fields.Boolean(
        compute="_compute_is_walk_in", store=True, precompute=True, string="Walk-in"
    )
    # measures of the conversion figures
    done_count = fields.Integer(
        compute="_compute_measures", store=True, precompute=True, string="Done"
    )
    no_show_count = fields.Integer(
        compute="_compute_measures", store=True, precompute=True, string="No-shows"
    )
    conversion_rate = fields.Float(
        compute="_compute_measures",
        store=True,
        precompute=True,
        group_operator="avg",
        string="Booking to Done (%)",
        help="Share of the bookings that became a done service.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("start", "branch_id.booking_slot_minutes")
    def _compute_stop(self):
        for booking in self:
            booking.stop = booking.start and booking.start + timedelta(
                minutes=booking.branch_id.booking_slot_minutes or 60
            )

    @api.depends("wor_lead_id")
    def _compute_service_type(self):
        for booking in self:
            booking.service_type = (
                booking.wor_lead_id.wor_type or booking.service_type or "regular"
            )

    @api.depends("wor_lead_id")
    def _compute_user_id(self):
        for booking in self:
            booking.user_id = (
                booking.wor_lead_id.user_id or booking.user_id or self.env.user
            )

    @api.depends("wor_lead_id")
    def _compute_is_walk_in(self):
        for booking in self:
            booking.is_walk_in = not booking.wor_lead_id

    @api.depends("state")
    def _compute_measures(self):
        for booking in self:
            booking.done_count = int(booking.state == "done")
            booking.no_show_count = int(booking.state == "no_show")
            booking.conversion_rate = 100.0 if booking.state == "done" else 0.0

    # ------------------------------------------------------------
    # CONSTRAINTS AND ONCHANGES
    # ------------------------------------------------------------

    @api.constrains("start")
    def _check_date_range(self):
        """A booking is for the coming year, or recorded for the past one."""
        now = fields.Datetime.now()
        first, last = now - BOOKING_RANGE, now + BOOKING_RANGE
        for booking in self:
            if not first <= booking.start <= last:
                branch = booking.branch_id.sudo()
                raise ValidationError(
                    _(
                        "Start: %(when)s is outside the accepted range, from "
                        "%(first)s to %(last)s (one year back or ahead).",
                        when=branch._booking_format(booking.start),
                        first=branch._booking_format(first),
                        last=branch._booking_format(last),
                    )
                )

    @api.constrains("unit_sale_id", "state")
    def _check_double_booking(self):
        active = self.filtered(lambda b: b.unit_sale_id and b.state in BAY_STATES)
        if not active:
            return
        # a motorcycle has one booking at a time, whichever branch holds it
        others = self.sudo().search(
            [
                ("unit_sale_id", "in", active.unit_sale_id.ids),
                ("state", "in", BAY_STATES),
            ],
            order="start",
        )
        for booking in active:
            clash = others.filtered(
                lambda other, booking=booking: (
                    other.unit_sale_id == booking.unit_sale_id
                    and other.id != booking.id
                )
            )[:1]
            if clash:
                clash._raise_already_booked()

    @api.constrains("wor_lead_id", "unit_sale_id", "partner_id")
    def _check_wor_lead(self):
        for booking in self.filtered("wor_lead_id"):
            lead = booking.wor_lead_id
            if lead.partner_id != booking.partner_id or (
                lead.unit_sale_id and lead.unit_sale_id != booking.unit_sale_id
            ):
                raise ValidationError(
                    _(
                        "The booking is for the customer and motorcycle of its "
                        "workshop lead %(lead)s.",
                        lead=lead.display_name,
                    )
                )

    @api.constrains("start", "branch_id", "booking_kind")
    def _check_slot(self):
        """Weekend bookings on Saturday or Sunday; a booking taking a bay needs an
        open slot with room: one query per branch for the whole batch."""
        bookings = self.filtered(lambda b: b.state in BAY_STATES)
        for booking in bookings.filtered(lambda b: b.booking_kind == "weekend"):
            local = booking.branch_id._booking_to_local(booking.start)
            if local.weekday() not in WEEKEND:
                raise ValidationError(
                    _(
                        "A weekend booking is on a Saturday or a Sunday, not on "
                        "%(when)s.",
                        when=booking.branch_id._booking_format(booking.start),
                    )
                )
        bookings = bookings.filtered(lambda b: b.booking_kind != "home_service")
        for branch in bookings.branch_id:
            batch = bookings.filtered(lambda b, branch=branch: b.branch_id == branch)
            first = min(batch.mapped("start")) - timedelta(days=1)
            last = max(batch.mapped("start")) + timedelta(days=1)
            slots = branch._booking_slots(first, last)
            starts = branch._booking_bay_starts(first, last)
            for booking in batch:
                slot = next(
                    (s for s in slots if s[0] <= booking.start < s[1]),
                    None,
                )
                if not slot:
                    raise ValidationError(
                        _(
                            "The AHASS of %(branch)s takes no booking on %(when)s. "
                            "Next free slots: %(free)s.",
                            branch=branch.name,
                            when=branch._booking_format(booking.start),
                            free=booking._free_slots_text(booking.start),
                        )
                    )
                if branch._booking_load(starts, slot) > slot[2]:
                    raise ValidationError(
                        _(
                            "The slot of %(when)s at %(branch)s is full (%(capacity)s "
                            "motorcycles). Next free slots: %(free)s.",
                            when=branch._booking_format(slot[0]),
                            branch=branch.name,
                            capacity=slot[2],
                            free=booking._free_slots_text(slot[1]),
                        )
                    )

    @api.onchange("unit_sale_id")
    def _onchange_unit_sale_id(self):
        """The customer of the motorcycle and its open workshop lead (a walk-in
        with a KPB still to do is that lead's booking)."""
        unit = self.unit_sale_id
        if not unit:
            return
        self.partner_id = unit.partner_id
        if not self.wor_lead_id:
            self.wor_lead_id = self.env["daya.wor.lead"].search(
                [
                    ("unit_sale_id", "=", unit.id),
                    ("state", "in", OPEN_STATES),
                ],
                order="kpb_valid_until",
                limit=1,
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        res = super().init()
        # the database's guarantee behind _check_double_booking: one booking
        # taking a bay per motorcycle, whatever the callers do at the same time
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS daya_service_booking_unit_active_uniq
            ON daya_service_booking (unit_sale_id)
            WHERE state IN ('booked', 'arrived') AND unit_sale_id IS NOT NULL
            """
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access_rights("create")
        self.env["daya.wor.lead"].browse(
            [vals["wor_lead_id"] for vals in vals_list if vals.get("wor_lead_id")]
        )._check_open()
        default_branch = (
            self.default_get(["branch_id"]).get("branch_id")
            if any(not vals.get("branch_id") for vals in vals_list)
            else False
        )
        self._lock_branches(
            self.env["daya.branch"].browse(
                {vals.get("branch_id") or default_branch for vals in vals_list}
                - {False, None}
            )
        )
        default_unit = self.env.context.get("default_unit_sale_id")
        self._check_units_free(
            [
                (vals.get("branch_id") or default_branch, vals["unit_sale_id"])
                for vals in [
                    dict(vals, unit_sale_id=vals.get("unit_sale_id", default_unit))
                    for vals in vals_list
                    if vals.get("state", "booked") in BAY_STATES
                ]
                if vals["unit_sale_id"]
            ]
        )
        Sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = Sequence.next_by_code("daya.service.booking") or "/"
        bookings = super().create(vals_list)
        bookings.wor_lead_id._on_booking()
        return bookings

    def write(self, vals):
        if "state" in vals:
            self._check_transition(vals["state"])
        if LOCKED_FIELDS.intersection(vals):
            closed = self.filtered(lambda b: b.state != "booked")
            if closed:
                raise UserError(
                    _(
                        "%(booking)s is no longer booked: its customer, motorcycle, "
                        "branch, time and kind stay as they were.",
                        booking=closed[0].name,
                    )
                )
        if SLOT_FIELDS.intersection(vals):
            branches = self.branch_id
            if vals.get("branch_id"):
                branches |= self.env["daya.branch"].browse(vals["branch_id"])
            self._lock_branches(branches)
            if vals.get("unit_sale_id"):
                active = self.filtered(lambda b: b.state in BAY_STATES)
                self._check_units_free(
                    [
                        (
                            vals.get("branch_id") or booking.branch_id.id,
                            vals["unit_sale_id"],
                        )
                        for booking in active
                    ],
                    active,
                )
        previous_leads = self.env["daya.wor.lead"]
        if "wor_lead_id" in vals:
            self.env["daya.wor.lead"].browse(vals["wor_lead_id"])._check_open()
            previous_leads = self.wor_lead_id
        result = super().write(vals)
        if "wor_lead_id" in vals:
            self.wor_lead_id._on_booking()
            (previous_leads - self.wor_lead_id)._reopen_if_unbooked()
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_arrive(self):
        self.write({"state": "arrived"})
        return True

    def action_done(self):
        """The service is done: so is its workshop lead."""
        self.write({"state": "done"})
        self.wor_lead_id._on_booking_done()
        return True

    def action_no_show(self):
        """The customer did not come: the workshop lead is followed up again."""
        self.write({"state": "no_show"})
        for booking in self:
            booking.wor_lead_id._on_booking_missed(booking)
        return True

    def action_cancel(self):
        self.write({"state": "cancel"})
        for booking in self:
            booking.wor_lead_id._on_booking_missed(booking)
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_transition(self, new_state):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for booking in self:
            if (
                booking.state != new_state
                and new_state not in (TRANSITIONS[booking.state])
            ):
                raise UserError(
                    _(
                        "%(booking)s is %(state)s: it cannot become %(new)s.",
                        booking=booking.name,
                        state=labels[booking.state],
                        new=labels[new_state],
                    )
                )

    @api.model
    def _lock_branches(self, branches):
        """Hold the bookings of ``branches`` until the transaction ends, so that a
        slot's capacity and one booking per motorcycle hold however many users
        book at once.

        Odoo's transactions are REPEATABLE READ: a lock taken after the request's
        first query (an advisory lock, SELECT FOR UPDATE) would let a booking
        committed meanwhile stay unseen. Updating the branch's row makes the
        later booker wait for the first, then fail with a serialization error
        once it commits; Odoo replays that request, which then counts the first
        booking."""
        if branches:
            self.env.cr.execute(
                """
                UPDATE daya_branch SET id = id
                WHERE id IN (
                    SELECT id FROM daya_branch WHERE id IN %s ORDER BY id FOR UPDATE
                )
                """,
                [tuple(branches.ids)],
            )

    @api.model
    def _check_units_free(self, pairs, bookings=None):
        """Before the database's unique index would: refuse to book the
        motorcycles of ``pairs`` [(branch id, unit sale id)] when one has a
        booking taking a bay (besides ``bookings``), or is not of the branch (the
        branch check, done first so that the message tells nothing of another
        branch's booking)."""
        if not pairs:
            return
        # a booking in a branch the user does not work for is refused by the
        # record rules: as such, before anything else
        self.env["daya.branch"].browse(
            {branch_id for branch_id, _unit_id in pairs if branch_id}
        ).check_access_rule("read")
        self.browse().concat(
            *(
                self.new({"branch_id": branch_id, "unit_sale_id": unit_id})
                for branch_id, unit_id in pairs
            )
        )._check_branch_consistency(["unit_sale_id"])
        unit_ids = [unit_id for _branch_id, unit_id in pairs]
        Unit = self.env["daya.unit.sale"].sudo()
        twice = {unit_id for unit_id in unit_ids if unit_ids.count(unit_id) > 1}
        if twice:
            raise ValidationError(
                _(
                    "%(frame)s is booked twice at once: one booking per motorcycle.",
                    frame=Unit.browse(min(twice)).frame_number,
                )
            )
        clash = self.sudo().search(
            [
                ("unit_sale_id", "in", unit_ids),
                ("state", "in", BAY_STATES),
                ("id", "not in", (bookings or self.browse()).ids),
            ],
            order="start",
            limit=1,
        )
        if clash:
            clash._raise_already_booked()

    def _raise_already_booked(self):
        """Refuse another booking of this booking's motorcycle."""
        self.ensure_one()
        branch = self.branch_id.sudo()
        raise ValidationError(
            _(
                "%(frame)s is already booked (%(booking)s on %(when)s at "
                "%(branch)s). Finish or cancel that booking first.",
                frame=self.sudo().unit_sale_id.frame_number,
                booking=self.sudo().name,
                when=branch._booking_format(self.start),
                branch=branch.name,
            )
        )

    def _free_slots_text(self, after):
        slots = self.branch_id._booking_next_free_slots(after, self.booking_kind)
        return ", ".join(self.branch_id._booking_format(slot) for slot in slots) or _(
            "none in the coming weeks"
        )

    @api.model
    def _conversion_figures(self, domain, groupby):
        """{group: {bookings, done, no_show, conversion}} of the bookings matching
        ``domain`` grouped by ``groupby`` (branch_id, user_id, service_type,
        responsible_role...): cancelled bookings are left out, conversion is done /
        bookings in percent. The figures of the pivot view, in one query."""
        figures = {}
        groups = self.read_group(
            list(domain) + [("state", "!=", "cancel")],
            ["done_count:sum", "no_show_count:sum"],
            [groupby],
            lazy=False,
        )
        for group in groups:
            key = group[groupby]
            if isinstance(key, tuple):
                key = key[0]
            count = group["__count"]
            figures[key] = {
                "bookings": count,
                "done": group["done_count"],
                "no_show": group["no_show_count"],
                "conversion": round(100.0 * group["done_count"] / count, 1)
                if count
                else 0.0,
            }
        return figures
