import re
from datetime import date, datetime, timedelta
from unittest.mock import patch

from lxml import etree

from odoo.sql_db import Cursor
from odoo.tests import tagged

from .common import FollowupCommon


@tagged("post_install", "-at_install")
class TestDashboards(FollowupCommon):
    """Issue 15, item 6: the dashboards and My follow-ups at a network's volume
    (the timings: tests/benchmarks/bench_scale.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer_b = cls.env["res.partner"].create({"name": "Budi"})
        cls.unit_b = cls._unit("MH1TEST0002", customer_b, cls.branch_b)
        cls.Task._generate_followups(date(2026, 4, 1))
        cls.tasks = cls.Task.search(
            [("unit_sale_id", "in", (cls.unit | cls.unit_b).ids)]
        )

    def _queries(self, function):
        """The SQL ``function`` sends, and its result."""
        statements, result = self._statements(function)
        return [query for query, _params in statements], result

    def _statements(self, function):
        """The SQL ``function`` sends with its parameters, and its result."""
        statements, execute = [], Cursor.execute

        def spy(cr, query, params=None, log_exceptions=True):
            statements.append((str(query), params))
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", spy):
            result = function()
        return statements, result

    def _record(self, task, moment, user):
        """``task`` recorded (contacted) at ``moment`` (UTC) by ``user``."""
        task.sudo().write(
            {
                "state": "done",
                "result": "contacted",
                "done_date": moment,
                "done_user_id": user.id,
            }
        )

    def test_pivot_groups_without_joins_in_the_same_order(self):
        """The pivot and the graph (no order, no limit) group by the ids: no
        branch, user or partner joined to every follow-up; their groups come in
        Odoo's order (branch code, user name, no value last)."""
        self.tasks[:2].sudo().write({"user_id": False})
        Task = self.Task.with_user(self.user_head_office)
        domain = [("id", "in", self.tasks.ids)]
        for groupby, lazy in [
            (["branch_id", "user_id", "result"], False),
            (["user_id", "state"], False),
            (["branch_id", "rule_id"], True),
        ]:
            queries, groups = self._queries(
                lambda groupby=groupby, lazy=lazy: Task.read_group(
                    domain, ["__count"], groupby, lazy=lazy
                )
            )
            grouping = [
                q
                for q in queries
                if 'FROM "daya_followup_task"' in q and "GROUP BY" in q
            ]
            self.assertEqual(len(grouping), 1, grouping)
            self.assertNotIn("JOIN", grouping[0])
            # Odoo's own order (given, it joins the tables)
            ordered = Task.read_group(
                domain, ["__count"], groupby, lazy=lazy, orderby=",".join(groupby)
            )
            self.assertEqual(groups, ordered)
            self.assertGreater(len(groups), 1)

    def test_my_followups_and_dashboards_indexed(self):
        """My follow-ups' first page reads a partial index of the open
        follow-ups by assignee and due date (its plan at volume:
        tests/benchmarks); the day recorded is indexed (Branch Today, the
        dashboard, the daily summary)."""
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            (self.Task._table,),
        )
        indexes = dict(self.env.cr.fetchall())
        self.assertIn(
            "(user_id, due_date, id, branch_id) WHERE ((state)::text = 'todo'::text)",
            indexes["daya_followup_task_user_todo_index"],
        )
        self.assertNotIn("daya_followup_task_user_todo_due_index", indexes)
        self.assertIn("(done_date)", indexes["daya_followup_task_done_date_index"])
        # the weekly review's customer counted once a week (its plan at volume:
        # an index only scan, tests/benchmarks)
        self.assertIn(
            "(partner_id, branch_id, done_date, id) "
            "WHERE ((state)::text = 'done'::text)",
            indexes["daya_followup_task_partner_done_index"],
        )

    def test_my_followups_list_queries(self):
        """The list's columns (the motorcycle's type, not its variant whose name
        reads its attributes): a first page in a constant number of queries."""
        Task = self.Task.with_user(self.user_pic_h1_a)
        arch = Task.get_views([(False, "list")])["views"]["list"]["arch"]
        names = [node.get("name") for node in etree.fromstring(arch).iterfind("field")]
        self.assertIn("motor_type_id", names)
        self.assertNotIn("product_id", names)
        domain = [("user_id", "=", self.user_pic_h1_a.id), ("state", "=", "todo")]
        self.assertTrue(Task.search(domain))
        self.env.invalidate_all()
        with self.assertQueryCount(11):
            Task.search_read(domain, names, limit=80)

    def test_week_review_reads_the_weeks_asked(self):
        """The weekly review of the last weeks reads the follow-ups recorded in
        those weeks from the index of the day recorded: no window over every
        follow-up of the history (the view dated and numbered every event before
        the filter could apply: ~19x its SQL at a million follow-ups)."""
        for task, hour in zip(self.tasks, range(len(self.tasks))):
            self._record(task, datetime(2026, 3, 2 + hour % 20, 3), self.user_pic_h1_a)
        Report = self.env["daya.followup.week.report"].with_user(self.user_head_office)
        since = date(2026, 3, 9)
        statements, groups = self._statements(
            lambda: Report.read_group(
                [("date", ">=", since)], ["followed_up:sum"], ["date:week"]
            )
        )
        self.assertTrue(groups)
        grouping = [
            (query, params)
            for query, params in statements
            if 'FROM "daya_followup_week_report"' in query and "GROUP BY" in query
        ]
        self.assertEqual(len(grouping), 1, statements)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.addCleanup(self.env.cr.execute, "RESET enable_seqscan")
        self.env.cr.execute("EXPLAIN " + grouping[0][0], grouping[0][1])
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertNotIn("WindowAgg", plan)
        # the day's bound reaches the follow-ups' own column (their index)
        self.assertRegex(plan, re.escape("done_date >= '2026-03-08 00:00:00'"))
        self.assertNotIn("Seq Scan on daya_followup_task", plan)

    def test_week_review_date_bounds_change_nothing(self):
        """The UTC bounds a date condition adds select the same rows as the date
        alone, in a time zone far east and far west of UTC, with the date's
        condition ANDed, ORed or negated."""
        self.branch_a.booking_calendar_id.sudo().tz = "Pacific/Kiritimati"  # +14
        self.branch_b.booking_calendar_id.sudo().tz = "Pacific/Pago_Pago"  # -11
        moments = [
            datetime(2026, 3, 8, 9, 59),
            datetime(2026, 3, 8, 10, 0),
            datetime(2026, 3, 8, 23, 0),
            datetime(2026, 3, 9, 10, 59),
            datetime(2026, 3, 9, 11, 0),
            datetime(2026, 3, 10, 0, 30),
        ]
        for task, moment in zip(self.tasks, moments * 4):
            self._record(task, moment, self.user_pic_h1_a)
        Report = self.env["daya.followup.week.report"]
        rows = Report.search([])
        dates = {row.date for row in rows}
        self.assertGreater(len(dates), 3)
        operators = {
            "=": lambda a, b: a == b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
        }
        for day in sorted(
            dates | {min(dates) - timedelta(1), max(dates) + timedelta(1)}
        ):
            for operator, compare in operators.items():
                leaf = ("date", operator, day)
                expected = rows.filtered(lambda r, c=compare, d=day: c(r.date, d))
                for domain, want in [
                    ([leaf], expected),
                    ([leaf, ("branch_id", "!=", False)], expected),
                    (["!", leaf], rows - expected),
                    (
                        ["|", leaf, ("overdue", "=", 1)],
                        expected | rows.filtered("overdue"),
                    ),
                ]:
                    with self.subTest(domain=domain):
                        self.assertEqual(Report.search(domain), want)
