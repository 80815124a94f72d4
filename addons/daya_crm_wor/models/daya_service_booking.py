from datetime import datetime, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# Bookings that hold a slot and a motorcycle.
ACTIVE_STATES = ("booked", "arrived")


class DayaServiceBooking(models.Model):
    """A service booking at a branch's AHASS: mandatory for every service, from a
    workshop lead or a walk-in customer."""

    _name = "daya.service.booking"
    _description = "Service Booking"
    _inherit = ["daya.branch.mixin", "mail.thread"]
    _order = "start desc, id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    unit_sale_id = fields.Many2one(
        "daya.unit.sale",
        string="Motorcycle",
        index=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    wor_lead_id = fields.Many2one(
        "daya.wor.lead", string="Workshop Lead", index=True, ondelete="set null"
    )
    branch_id = fields.Many2one(required=True)
    start = fields.Datetime(required=True, tracking=True, index=True)
    stop = fields.Datetime(compute="_compute_stop", store=True)
    service_type = fields.Selection(
        [
            ("kpb1", "KPB 1"),
            ("kpb2", "KPB 2"),
            ("kpb3", "KPB 3"),
            ("kpb4", "KPB 4"),
            ("regular", "Regular Service"),
            ("repair", "Repair"),
        ],
        required=True,
        default="regular",
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
    note = fields.Text()
    responsible_user_id = fields.Many2one(
        related="wor_lead_id.user_id", string="Responsible", store=True
    )
    # measures of the conversion figures
    done_count = fields.Integer(compute="_compute_measures", store=True, string="Done")
    no_show_count = fields.Integer(
        compute="_compute_measures", store=True, string="No-shows"
    )
    conversion_rate = fields.Float(
        compute="_compute_measures",
        store=True,
        group_operator="avg",
        string="Booking to Done (%)",
    )

    # ------------------------------------------------------------
    # COMPUTES AND CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("start", "branch_id.booking_slot_minutes")
    def _compute_stop(self):
        for booking in self:
            booking.stop = booking.start and booking.start + timedelta(
                minutes=booking.branch_id.booking_slot_minutes or 60
            )

    @api.depends("state")
    def _compute_measures(self):
        for booking in self:
            booking.done_count = int(booking.state == "done")
            booking.no_show_count = int(booking.state == "no_show")
            booking.conversion_rate = 100.0 if booking.state == "done" else 0.0

    @api.constrains("unit_sale_id", "state", "start")
    def _check_double_booking(self):
        active = self.filtered(lambda b: b.unit_sale_id and b.state in ACTIVE_STATES)
        if not active:
            return
        others = self.search(
            [
                ("unit_sale_id", "in", active.unit_sale_id.ids),
                ("state", "in", ACTIVE_STATES),
                ("id", "not in", active.ids),
            ]
        )
        clash = others.unit_sale_id & active.unit_sale_id
        if clash:
            raise ValidationError(
                _(
                    "%(frame)s already has a booking that is not finished.",
                    frame=clash[:1].frame_number,
                )
            )

    @api.constrains("start", "branch_id", "booking_kind", "state")
    def _check_slot(self):
        for booking in self.filtered(lambda b: b.state in ACTIVE_STATES):
            local = booking._local_start()
            branch = booking.branch_id
            if booking.booking_kind == "weekend" and local.weekday() < 5:
                raise ValidationError(
                    _("A weekend booking is on a Saturday or Sunday.")
                )
            if booking.booking_kind == "home_service":
                continue  # the mechanic goes out: no bay taken
            hour = local.hour + local.minute / 60
            if not branch.booking_open_hour <= hour < branch.booking_close_hour:
                raise ValidationError(
                    _(
                        "The workshop takes bookings from %(open)s to %(close)s.",
                        open=self._format_hour(branch.booking_open_hour),
                        close=self._format_hour(branch.booking_close_hour),
                    )
                )
            if booking._slot_load(booking.start) > branch.booking_capacity:
                free = booking._next_free_slots(booking.start)
                raise ValidationError(
                    _(
                        "The slot of %(slot)s is full. Next free slots: %(free)s.",
                        slot=local.strftime("%d/%m/%Y %H:%M"),
                        free=", ".join(
                            slot.strftime("%d/%m/%Y %H:%M") for slot in free
                        ),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = Sequence.next_by_code("daya.service.booking") or "/"
        bookings = super().create(vals_list)
        bookings.wor_lead_id._on_booking()
        return bookings

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_arrive(self):
        self._move("arrived", ("booked",))

    def action_done(self):
        self._move("done", ("booked", "arrived"))
        leads = self.wor_lead_id.filtered(lambda lead: lead.state == "booked")
        leads.write({"state": "done"})

    def action_no_show(self):
        self._move("no_show", ("booked",))
        self.wor_lead_id._on_booking_no_show()

    def action_cancel(self):
        self._move("cancel", ("booked",))
        self.wor_lead_id._on_booking_no_show()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _move(self, state, allowed_from):
        labels = dict(self._fields["state"].selection)
        for booking in self:
            if booking.state not in allowed_from:
                raise UserError(
                    _(
                        "A booking that is %(state)s cannot become %(new)s.",
                        state=labels[booking.state],
                        new=labels[state],
                    )
                )
        self.write({"state": state})

    def _tz(self):
        return pytz.timezone(self.branch_id._booking_tz())

    def _local_start(self):
        return pytz.utc.localize(self.start).astimezone(self._tz())

    @api.model
    def _format_hour(self, hour):
        return "%02d:%02d" % (int(hour), round((hour % 1) * 60))

    def _slot_bounds(self, start):
        """(start, stop) in UTC of the branch slot that contains ``start``."""
        minutes = self.branch_id.booking_slot_minutes or 60
        tz = self._tz()
        local = pytz.utc.localize(start).astimezone(tz)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        index = int((local - midnight).total_seconds() // 60 // minutes)
        slot_start = midnight + timedelta(minutes=index * minutes)
        slot_start = slot_start.astimezone(pytz.utc).replace(tzinfo=None)
        return slot_start, slot_start + timedelta(minutes=minutes)

    def _slot_load(self, start):
        slot_start, slot_stop = self._slot_bounds(start)
        return self.search_count(
            [
                ("branch_id", "=", self.branch_id.id),
                ("state", "in", ACTIVE_STATES),
                ("booking_kind", "!=", "home_service"),
                ("start", ">=", slot_start),
                ("start", "<", slot_stop),
            ]
        )

    def _next_free_slots(self, start, count=3):
        """The next ``count`` slots (local time) of the branch with room left."""
        branch = self.branch_id
        minutes = branch.booking_slot_minutes or 60
        tz = self._tz()
        slot_start, _stop = self._slot_bounds(start)
        # load of the coming two weeks, in one query
        horizon = slot_start + timedelta(days=14)
        groups = self.read_group(
            [
                ("branch_id", "=", branch.id),
                ("state", "in", ACTIVE_STATES),
                ("booking_kind", "!=", "home_service"),
                ("start", ">=", slot_start),
                ("start", "<", horizon),
            ],
            ["start"],
            ["start:hour"],
            lazy=False,
        )
        taken = {}
        for group in groups:
            hour_start = datetime.strptime(
                group["__range"]["start:hour"]["from"], "%Y-%m-%d %H:%M:%S"
            )
            taken[hour_start] = group["__count"]
        free = []
        slot = slot_start + timedelta(minutes=minutes)
        while slot < horizon and len(free) < count:
            local = pytz.utc.localize(slot).astimezone(tz)
            hour = local.hour + local.minute / 60
            weekend_ok = self.booking_kind != "weekend" or local.weekday() >= 5
            in_hours = branch.booking_open_hour <= hour < branch.booking_close_hour
            if in_hours and weekend_ok:
                load = (
                    sum(
                        n
                        for when, n in taken.items()
                        if slot <= when < slot + timedelta(minutes=minutes)
                    )
                    if minutes >= 60
                    else taken.get(slot.replace(minute=0), 0)
                )
                if load < branch.booking_capacity:
                    free.append(local.replace(tzinfo=None))
            slot += timedelta(minutes=minutes)
        return free

    @api.model
    def _conversion_figures(self, domain, groupby):
        """Bookings, done services, no-shows and the booking → done conversion (%),
        grouped by ``groupby`` (e.g. branch_id, responsible_user_id, service_type)."""
        figures = {}
        for group in self.read_group(
            domain, ["done_count:sum", "no_show_count:sum"], [groupby], lazy=False
        ):
            key = (
                group[groupby][0]
                if isinstance(group[groupby], tuple)
                else group[groupby]
            )
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
