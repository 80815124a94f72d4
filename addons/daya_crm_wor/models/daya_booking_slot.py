from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class DayaBookingSlot(models.Model):
    """Booking hours of a branch's AHASS on one day of the week and how many
    motorcycles it takes per slot (its service bays and mechanics)."""

    _name = "daya.booking.slot"
    _description = "Workshop Booking Hours"
    _inherit = ["daya.branch.mixin"]
    _order = "branch_id, dayofweek, hour_from"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    branch_id = fields.Many2one(required=True, ondelete="cascade")
    dayofweek = fields.Selection(
        [
            ("0", "Monday"),
            ("1", "Tuesday"),
            ("2", "Wednesday"),
            ("3", "Thursday"),
            ("4", "Friday"),
            ("5", "Saturday"),
            ("6", "Sunday"),
        ],
        string="Day",
        required=True,
        default="0",
    )
    hour_from = fields.Float(string="From", required=True, default=8.0)
    hour_to = fields.Float(string="To", required=True, default=16.0)
    capacity = fields.Integer(
        string="Motorcycles per Slot",
        required=True,
        default=4,
        help="How many motorcycles the AHASS takes in one slot of these hours.",
    )
    slot_minutes = fields.Integer(related="branch_id.booking_slot_minutes")

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("hour_from", "hour_to", "capacity")
    def _check_hours(self):
        for line in self:
            if not 0 <= line.hour_from < line.hour_to <= 24:
                raise ValidationError(
                    _("Booking hours start before they end, within the day.")
                )
            if line.capacity <= 0:
                raise ValidationError(
                    _("The AHASS takes at least one motorcycle per slot.")
                )

    @api.constrains("branch_id", "dayofweek", "hour_from", "hour_to")
    def _check_overlap(self):
        lines = self.search([("branch_id", "in", self.branch_id.ids)])
        by_day = {}
        for line in lines:
            by_day.setdefault((line.branch_id, line.dayofweek), []).append(line)
        days = dict(self._fields["dayofweek"]._description_selection(self.env))
        for (branch, day), day_lines in by_day.items():
            day_lines.sort(key=lambda line: line.hour_from)
            for before, after in zip(day_lines, day_lines[1:]):
                if after.hour_from < before.hour_to:
                    raise ValidationError(
                        _(
                            "The booking hours of %(branch)s overlap on %(day)s.",
                            branch=branch.display_name,
                            day=days[day],
                        )
                    )
