from odoo import api, fields, models


class DayaServiceBooking(models.Model):
    _inherit = "daya.service.booking"
    _branch_scoped_fields = ("unit_sale_id", "wor_lead_id", "followup_task_id")

    followup_task_id = fields.Many2one(
        "daya.followup.task", readonly=True, index=True, ondelete="set null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        bookings = super().create(vals_list)
        for booking in bookings.filtered("followup_task_id"):
            task = booking.followup_task_id
            # a follow-up to do, or an objection answered by the accepted offer
            if task.state == "todo" or task._awaits_offer():
                task._record_result("booked", booking_id=booking.id)
        return bookings
