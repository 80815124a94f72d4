"""Issue 15's benchmark in one command: every measure against its baseline.

Copies a database with the suite installed (``--template``, e.g. one kept by
``KEEP_DB=1 bash tests/run.sh``) into a throwaway one, loads the volume of the
chosen scale with set-based SQL (reproducible: the values derive from the row
number and ``--seed``), runs every measure of bench_scale.py (generation first run
and re-run, KPB generation and retries with WOR leads, lookups with their plans,
the CDB/A2 import, the CRM report with its peak memory, lead creation, My
follow-ups, the head-office pivot) against its baseline in the same run, and
prints one table: measure, product, baseline, ratio, target, pass/fail.

    python tests/benchmarks/run.py --template daya --scale small [--seed 1]

``small`` is a smoke test (tests/run.sh: a minute or two, nothing asserted on
time); ``mid`` the defaults of bench_scale.py; ``network`` issue 15's sizes (about
an hour to load and several GB of disk).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_scale  # noqa: E402

SCALES = {
    "small": {
        "partners": 3000,
        "units": 1000,
        "history_days": 120,
        "import_rows": 100,
        "leads": 500,
        "repeat": 1,
    },
    "mid": {
        "partners": 100000,
        "units": 20000,
        "history_days": 730,
        "import_rows": 2000,
        "leads": 10000,
        "repeat": 3,
    },
    "network": {
        "partners": 1000000,
        "units": 600000,
        "history_days": 730,
        "import_rows": 50000,
        "leads": 100000,
        "repeat": 3,
    },
}

# (start of the measure's name, target, check(product s, baseline s, row, bench))
TARGETS = [
    ("generation, first run", "≤ 2× SQL", lambda p, b, r, x: p <= 2 * b),
    (
        "generation re-run",
        "≤ 5 % of the first run",
        lambda p, b, r, x: p <= 0.05 * x.first_run,
    ),
    ("candidate search", "≤ 2× the old `not in`", lambda p, b, r, x: p <= 2 * b),
    ("generation KPB 1", "≤ 2× SQL", lambda p, b, r, x: p <= 2 * b),
    ("retries", "≤ 2× SQL", lambda p, b, r, x: p <= 2 * b),
    (
        "name_search by part of a name",
        "≤ 50 ms, no seq scan",
        lambda p, b, r, x: p <= 0.050 and "SEQ SCAN" not in r[4],
    ),
    (
        "name_search by",
        "≤ 5 ms, no seq scan",
        lambda p, b, r, x: p <= 0.005 and "SEQ SCAN" not in r[4],
    ),
    (
        "CDB/A2 import",
        "≥ 1,000 rows/s",
        lambda p, b, r, x: x.args.import_rows / p >= 1000,
    ),
    (
        "CRM report",
        "≤ 30 s per 100k leads, ≤ 800 MB",
        lambda p, b, r, x: (
            p <= 30 * max(x.args.leads, 1) / 100000 and x.report_peak <= 800 * 2**20
        ),
    ),
    (
        "lead create, one by one",
        "≤ 1.3× stock (time, queries)",
        lambda p, b, r, x: p <= 1.3 * b and x.query_ratios[1] <= 1.3,
    ),
    (
        "lead create, batches",
        "≤ 1.3× stock (time, queries)",
        lambda p, b, r, x: p <= 1.3 * b and x.query_ratios[20] <= 1.3,
    ),
    ("My follow-ups", "≤ 2× SQL", lambda p, b, r, x: p <= 2 * b),
    ("head-office pivot", "≤ 2× SQL", lambda p, b, r, x: p <= 2 * b),
    ("Branch Today follow-ups", "≤ 2× SQL", lambda p, b, r, x: p <= 2 * b),
    ("Follow-up Dashboard", "≤ 2× SQL", lambda p, b, r, x: p <= 2 * b),
    ("Weekly Review", "≤ 2× SQL", lambda p, b, r, x: p <= 2 * b),
]


class RunBench(bench_scale.Bench):
    """bench_scale's measures, printed with their targets."""

    first_run = None

    def add(self, measure, product, baseline, unit="s", note=""):
        if measure.startswith("generation, first run"):
            self.first_run = product
        super().add(measure, product, baseline, unit, note)

    def print_table(self, seed_seconds):
        args = self.args
        print(
            f"\nrun.py --scale {args.scale} --seed {args.seed}: {args.partners:,} "
            f"partners, {args.units:,} units over {args.history_days} days "
            f"({self.history:,} tasks of history), {args.import_rows:,} import rows, "
            f"{args.leads:,} leads; median of {args.repeat}; volume loaded in "
            f"{seed_seconds:.0f} s; {os.cpu_count()} cores, load average "
            f"{os.getloadavg()[0]:.1f}\n"
        )
        print("| measure | product | baseline | ratio | target | pass/fail | note |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        self.failed = 0
        for row in self.rows:
            measure, product, baseline, _unit, note = row
            target, verdict = "", ""
            for prefix, text, check in TARGETS:
                if measure.startswith(prefix):
                    target = text
                    try:
                        verdict = (
                            "pass" if check(product, baseline, row, self) else "FAIL"
                        )
                    except (AttributeError, KeyError, TypeError, ZeroDivisionError):
                        verdict = "n/a"
                    break
            self.failed += verdict == "FAIL"
            ratio = product / baseline if baseline else float("inf")
            print(
                f"| {measure} | {product * 1000:,.1f} ms | {baseline * 1000:,.1f} ms "
                f"| {ratio:,.2f}× | {target} | {verdict} | {note} |"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--template",
        default=os.environ.get("DAYA_BENCH_TEMPLATE"),
        help="database with the suite installed (default: $DAYA_BENCH_TEMPLATE)",
    )
    parser.add_argument("-d", "--database", help="throwaway copy")
    parser.add_argument("--addons-path")
    parser.add_argument("--repeat", type=int, help="median of N (scale's default)")
    parser.add_argument(
        "--only", help="comma-separated: " + ",".join(bench_scale.MEASURES)
    )
    parser.add_argument("--keep", action="store_true", help="keep the copy")
    args = parser.parse_args()
    if not args.template:
        parser.error("--template (or DAYA_BENCH_TEMPLATE) is required")
    for key, value in SCALES[args.scale].items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    args.database = args.database or f"{args.template}_bench"
    bench = bench_scale.run_bench(args, RunBench)
    print(f"\n{len(bench.rows)} measures, {bench.failed} below target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
