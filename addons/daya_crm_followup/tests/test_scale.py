import base64
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged, users, warmup

from ..wizard import daya_unit_import
from .common import FollowupCommon
from .test_import import HEADER

# the queries of a batch of the import, whatever its number of rows
IMPORT_QUERIES = 27


@tagged("post_install", "-at_install")
class TestGenerationScale(FollowupCommon):
    """Issue 15: the daily generation at the database's pace. The candidates of a
    rule are found with an anti-join on the task table's unique index, bounded by
    the rule's window of base dates, whatever the size of the task history; a
    batch costs the same number of queries whatever its size."""

    def _units(self, count, prefix, **values):
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"{prefix}{index}",
                    "mobile": f"0857-7{ord(prefix[-1]):03d}-{index:04d}",
                }
                for index in range(count)
            ]
        )
        return self.env["daya.unit.sale"].concat(
            *(
                self._unit(f"MH1{prefix}{index:04d}", customer, self.branch_a, **values)
                for index, customer in enumerate(customers)
            )
        )

    def _first_call(self):
        return self.env.ref("daya_crm_followup.rule_first_call_1")

    def _plan(self, rule, day):
        query, params = self.Task._followup_candidates_query(rule, day, 1000)
        self.env.cr.execute("EXPLAIN " + query.as_string(self.env.cr._obj), params)
        return "\n".join(row[0] for row in self.env.cr.fetchall())

    def test_candidates_anti_join(self):
        """No ``NOT IN`` over the rule's whole history (rescanned per candidate
        past a year of tasks): an anti-join, and an index probe for the retry."""
        plan = self._plan(self._first_call(), date(2026, 3, 5))
        self.assertIn("Anti Join", plan)
        self.assertNotIn("SubPlan", plan)
        retry = self.env.ref("daya_crm_followup.rule_first_call_2")
        plan = self._plan(retry, date(2026, 3, 9))
        self.assertIn("Anti Join", plan)
        self.assertNotIn("SubPlan", plan)

    def test_candidates_same_as_before(self):
        """The SQL finds what the domain found: due, not done yet, per segment."""
        premium = self._units(2, "SCP", is_premium=True)
        rule = self.env.ref("daya_crm_followup.rule_stnk_premium")
        day = date(2026, 3, 16)
        self.assertEqual(self.Task._followup_candidates(rule, day, 100), premium)
        regular = self.env.ref("daya_crm_followup.rule_stnk_regular")
        self.assertEqual(self.Task._followup_candidates(regular, day, 100), self.unit)
        self.Task._generate_followups(day)
        self.assertFalse(self.Task._followup_candidates(rule, day, 100))
        self.assertFalse(self.Task._followup_candidates(self._first_call(), day, 100))

    def test_candidates_with_record_rules(self):
        """Run by a user (not the cron's superuser), their record rules apply."""
        self._unit("MH1SCB0001", self.customer, self.branch_b)
        day = date(2026, 3, 5)
        everyone = self.Task._followup_candidates(self._first_call(), day, 100)
        self.assertEqual(everyone.branch_id, self.branch_a | self.branch_b)
        mine = self.Task.with_user(self.user_branch_head_a)._followup_candidates(
            self._first_call(), day, 100
        )
        self.assertEqual(mine, self.unit)

    @users("__system__")
    @warmup
    def test_generation_queries_flat_in_batch_size(self):
        """The same day's generation for 5 and for 20 motorcycles costs the same
        number of queries: each rule's tasks inserted in one query with their
        related values, the calendar's working days read once (77 when they were
        created through the ORM, then updated, and each due date planned apart),
        the rules' cursors read and written in one query each."""
        for count, prefix in ((5, "SCQ"), (20, "SCR")):
            self.env.flush_all()
            self.env.cr.execute("SAVEPOINT flat")
            self._units(count, prefix)
            self.env.flush_all()
            with self.assertQueryCount(__system__=44):
                self.Task._generate_followups(date(2026, 3, 5))
                self.env.flush_all()
            self.assertEqual(
                self.Task.search_count([("unit_sale_id.frame_number", "like", prefix)]),
                count,
            )
            self.env.cr.execute("ROLLBACK TO SAVEPOINT flat")
            self.env.invalidate_all(flush=False)

    @users("__system__")
    @warmup
    def test_kpb_attempts_move_wor_leads_flat_in_batch_size(self):
        """The KPB invitations of 5 and of 20 motorcycles cost the same queries:
        their WOR leads created in one step, moved to FU1 then FU2 in one write per
        attempt, with no chatter or tracking message per lead (the chatter on, as
        the cron runs)."""
        Task = self.Task.with_context(tracking_disable=False)
        first = self.env.ref("daya_crm_followup.rule_kpb1_fu1")
        retry = self.env.ref("daya_crm_followup.rule_kpb1_fu2")
        for count, prefix in ((5, "SKA"), (20, "SKB")):
            self.env.flush_all()
            self.env.cr.execute("SAVEPOINT flat")
            units = self._units(count, prefix)
            # the first attempt creates the leads, the second only moves them
            for rule, step, budget in ((first, "fu1", 31), (retry, "fu2", 25)):
                self.env.flush_all()
                self.env.invalidate_all()
                with self.assertQueryCount(__system__=budget):
                    Task._create_followups(rule, units, date(2026, 4, 20))
                    self.env.flush_all()
                    self.env.cr.flush()  # the chatter's tracking is written at commit
                leads = self.env["daya.wor.lead"].search(
                    [("unit_sale_id", "in", units.ids), ("wor_type", "=", "kpb1")]
                )
                self.assertEqual(len(leads), count)
                self.assertEqual(set(leads.mapped("state")), {step})
            self.assertFalse(leads.message_ids, "machine-made rows: no chatter")
            self.env.cr.execute("ROLLBACK TO SAVEPOINT flat")
            self.env.invalidate_all(flush=False)

    @users("__system__")
    @warmup
    def test_rerun_creates_nothing_in_few_queries(self):
        """A run that creates nothing: one candidate query per rule (18), the
        branches and their calendars' working intervals read once (58 when each
        rule read them again and each working-day date planned its own), the
        rules' cursors read once and not written again the same day."""
        self.Task._generate_followups(date(2026, 3, 5))
        self.env.flush_all()
        with self.assertQueryCount(__system__=27):
            self.Task._generate_followups(date(2026, 3, 5))


@tagged("post_install", "-at_install")
class TestGenerationCursor(FollowupCommon):
    """Issue 15: a rule's cursor. A run remembers the last base date whose
    candidates it all looked at; the next one looks only at what may have become a
    candidate since (a later base date, a motorcycle written since, a retry's
    previous attempt recorded since), not at the window's history. Anything else
    that changes the candidates (the rule, a branch's calendar) makes it look at
    the whole window again, as it does once a week anyway."""

    DAY = date(2026, 3, 5)  # the first call of the units delivered on 4 March

    def _next_day(self):
        """What the next run sees: the previous run a day ago, the motorcycles'
        writes and the results recorded before it a day earlier (in a test they
        all share one time)."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE daya_followup_generation_cursor"
            " SET scanned_at = scanned_at - interval '1 day',"
            " full_scan_at = full_scan_at - interval '1 day'"
        )
        self.env.cr.execute(
            "UPDATE daya_unit_sale SET write_date = write_date - interval '2 days'"
        )
        self.env.cr.execute(
            "UPDATE daya_followup_task SET done_date = done_date - interval '2 days'"
            " WHERE done_date IS NOT NULL"
        )
        self.env.invalidate_all()

    def _first_call(self, unit):
        return self.Task.search(
            [("unit_sale_id", "=", unit.id), ("rule_id.code", "=", "first_call_1")]
        )

    def _delete_with_sql(self, task):
        """A task gone without the ORM: the cursor does not know it."""
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM daya_followup_task WHERE id = %s", task.ids)
        self.env.invalidate_all()

    def test_rerun_does_not_scan_the_history(self):
        """The motorcycles looked at by the previous run and not written since
        are not looked at again: a task deleted behind the ORM's back is not
        made again by the next run, only by the weekly scan of the whole window
        (and at once when deleted through the ORM)."""
        self.Task._generate_followups(self.DAY)
        task = self._first_call(self.unit)
        self.assertTrue(task)
        self._next_day()
        self._delete_with_sql(task)
        self.Task._generate_followups(self.DAY)
        self.assertFalse(self._first_call(self.unit), "the history is not scanned")
        # a week after the last scan of the whole window
        self.env.cr.execute(
            "UPDATE daya_followup_generation_cursor"
            " SET full_scan_at = full_scan_at - interval '7 days'"
        )
        self.Task._generate_followups(self.DAY)
        task = self._first_call(self.unit)
        self.assertTrue(task)
        # deleted through the ORM: the next run looks at the whole window
        self._next_day()
        task.unlink()
        self.Task._generate_followups(self.DAY)
        self.assertTrue(self._first_call(self.unit))

    def test_late_delivery_and_old_sale_loaded_after_the_run(self):
        """A delivery recorded after the run for an earlier date, and a
        motorcycle delivered before the run but loaded after it: both get their
        first call on the next run, though their base date is behind the
        cursor."""
        late = self._unit(
            "MH1CURL01", self.customer, self.branch_a, delivery_date=False
        )
        self.Task._generate_followups(self.DAY)
        self.assertFalse(self._first_call(late))
        self._next_day()
        late.delivery_date = date(2026, 3, 4)
        loaded = self._unit("MH1CURL02", self.customer, self.branch_a)
        self.Task._generate_followups(self.DAY)
        self.assertTrue(self._first_call(late))
        self.assertTrue(self._first_call(loaded))

    def test_retry_after_a_result_recorded_after_the_run(self):
        """No response recorded after the run that looked for the second
        attempt: the next run makes it."""
        first = self._generate(self.DAY)
        # the second attempt is due on 9 March: none yet, the customer answered
        # nothing so far
        self.assertEqual(
            self._codes(self._generate(date(2026, 3, 9))), ["first_call_1"]
        )
        self._next_day()
        first.with_user(self.user_admin_h1_a).action_result_no_response()
        tasks = self._generate(date(2026, 3, 9))
        self.assertEqual(self._codes(tasks), ["first_call_1", "first_call_2"])

    def test_rule_edited_or_calendar_changed(self):
        """A rule whose window grows finds the motorcycles it now covers; a
        branch given another calendar has its motorcycles looked at again."""
        old = self._unit(
            "MH1CURO01",
            self.customer,
            self.branch_a,
            sale_date=date(2025, 12, 1),
            delivery_date=date(2025, 12, 2),
        )
        self.Task._generate_followups(self.DAY)
        self.assertFalse(self._first_call(old), "out of the 30 days' horizon")
        self._next_day()
        self.env.ref("daya_crm_followup.rule_first_call_1").horizon_days = 120
        self.Task._generate_followups(self.DAY)
        self.assertTrue(self._first_call(old))
        # another calendar for the branch
        self._next_day()
        self._delete_with_sql(self._first_call(old))
        self.branch_a.resource_calendar_id = self.calendar.copy()
        self.Task._generate_followups(self.DAY)
        self.assertTrue(self._first_call(old))


@tagged("post_install", "-at_install")
class TestImportScale(FollowupCommon):
    """Issue 15: a CDB/A2 file of thousands of rows imports well inside the
    worker's time limit: the customers and motorcycles of a batch of rows are
    looked up, created and written together, not row by row."""

    def _file(self, count, offset):
        code, beat = self.branch_a.code, self.type_beat.name
        rows = [
            f"{code};MH1SCALE{offset + index:04d};E{index};Scale {offset + index};;"
            f"0812-7{offset:02d}{index:01d}-{index:04d};Bandung;{beat};T Red;"
            "2026-03-02;2026-03-04;cash;;;;"
            for index in range(count)
        ]
        return base64.b64encode("\n".join([HEADER, *rows]).encode())

    @users("t_pich23_a")
    @warmup
    @freeze_time("2026-11-20")
    def test_import_queries_bounded(self):
        """5 and 25 new customers and motorcycles (each delivered: the
        workshop's KPB leads made per batch): the same queries whatever the size
        of the batch (issue 15: the new customers and motorcycles inserted with
        their stored computed values, no UPDATE per new customer as Odoo's
        res.partner create made). The first import warms the caches."""
        Wizard = self.env["daya.unit.import"]
        Wizard.create(
            {"file_data": self._file(1, 5), "file_name": "a2.csv"}
        ).action_import()
        for count, offset in ((5, 10), (25, 40)):
            wizard = Wizard.create(
                {"file_data": self._file(count, offset), "file_name": "a2.csv"}
            )
            self.env.flush_all()
            with self.assertQueryCount(t_pich23_a=IMPORT_QUERIES):
                wizard.action_import()
                self.env.flush_all()
            self.assertEqual((wizard.created_count, wizard.rejected_count), (count, 0))

    @users("t_pich23_a")
    @freeze_time("2026-11-20")
    def test_batch_with_a_refused_row_falls_back_row_by_row(self):
        """A row the database refuses (the delivery before the sale) is one
        rejected row; the others of its batch are imported."""
        code, beat = self.branch_a.code, self.type_beat.name
        rows = [
            f"{code};MH1FB0001;E1;Fallback One;;0812-7100-0001;;{beat};T Red;"
            "2026-03-02;2026-03-04;cash;;;;",
            f"{code};MH1FB0002;E2;Fallback Two;;0812-7100-0002;;{beat};T Red;"
            "2026-03-02;2026-02-01;cash;;;;",
            f"{code};MH1FB0003;E3;Fallback Three;;0812-7100-0003;;{beat};T Red;"
            "2026-03-02;;cash;;;;",
        ]
        wizard = self.env["daya.unit.import"].create(
            {
                "file_data": base64.b64encode("\n".join([HEADER, *rows]).encode()),
                "file_name": "a2.csv",
            }
        )
        wizard.action_import()
        self.assertEqual(
            (wizard.created_count, wizard.rejected_count),
            (2, 1),
            wizard.line_ids.mapped("reason"),
        )
        self.assertEqual(
            wizard.line_ids.filtered(lambda line: line.status == "rejected").row, 3
        )
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "like", "Fallback")]), 2
        )

    @users("t_pich23_a")
    @freeze_time("2026-11-20")
    def test_large_file_imported_in_the_background(self):
        """A file beyond IMPORT_SYNC_MAX_ROWS rows is imported by the cron, a
        committed batch at a time with the uploader's rights, its progress on the
        import; a run out of time goes on where it stopped."""
        self.patch(daya_unit_import, "IMPORT_SYNC_MAX_ROWS", 2)
        self.patch(daya_unit_import, "IMPORT_BATCH_SIZE", 2)
        wizard = self.env["daya.unit.import"].create(
            {"file_data": self._file(5, 70), "file_name": "a2.csv"}
        )
        wizard.action_import()
        self.assertEqual(
            (wizard.state, wizard.row_done, wizard.row_total), ("running", 0, 5)
        )
        Cron = self.env["daya.unit.import"].with_user(self.env.ref("base.user_root"))
        Cron.with_context(active_test=False)._cron_import_files(time_budget=0)
        self.assertEqual((wizard.state, wizard.row_done), ("running", 2))
        Cron._cron_import_files()
        self.assertEqual((wizard.state, wizard.row_done), ("done", 5))
        self.assertEqual((wizard.created_count, wizard.rejected_count), (5, 0))
        self.assertEqual(len(wizard.line_ids), 5)
        units = self.env["daya.unit.sale"].search(
            [("frame_number", "like", "MH1SCALE007")]
        )
        self.assertEqual(len(units), 5)
        self.assertEqual(units.create_uid, self.env.user)
