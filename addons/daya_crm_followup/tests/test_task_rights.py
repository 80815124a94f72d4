from datetime import date

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import FollowupCommon


@tagged("post_install", "-at_install")
class TestTaskRights(FollowupCommon):
    """Issue 11 (7, 8) and issue 12 (7): a follow-up's result is recorded by its
    assignee or their supervisors, through the result actions, with who and
    when; an objection answered with a booking is a booking."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units = (
            cls.unit
            | cls._unit(
                "MH1TEST0002",
                cls.env["res.partner"].create({"name": "Sari"}),
                cls.branch_a,
            )
            | cls._unit(
                "MH1TEST0003",
                cls.env["res.partner"].create({"name": "Tono"}),
                cls.branch_a,
            )
        )
        cls.Task._generate_followups(date(2026, 4, 1))
        cls.first_call = cls.Task.search(
            [("unit_sale_id", "=", cls.unit.id), ("rule_id.code", "=", "first_call_1")]
        )
        cls.kpb1 = cls.Task.search(
            [("unit_sale_id", "in", cls.units.ids), ("rule_id.code", "=", "kpb1_fu1")]
        )

    def test_direct_writes_refused(self):
        """As in the issue: a salesperson closes Admin H1's task with a booking."""
        task = self.first_call
        self.assertEqual(task.user_id, self.user_admin_h1_a)
        due_date = task.due_date
        for user in (self.user_sales_a, self.user_admin_h1_a, self.user_branch_head_a):
            for vals in (
                {"state": "done", "result": "booked", "due_date": "2030-01-01"},
                {"result": "contacted"},
                {"due_date": "2030-01-01"},
                {"rule_id": self.kpb1[0].rule_id.id},
                {"unit_sale_id": self.kpb1[1].unit_sale_id.id},
            ):
                with self.assertRaises(AccessError, msg=(user.login, vals)):
                    task.with_user(user).write(vals)
        self.assertEqual((task.state, task.result), ("todo", False))
        self.assertEqual(task.due_date, due_date)
        # notes are the assignee's to write
        task.with_user(self.user_admin_h1_a).note = "Call after 5 pm"

    def test_result_by_assignee_or_supervisor(self):
        task = self.first_call
        for user in (self.user_sales_a, self.user_pic_h23_a, self.user_adh_a):
            with self.assertRaises(AccessError):
                task.with_user(user).action_result_contacted()
        with self.assertRaises(AccessError):
            task.with_user(self.user_sales_a).action_result_wrong_number()
        self.assertEqual(task.state, "todo")
        task.with_user(self.user_branch_head_a).action_result_no_response()
        self.assertEqual(
            (task.state, task.result, task.done_user_id),
            ("done", "no_response", self.user_branch_head_a),
        )
        self.assertTrue(task.done_date)
        # KPB1 is PIC CRM H1's: the workshop head does not supervise it
        with self.assertRaises(AccessError):
            self.kpb1[0].with_user(
                self.user_workshop_head_a
            ).action_result_no_response()
        self.kpb1[0].with_user(self.user_pic_h1_a).action_result_no_response()
        self.assertEqual(self.kpb1[0].done_user_id, self.user_pic_h1_a)

    def test_reassign_by_supervisor(self):
        task = self.first_call
        # the form offers it to supervisors only
        self.assertFalse(task.with_user(self.user_admin_h1_a).can_reassign)
        self.assertTrue(task.with_user(self.user_branch_head_a).can_reassign)
        with self.assertRaises(AccessError):
            task.with_user(self.user_admin_h1_a).user_id = self.user_adh_a
        task.with_user(self.user_branch_head_a).user_id = self.user_adh_a
        self.assertEqual(task.user_id, self.user_adh_a)
        # to a user of the branch only
        with self.assertRaises(AccessError):
            task.with_user(self.user_branch_head_a).user_id = self.user_sales_b
        self.assertEqual(task.user_id, self.user_adh_a)

    def test_task_of_another_branch_motorcycle_refused(self):
        unit_b = self._unit("MH1TESTB001", self.customer, self.branch_b)
        with self.assertRaises(ValidationError):
            self.Task.with_user(self.user_head_office).create(
                {
                    "unit_sale_id": unit_b.id,
                    "partner_id": self.customer.id,
                    "branch_id": self.branch_a.id,
                    "rule_id": self.first_call.rule_id.id,
                    "due_date": date(2026, 4, 1),
                }
            )

    def test_accepted_offers_are_bookings(self):
        """No time, too far, dissatisfied: the SOP's offer, booked, is a
        booking; the objection stays recorded."""
        Booking = self.env["daya.service.booking"].with_user(self.user_pic_h1_a)
        bookings = Booking.browse()
        objections = ["refused_time", "refused_distance", "refused_dissatisfied"]
        for task, objection in zip(self.kpb1, objections):
            task = task.with_user(self.user_pic_h1_a)
            action = getattr(task, f"action_result_{objection}")()
            self.assertEqual(task.result, objection)
            bookings |= Form(Booking.with_context(**action["context"])).save()
        self.assertEqual(len(bookings), 3)
        for task, objection, booking in zip(self.kpb1, objections, bookings):
            self.assertEqual(
                (task.state, task.result, task.booking_id), ("done", "booked", booking)
            )
            self.assertEqual(task.objection, objection)
            self.assertEqual(task.done_user_id, self.user_pic_h1_a)
        self.assertEqual(
            bookings.mapped("booking_kind"), ["weekend", "home_service", "promo"]
        )
        # the dashboard counts them as bookings
        groups = self.Task.read_group(
            [("id", "in", self.kpb1.ids)], ["result"], ["result"]
        )
        self.assertEqual(
            [(g["result"], g["result_count"]) for g in groups], [("booked", 3)]
        )
        # the branch's day (WIB): from 17:00 UTC it is already tomorrow
        wib_today = fields.Date.context_today(self.Task.with_context(tz="Asia/Jakarta"))
        figures = self.Task._daily_figures(self.branch_a, wib_today)[self.branch_a.id]
        self.assertEqual((figures["bookings"], figures["responses"]), (3, 3))
