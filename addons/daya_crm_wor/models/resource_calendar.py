from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    daya_branch_ids = fields.One2many(
        "daya.branch",
        "booking_calendar_id",
        string="Booking Hours of",
        help="The branches whose AHASS takes bookings in these hours.",
    )


class ResourceCalendarAttendance(models.Model):
    """A line of a branch's booking hours: a day of the week, its hours and how
    many motorcycles the AHASS takes per slot (its service bays and mechanics)."""

    _inherit = "resource.calendar.attendance"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    daya_booking_capacity = fields.Integer(
        string="Motorcycles per Slot",
        default=4,
        help="How many motorcycles the AHASS takes in one slot of these hours.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(
        "calendar_id", "dayofweek", "hour_from", "hour_to", "daya_booking_capacity"
    )
    def _check_daya_booking_hours(self):
        """The lines of booking hours start before they end, within the day, take
        at least one motorcycle and do not overlap on a day."""
        lines = self.filtered(
            lambda line: line.calendar_id.daya_branch_ids and not line.display_type
        )
        for line in lines:
            if not 0 <= line.hour_from < line.hour_to <= 24:
                raise ValidationError(
                    _("Booking hours start before they end, within the day.")
                )
            if line.daya_booking_capacity <= 0:
                raise ValidationError(
                    _("The AHASS takes at least one motorcycle per slot.")
                )
        if not lines:
            return
        by_day = {}
        for line in self.search(
            [
                ("calendar_id", "in", lines.calendar_id.ids),
                ("display_type", "=", False),
                ("resource_id", "=", False),
            ]
        ):
            key = (line.calendar_id, line.week_type, line.dayofweek)
            by_day.setdefault(key, []).append(line)
        days = dict(self._fields["dayofweek"]._description_selection(self.env))
        for (calendar, _week, day), day_lines in by_day.items():
            day_lines.sort(key=lambda line: line.hour_from)
            for before, after in zip(day_lines, day_lines[1:]):
                if after.hour_from < before.hour_to:
                    raise ValidationError(
                        _(
                            "The booking hours of %(branch)s overlap on %(day)s.",
                            branch=calendar.daya_branch_ids[:1].display_name,
                            day=days[day],
                        )
                    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        result = super().write(vals)
        if "calendar_id" in vals:
            # the record rules checked the lines' calendar before the write: they
            # hold for the calendar the lines move to as well (a workshop head
            # moves no line into the working hours or another branch's hours)
            self.check_access_rule("write")
        return result
