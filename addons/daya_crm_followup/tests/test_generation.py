from datetime import date, datetime, time, timedelta

from odoo.tests import tagged

from .common import FollowupCommon


@tagged("post_install", "-at_install")
class TestGeneration(FollowupCommon):
    def test_nothing_before_due(self):
        self.assertFalse(self._generate(date(2026, 3, 4)))

    def test_first_call_in_working_days(self):
        # delivered Wed 4 March: 1 working day later is Thu 5 March
        tasks = self._generate(date(2026, 3, 5))
        self.assertEqual(self._codes(tasks), ["first_call_1"])
        self.assertEqual(tasks.due_date, date(2026, 3, 5))
        self.assertEqual(tasks.user_id, self.user_admin_h1_a)
        self.assertEqual(tasks.state, "todo")

    def test_working_days_skip_a_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Nyepi",
                "calendar_id": self.calendar.id,
                "date_from": "2026-03-04 17:00:00",  # 5 March, Jakarta time
                "date_to": "2026-03-05 16:59:59",
            }
        )
        self.assertFalse(self._generate(date(2026, 3, 5)))
        tasks = self._generate(date(2026, 3, 6))
        self.assertEqual(tasks.due_date, date(2026, 3, 6))

    def test_due_dates_read_the_calendar_once(self):
        """The working-day due dates of a run come from one read of the
        calendar's intervals (no query per base date) and are the ones Odoo's
        ``plan_days`` gives, holidays included, over 45 days of base dates."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Nyepi",
                "calendar_id": self.calendar.id,
                "date_from": "2026-03-18 17:00:00",  # 19 March, Jakarta time
                "date_to": "2026-03-19 16:59:59",
            }
        )
        first_call = self.env.ref("daya_crm_followup.rule_first_call_1")
        rules = self.env["daya.followup.rule"].search([("working_days", "=", True)])
        self.assertTrue(rules.filtered(lambda rule: rule.offset_days > 1))
        days = [date(2026, 2, 10) + timedelta(days=n) for n in range(45)]
        work = {}
        self.Task._due_date(first_call, self.calendar, days[-1], work)
        self.env.flush_all()
        with self.assertQueryCount(0):
            due = {
                (rule, day): self.Task._due_date(rule, self.calendar, day, work)
                for rule in rules
                for day in days
            }
        for (rule, day), due_date in due.items():
            planned = self.calendar.plan_days(
                rule.offset_days,
                datetime.combine(day + timedelta(days=1), time.min),
                compute_leaves=True,
            )
            self.assertEqual(due_date, planned.date(), (rule.code, day))
        self.assertEqual(
            self.Task._due_date(first_call, self.calendar, date(2026, 3, 18)),
            date(2026, 3, 20),
            "1 working day after the 18th: the 19th is a holiday",
        )

    def test_retries_only_without_response(self):
        first = self._generate(date(2026, 3, 5))
        # attempt 2 is due 3 working days after delivery (Mon 9 March)
        self.assertEqual(
            self._codes(self._generate(date(2026, 3, 9))), ["first_call_1"]
        )
        first.with_user(self.user_admin_h1_a).action_result_no_response()
        tasks = self._generate(date(2026, 3, 9))
        self.assertEqual(self._codes(tasks), ["first_call_1", "first_call_2"])
        second = tasks.filtered(lambda t: t.attempt == 2)
        second.with_user(self.user_admin_h1_a).action_result_contacted()
        tasks = self._generate(date(2026, 3, 20))
        self.assertNotIn("first_call_3", self._codes(tasks))

    def test_whole_schedule(self):
        """Walk a sale through every offset: the right tasks on the right day for the
        right role."""
        expected = [
            (date(2026, 3, 16), "stnk_regular", self.user_admin_h1_a),
            (date(2026, 4, 1), "kpb1_fu1", self.user_pic_h1_a),
            (date(2026, 5, 31), "kpb2_fu1", self.user_pic_h23_a),
            (date(2026, 9, 28), "kpb3_fu1", self.user_pic_h23_a),
            (date(2027, 1, 26), "kpb4_fu1", self.user_pic_h23_a),
            (date(2028, 3, 1), "repeat_order", self.user_sales_a),
        ]
        self._generate(date(2026, 3, 5)).action_result_contacted()
        for day, code, user in expected:
            before = self._generate(day - date.resolution)
            self.assertNotIn(code, self._codes(before), day)
            tasks = self._generate(day)
            task = tasks.filtered(lambda t, code=code: t.rule_id.code == code)
            self.assertEqual(task.due_date, day, code)
            self.assertEqual(task.user_id, user, code)
            if task.kind == "kpb":
                self.assertEqual(task.wor_lead_id.wor_type, f"kpb{task.kpb_number}")
                self.assertEqual(task.wor_lead_id.unit_sale_id, self.unit)
            # the customer answers every first contact
            task.with_user(user).action_result_contacted()
        # no retry was needed
        self.assertEqual(
            self.Task.search_count(
                [("unit_sale_id", "=", self.unit.id), ("attempt", ">", 1)]
            ),
            0,
        )

    def test_kpb_retries(self):
        kpb1 = self._generate(date(2026, 4, 1)).filtered(lambda t: t.kind == "kpb")
        kpb1.with_user(self.user_pic_h1_a).action_result_no_response()
        tasks = self._generate(date(2026, 4, 16))
        kpb1_fu2 = tasks.filtered(lambda t: t.rule_id.code == "kpb1_fu2")
        self.assertEqual(kpb1_fu2.due_date, date(2026, 4, 16))
        self.assertEqual(kpb1_fu2.wor_lead_id, kpb1.wor_lead_id)
        kpb1_fu2.with_user(self.user_pic_h1_a).action_result_no_response()
        tasks = self._generate(date(2026, 4, 24))
        self.assertIn("kpb1_fu3", self._codes(tasks))

    def test_premium_customer_called_for_stnk(self):
        self.unit.is_premium = True
        tasks = self._generate(date(2026, 3, 16))
        self.assertIn("stnk_premium", self._codes(tasks))
        self.assertNotIn("stnk_regular", self._codes(tasks))

    def test_idempotent_and_batched(self):
        others = self.env["daya.unit.sale"]
        for index in range(5):
            customer = self.env["res.partner"].create(
                {"name": f"C{index}", "mobile": f"0857-2222-{index:04d}"}
            )
            others |= self._unit(f"MH1BATCH{index}", customer, self.branch_a)
        units = others | self.unit
        day = date(2026, 3, 5)
        # two batches of 2, then the cron would re-trigger itself
        self.assertTrue(self.Task._generate_followups(day, batch_size=2, max_batches=2))
        self.assertEqual(self.Task.search_count([("unit_sale_id", "in", units.ids)]), 4)
        # a crash after these batches: running again completes without duplicates
        self.assertFalse(self.Task._generate_followups(day, batch_size=2))
        self.assertFalse(self.Task._generate_followups(day, batch_size=2))
        tasks = self.Task.search([("unit_sale_id", "in", units.ids)])
        self.assertEqual(len(tasks), 6)
        self.assertEqual(tasks.unit_sale_id, units)

    def test_balanced_between_admins(self):
        second = self.env["res.users"].create(
            {
                "name": "Admin H1 bis",
                "login": "t_adminh1_bis",
                "branch_id": self.branch_a.id,
                "groups_id": [
                    (6, 0, self.env.ref("daya_base.group_daya_admin_h1").ids)
                ],
            }
        )
        for index in range(3):
            customer = self.env["res.partner"].create(
                {"name": f"B{index}", "mobile": f"0857-3333-{index:04d}"}
            )
            self._unit(f"MH1BAL{index}", customer, self.branch_a)
        self.Task._generate_followups(date(2026, 3, 5))
        tasks = self.Task.search([("rule_id.code", "=", "first_call_1")])
        loads = {
            user: len(tasks.filtered(lambda t, u=user: t.user_id == u))
            for user in (self.user_admin_h1_a, second)
        }
        self.assertEqual(sorted(loads.values()), [2, 2])

    def test_query_count_does_not_grow_with_batch(self):
        def run(count, offset):
            for index in range(count):
                customer = self.env["res.partner"].create(
                    {
                        "name": f"Q{offset + index}",
                        "mobile": f"0857-4{offset:03d}-{index:04d}",
                    }
                )
                self._unit(
                    f"MH1Q{offset}X{index}",
                    customer,
                    self.branch_a,
                    sale_date=date(2026, 3, 2),
                )
            self.env.flush_all()
            self.env.invalidate_all()
            queries = self.env.cr.sql_log_count
            self.Task._generate_followups(date(2026, 3, 5))
            self.env.flush_all()
            return self.env.cr.sql_log_count - queries

        small = run(2, 100)
        large = run(20, 200)
        self.assertLessEqual(large, small + 10, (small, large))
