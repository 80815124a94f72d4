from odoo.tests import HttpCase, tagged

from .common import WorCommon


@tagged("post_install", "-at_install")
class TestWeekendBookingTour(HttpCase, WorCommon):
    def test_weekend_booking_tour(self):
        self.user_pic_h23_a.tz = "Asia/Jakarta"
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer", "mobile": "0813-4444-5555"}
        )
        lead = self.Wor.create(
            {
                "partner_id": customer.id,
                "unit_sale_id": self._unit("MH1TOUR0002", customer).id,
                "branch_id": self.branch_a.id,
                "wor_type": "kpb2",
            }
        )
        self.start_tour(
            "/web", "daya_crm_wor_weekend_booking_tour", login="t_pich23_a", timeout=120
        )
        booking = lead.booking_ids
        self.assertEqual(booking.booking_kind, "weekend")
        self.assertGreaterEqual(booking._local_start().weekday(), 5)
        self.assertEqual(booking.state, "done")
        self.assertEqual(lead.state, "done")
        self.assertTrue(lead.weekdays_impossible)
