from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import WorCommon


@tagged("post_install", "-at_install")
class TestBooking(WorCommon):
    def _book(self, customer, hour, day=9, user=None, **values):
        unit = self._unit(f"MH1B{customer.id}{hour}{day}", customer)
        return self.Booking.with_user(user or self.user_pic_h23_a).create(
            dict(
                {
                    "partner_id": customer.id,
                    "unit_sale_id": unit.id,
                    "start": self._utc(2026, 3, day, hour, 0),
                },
                **values,
            )
        )

    def _customer(self, index):
        return self.env["res.partner"].create(
            {"name": f"Cust {index}", "mobile": f"0813-2222-{index:04d}"}
        )

    def test_capacity_and_next_free_slots(self):
        self._book(self._customer(1), 9)
        self._book(self._customer(2), 9)
        with self.assertRaises(ValidationError) as err:
            self._book(self._customer(3), 9)
        message = str(err.exception)
        self.assertIn("full", message)
        self.assertIn("09/03/2026 10:00", message)  # the next free slot
        # a home service takes no bay
        self._book(self._customer(4), 9, booking_kind="home_service")
        # a cancelled booking frees its place
        self.assertEqual(self._book(self._customer(5), 10).state, "booked")

    def test_opening_hours_and_weekend(self):
        with self.assertRaises(ValidationError):
            self._book(self._customer(1), 18)
        with self.assertRaises(ValidationError):
            self._book(self._customer(2), 9, booking_kind="weekend")  # a Monday
        self._book(self._customer(3), 9, day=7, booking_kind="weekend")  # Saturday

    def test_no_double_booking(self):
        first = self.Booking.with_user(self.user_pic_h23_a).create(
            {
                "partner_id": self.customer.id,
                "unit_sale_id": self.unit.id,
                "start": self._utc(2026, 3, 9, 9, 0),
            }
        )
        with self.assertRaises(ValidationError):
            self.Booking.with_user(self.user_pic_h23_a).create(
                {
                    "partner_id": self.customer.id,
                    "unit_sale_id": self.unit.id,
                    "start": self._utc(2026, 3, 12, 9, 0),
                }
            )
        first.action_cancel()
        self.Booking.with_user(self.user_pic_h23_a).create(
            {
                "partner_id": self.customer.id,
                "unit_sale_id": self.unit.id,
                "start": self._utc(2026, 3, 12, 9, 0),
            }
        )

    def test_states_and_wor_lead(self):
        lead = self.Wor.create(
            {
                "partner_id": self.customer.id,
                "unit_sale_id": self.unit.id,
                "branch_id": self.branch_a.id,
                "wor_type": "kpb1",
            }
        )
        lead.action_follow_up()
        booking = self.Booking.with_user(self.user_pic_h1_a).create(
            {
                "partner_id": self.customer.id,
                "unit_sale_id": self.unit.id,
                "wor_lead_id": lead.id,
                "start": self._utc(2026, 3, 9, 9, 0),
            }
        )
        self.assertEqual(lead.state, "booked")
        booking.action_no_show()
        self.assertEqual(lead.state, "fu1", "a no-show reopens the lead")
        with self.assertRaises(UserError):
            booking.action_done()
        booking = self.Booking.with_user(self.user_pic_h1_a).create(
            {
                "partner_id": self.customer.id,
                "unit_sale_id": self.unit.id,
                "wor_lead_id": lead.id,
                "start": self._utc(2026, 3, 10, 9, 0),
            }
        )
        booking.action_arrive()
        booking.action_done()
        self.assertEqual((booking.state, lead.state), ("done", "done"))

    def test_walk_in(self):
        walk_in = self._customer(9)
        booking = self.Booking.with_user(self.user_pic_h23_a).create(
            {"partner_id": walk_in.id, "start": self._utc(2026, 3, 9, 11, 0)}
        )
        self.assertEqual(booking.branch_id, self.branch_a)
        self.assertTrue(booking.name.startswith("BK/"))

    def test_branch_isolation(self):
        booking = self._book(self._customer(1), 9)
        with self.assertRaises(AccessError):
            booking.with_user(self.user_branch_head_b).read(["name"])
        self.assertFalse(
            self.Booking.with_user(self.user_branch_head_b).search(
                [("id", "=", booking.id)]
            )
        )

    def test_conversion_figures(self):
        """Known data set: branch A, 4 bookings: 2 done (KPB1 by PIC H1), 1 no-show,
        1 still booked; branch B: 1 done."""
        bookings = [self._book(self._customer(i), 9 + i, day=16) for i in range(4)]
        bookings[0].action_done()
        bookings[1].action_done()
        bookings[2].action_no_show()
        customer_b = self._customer(20)
        unit_b = self._unit("MH1CONVB", customer_b, self.branch_b)
        booking_b = self.Booking.create(
            {
                "partner_id": customer_b.id,
                "unit_sale_id": unit_b.id,
                "branch_id": self.branch_b.id,
                "start": self._utc(2026, 3, 16, 9, 0),
            }
        )
        booking_b.action_done()
        ids = [b.id for b in bookings] + [booking_b.id]
        figures = self.Booking._conversion_figures([("id", "in", ids)], "branch_id")
        self.assertEqual(
            figures[self.branch_a.id],
            {"bookings": 4, "done": 2, "no_show": 1, "conversion": 50.0},
        )
        self.assertEqual(figures[self.branch_b.id]["conversion"], 100.0)
        by_type = self.Booking._conversion_figures([("id", "in", ids)], "service_type")
        self.assertEqual(by_type["regular"]["bookings"], 5)
