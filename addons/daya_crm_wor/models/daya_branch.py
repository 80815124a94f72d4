from bisect import bisect_left
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_datetime

from odoo.addons.base.models.res_partner import _tz_get

# bookings that take a service bay in their slot
BAY_STATES = ("booked", "arrived")
WEEKEND = (5, 6)


class DayaBranch(models.Model):
    _inherit = "daya.branch"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    tz = fields.Selection(
        _tz_get,
        string="Timezone",
        default="Asia/Jakarta",
        required=True,
        help="Local time of the branch (WIB, WITA, WIT): its booking hours and "
        "slots are in this time zone.",
    )
    booking_slot_minutes = fields.Integer(
        string="Booking Slot (minutes)",
        default=60,
        required=True,
        help="Length of a service slot at the AHASS.",
    )
    booking_slot_ids = fields.One2many(
        "daya.booking.slot", "branch_id", string="Booking Hours"
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("booking_slot_minutes")
    def _check_booking_slot_minutes(self):
        if any(not 15 <= branch.booking_slot_minutes <= 480 for branch in self):
            raise ValidationError(
                _("A booking slot lasts between 15 minutes and 8 hours.")
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        branches = super().create(vals_list)
        branches.filtered(
            lambda branch: not branch.booking_slot_ids
        )._create_default_booking_slots()
        return branches

    # ------------------------------------------------------------
    # BUSINESS METHODS: booking hours and slots
    # ------------------------------------------------------------

    def _create_default_booking_slots(self):
        """Monday to Saturday 08:00-16:00 with 4 motorcycles per slot, Sunday
        08:00-12:00 with 2: the workshop head adapts them."""
        return self.env["daya.booking.slot"].create(
            [
                {
                    "branch_id": branch.id,
                    "dayofweek": str(day),
                    "hour_from": 8.0,
                    "hour_to": 12.0 if day == 6 else 16.0,
                    "capacity": 2 if day == 6 else 4,
                }
                for branch in self
                for day in range(7)
            ]
        )

    @api.model
    def _setup_booking_slots(self):
        """At installation: default booking hours for the branches that have none."""
        self.with_context(active_test=False).search(
            [("booking_slot_ids", "=", False)]
        )._create_default_booking_slots()

    def _booking_tz(self):
        self.ensure_one()
        return pytz.timezone(self.tz or "Asia/Jakarta")

    def _booking_to_local(self, utc_dt):
        """A naive UTC datetime (as Odoo stores it) as naive branch-local time."""
        return (
            pytz.utc.localize(utc_dt)
            .astimezone(self._booking_tz())
            .replace(tzinfo=None)
        )

    def _booking_to_utc(self, local_dt):
        return (
            self._booking_tz()
            .localize(local_dt)
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )

    def _booking_format(self, utc_dt):
        """``utc_dt`` in the branch's time, in the user's language."""
        return format_datetime(
            self.env, utc_dt, tz=self.tz, dt_format="EEE dd/MM/yyyy HH:mm"
        )

    def _booking_holidays(self, utc_from, utc_to):
        """[(from, to)] UTC of the public holidays of the branch's working hours
        (global leaves) overlapping the period: the AHASS takes no booking."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return []
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_read(
                [
                    ("resource_id", "=", False),
                    ("calendar_id", "in", [False, calendar.id]),
                    ("date_from", "<", utc_to),
                    ("date_to", ">", utc_from),
                ],
                ["date_from", "date_to"],
            )
        )
        return [(leave["date_from"], leave["date_to"]) for leave in leaves]

    def _booking_slots(self, utc_from, utc_to):
        """[(start, stop, capacity)] in UTC of the branch's slots starting in
        [utc_from, utc_to), holidays left out: one query for the holidays."""
        self.ensure_one()
        minutes = self.booking_slot_minutes or 60
        holidays = self._booking_holidays(utc_from, utc_to + timedelta(days=1))
        lines_by_day = {}
        for line in self.booking_slot_ids.sorted("hour_from"):
            lines_by_day.setdefault(int(line.dayofweek), []).append(line)
        slots = []
        day = self._booking_to_local(utc_from).date()
        last_day = self._booking_to_local(utc_to).date()
        while day <= last_day:
            midnight = datetime.combine(day, time.min)
            for line in lines_by_day.get(day.weekday(), []):
                start = midnight + timedelta(minutes=round(line.hour_from * 60))
                end = midnight + timedelta(minutes=round(line.hour_to * 60))
                while start < end:
                    stop = min(start + timedelta(minutes=minutes), end)
                    utc_start = self._booking_to_utc(start)
                    utc_stop = self._booking_to_utc(stop)
                    if utc_from <= utc_start < utc_to and not any(
                        h_from < utc_stop and h_to > utc_start
                        for h_from, h_to in holidays
                    ):
                        slots.append((utc_start, utc_stop, line.capacity))
                    start += timedelta(minutes=minutes)
            day += timedelta(days=1)
        return slots

    def _booking_bay_starts(self, utc_from, utc_to):
        """Sorted starts of the bookings holding a bay in [utc_from, utc_to)."""
        self.ensure_one()
        # the load of a slot counts every booking of the branch, whoever may open
        # it
        bookings = (
            self.env["daya.service.booking"]
            .sudo()
            .search_read(
                [
                    ("branch_id", "=", self.id),
                    ("state", "in", BAY_STATES),
                    ("booking_kind", "!=", "home_service"),
                    ("start", ">=", utc_from),
                    ("start", "<", utc_to),
                ],
                ["start"],
            )
        )
        return sorted(booking["start"] for booking in bookings)

    @api.model
    def _booking_load(self, starts, slot):
        """How many of the sorted ``starts`` fall in ``slot`` (start, stop, ...)."""
        return bisect_left(starts, slot[1]) - bisect_left(starts, slot[0])

    def _booking_next_free_slots(self, after, kind="workshop", count=3, days=28):
        """Starts (UTC) of the next ``count`` slots with room, from ``after`` (not
        in the past) for ``days`` days; weekend slots only for a weekend booking. A
        home service takes no bay: any opening slot does."""
        self.ensure_one()
        after = max(after, fields.Datetime.now())
        until = after + timedelta(days=days)
        starts = self._booking_bay_starts(after, until)
        free = []
        for slot in self._booking_slots(after, until):
            if (
                kind == "weekend"
                and self._booking_to_local(slot[0]).weekday() not in WEEKEND
            ):
                continue
            if kind == "home_service" or self._booking_load(starts, slot) < slot[2]:
                free.append(slot[0])
                if len(free) >= count:
                    break
        return free
