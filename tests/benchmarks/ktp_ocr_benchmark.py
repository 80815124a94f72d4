"""Benchmark of the KTP OCR (daya_ktp) on cards this script makes itself.

    /opt/odoo16-venv/bin/python tests/benchmarks/ktp_ocr_benchmark.py [--count 100]
        [--seed 14]

renders ``count`` KTP-like cards (ktp_cards.py, fixed seed), reads each clean card
and a degraded phone photo of it with ``read_ktp`` and prints the NIK exact-match
rate, the accuracy per field and the seconds per image, as an RST table.
Run it with the Python that runs Odoo (it imports daya_ktp from addons/).
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import ktp_cards  # noqa: E402


def load_reader():
    import odoo
    from odoo.tools import config

    config.parse_config(["--addons-path=" + os.path.join(ROOT, "addons")])
    odoo.modules.module.initialize_sys_path()
    from odoo.addons.daya_ktp.tools.ktp_ocr import FIELDS, read_ktp

    return FIELDS, read_ktp


def evaluate(cards, fields, read_ktp):
    hits = dict.fromkeys(fields, 0)
    seconds = 0.0
    failures = []
    cpu_start = _cpu()
    for image, person in cards:
        start = time.perf_counter()
        result = read_ktp(image)
        seconds += time.perf_counter() - start
        for key in fields:
            if result[key] == person[key]:
                hits[key] += 1
            elif key == "nik":
                failures.append((person["nik"], result["nik"], result["warnings"]))
    count = len(cards)
    cpu = (_cpu() - cpu_start) / count
    return {key: hits[key] / count for key in fields}, (seconds / count, cpu), failures


def _cpu():
    """CPU seconds of this process and of the Tesseract processes it ran."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    fields, read_ktp = load_reader()
    rows = []
    for label, degraded in (("clean", False), ("degraded", True)):
        cards = ktp_cards.make_cards(args.count, seed=args.seed, degraded=degraded)
        accuracy, seconds, failures = evaluate(cards, fields, read_ktp)
        rows.append((label, accuracy, seconds))
        if args.verbose:
            for failure in failures:
                print(label, "NIK", *failure, file=sys.stderr)
    width = max(len(key) for key in fields) + 2
    line = "=" * width + " " + " ".join(["=" * 10] * len(rows))
    print(
        "%d cards per set, seed %d, load average %.1f on %d cores"
        % (args.count, args.seed, os.getloadavg()[0], os.cpu_count())
    )
    print()
    print(line)
    print("field".ljust(width), " ".join(label.ljust(10) for label, _a, _s in rows))
    print(line)
    for key in fields:
        print(
            key.ljust(width),
            " ".join(("%.1f %%" % (100 * acc[key])).ljust(10) for _l, acc, _s in rows),
        )
    print(
        "s/image".ljust(width),
        " ".join(("%.2f" % s[0]).ljust(10) for _l, _a, s in rows),
    )
    print(
        "CPU s/image".ljust(width),
        " ".join(("%.2f" % s[1]).ljust(10) for _l, _a, s in rows),
    )
    print(line)


if __name__ == "__main__":
    main()
