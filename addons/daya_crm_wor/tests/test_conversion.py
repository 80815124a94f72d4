from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import WorCommon


@tagged("post_install", "-at_install")
class TestConversion(WorCommon):
    """A known week of bookings on Monday 9 March 2026.

    Branch A: two KPB 1 bookings (PIC CRM H1): one done, one no-show; three KPB 2
    bookings (PIC CRM H23): two done, one still booked; two walk-ins booked by PIC
    CRM H23: one done, one cancelled. Branch B: one KPB 2 booking, a no-show.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bookings = cls.Booking
        plan = [
            # (index, branch, wor type or walk-in, hour, final state)
            (1, cls.branch_a, "kpb1", 9, "done"),
            (2, cls.branch_a, "kpb1", 10, "no_show"),
            (3, cls.branch_a, "kpb2", 9, "done"),
            (4, cls.branch_a, "kpb2", 10, "done"),
            (5, cls.branch_a, "kpb2", 11, "booked"),
            (6, cls.branch_a, False, 11, "done"),
            (7, cls.branch_a, False, 12, "cancel"),
            (8, cls.branch_b, "kpb2", 9, "no_show"),
        ]
        actions = {
            "done": "action_done",
            "no_show": "action_no_show",
            "cancel": "action_cancel",
        }
        for index, branch, wor_type, hour, state in plan:
            customer = cls._customer(100 + index)
            unit = cls._unit(f"MH1CONV{index}", customer, branch)
            values = {
                "partner_id": customer.id,
                "unit_sale_id": unit.id,
                "branch_id": branch.id,
                "start": cls._utc(2026, 3, 9, hour, 0),
            }
            if wor_type:
                values["wor_lead_id"] = cls._lead(wor_type, unit).id
                booking = cls.Booking.create(values)
            else:  # a walk-in, booked by the workshop admin
                booking = cls.Booking.with_user(cls.user_pic_h23_a).create(values)
            if state in actions:
                getattr(booking, actions[state])()
            cls.bookings |= booking
        cls.domain = [("id", "in", cls.bookings.ids)]

    def test_per_branch(self):
        figures = self.Booking._conversion_figures(self.domain, "branch_id")
        self.assertEqual(
            figures,
            {
                self.branch_a.id: {
                    "bookings": 6,
                    "done": 4,
                    "no_show": 1,
                    "conversion": 66.7,
                },
                self.branch_b.id: {
                    "bookings": 1,
                    "done": 0,
                    "no_show": 1,
                    "conversion": 0.0,
                },
            },
        )

    def test_per_responsible(self):
        figures = self.Booking._conversion_figures(self.domain, "user_id")
        self.assertEqual(
            figures,
            {
                self.user_pic_h1_a.id: {
                    "bookings": 2,
                    "done": 1,
                    "no_show": 1,
                    "conversion": 50.0,
                },
                self.user_pic_h23_a.id: {
                    "bookings": 4,
                    "done": 3,
                    "no_show": 0,
                    "conversion": 75.0,
                },
                self.user_branch_head_b.id: {
                    "bookings": 1,
                    "done": 0,
                    "no_show": 1,
                    "conversion": 0.0,
                },
            },
        )
        by_role = self.Booking._conversion_figures(self.domain, "responsible_role")
        self.assertEqual(by_role["pic_crm_h1"]["conversion"], 50.0)
        self.assertEqual(by_role["pic_crm_h23"]["bookings"], 4)
        self.assertEqual(by_role[False]["bookings"], 1, "the walk-in done")

    def test_per_kpb(self):
        figures = self.Booking._conversion_figures(self.domain, "service_type")
        self.assertEqual(
            {
                key: (f["bookings"], f["done"], f["conversion"])
                for key, f in figures.items()
            },
            {
                "kpb1": (2, 1, 50.0),
                "kpb2": (4, 2, 50.0),
                "regular": (1, 1, 100.0),
            },
        )

    def test_pivot_and_dashboard_agree(self):
        """What the branch and workshop heads see: the dashboard action leaves the
        cancelled bookings out and its conversion measure is done / bookings."""
        action = self.env.ref("daya_crm_wor.daya_service_booking_action_conversion")
        self.assertEqual(action.view_mode.split(",")[:2], ["graph", "pivot"])
        domain = safe_eval(action.domain) + self.domain
        groups = self.Booking.with_user(self.user_branch_head_a).read_group(
            domain,
            ["done_count:sum", "no_show_count:sum", "conversion_rate:avg"],
            ["branch_id"],
        )
        self.assertEqual(len(groups), 1, "branch A's head sees branch A only")
        group = groups[0]
        self.assertEqual(group["branch_id_count"], 6)
        self.assertEqual((group["done_count"], group["no_show_count"]), (4, 1))
        self.assertAlmostEqual(group["conversion_rate"], 400 / 6)
        # the workshop leads followed their bookings; no-shows are reopened
        self.assertEqual(
            sorted(self.bookings.wor_lead_id.mapped("state")),
            ["booked", "done", "done", "done", "new", "new"],
        )
