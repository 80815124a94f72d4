from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get


class DayaBranch(models.Model):
    _inherit = "daya.branch"

    tz = fields.Selection(
        _tz_get,
        string="Timezone",
        default="Asia/Jakarta",
        required=True,
        help="Local time of the branch: booking slots and opening hours use it.",
    )
    booking_slot_minutes = fields.Integer(
        string="Booking Slot (minutes)", default=60, help="Length of a service slot."
    )
    booking_capacity = fields.Integer(
        string="Bookings per Slot",
        default=4,
        help="How many motorcycles the AHASS takes in one slot (its service bays).",
    )
    booking_open_hour = fields.Float(string="First Slot", default=8.0)
    booking_close_hour = fields.Float(string="Workshop Closes", default=16.0)

    @api.constrains(
        "booking_slot_minutes",
        "booking_capacity",
        "booking_open_hour",
        "booking_close_hour",
    )
    def _check_booking_settings(self):
        for branch in self:
            if branch.booking_slot_minutes <= 0 or branch.booking_capacity <= 0:
                raise ValidationError(
                    _("The slot length and the bookings per slot must be positive.")
                )
            if not 0 <= branch.booking_open_hour < branch.booking_close_hour <= 24:
                raise ValidationError(
                    _("The workshop must open before it closes, within the day.")
                )

    def _booking_tz(self):
        self.ensure_one()
        return self.tz or "Asia/Jakarta"
