"""Every XML file given (default: all of addons/) is well-formed and has no tab.

Used by tests/lint.sh and the pre-commit hook; exits 1 on any finding.
"""

import pathlib
import sys

from lxml import etree


def check(path):
    problems = []
    data = path.read_bytes()
    try:
        etree.fromstring(data)
    except etree.XMLSyntaxError as error:
        problems.append(f"{path}: not well-formed: {error}")
    if b"\t" in data:
        line = data[: data.index(b"\t")].count(b"\n") + 1
        problems.append(f"{path}:{line}: tab character (indent with spaces)")
    return problems


def main(args):
    paths = [pathlib.Path(arg) for arg in args] or sorted(
        pathlib.Path("addons").rglob("*.xml")
    )
    problems = [problem for path in paths for problem in check(path)]
    sys.stdout.write(
        "\n".join(problems) or f"{len(paths)} XML files well-formed, no tab"
    )
    sys.stdout.write("\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
