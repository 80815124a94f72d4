#!/usr/bin/env bash
# Code checks as the OCA repositories run them for 16.0, offline from GitHub (the
# tools come from PyPI): ruff (lint and format, pyproject.toml), pylint-odoo's
# mandatory checks (.pylintrc-mandatory: sql-injection, manifest-required-author...)
# and well-formed XML without tabs. The same checks run as pre-commit hooks
# (.pre-commit-config.yaml). Any finding fails (non-zero exit).
#
# The tools live in their own virtual environment, ${DAYA_LINT_VENV:-/opt/daya-lint-venv}
# (or ~/.cache/daya-lint-venv when /opt is not writable), installed on first use.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

VENV=${DAYA_LINT_VENV:-/opt/daya-lint-venv}
if [ -z "${DAYA_LINT_VENV:-}" ] && [ ! -d "$VENV" ] && [ ! -w "$(dirname "$VENV")" ]; then
    VENV="$HOME/.cache/daya-lint-venv"
fi
TOOLS=("ruff==0.17.*" "pylint-odoo==10.0.*" "lxml")
if ! "$VENV/bin/python" -c 'import lxml, pylint_odoo' 2>/dev/null || [ ! -x "$VENV/bin/ruff" ]; then
    echo "Installing ${TOOLS[*]} in $VENV..."
    python3 -m venv "$VENV" || { echo "ERROR: cannot create the venv $VENV (python3-venv?)" >&2; exit 2; }
    "$VENV/bin/pip" install -q "${TOOLS[@]}" \
        || { echo "ERROR: cannot install ${TOOLS[*]} from PyPI" >&2; exit 2; }
fi

status=0
run() {  # run one check, remember a failure, go on with the others
    echo "== $1"
    shift
    "$@" || { status=1; echo "-> findings above" >&2; }
}
run "ruff check" "$VENV/bin/ruff" check --no-fix addons tests
run "ruff format --check" "$VENV/bin/ruff" format --check addons tests
run "pylint-odoo (mandatory checks)" "$VENV/bin/pylint" --rcfile=.pylintrc-mandatory \
    --output-format=text addons/* tests/*.py
run "XML well-formed, no tabs" "$VENV/bin/python" tests/check_xml.py

if [ "$status" -eq 0 ]; then echo "lint: no finding"; else echo "lint: FAILED" >&2; fi
exit "$status"
