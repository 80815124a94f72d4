from datetime import date
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
        queries, execute = [], Cursor.execute

        def spy(cr, query, params=None, log_exceptions=True):
            queries.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", spy):
            result = function()
        return queries, result

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
            "(user_id, due_date, id) WHERE ((state)::text = 'todo'::text)",
            indexes["daya_followup_task_user_todo_due_index"],
        )
        self.assertIn("(done_date)", indexes["daya_followup_task_done_date_index"])

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
