from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import NOW, WorCommon


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestBooking(WorCommon):
    def _book(self, index, hour, day=9, user=None, branch=None, **values):
        """Book a new customer's motorcycle on ``day`` March 2026 at ``hour``
        (Jakarta time)."""
        customer = self._customer(index)
        branch = branch or self.branch_a
        unit = self._unit(f"MH1BK{index:04d}", customer, branch)
        return self.Booking.with_user(user or self.user_pic_h23_a).create(
            dict(
                {
                    "partner_id": customer.id,
                    "unit_sale_id": unit.id,
                    "branch_id": branch.id,
                    "start": self._utc(2026, 3, day, hour, 0),
                },
                **values,
            )
        )

    # ------------------------------------------------------------
    # slots and capacity
    # ------------------------------------------------------------

    def test_capacity_and_next_free_slots(self):
        first = self._book(1, 9)
        self._book(2, 9)
        self.assertEqual(first.stop, self._utc(2026, 3, 9, 10, 0))
        with self.assertRaises(ValidationError) as error:
            self._book(3, 9)
        message = str(error.exception)
        self.assertIn("The slot of Mon 09/03/2026 09:00", message)
        self.assertIn("is full (2 motorcycles)", message)
        self.assertIn(
            "Next free slots: Mon 09/03/2026 10:00, Mon 09/03/2026 11:00", message
        )
        # a booking in the middle of the slot counts in it
        with self.assertRaises(ValidationError):
            self._book(4, 9, start=self._utc(2026, 3, 9, 9, 30))
        # a home service takes no bay
        self._book(5, 9, booking_kind="home_service")
        # a cancelled booking frees its place
        first.action_cancel()
        self.assertEqual(self._book(6, 9).state, "booked")
        # moving a booking into a full slot is refused as well
        later = self._book(7, 11)
        with self.assertRaises(ValidationError):
            later.start = self._utc(2026, 3, 9, 9, 0)

    def test_next_free_slots_skip_full_and_closed(self):
        self._book(1, 15)
        self._book(2, 15)
        free = self.branch_a._booking_next_free_slots(
            self._utc(2026, 3, 9, 15, 0), "workshop", 2
        )
        # 15:00 is full, the workshop closes at 16:00: Tuesday morning
        self.assertEqual(
            free, [self._utc(2026, 3, 10, 8, 0), self._utc(2026, 3, 10, 9, 0)]
        )
        weekend = self.branch_a._booking_next_free_slots(
            self._utc(2026, 3, 7, 11, 30), "weekend", 2
        )
        # Saturday 11:00 has begun: the next ones that day
        self.assertEqual(
            weekend, [self._utc(2026, 3, 7, 12, 0), self._utc(2026, 3, 7, 13, 0)]
        )
        sunday = self.branch_a._booking_next_free_slots(
            self._utc(2026, 3, 8, 11, 0), "weekend", 2
        )
        self.assertEqual(
            sunday, [self._utc(2026, 3, 8, 11, 0), self._utc(2026, 3, 14, 8, 0)]
        )
        # never in the past
        self.assertEqual(
            self.branch_a._booking_next_free_slots(datetime(2020, 1, 1), count=1),
            [self._utc(2026, 3, 2, 8, 0)],
        )

    def test_opening_hours_weekend_and_holidays(self):
        with self.assertRaises(ValidationError) as error:
            self._book(1, 18)
        self.assertIn("takes no booking on Mon 09/03/2026 18:00", str(error.exception))
        self.assertIn("Next free slots: Tue 10/03/2026 08:00", str(error.exception))
        with self.assertRaises(ValidationError):
            self._book(2, 13, day=8)  # Sunday: open until noon
        self._book(3, 9, day=8, booking_kind="weekend")
        with self.assertRaises(ValidationError) as error:
            self._book(4, 9, booking_kind="weekend")  # a Monday
        self.assertIn("Saturday or a Sunday", str(error.exception))
        self._book(5, 9, day=7, booking_kind="weekend")
        # a public holiday of the branch's working hours
        calendar = self.env["resource.calendar"].create(
            {"name": "Branch A hours", "tz": "Asia/Jakarta"}
        )
        self.branch_a.resource_calendar_id = calendar
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Nyepi",
                "calendar_id": calendar.id,
                "date_from": self._utc(2026, 3, 19, 0, 0),
                "date_to": self._utc(2026, 3, 19, 23, 59),
            }
        )
        with self.assertRaises(ValidationError):
            self._book(6, 9, day=19)
        self.assertEqual(
            self.branch_a._booking_next_free_slots(
                self._utc(2026, 3, 18, 15, 0), count=1
            ),
            [self._utc(2026, 3, 18, 15, 0)],
        )
        self.assertEqual(
            self.branch_a._booking_next_free_slots(
                self._utc(2026, 3, 18, 15, 30), count=1
            ),
            [self._utc(2026, 3, 20, 8, 0)],
        )

    def test_booking_calendar_leaves(self):
        """The booking hours are the branch's booking calendar's work intervals: a
        leave of that calendar (the AHASS closed for a morning) closes the slots
        it touches, the others keep their places in the line's hours."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Lift maintenance",
                "calendar_id": self.branch_a.booking_calendar_id.id,
                "date_from": self._utc(2026, 3, 10, 9, 30),
                "date_to": self._utc(2026, 3, 10, 10, 30),
            }
        )
        self.assertEqual(
            self.branch_a._booking_next_free_slots(
                self._utc(2026, 3, 10, 8, 0), count=3
            ),
            [
                self._utc(2026, 3, 10, 8, 0),
                self._utc(2026, 3, 10, 11, 0),
                self._utc(2026, 3, 10, 12, 0),
            ],
        )
        with self.assertRaises(ValidationError) as error:
            self._book(1, 10, day=10)
        self.assertIn("takes no booking on Tue 10/03/2026 10:00", str(error.exception))
        self.assertEqual(self._book(2, 11, day=10).state, "booked")

    def test_branch_time_zone(self):
        """Branch B is in Samarinda (WITA, UTC+8): its 08:00 is 07:00 in Jakarta."""
        self.branch_b.tz = "Asia/Makassar"
        start = datetime(2026, 3, 9, 0, 0)  # UTC
        self._book(1, 0, branch=self.branch_b, user=self.user_head_office, start=start)
        with self.assertRaises(ValidationError):
            self._book(2, 0, start=start)  # 07:00 in Jakarta: closed
        self.assertEqual(self.branch_b._booking_format(start), "Mon 09/03/2026 08:00")

    def test_slot_configuration(self):
        saturday = self.branch_a.booking_attendance_ids.filtered(
            lambda line: line.dayofweek == "5"
        )
        saturday.with_user(self.user_workshop_head_a).daya_booking_capacity = 1
        self._book(1, 10, day=7, booking_kind="weekend")
        with self.assertRaises(ValidationError):
            self._book(2, 10, day=7, booking_kind="weekend")
        Line = self.env["resource.calendar.attendance"].with_user(
            self.user_workshop_head_a
        )
        calendar = self.branch_a.booking_calendar_id
        vals = {"calendar_id": calendar.id, "name": "Saturday evening"}
        with self.assertRaises(ValidationError) as error:
            Line.create(dict(vals, dayofweek="5", hour_from=15.0, hour_to=18.0))
        self.assertIn("overlap on Saturday", str(error.exception))
        with self.assertRaises(ValidationError):
            Line.create(dict(vals, dayofweek="6", hour_from=14.0, hour_to=13.0))
        with self.assertRaises(ValidationError):
            saturday.with_user(self.user_workshop_head_a).daya_booking_capacity = 0
        evening = Line.create(dict(vals, dayofweek="5", hour_from=16.0, hour_to=18.0))
        self.assertEqual(evening.calendar_id.daya_branch_ids, self.branch_a)
        self._book(3, 17, day=7, booking_kind="weekend")
        # PIC CRM H23 reads the hours but does not set them; nobody sets another
        # branch's hours, nor the working hours of the follow-up deadlines
        with self.assertRaises(AccessError):
            saturday.with_user(self.user_pic_h23_a).daya_booking_capacity = 5
        with self.assertRaises(AccessError):
            self.branch_b.booking_attendance_ids[:1].with_user(
                self.user_workshop_head_a
            ).daya_booking_capacity = 5
        working = self.env["resource.calendar"].create({"name": "Branch A hours"})
        self.branch_a.resource_calendar_id = working
        with self.assertRaises(AccessError):
            working.attendance_ids[:1].with_user(
                self.user_workshop_head_a
            ).hour_to = 18.0
        with self.assertRaises(AccessError):
            saturday.with_user(self.user_workshop_head_a).calendar_id = working
        with self.assertRaises(AccessError):
            Line.create(
                dict(
                    vals,
                    calendar_id=working.id,
                    dayofweek="5",
                    hour_from=8.0,
                    hour_to=9.0,
                )
            )
        # head office sets the branch's time zone, which is its booking calendar's
        self.branch_a.with_user(self.user_head_office).tz = "Asia/Makassar"
        self.assertEqual(calendar.tz, "Asia/Makassar")
        # a new branch gets its own booking calendar with default hours
        branch = (
            self.env["daya.branch"]
            .with_user(self.user_head_office)
            .create({"name": "New", "code": "TNEW"})
        )
        self.assertNotEqual(branch.booking_calendar_id, calendar)
        self.assertEqual(
            [
                (
                    line.dayofweek,
                    line.hour_from,
                    line.hour_to,
                    line.daya_booking_capacity,
                )
                for line in branch.booking_attendance_ids.sorted("dayofweek")
            ],
            [(str(day), 8.0, 16.0, 4) for day in range(6)] + [("6", 8.0, 12.0, 2)],
        )
        self.assertEqual(branch.tz, "Asia/Jakarta")

    # ------------------------------------------------------------
    # one booking at a time per motorcycle
    # ------------------------------------------------------------

    def test_no_double_booking(self):
        Booking = self.Booking.with_user(self.user_pic_h23_a)
        vals = {"partner_id": self.customer.id, "unit_sale_id": self.unit.id}
        first = Booking.create(dict(vals, start=self._utc(2026, 3, 9, 9, 0)))
        with self.assertRaises(ValidationError) as error:
            Booking.create(dict(vals, start=self._utc(2026, 3, 12, 9, 0)))
        self.assertIn("MH1WOR0001 is already booked", str(error.exception))
        # not in another branch either
        with self.assertRaises(ValidationError):
            self.Booking.with_user(self.user_head_office).create(
                dict(vals, branch_id=self.branch_b.id, start=self._utc(2026, 3, 9, 10))
            )
        # nor twice in one go
        unit = self._unit("MH1TWICE", self.customer)
        with self.assertRaises(ValidationError):
            Booking.create(
                [
                    dict(vals, unit_sale_id=unit.id, start=self._utc(2026, 3, 10, 9)),
                    dict(vals, unit_sale_id=unit.id, start=self._utc(2026, 3, 11, 9)),
                ]
            )
        first.action_arrive()
        with self.assertRaises(ValidationError):
            Booking.create(dict(vals, start=self._utc(2026, 3, 12, 9, 0)))
        first.action_done()
        again = Booking.create(dict(vals, start=self._utc(2026, 3, 12, 9, 0)))
        self.assertEqual(again.state, "booked")

    # ------------------------------------------------------------
    # states and the workshop lead
    # ------------------------------------------------------------

    def test_states_and_wor_lead(self):
        lead = self._lead("kpb1")
        lead.action_follow_up()
        Booking = self.Booking.with_user(self.user_pic_h1_a)
        vals = {
            "partner_id": self.customer.id,
            "unit_sale_id": self.unit.id,
            "wor_lead_id": lead.id,
        }
        booking = Booking.create(dict(vals, start=self._utc(2026, 3, 9, 9, 0)))
        self.assertEqual(lead.state, "booked")
        self.assertEqual(booking.service_type, "kpb1")
        self.assertEqual(booking.user_id, self.user_pic_h1_a)
        self.assertEqual(booking.responsible_role, "pic_crm_h1")
        booking.action_no_show()
        self.assertEqual(lead.state, "fu1", "a no-show reopens the lead")
        self.assertIn("No-show", lead.message_ids[0].body)
        with self.assertRaises(UserError):
            booking.action_done()
        with self.assertRaises(UserError):
            booking.start = self._utc(2026, 3, 10, 9, 0)
        booking = Booking.create(dict(vals, start=self._utc(2026, 3, 10, 9, 0)))
        booking.action_cancel()
        self.assertEqual(lead.state, "fu1", "a cancelled booking reopens it too")
        booking = Booking.create(dict(vals, start=self._utc(2026, 3, 11, 9, 0)))
        booking.action_arrive()
        with self.assertRaises(UserError):
            booking.action_no_show()  # the customer came
        booking.action_done()
        self.assertEqual((booking.state, lead.state), ("done", "done"))
        with self.assertRaises(UserError):
            booking.action_cancel()
        with self.assertRaises(UserError):  # the lead is closed
            Booking.create(dict(vals, start=self._utc(2026, 3, 20, 9, 0)))

    def test_booking_moved_to_another_lead(self):
        lead = self._lead("kpb2")
        lead.action_follow_up()
        booking = self.Booking.with_user(self.user_pic_h23_a).create(
            {
                "partner_id": self.customer.id,
                "unit_sale_id": self.unit.id,
                "wor_lead_id": lead.id,
                "start": self._utc(2026, 3, 9, 9, 0),
            }
        )
        regular = self._lead("regular")
        booking.wor_lead_id = regular
        self.assertEqual((lead.state, regular.state), ("fu1", "booked"))
        booking.wor_lead_id = False  # a walk-in after all
        self.assertEqual(regular.state, "new")
        self.assertTrue(booking.is_walk_in)

    def test_booking_matches_its_lead(self):
        lead = self._lead("kpb2")
        other = self._customer(1)
        with self.assertRaises(ValidationError):
            self.Booking.with_user(self.user_pic_h23_a).create(
                {
                    "partner_id": other.id,
                    "unit_sale_id": self._unit("MH1OTHER", other).id,
                    "wor_lead_id": lead.id,
                    "start": self._utc(2026, 3, 9, 9, 0),
                }
            )
        self.assertEqual(lead.state, "new")

    def test_walk_in(self):
        walk_in = self._customer(9)
        form = Form(self.Booking.with_user(self.user_pic_h23_a))
        form.partner_id = walk_in
        # the next slot with room is proposed: now, Monday 08:00
        self.assertEqual(form.start, self._utc(2026, 3, 2, 8, 0))
        booking = form.save()
        self.assertEqual(booking.branch_id, self.branch_a)
        self.assertTrue(booking.name.startswith("BK/"))
        self.assertTrue(booking.is_walk_in)
        self.assertEqual(booking.user_id, self.user_pic_h23_a)
        self.assertEqual(booking.service_type, "regular")
        # a walk-in whose motorcycle has an open KPB lead books that lead
        lead = self._lead("kpb2")
        form = Form(self.Booking.with_user(self.user_pic_h23_a))
        form.unit_sale_id = self.unit
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.wor_lead_id, lead)
        self.assertEqual(form.service_type, "kpb2")
        form.save()
        self.assertEqual(lead.state, "booked")

    # ------------------------------------------------------------
    # branch isolation and access per role
    # ------------------------------------------------------------

    def test_branch_isolation(self):
        booking = self._book(1, 9)
        with self.assertRaises(AccessError):
            booking.with_user(self.user_branch_head_b).read(["name"])
        self.assertFalse(
            self.Booking.with_user(self.user_branch_head_b).search(
                [("id", "=", booking.id)]
            )
        )
        with self.assertRaises(AccessError):
            self._book(2, 9, branch=self.branch_b)  # PIC CRM H23 of branch A
        self.assertEqual(
            self.Booking.with_user(self.user_area).search([("id", "=", booking.id)]),
            booking,
        )
        # each branch has its own bays
        self.branch_b.booking_attendance_ids.write({"daya_booking_capacity": 1})
        self._book(3, 9, branch=self.branch_b, user=self.user_branch_head_b)
        with self.assertRaises(ValidationError):
            self._book(4, 9, branch=self.branch_b, user=self.user_head_office)

    def test_access_per_role(self):
        booking = self._book(1, 9)
        self.assertEqual(booking.with_user(self.user_sales_a).state, "booked")
        with self.assertRaises(AccessError):
            booking.with_user(self.user_sales_a).action_arrive()
        with self.assertRaises(AccessError):
            self._book(2, 10, user=self.user_sales_a)
        with self.assertRaises(AccessError):
            booking.with_user(self.user_pic_h23_a).unlink()
        self.assertEqual(self._book(3, 10, user=self.user_pic_h1_a).state, "booked")
