from datetime import date

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import WorCommon


@tagged("post_install", "-at_install")
class TestWorLead(WorCommon):
    def test_responsibility_per_type(self):
        leads = self.Wor.create(
            [
                {
                    "partner_id": self.customer.id,
                    "unit_sale_id": self.unit.id,
                    "branch_id": self.branch_a.id,
                    "wor_type": wor_type,
                    "origin": origin,
                }
                for wor_type, origin in (
                    ("kpb1", "h1_h2"),
                    ("kpb2", "h1_h2"),
                    ("kpb3", "h1_h2"),
                    ("kpb4", "h1_h2"),
                    ("regular", "h1_h2"),
                    ("regular", "h2_h2"),
                )
            ]
        )
        self.assertEqual(
            leads.mapped("responsible_role"),
            ["pic_crm_h1"] + ["pic_crm_h23"] * 5,
        )
        self.assertEqual(leads[0].user_id, self.user_pic_h1_a)
        self.assertEqual(set(leads[1:].mapped("user_id")), {self.user_pic_h23_a})
        self.assertEqual(leads[0].kpb_valid_until, date(2026, 3, 5))
        self.assertEqual(leads[3].kpb_valid_until, date(2027, 1, 5))
        self.assertFalse(leads[4].kpb_valid_until)

    def test_state_machine(self):
        lead = self.Wor.with_user(self.user_pic_h23_a).create(
            {"partner_id": self.customer.id, "wor_type": "kpb2"}
        )
        self.assertEqual(lead.branch_id, self.branch_a)
        lead.action_follow_up()
        lead.action_follow_up()
        self.assertEqual(lead.state, "fu2")
        with self.assertRaises(UserError):
            lead.write({"state": "fu1"})  # no going back
        with self.assertRaises(UserError):
            lead.write({"state": "done"})  # done only through a booking
        with self.assertRaises(UserError):
            lead.action_set_lost()  # a reason is needed
        lead.action_serviced_elsewhere()
        self.assertEqual((lead.state, lead.lost_reason), ("lost", "serviced_elsewhere"))
        with self.assertRaises(UserError):
            lead.write({"state": "new"})  # lost is final

    def test_objections(self):
        lead = self.Wor.create(
            {
                "partner_id": self.customer.id,
                "unit_sale_id": self.unit.id,
                "branch_id": self.branch_a.id,
                "wor_type": "kpb2",
            }
        ).with_user(self.user_pic_h23_a)
        action = lead.action_offer_weekend()
        self.assertTrue(lead.weekdays_impossible)
        self.assertEqual(action["context"]["default_booking_kind"], "weekend")
        proposed = fields.Datetime.to_datetime(action["context"]["default_start"])
        self.assertGreaterEqual(
            (proposed.weekday(), proposed.hour), (4, 17)
        )  # Sat 00:00+
        self.assertEqual(
            lead.action_offer_home_service()["context"]["default_booking_kind"],
            "home_service",
        )
        self.assertEqual(
            lead.action_offer_promo()["context"]["default_booking_kind"], "promo"
        )
        # the weekend proposal books a Saturday
        booking = (
            self.Booking.with_user(self.user_pic_h23_a)
            .with_context(**action["context"])
            .create({"start": self._utc(2026, 3, 7, 9, 0)})
        )
        self.assertEqual(booking.booking_kind, "weekend")
        self.assertEqual(lead.state, "booked")
        with self.assertRaises(UserError):
            lead.action_offer_promo()  # already booked

    def test_branch_isolation(self):
        lead_b = self.Wor.create(
            {
                "partner_id": self.customer.id,
                "branch_id": self.branch_b.id,
                "wor_type": "regular",
            }
        )
        Wor = self.Wor.with_user(self.user_pic_h23_a)
        self.assertFalse(Wor.search([("id", "=", lead_b.id)]))
        with self.assertRaises(AccessError):
            Wor.browse(lead_b.id).read(["name"])
        with self.assertRaises(AccessError):
            self.Wor.with_user(self.user_sales_a).create(
                {"partner_id": self.customer.id, "wor_type": "regular"}
            )
