from bisect import bisect_left
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_datetime

# bookings that take a service bay in their slot
BAY_STATES = ("booked", "arrived")
WEEKEND = (5, 6)


class DayaBranch(models.Model):
    _inherit = "daya.branch"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    booking_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Booking Hours",
        copy=False,
        ondelete="restrict",
        help="When the AHASS takes bookings and how many motorcycles per slot: "
        "its own calendar, beside the branch's working hours (whose holidays "
        "close it as well).",
    )
    tz = fields.Selection(
        related="booking_calendar_id.tz",
        readonly=False,
        string="Timezone",
        help="Local time of the branch (WIB, WITA, WIT): its booking hours and "
        "slots are in this time zone.",
    )
    booking_slot_minutes = fields.Integer(
        string="Booking Slot (minutes)",
        default=60,
        required=True,
        help="Length of a service slot at the AHASS.",
    )
    booking_attendance_ids = fields.One2many(
        related="booking_calendar_id.attendance_ids",
        readonly=False,
        string="Booking Hours Lines",
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
            lambda branch: not branch.booking_calendar_id
        )._create_booking_calendars()
        return branches

    # ------------------------------------------------------------
    # BUSINESS METHODS: booking hours and slots
    # ------------------------------------------------------------

    def _booking_calendar_vals(self, lines=None, tz="Asia/Jakarta"):
        """Values of the branch's booking calendar: ``lines`` [(day of the week
        0-6, hour from, hour to, motorcycles per slot)], by default Monday to
        Saturday 08:00-16:00 with 4 motorcycles per slot and Sunday 08:00-12:00
        with 2 (the workshop head adapts them)."""
        self.ensure_one()
        if lines is None:
            lines = [
                (day, 8.0, 12.0 if day == 6 else 16.0, 2 if day == 6 else 4)
                for day in range(7)
            ]
        Attendance = self.env["resource.calendar.attendance"]
        days = dict(Attendance._fields["dayofweek"]._description_selection(self.env))
        return {
            "name": _("AHASS booking hours %(branch)s", branch=self.display_name),
            "company_id": self.company_id.id,
            "tz": tz,
            "attendance_ids": [
                (
                    0,
                    0,
                    {
                        "name": days[str(day)],
                        "dayofweek": str(day),
                        "hour_from": hour_from,
                        "hour_to": hour_to,
                        "day_period": "morning" if hour_from < 12 else "afternoon",
                        "daya_booking_capacity": capacity,
                    },
                )
                for day, hour_from, hour_to, capacity in lines
            ],
        }

    def _create_booking_calendars(self):
        """Each branch its own booking calendar (capacities are per branch, and
        the working hours stay those of the follow-up deadlines): a system step
        of the branch's creation."""
        calendars = (
            self.env["resource.calendar"]
            .sudo()
            .create([branch._booking_calendar_vals() for branch in self])
        )
        for branch, calendar in zip(self, calendars):
            branch.booking_calendar_id = calendar
        return calendars

    @api.model
    def _setup_booking_calendars(self):
        """At installation: booking hours for the branches that have none."""
        self.with_context(active_test=False).search(
            [("booking_calendar_id", "=", False)]
        )._create_booking_calendars()

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

    def _booking_slots(self, utc_from, utc_to):
        """[(start, stop, capacity)] in UTC of the branch's slots starting in
        [utc_from, utc_to): each line of its booking calendar cut into slots from
        the line's start, a slot kept when it lies in the calendar's work
        intervals (its lines less its leaves and the holidays of the branch's
        working hours). Read as a system step: the hours and holidays decide
        every user's booking."""
        self.ensure_one()
        calendar = self.booking_calendar_id.sudo()
        if not calendar:
            return []
        minutes = self.booking_slot_minutes or 60
        tz = self._booking_tz()
        first_day = self._booking_to_local(utc_from).date()
        last_day = self._booking_to_local(utc_to).date()
        start_dt = tz.localize(datetime.combine(first_day, time.min))
        end_dt = tz.localize(datetime.combine(last_day + timedelta(days=1), time.min))
        work = calendar._work_intervals_batch(start_dt, end_dt, tz=tz)[False]
        working = self.resource_calendar_id.sudo()
        if working and working != calendar:
            work = work - working._leave_intervals_batch(start_dt, end_dt, tz=tz)[False]
        open_hours = [
            (
                start.astimezone(pytz.utc).replace(tzinfo=None),
                # a line until 24:00 ends at 23:59:59.999999
                (stop + timedelta(microseconds=1) if stop.time() == time.max else stop)
                .astimezone(pytz.utc)
                .replace(tzinfo=None),
            )
            for start, stop, _lines in work
        ]
        # the lines open on each day, whatever leave cut them
        day_lines = {
            (start.date(), line) for start, _stop, lines in work for line in lines
        }
        slots = []
        for day, line in day_lines:
            midnight = datetime.combine(day, time.min)
            start = midnight + timedelta(minutes=round(line.hour_from * 60))
            end = midnight + timedelta(minutes=round(line.hour_to * 60))
            while start < end:
                stop = min(start + timedelta(minutes=minutes), end)
                utc_start = self._booking_to_utc(start)
                utc_stop = self._booking_to_utc(stop)
                if utc_from <= utc_start < utc_to and any(
                    open_from <= utc_start and utc_stop <= open_to
                    for open_from, open_to in open_hours
                ):
                    slots.append((utc_start, utc_stop, line.daya_booking_capacity))
                start += timedelta(minutes=minutes)
        return sorted(slots)

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
