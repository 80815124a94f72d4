from datetime import datetime

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import NOW, WorCommon


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestBookingTrust(WorCommon):
    """Issue 11: links to another branch's records (8), bookings out of range
    (12), one active booking per motorcycle in the database (9), as the role
    users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_b = cls._customer(90)
        cls.unit_b = cls._unit("MH1OTHERBRANCH", cls.customer_b, cls.branch_b)

    def _vals(self, unit, **values):
        return dict(
            {
                "partner_id": unit.partner_id.id,
                "unit_sale_id": unit.id,
                "start": self._utc(2026, 3, 9, 9, 0),
            },
            **values,
        )

    def test_booking_of_another_branch_motorcycle_refused(self):
        Booking = self.Booking.with_user(self.user_pic_h23_a)
        count = self.Booking.search_count([])
        with self.assertRaises(ValidationError) as error:
            Booking.create(self._vals(self.unit_b))
        self.assertIn(
            "Motorcycle: choose a record of Test Branch Bandung", str(error.exception)
        )
        self.assertNotIn("MH1OTHERBRANCH", str(error.exception))
        self.assertEqual(self.Booking.search_count([]), count, "nothing written")
        # nor by moving a booking onto it
        booking = Booking.create(self._vals(self.unit))
        with self.assertRaises(ValidationError):
            booking.write({"unit_sale_id": self.unit_b.id})
        # an area coordinator sees both branches, but a booking of branch A is
        # for a motorcycle of branch A
        with self.assertRaises(ValidationError):
            self.Booking.with_user(self.user_area).create(
                self._vals(self.unit_b, branch_id=self.branch_a.id)
            )
        # the owning branch books its motorcycle
        own = self.Booking.with_user(self.user_branch_head_b).create(
            self._vals(self.unit_b, branch_id=self.branch_b.id)
        )
        self.assertEqual(own.frame_number, "MH1OTHERBRANCH")
        # once booked there, the refusal still tells nothing of that booking
        with self.assertRaises(ValidationError) as error:
            Booking.create(self._vals(self.unit_b, start=self._utc(2026, 3, 10, 9, 0)))
        self.assertIn("choose a record of Test Branch Bandung", str(error.exception))
        self.assertNotIn(own.name, str(error.exception))

    def test_workshop_lead_of_another_branch_refused(self):
        with self.assertRaises(ValidationError):
            self.Wor.with_user(self.user_pic_h23_a).create(
                {
                    "partner_id": self.customer_b.id,
                    "unit_sale_id": self.unit_b.id,
                    "branch_id": self.branch_a.id,
                    "wor_type": "kpb2",
                }
            )
        lead_b = self._lead(unit=self.unit_b)
        with self.assertRaises(ValidationError):
            self.Booking.with_user(self.user_pic_h23_a).create(
                self._vals(self.unit, wor_lead_id=lead_b.id)
            )

    def test_booking_date_range(self):
        Booking = self.Booking.with_user(self.user_pic_h23_a)
        count = self.Booking.search_count([])
        for start in (datetime(1990, 1, 8, 2, 0), datetime(2100, 1, 4, 2, 0)):
            with self.assertRaises(ValidationError) as error:
                Booking.create(self._vals(self.unit, start=start))
            message = str(error.exception)
            self.assertIn("Start:", message)
            self.assertIn("outside the accepted range", message)
            self.assertIn("from Sun 02/03/2025 08:00 to Tue 02/03/2027 08:00", message)
        self.assertEqual(self.Booking.search_count([]), count, "nothing written")
        booking = Booking.create(self._vals(self.unit))
        with self.assertRaises(ValidationError):
            booking.start = datetime(2100, 1, 4, 2, 0)

    def test_one_active_booking_per_motorcycle_in_database(self):
        """The partial unique index holds even where the Python check is not
        reached (a second booking written in SQL)."""
        self.Booking.with_user(self.user_pic_h23_a).create(self._vals(self.unit))
        self.env.flush_all()
        with self.assertRaises(psycopg2.errors.UniqueViolation) as error:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    """
                    INSERT INTO daya_service_booking
                        (name, partner_id, unit_sale_id, branch_id, start, state,
                         service_type, booking_kind)
                    SELECT 'SQL', partner_id, unit_sale_id, branch_id,
                        start + interval '1 day', 'booked', service_type, booking_kind
                    FROM daya_service_booking WHERE unit_sale_id = %s
                    """,
                    [self.unit.id],
                )
        self.assertIn("daya_service_booking_unit_active_uniq", str(error.exception))
