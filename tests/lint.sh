#!/usr/bin/env bash
# Code checks as the OCA repositories run them for 16.0: ruff (lint and format),
# pylint-odoo's mandatory checks (.pylintrc-mandatory, SQL injection among them) and
# well-formed XML. The tools live in their own virtual environment, installed from
# PyPI on first use. Any finding fails.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${DAYA_LINT_VENV:-$HOME/.cache/daya-lint-venv}
if ! "$VENV/bin/python" -c 'import pylint_odoo' 2>/dev/null || [ ! -x "$VENV/bin/ruff" ]; then
    echo "Installing the linters in $VENV..."
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "ruff==0.17.*" "pylint-odoo==10.0.*" lxml
fi
cd "$ROOT"
status=0
echo "ruff check"
"$VENV/bin/ruff" check addons tests || status=1
echo "ruff format --check"
"$VENV/bin/ruff" format --check addons tests || status=1
echo "pylint-odoo (mandatory checks)"
"$VENV/bin/pylint" --rcfile=.pylintrc-mandatory addons/* || status=1
echo "XML well-formed, no tabs"
"$VENV/bin/python" - <<'PY' || status=1
import pathlib
import sys

from lxml import etree

bad = 0
for path in sorted(pathlib.Path("addons").rglob("*.xml")):
    text = path.read_bytes()
    try:
        etree.fromstring(text)
    except etree.XMLSyntaxError as err:
        print(f"{path}: {err}")
        bad += 1
    if b"\t" in text:
        print(f"{path}: tab character (indent with spaces)")
        bad += 1
sys.exit(1 if bad else 0)
PY
[ "$status" -eq 0 ] && echo "lint: no finding" || echo "lint: findings above" >&2
exit "$status"
