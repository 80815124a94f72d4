"""Benchmark: the suite at network scale, each measure against a same-run baseline.

Copies a database with the suite and its demo data installed (``--template``) into
a throwaway one (``--database``, dropped at the end unless ``--keep``), loads the
volume with set-based SQL (reproducible: every value derives from the row number),
then times each measure and its baseline, median of ``--repeat`` runs, everything
measured rolled back between runs. Run it with the Python that runs Odoo:

    python tests/benchmarks/bench_scale.py --template daya --database daya_bench \\
        [--partners 100000] [--units 20000] [--history-days 730] \\
        [--import-rows 2000] [--leads 10000] [--repeat 3]

The defaults take a few minutes on 2 cores. The network's sizes (issue 15):
``--partners 1000000 --units 600000 --history-days 730 --import-rows 50000
--leads 100000`` (about an hour to load, several GB of disk).

Measures (product / baseline):

- generation, first run: ``_generate_followups`` (tasks due today, no WOR rule)
  / ``INSERT … SELECT … WHERE NOT EXISTS`` of the same rows;
- generation re-run, nothing new / the same ``NOT EXISTS`` as a ``SELECT``;
- candidate search of the first call at the history's size: ``_followup_candidates``
  / the ORM ``not in`` domain it replaced;
- generation of the KPB 1 invitation with its WOR leads (tasks and leads
  inserted set-based, the leads moved to FU1 in one UPDATE) / the SQL insert of
  the tasks;
- customer lookups as a salesperson (BPA code, NIK, phone, part of a name:
  ``name_search``) / the indexed SQL; the plan of each is checked for a sequential
  scan of res_partner;
- CDB/A2 import of ``--import-rows`` rows (new motorcycles and customers) / the
  same rows inserted with SQL;
- CRM report (xlsx) of ``--leads`` leads as head office / one SQL query written
  with xlsxwriter.
"""

import argparse
import base64
import contextlib
import io
import random
import resource
import shutil
import statistics
import subprocess
import time
import tracemalloc
from datetime import datetime, timedelta
from datetime import time as dtime

import pytz
import xlsxwriter

import odoo
from odoo import fields
from odoo.tools import config

try:  # run as a script from this folder, or imported by run.py
    import bench_lead_create
except ImportError:  # pragma: no cover
    from . import bench_lead_create

WORDS = (
    "Budi Rina Agus Siti Dewi Eko Joko Wati Sri Ayu Putri Andi Bayu Dian Fajar Gita "
    "Hadi Indah Kurnia Lestari Mulyadi Nur Oka Pratama Rahma Santoso Setiawan Tri "
    "Utami Wibowo Yuda Zulkarnain Hidayat Saputra Permana Kusuma Nugraha Suherman"
).split()


# every measure, in the order they run
MEASURES = (
    "generation",
    "lookups",
    "import",
    "report",
    "retries",
    "lead_create",
    "my_followups",
    "pivot",
    "branch_today",
    "dashboard",
    "week_review",
)


def peak_memory(function):
    """Peak bytes of Python memory allocated while ``function`` runs."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def timed(function, repeat, reset=None):
    """Median seconds of ``repeat`` calls of ``function`` (``reset`` after each),
    and the last result."""
    times, result = [], None
    for _i in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
        if reset:
            reset()
    return statistics.median(times), result


class Bench:
    def __init__(self, env, args):
        self.env, self.args, self.cr = env, args, env.cr
        self.rows = []
        self.today = fields.Date.context_today(env["res.users"])
        # the seed picks the customers looked up and shifts the branches
        self.random = random.Random(getattr(args, "seed", 0))

    # ------------------------------------------------------------------ seeding

    def seed(self):
        cr, args = self.cr, self.args
        start = time.perf_counter()
        cr.execute("SELECT id, company_id FROM daya_branch ORDER BY id")
        self.branches = cr.fetchall()
        cr.execute(
            """SELECT p.id FROM product_product p
                 JOIN product_template t ON t.id = p.product_tmpl_id
                WHERE t.is_motorcycle ORDER BY p.id LIMIT 1"""
        )
        self.product_id = cr.fetchone()[0]
        words = "{%s}" % ",".join(WORDS)
        cr.execute(
            """
            INSERT INTO res_partner (name, display_name, mobile, mobile_e164, nik,
                                     bpa_code, active, type, is_company, lang,
                                     create_date, write_date, create_uid, write_uid)
            SELECT n, n, m, '+62' || substr(m, 2), k, 'BPA' || lpad(i::text, 8, '0'),
                   true, 'contact', false, 'en_US', now(), now(), 1, 1
              FROM (SELECT i,
                           (%(w)s::text[])[1 + i %% %(nw)s] || ' ' ||
                           (%(w)s::text[])[1 + (i / %(nw)s) %% %(nw)s] || ' ' ||
                           (%(w)s::text[])[1 + (i / (%(nw)s * %(nw)s)) %% %(nw)s]
                           || ' ' || i AS n,
                           '0899' || lpad(i::text, 8, '0') AS m,
                           '3273' || lpad((i %% 99 + 1)::text, 2, '0') ||
                           lpad((i %% 28 + 1)::text, 2, '0') ||
                           lpad((i / 28 %% 12 + 1)::text, 2, '0') ||
                           lpad((i / 336 %% 100)::text, 2, '0') ||
                           lpad((i / 33600 + 1)::text, 4, '0') AS k
                      FROM generate_series(1, %(n)s) i) s
            """,
            {"w": words, "n": args.partners, "nw": len(WORDS)},
        )
        cr.execute(
            """UPDATE res_partner SET commercial_partner_id = id
                WHERE commercial_partner_id IS NULL AND bpa_code LIKE 'BPA%%'"""
        )
        cr.execute(
            """
            INSERT INTO daya_branch_res_partner_rel (partner_id, branch_id)
            SELECT p.id, (%s::int[])[1 + p.id %% %s]
              FROM res_partner p WHERE p.bpa_code LIKE 'BPA%%'
            ON CONFLICT DO NOTHING
            """,
            ([b for b, _c in self.branches], len(self.branches)),
        )
        # unit sales over the history, the newest sold today
        cr.execute(
            """
            INSERT INTO daya_unit_sale (partner_id, branch_id, company_id, product_id,
                motor_type_id, frame_number, sale_date, delivery_date, stnk_ready_date,
                payment_type, origin, is_premium, create_date, write_date,
                create_uid, write_uid)
            SELECT p.id, b.id, b.company_id, %(product)s,
                   (SELECT product_tmpl_id FROM product_product
                     WHERE id = %(product)s),
                   'MHBENCH' || lpad(s.i::text, 9, '0'),
                   %(today)s::date - (s.i %% %(days)s),
                   %(today)s::date - (s.i %% %(days)s) + 2,
                   %(today)s::date - (s.i %% %(days)s) + 14,
                   'cash', 'import', s.i %% 5 = 0, now(),
                   -- last written when its last date was recorded
                   LEAST(now() AT TIME ZONE 'UTC',
                         GREATEST(%(today)s::date - (s.i %% %(days)s) + 2,
                                  LEAST(%(today)s::date - (s.i %% %(days)s) + 14,
                                        %(today)s::date - 1))
                         + interval '10 hours'),
                   1, 1
              FROM generate_series(1, %(units)s) s(i)
              JOIN res_partner p ON p.bpa_code = 'BPA' || lpad(s.i::text, 8, '0')
              JOIN daya_branch b
                ON b.id = (%(branches)s::int[])[1 + (s.i + %(seed)s) %% %(nbranches)s]
            """,
            {
                "product": self.product_id,
                "today": self.today,
                "days": args.history_days,
                "units": min(args.units, args.partners),
                "branches": [b for b, _c in self.branches],
                "nbranches": len(self.branches),
                "seed": getattr(args, "seed", 0),
            },
        )
        # the history: every follow-up due before the last week already made
        cr.execute("SELECT id FROM daya_followup_rule ORDER BY id")
        for (rule_id,) in cr.fetchall():
            self.sql_generate(rule_id, self.today - timedelta(days=7), history=True)
        # the tables loaded (a database-wide ANALYZE waits for the shared
        # catalogs, held by any other benchmark of the cluster until it commits)
        cr.execute(
            "ANALYZE res_partner, daya_branch_res_partner_rel, daya_unit_sale, "
            "daya_followup_task"
        )
        cr.execute("SELECT count(*) FROM daya_followup_task")
        self.history = cr.fetchone()[0]
        self.env.invalidate_all()
        return time.perf_counter() - start

    def sql_generate(self, rule_id, today, history=False, select=False):
        """The set-based SQL floor of a rule's generation: the due rows inserted
        with ``NOT EXISTS`` (calendar days, the least assigned user aside)."""
        rule = self.env["daya.followup.rule"].browse(rule_id)
        base = rule._base_field()
        rows = """
            SELECT u.id, u.partner_id, u.branch_id, r.id, u.{base} + r.offset_days,
                   r.channel, r.kind, r.kpb_number, r.attempt
              FROM daya_unit_sale u, daya_followup_rule r
             WHERE r.id = %(rule)s AND u.{base} IS NOT NULL
               AND u.{base} <= %(today)s::date - r.offset_days
               {window}
               AND NOT EXISTS (SELECT 1 FROM daya_followup_task t
                                WHERE t.unit_sale_id = u.id AND t.rule_id = r.id)
        """.format(
            base=base,
            window=""
            if history
            else f"AND u.{base} >= %(today)s::date - r.offset_days - r.horizon_days",
        )
        params = {"rule": rule_id, "today": today}
        if select:
            self.cr.execute("SELECT count(*) FROM (%s) s" % rows, params)
            return self.cr.fetchone()[0]
        self.cr.execute(
            f"""
            INSERT INTO daya_followup_task (unit_sale_id, partner_id, branch_id,
                rule_id, due_date, channel, kind, kpb_number, attempt, state, result,
                create_date, write_date, create_uid, write_uid)
            SELECT s.*, %(state)s, %(result)s, now(), now(), 1, 1 FROM ({rows}) s
            """,
            dict(
                params,
                state="done" if history else "todo",
                result="contacted" if history else None,
            ),
        )
        return self.cr.rowcount

    # ----------------------------------------------------------------- measures

    def savepoint(self):
        self.env.flush_all()
        self.cr.execute("SAVEPOINT bench")

    def rollback(self):
        self.cr.execute("ROLLBACK TO SAVEPOINT bench")
        self.env.invalidate_all(flush=False)
        self.env.registry.clear_caches()

    def head_office_user(self):
        """A head-office user (demo data): the one who reads every branch."""
        return self.env["res.users"].search(
            [
                (
                    "groups_id",
                    "in",
                    self.env.ref("daya_base.group_daya_head_office").ids,
                ),
                ("share", "=", False),
            ],
            limit=1,
        )

    def queries(self, function):
        count = self.cr.sql_log_count
        function()
        return self.cr.sql_log_count - count

    def add(self, measure, product, baseline, unit="s", note=""):
        self.rows.append((measure, product, baseline, unit, note))

    def add_grouped(self, measure, product, baseline):
        """Time a grouped read (``product``, returning its number of groups)
        and its SQL ``baseline``, and add them with the number of groups."""
        seconds, groups = timed(product, self.args.repeat)
        base_seconds, _r = timed(baseline, self.args.repeat)
        self.add(measure, seconds, base_seconds, note=f"{groups} groups")

    @contextlib.contextmanager
    def units_as_in_production(self):
        """The seeded motorcycles as production leaves them, for the measure:
        their customers known to their branches (a unit's create, the branch
        mixin, and the import do it; the seeding's SQL skips it), and the
        template's generation cursors, from its demo data's run, dropped (they
        do not hold for the rows the seeding loaded behind the ORM's back; the
        seeding writes each motorcycle when its last date was recorded). Undone
        after the measure."""
        self.env.flush_all()
        self.cr.execute("SAVEPOINT units_as_in_production")
        self.cr.execute("SELECT to_regclass('daya_followup_generation_cursor')")
        if self.cr.fetchone()[0]:
            self.cr.execute("DELETE FROM daya_followup_generation_cursor")
        self.env["res.partner"]._daya_fill_branch_ids(["daya_unit_sale"])
        try:
            yield
        finally:
            self.cr.execute("ROLLBACK TO SAVEPOINT units_as_in_production")
            self.env.invalidate_all(flush=False)
            self.env.registry.clear_caches()

    def measure_generation(self):
        with self.units_as_in_production():
            self.generation_measures()

    def generation_measures(self):
        Task = self.env["daya.followup.task"]
        rules = Task.env["daya.followup.rule"].search([("kind", "!=", "kpb")])
        kpb1 = Task.env["daya.followup.rule"].search([("code", "=", "kpb1_fu1")])
        repeat, today = self.args.repeat, self.today

        def run():
            Task._generate_followups(today, batch_size=1000, max_batches=10**6)
            self.env.flush_all()
            self.cr.flush()  # what is written at commit (the chatter's tracking)

        def product():
            """The tasks ``run`` makes (counted apart from the times)."""
            count = Task.search_count([])
            run()
            made = Task.search_count([]) - count
            self.rollback()
            return made

        def baseline():
            return sum(self.sql_generate(rule.id, today) for rule in rules)

        # the KPB rules are generated apart (their WOR leads): only the others here
        kpb_rules = Task.env["daya.followup.rule"].search([("kind", "=", "kpb")])
        kpb_rules.active = False
        self.savepoint()
        made = product()
        seconds, _r = timed(run, repeat, self.rollback)
        first_seconds = seconds
        base_seconds, base_made = timed(baseline, repeat, self.rollback)
        self.add(
            f"generation, first run ({made} tasks due, {self.history} in history)",
            seconds,
            base_seconds,
            note=f"{made / seconds:,.0f} tasks/s vs {base_made / base_seconds:,.0f}",
        )
        run()
        seconds, _made = timed(run, repeat)
        base_seconds, _n = timed(
            lambda: sum(self.sql_generate(r.id, today, select=True) for r in rules),
            repeat,
        )
        rerun_queries = self.queries(run)
        self.add(
            "generation re-run, nothing new",
            seconds,
            base_seconds,
            note=f"{rerun_queries} queries, {seconds / first_seconds:.1%} of the "
            "first run",
        )
        self.rollback()
        first_call = rules.filtered(lambda r: r.code == "first_call_1")
        new_seconds, _u = timed(
            lambda: Task._followup_candidates(first_call, today, 1000).ids, repeat
        )
        old_seconds, _u = timed(
            lambda: self.old_candidates(first_call, today, 1000), repeat
        )
        self.add(
            "candidate search, first call (NOT EXISTS) vs the old `not in`",
            new_seconds,
            old_seconds,
        )
        kpb_rules.active = True
        (Task.env["daya.followup.rule"].search([]) - kpb1).active = False
        self.savepoint()
        made = product()
        seconds, _r = timed(run, repeat, self.rollback)
        base_seconds, base_made = timed(
            lambda: self.sql_generate(kpb1.id, today), repeat, self.rollback
        )
        self.add(
            f"generation KPB 1 with WOR leads ({made} tasks)",
            seconds,
            base_seconds,
            note=f"{made / seconds:,.0f} tasks/s",
        )
        self.env["daya.followup.rule"].with_context(active_test=False).search(
            []
        ).active = True
        self.env.flush_all()

    def old_candidates(self, rule, today, limit):
        """The candidate search as it was: ``followup_task_ids not in`` the rule's
        tasks (kept here as the comparison)."""
        Task = self.env["daya.followup.task"]
        base = rule._base_field()
        domain = [
            (base, "!=", False),
            (base, ">=", today - timedelta(days=rule.offset_days + rule.horizon_days)),
            ("followup_task_ids", "not in", Task._search([("rule_id", "=", rule.id)])),
        ]
        cutoffs = Task._due_cutoffs(rule, today)
        parts = [
            ["&", ("branch_id.resource_calendar_id", "=", c.id), (base, "<=", d)]
            for c, d in cutoffs.items()
        ]
        domain += ["|"] * (len(parts) - 1) + [leaf for part in parts for leaf in part]
        return (
            self.env["daya.unit.sale"]
            ._search(domain, order=f"{base}, id", limit=limit)
            ._result
        )

    def plan_has_seq_scan(self, query, params):
        self.cr.execute("EXPLAIN " + query, params)
        plan = "\n".join(row[0] for row in self.cr.fetchall())
        return "Seq Scan on res_partner" in plan

    def measure_lookups(self):
        user = self.env.ref("daya_base.user_sales_sh", raise_if_not_found=False)
        if not user:
            user = self.env["res.users"].search([("login", "=", "sales.sh")])
        Partner = self.env["res.partner"].with_user(user)
        repeat = self.args.repeat
        n = self.random.randint(1, min(self.args.partners, self.args.units))
        self.cr.execute(
            "SELECT bpa_code, nik, mobile, name FROM res_partner WHERE bpa_code = %s",
            ("BPA" + str(n).zfill(8),),
        )
        bpa, nik, mobile, name = self.cr.fetchone()
        part = " ".join(name.split()[1:3])  # two words of the middle of a name
        searches = [
            ("BPA code", bpa.lower(), "bpa_code = %s", bpa),
            ("NIK", nik, "nik = %s", nik),
            ("phone", "+62 " + mobile[1:], "mobile_e164 = %s", "+62" + mobile[1:]),
            ("part of a name", part, "display_name ILIKE %s", f"%{part}%"),
            # one match: no reading of every customer in name order
            ("a whole name", name, "display_name ILIKE %s", f"%{name}%"),
        ]
        # untimed: the record rules are compiled once per worker (ormcache); at
        # --repeat 1 the first lookup measured would carry that alone
        Partner.name_search("warm-up")
        for label, term, where, value in searches:
            self.env.invalidate_all()
            seconds, found = timed(lambda term=term: Partner.name_search(term), repeat)
            sql = f"SELECT id FROM res_partner WHERE {where} LIMIT 8"
            base_seconds, _r = timed(
                lambda sql=sql, value=value: (
                    self.cr.execute(sql, (value,)),
                    self.cr.fetchall(),
                ),
                repeat,
            )
            # a name: the query name_search runs (every searched column)
            query = (
                Partner._search([("daya_lookup", "=", term)], limit=8)
                if not where.startswith("display_name")
                else Partner._name_search(term, limit=8)
            )
            query_sql, query_params = query.select()
            seq = self.plan_has_seq_scan(query_sql, query_params)
            self.add(
                f"name_search by {label} ({self.args.partners:,} partners)",
                seconds,
                base_seconds,
                note=f"{len(found)} found, {'SEQ SCAN' if seq else 'index scan'}",
            )

    def import_file(self, count, delivered=True):
        branch = self.env["daya.branch"].browse(self.branches[0][0])
        product = self.env["product.product"].browse(self.product_id)
        color = product.product_template_attribute_value_ids[:1].name or ""
        lines = [
            "branch_code;frame_number;engine_number;customer_name;nik;mobile;city;"
            "motor_type;color;sale_date;delivery_date;payment_type"
        ]
        day = (self.today - timedelta(days=3)).isoformat()
        delivery = day if delivered else ""
        for i in range(count):
            nik = "3204%02d%02d%02d%02d%04d" % (
                i % 99 + 1,
                i % 28 + 1,
                i // 28 % 12 + 1,
                i // 336 % 100,
                i // 33600 + 1,
            )
            lines.append(
                f"{branch.code};MHIMP{i:09d};EIMP{i:07d};"
                f"Import {WORDS[i % len(WORDS)]} {i};"
                f"{nik};0877{i:08d};Bandung;{product.product_tmpl_id.name};{color};"
                f"{day};{delivery};cash"
            )
        return "\n".join(lines).encode()

    def measure_import(self):
        # delivered motorcycles (each with its KPB workshop leads), then not yet
        for delivered in (True, False):
            self.measure_import_file(delivered)

    def measure_import_file(self, delivered):
        count, repeat = self.args.import_rows, self.args.repeat
        content = self.import_file(count, delivered)
        user = self.env["res.users"].search([("login", "=", "crmh23.sh")])
        Wizard = self.env["daya.unit.import"].with_user(user)
        branch_id = self.branches[0]

        def product():
            wizard = Wizard.create(
                {"file_data": base64.b64encode(content), "file_name": "a2.csv"}
            )
            wizard.action_import()
            if wizard.state == "running":
                # a large file: the background import's cron, run here to the end
                self.env["daya.unit.import"]._cron_import_files(time_budget=10**6)
            self.env.flush_all()
            return wizard.created_count, wizard.rejected_count

        def baseline():
            rows = [line.split(";") for line in content.decode().splitlines()[1:]]
            self.cr.execute(
                """
                WITH p AS (
                    INSERT INTO res_partner (name, display_name, nik, mobile,
                        mobile_e164, city, active, type, create_date, write_date,
                        create_uid, write_uid)
                    SELECT r[4], r[4], r[5], r[6], '+62' || substr(r[6], 2), r[7],
                           true, 'contact', now(), now(), 1, 1
                      FROM unnest(%s::text[]) WITH ORDINALITY x(line, n),
                           LATERAL (SELECT string_to_array(x.line, ';') r) s
                    RETURNING id, nik)
                INSERT INTO daya_unit_sale (partner_id, branch_id, company_id,
                    product_id, frame_number, engine_number, sale_date, delivery_date,
                    payment_type, origin, is_premium, create_date, write_date,
                    create_uid, write_uid)
                SELECT p.id, %s, %s, %s, r[2], r[3], r[10]::date,
                       NULLIF(r[11], '')::date,
                       'cash', 'import', false, now(), now(), 1, 1
                  FROM unnest(%s::text[]) x(line),
                       LATERAL (SELECT string_to_array(x.line, ';') r) s
                  JOIN p ON p.nik = r[5]
                """,
                (
                    [";".join(r) for r in rows],
                    branch_id[0],
                    branch_id[1],
                    self.product_id,
                    [";".join(r) for r in rows],
                ),
            )
            return self.cr.rowcount

        self.savepoint()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        queries = self.queries(product)
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.rollback()
        seconds, (created, rejected) = timed(product, repeat, self.rollback)
        base_seconds, _n = timed(baseline, repeat, self.rollback)
        self.add(
            f"CDB/A2 import, {count} rows "
            f"({'delivered, with KPB leads' if delivered else 'not delivered'})",
            seconds,
            base_seconds,
            note=f"{count / seconds:,.0f} rows/s, {created} created, "
            f"{rejected} rejected, {queries / count:.2f} queries/row, process peak "
            f"{rss_peak / 1024:,.0f} MB (+{(rss_peak - rss_before) / 1024:,.0f} MB)",
        )

    def seed_leads(self):
        count = self.args.leads
        self.cr.execute(
            """SELECT id FROM crm_lead WHERE active AND type = 'opportunity'
                ORDER BY id LIMIT 1"""
        )
        model = self.cr.fetchone()[0]
        self.cr.execute(
            """SELECT column_name FROM information_schema.columns
                WHERE table_name = 'crm_lead' AND column_name NOT IN
                      ('id', 'name', 'lead_number', 'create_date', 'partner_id',
                       'branch_id', 'message_main_attachment_id')"""
        )
        columns = [row[0] for row in self.cr.fetchall()]
        copied = ", ".join(f'"{c}"' for c in columns)
        # copies of a demo lead: today, spread over the partners
        self.cr.execute(
            f"""
            INSERT INTO crm_lead (name, lead_number, create_date, partner_id,
                                  branch_id, {copied})
            SELECT 'Bench lead ' || s.i, 'BENCH' || lpad(s.i::text, 8, '0'),
                   now() - (s.i %% 600) * interval '1 second',
                   (SELECT id FROM res_partner
                     WHERE bpa_code = 'BPA' || lpad((s.i %% %s + 1)::text, 8, '0')),
                   (%s::int[])[1 + s.i %% %s], {copied}
              FROM generate_series(1, %s) s(i), crm_lead l
             WHERE l.id = %s
            """,
            (
                self.args.partners,
                [b for b, _c in self.branches],
                len(self.branches),
                count,
                model,
            ),
        )
        self.cr.execute("ANALYZE crm_lead")

    def measure_report(self):
        repeat = self.args.repeat
        user = self.head_office_user()
        Wizard = self.env["daya.crm.report.wizard"].with_user(user)
        wizard = Wizard.create({"period_type": "day", "branch_ids": [(5,)]})

        leads = len(wizard._get_leads())

        def product():
            self.env.invalidate_all()
            return leads, len(wizard._render_xlsx())

        def baseline():
            self.cr.execute(
                """
                SELECT l.lead_number, l.create_date, b.code, b.name, l.type, s.name,
                       l.active, l.lead_category, l.prospect_status,
                       coalesce(p.name, l.contact_name), p.bpa_code, l.nik, l.phone,
                       l.mobile, concat_ws(', ', l.street, l.street2, l.city),
                       l.sales_source, up.name, t.name, l.date_deadline, l.fu1_date,
                       l.fu2_date, l.fu3_date
                  FROM crm_lead l
                  LEFT JOIN daya_branch b ON b.id = l.branch_id
                  LEFT JOIN crm_stage s ON s.id = l.stage_id
                  LEFT JOIN res_partner p ON p.id = l.partner_id
                  LEFT JOIN res_users u ON u.id = l.user_id
                  LEFT JOIN res_partner up ON up.id = u.partner_id
                  LEFT JOIN crm_team t ON t.id = l.team_id
                 WHERE l.create_date >= %s ORDER BY l.create_date, l.id
                """,
                (fields.Datetime.now() - timedelta(days=1),),
            )
            buffer = io.BytesIO()
            book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
            sheet = book.add_worksheet()
            count = 0
            for row, values in enumerate(self.cr._obj, start=1):
                count += 1
                for col, value in enumerate(values):
                    if isinstance(value, dict):
                        value = value.get("en_US")
                    if value is None or value == "":
                        continue
                    if hasattr(value, "year"):
                        sheet.write_datetime(row, col, value)
                    elif isinstance(value, (int, float)):
                        sheet.write_number(row, col, value)
                    else:
                        sheet.write_string(row, col, str(value))
            book.close()
            return count, len(buffer.getvalue())

        self.env.flush_all()
        queries = self.queries(product)
        seconds, (leads, size) = timed(product, repeat)
        base_seconds, _r = timed(baseline, repeat)
        peak, base_peak = peak_memory(product), peak_memory(baseline)
        self.report_peak = peak
        self.add(
            f"CRM report xlsx, {leads} leads (head office)",
            seconds,
            base_seconds,
            note=f"{queries} queries, {size // 1024} kB, Python heap peak "
            f"{peak / 2**20:,.0f} MB vs {base_peak / 2**20:,.0f} MB",
        )

    def measure_retries(self):
        """The second KPB 1 invitation (attempt 2) after no answer to the first:
        the WOR leads created where missing and moved to FU2 / the SQL floor."""
        with self.units_as_in_production():
            self.retries_measure()

    def retries_measure(self):
        Task = self.env["daya.followup.task"]
        Rule = self.env["daya.followup.rule"]
        first = Rule.search([("code", "=", "kpb1_fu1")])
        retry = Rule.search([("code", "=", "kpb1_fu2")])
        repeat, today = self.args.repeat, self.today
        # no answer to the first invitation of the motorcycles due for the second
        self.cr.execute(
            f"""UPDATE daya_followup_task t SET result = 'no_response'
                  FROM daya_unit_sale u
                 WHERE t.unit_sale_id = u.id AND t.rule_id = %s
                   AND u.{retry._base_field()} >= %s""",
            (first.id, today - timedelta(days=retry.offset_days + retry.horizon_days)),
        )
        others = Rule.search([]) - retry
        others.active = False
        self.savepoint()

        def run():
            Task._generate_followups(today, batch_size=1000, max_batches=10**6)
            self.env.flush_all()
            self.cr.flush()  # what is written at commit (the chatter's tracking)

        count = Task.search_count([])
        run()
        made = Task.search_count([]) - count
        self.rollback()
        seconds, _r = timed(run, repeat, self.rollback)
        base_seconds, _n = timed(
            lambda: self.sql_generate(retry.id, today), repeat, self.rollback
        )
        others.active = True
        self.env.flush_all()
        self.add(
            f"retries: KPB 1 attempt 2 with WOR leads ({made} tasks)",
            seconds,
            base_seconds,
            note=f"{made / seconds:,.0f} tasks/s",
        )

    def measure_lead_create(self):
        """Lead creation as a salesperson (the form's values), one by one and in
        batches of 20 / crm's own create of the same values."""
        user = self.env["res.users"].search([("login", "=", "sales.sh")])
        count = max(10, min(100, self.args.leads // 50))
        self.savepoint()
        values = bench_lead_create.lead_values(self.env, count * 4)
        self.env.flush_all()
        env = self.env(user=user.id, su=False)
        for batch, part in ((1, 0), (20, 1)):
            ours = values[2 * part * count : (2 * part + 1) * count]
            stock = values[(2 * part + 1) * count : (2 * part + 2) * count]
            rate, queries = bench_lead_create.measure(env, ours, batch)
            base_rate, base_queries = bench_lead_create.measure(
                env, stock, batch, bench_lead_create.stock_create(env)
            )
            self.add(
                f"lead create, {'one by one' if batch == 1 else 'batches of 20'} "
                f"({count} leads)",
                1 / rate,
                1 / base_rate,
                note=f"{queries:.1f} vs {base_queries:.1f} queries/lead",
            )
            self.query_ratios = getattr(self, "query_ratios", {})
            self.query_ratios[batch] = queries / base_queries
        self.rollback()

    def open_tasks(self):
        """A PIC CRM H23 of the first branch holds the open follow-ups of a tenth
        of its history (the seeded tasks are done and unassigned)."""
        user = self.env["res.users"].search([("login", "=", "crmh23.sh")])
        if getattr(self, "opened", False):
            return user
        self.cr.execute(
            """UPDATE daya_followup_task SET state = 'todo', result = NULL,
                      user_id = CASE WHEN branch_id = %s THEN %s END
                WHERE id %% 10 = 0""",
            (user.branch_id.id or self.branches[0][0], user.id),
        )
        self.settle()
        self.opened = True
        return user

    def settle(self):
        """The follow-ups as the screens find them on a working day: the setup
        of the dashboards' measures committed and vacuumed (autovacuum's
        visibility map: index-only scans; its statistics), not a million rows
        rewritten in the measuring transaction. The dashboards' measures come
        last and write nothing."""
        self.cr.commit()
        subprocess.run(
            ["psql", "-q", "-d", self.cr.dbname, "-c",
             "VACUUM ANALYZE daya_followup_task"],
            check=True,
        )  # fmt: skip
        self.env.invalidate_all()

    def measure_my_followups(self):
        """The PIC's "My follow-ups" list (their open tasks, the list's first
        page and columns, then its count as the list shows it) / the indexed SQL
        of the same page (the branch rule, the names shown: the type's code, the
        assignee's name) and the same count."""
        user = self.open_tasks()
        Task = self.env["daya.followup.task"].with_user(user)
        names = [
            "due_date", "rule_id", "partner_id", "mobile", "motor_type_id",
            "kpb_valid_until", "channel", "user_id", "result",
        ]  # fmt: skip
        domain = [("user_id", "=", user.id), ("state", "=", "todo")]
        # the branch rule of a PIC (not head office)
        rule = "(t.branch_id IS NULL OR t.branch_id = ANY(%(branches)s))"
        params = {"user": user.id, "branches": user.branch_ids.ids}

        def product():
            self.env.invalidate_all()
            return len(Task.search_read(domain, names, limit=80))

        def baseline():
            self.cr.execute(
                f"""SELECT t.id, t.due_date, r.name, p.display_name, p.mobile,
                          pt.default_code, pt.name, w.kpb_valid_until, t.channel,
                          t.user_id, up.name, t.result
                     FROM daya_followup_task t
                     JOIN daya_followup_rule r ON r.id = t.rule_id
                     JOIN res_partner p ON p.id = t.partner_id
                     JOIN daya_unit_sale u ON u.id = t.unit_sale_id
                     JOIN product_template pt ON pt.id = u.motor_type_id
                     LEFT JOIN daya_wor_lead w ON w.id = t.wor_lead_id
                     LEFT JOIN res_users us ON us.id = t.user_id
                     LEFT JOIN res_partner up ON up.id = us.partner_id
                    WHERE t.user_id = %(user)s AND t.state = 'todo' AND {rule}
                    ORDER BY t.due_date, t.id LIMIT 80""",
                params,
            )
            return len(self.cr.fetchall())

        def count():
            return Task.search_count(domain)

        def base_count():
            self.cr.execute(
                f"""SELECT count(*) FROM daya_followup_task t
                     WHERE t.user_id = %(user)s AND t.state = 'todo' AND {rule}""",
                params,
            )
            return self.cr.fetchone()[0]

        seconds, rows = timed(product, self.args.repeat)
        base_seconds, _r = timed(baseline, self.args.repeat)
        self.cr.execute("SELECT count(*) FROM daya_followup_task WHERE state = 'todo'")
        self.add(
            f"My follow-ups, first page ({self.cr.fetchone()[0]:,} open tasks)",
            seconds,
            base_seconds,
            note=f"{rows} rows",
        )
        seconds, total = timed(count, self.args.repeat)
        base_seconds, _r = timed(base_count, self.args.repeat)
        self.add("My follow-ups, the list's count", seconds, base_seconds,
                 note=f"{total:,} open tasks of the PIC")  # fmt: skip

    def measure_pivot(self):
        """The head office's pivot of the open follow-ups by branch, assignee and
        result / the SQL GROUP BY."""
        user = self.head_office_user()
        Task = self.env["daya.followup.task"].with_user(user)

        def product():
            return len(
                Task.read_group(
                    [("state", "=", "todo")],
                    ["__count"],
                    ["branch_id", "user_id", "result"],
                    lazy=False,
                )
            )

        def baseline():
            self.cr.execute(
                """SELECT branch_id, user_id, result, count(*)
                     FROM daya_followup_task WHERE state = 'todo'
                    GROUP BY branch_id, user_id, result"""
            )
            return len(self.cr.fetchall())

        self.add_grouped(
            "head-office pivot of open follow-ups (branch × user × result)",
            product,
            baseline,
        )

    def work_dates(self):
        """The history's done follow-ups get the day they were recorded (the
        seeded rows have none): their due date, 09:00-17:00 WIB; the open ones
        of ``open_tasks``. Returns the WIB day of today and its UTC bounds."""
        if not getattr(self, "dated", False):
            self.open_tasks()
            self.cr.execute(
                """UPDATE daya_followup_task
                      SET done_date = due_date + interval '2 hours'
                                      + (id % 8) * interval '1 hour'
                    WHERE state = 'done' AND done_date IS NULL"""
            )
            self.settle()
            self.dated = True
        tz = pytz.timezone("Asia/Jakarta")
        today = fields.Date.context_today(
            self.env["res.users"].with_context(tz=tz.zone)
        )

        def utc(day):
            local = tz.localize(datetime.combine(day, dtime.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return today, utc(today), utc(today + timedelta(days=1))

    def measure_branch_today(self):
        """Branch Today's follow-ups (the branch head's graph by person and state,
        head office's pivot by branch, person and state) with its default filter
        (to do by today, or recorded today) / the SQL GROUP BY."""
        today, start, stop = self.work_dates()
        domain = [
            "|",
            "&",
            ("state", "=", "todo"),
            ("due_date", "<=", today),
            "&",
            ("done_date", ">=", start),
            ("done_date", "<", stop),
        ]
        head = self.env["res.users"].search([("login", "=", "kacab.sh")])
        head_office = self.head_office_user()
        where = """((t.state = 'todo' AND t.due_date <= %(today)s)
                    OR (t.done_date >= %(start)s AND t.done_date < %(stop)s))"""
        params = {
            "today": today,
            "start": start,
            "stop": stop,
            "branches": head.branch_ids.ids,
        }
        for label, user, groupby, sql_where in [
            ("branch head's graph (person × state)", head, ["user_id", "state"],
             "t.branch_id = ANY(%(branches)s) AND "),
            ("head office's pivot (branch × person × state)", head_office,
             ["branch_id", "user_id", "state"], ""),
        ]:  # fmt: skip
            Task = self.env["daya.followup.task"].with_user(user)
            columns = ", ".join(f"t.{g}" for g in groupby)

            def product(Task=Task, groupby=groupby):
                return len(Task.read_group(domain, ["__count"], groupby, lazy=False))

            def baseline(columns=columns, sql_where=sql_where):
                self.cr.execute(
                    f"""SELECT {columns}, count(*) FROM daya_followup_task t
                         WHERE {sql_where}{where} GROUP BY {columns}""",
                    params,
                )
                return len(self.cr.fetchall())

            self.add_grouped(f"Branch Today follow-ups, {label}", product, baseline)

    def measure_dashboard(self):
        """The Follow-up Dashboard as head office: the follow-ups recorded in a
        month (its default filter, here last month: a whole one) by branch and
        result / the SQL GROUP BY."""
        today, _start, _stop = self.work_dates()
        tz = pytz.timezone("Asia/Jakarta")
        first = today.replace(day=1)
        start, stop = (
            tz.localize(datetime.combine(day, dtime.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
            for day in ((first - timedelta(days=1)).replace(day=1), first)
        )
        head_office = self.head_office_user()
        Task = self.env["daya.followup.task"].with_user(head_office)
        domain = [
            ("state", "=", "done"),
            ("done_date", ">=", start),
            ("done_date", "<", stop),
        ]

        def product():
            return len(
                Task.read_group(
                    domain, ["__count"], ["branch_id", "result"], lazy=False
                )
            )

        def baseline():
            self.cr.execute(
                """SELECT branch_id, result, count(*) FROM daya_followup_task
                    WHERE state = 'done' AND done_date >= %s AND done_date < %s
                    GROUP BY branch_id, result""",
                (start, stop),
            )
            return len(self.cr.fetchall())

        self.add_grouped(
            "Follow-up Dashboard, recorded in a month (branch × result)",
            product,
            baseline,
        )

    def measure_week_review(self):
        """The Weekly Review as head office: its pivot of the last 8 weeks by week
        (every measure) / the same figures in SQL straight from the follow-ups and
        bookings of those 8 weeks (the view dates every event of the history)."""
        today, _start, _stop = self.work_dates()
        since = today + timedelta(days=-today.weekday() - 7 * 7)
        head_office = self.head_office_user()
        Report = self.env["daya.followup.week.report"].with_user(head_office)
        measures = [
            "followed_up", "responses", "bookings", "done_services",
            "booking_done_rate", "overdue",
        ]  # fmt: skip

        def product():
            return len(
                Report.read_group([("date", ">=", since)], measures, ["date:week"])
            )

        def baseline():
            self.cr.execute(
                """
                WITH done AS (
                    SELECT t.branch_id, t.partner_id, t.result,
                           (t.done_date AT TIME ZONE 'UTC'
                                        AT TIME ZONE 'Asia/Jakarta')::date AS day
                      FROM daya_followup_task t
                     WHERE t.state = 'done'
                       AND t.done_date >= %(since)s::timestamp - interval '7 hours'
                ), events AS (
                    SELECT date_trunc('week', day) AS week,
                           count(DISTINCT (branch_id, partner_id)) AS followed_up,
                           count(*) FILTER (WHERE result NOT IN
                                            ('no_response', 'wrong_number'))
                               AS responses,
                           0 AS bookings, 0 AS done_services, 0 AS overdue
                      FROM done WHERE day >= %(since)s GROUP BY 1
                    UNION ALL
                    SELECT date_trunc('week', due_date), 0, 0, 0, 0, count(*)
                      FROM daya_followup_task
                     WHERE state = 'todo' AND due_date >= %(since)s
                       AND due_date < %(today)s
                     GROUP BY 1
                    UNION ALL
                    SELECT date_trunc('week', (create_date AT TIME ZONE 'UTC'
                                               AT TIME ZONE 'Asia/Jakarta')::date),
                           0, 0, count(*), count(*) FILTER (WHERE state = 'done'), 0
                      FROM daya_service_booking
                     WHERE state != 'cancel' AND create_date >= %(since)s
                     GROUP BY 1
                )
                SELECT week, sum(followed_up), sum(responses), sum(bookings),
                       sum(done_services), sum(overdue)
                  FROM events GROUP BY week ORDER BY week
                """,
                {"since": since, "today": today},
            )
            return len(self.cr.fetchall())

        seconds, groups = timed(product, self.args.repeat)
        base_seconds, _r = timed(baseline, self.args.repeat)
        self.add(
            "Weekly Review, last 8 weeks by week (head office)",
            seconds,
            base_seconds,
            note=f"{groups} weeks; the baseline reads only those weeks",
        )

    def print_table(self, seed_seconds):
        args = self.args
        print(
            f"\nbench_scale: {args.partners:,} partners, {args.units:,} units over "
            f"{args.history_days} days ({self.history:,} tasks of history), "
            f"{args.import_rows:,} import rows, {args.leads:,} leads; median of "
            f"{args.repeat}; volume loaded in {seed_seconds:.0f} s\n"
        )
        print("| measure | product | baseline (same run) | ratio | note |")
        print("| --- | --- | --- | --- | --- |")
        for measure, product, baseline, _unit, note in self.rows:
            ratio = product / baseline if baseline else float("inf")
            print(
                f"| {measure} | {product * 1000:,.1f} ms | {baseline * 1000:,.1f} ms "
                f"| {ratio:,.2f}× | {note} |"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", required=True, help="database to copy")
    parser.add_argument("-d", "--database", required=True, help="throwaway copy")
    parser.add_argument("--addons-path")
    parser.add_argument("--partners", type=int, default=100000)
    parser.add_argument("--units", type=int, default=20000)
    parser.add_argument("--history-days", type=int, default=730)
    parser.add_argument("--import-rows", type=int, default=2000)
    parser.add_argument("--leads", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="comma-separated: generation,lookups,...")
    parser.add_argument("--keep", action="store_true", help="keep the copy")
    args = parser.parse_args()
    run_bench(args)


def run_bench(args, bench_class=Bench):
    """Copy ``args.template``, load the volume, run the measures of
    ``args.only`` (all by default) and print the table (``print_table``)."""
    subprocess.run(["dropdb", "--if-exists", args.database], check=True)
    subprocess.run(["createdb", "-T", args.template, args.database], check=True)
    options = ["-d", args.database]
    if args.addons_path:
        options.append(f"--addons-path={args.addons_path}")
    config.parse_config(options)
    try:
        registry = odoo.registry(args.database)
        # measured runs are rolled back: nothing commits in between
        registry["daya.followup.task"]._can_commit = lambda self: False
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            bench = bench_class(env, args)
            seed_seconds = bench.seed()
            bench.seed_leads()
            cr.commit()
            only = (args.only or ",".join(MEASURES)).split(",")
            for name in MEASURES:
                if name in only:
                    getattr(bench, f"measure_{name}")()
            bench.print_table(seed_seconds)
            cr.rollback()
            return bench
    finally:
        odoo.sql_db.close_all()
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", args.database], check=False)
            shutil.rmtree(config.filestore(args.database), ignore_errors=True)


if __name__ == "__main__":
    main()
