from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import WorCommon


@tagged("post_install", "-at_install")
class TestWeekendBookingTour(HttpCase, WorCommon):
    def test_weekend_booking_tour(self):
        """The workshop admin (PIC CRM H23) offers a KPB 2 customer with no time on
        weekdays the next free weekend slot, books it and marks the service done."""
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer", "mobile": "0813-4444-5555"}
        )
        # sold today, the PIC CRM H23's today
        today = fields.Date.context_today(
            self.env["daya.wor.lead"].with_user(self.user_pic_h23_a)
        )
        unit = self._unit("MH1TOUR0002", customer, sale_date=today)
        lead = self._lead("kpb2", unit)
        self.start_tour(
            "/web", "daya_crm_wor_weekend_booking_tour", login="t_pich23_a", timeout=180
        )
        booking = lead.booking_ids
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.booking_kind, "weekend")
        self.assertIn(self.branch_a._booking_to_local(booking.start).weekday(), (5, 6))
        self.assertEqual(booking.state, "done")
        self.assertEqual(booking.user_id, self.user_pic_h23_a)
        self.assertEqual(lead.state, "done")
        self.assertTrue(lead.weekdays_impossible)
