#!/usr/bin/env bash
# Code checks as the OCA repositories run them for 16.0, offline from GitHub (the
# tools come from PyPI): ruff (lint and format, pyproject.toml), pylint-odoo's
# mandatory checks (.pylintrc-mandatory: sql-injection, manifest-required-author...),
# well-formed XML without tabs, and OCA's oca-checks-odoo-module and oca-checks-po
# (oca-odoo-pre-commit-hooks, configured in .oca_hooks.cfg). The same checks run as
# pre-commit hooks (.pre-commit-config.yaml). Any finding fails (non-zero exit).
#
# Also, each on by default and left out with its variable set to 0:
#   DAYA_LINT_README    README.rst of each addon up to date with its readme/ fragments
#                       (tests/gen_readme.py --check; regenerate: python3 tests/gen_readme.py)
#   DAYA_LINT_PRETTIER  prettier --check (OCA's .prettierrc.yml, @prettier/plugin-xml) on
#                       the addons' XML and the tours' JS (fix: the same with --write)
#   DAYA_LINT_ESLINT    eslint (OCA's .eslintrc.yml) on addons/*/static/tests/tours/*.js
#
# The Python tools live in their own virtual environment, ${DAYA_LINT_VENV:-/opt/daya-lint-venv}
# (or ~/.cache/daya-lint-venv when /opt is not writable), installed on first use; the
# node tools (pinned in tests/node/package-lock.json) likewise in
# ${DAYA_LINT_NODE:-/opt/daya-lint-node} (or ~/.cache/daya-lint-node) by `npm ci`; as
# root, Debian's nodejs and npm are installed first when missing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

VENV=${DAYA_LINT_VENV:-/opt/daya-lint-venv}
if [ -z "${DAYA_LINT_VENV:-}" ] && [ ! -d "$VENV" ] && [ ! -w "$(dirname "$VENV")" ]; then
    VENV="$HOME/.cache/daya-lint-venv"
fi
TOOLS=("ruff==0.17.*" "pylint-odoo==10.0.*" "lxml" "oca-odoo-pre-commit-hooks==0.2.27"
       "docutils==0.23")
if ! "$VENV/bin/python" -c 'import lxml, pylint_odoo, oca_pre_commit_hooks, docutils' \
        2>/dev/null || [ ! -x "$VENV/bin/ruff" ]; then
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
run "oca-checks-odoo-module (.oca_hooks.cfg)" "$VENV/bin/oca-checks-odoo-module" \
    --config .oca_hooks.cfg addons/*/
run "oca-checks-po (.oca_hooks.cfg)" "$VENV/bin/oca-checks-po" --config .oca_hooks.cfg \
    addons/*/i18n/*.po addons/*/i18n/*.pot

DAYA_LINT_README=${DAYA_LINT_README:-1}
DAYA_LINT_PRETTIER=${DAYA_LINT_PRETTIER:-1}
DAYA_LINT_ESLINT=${DAYA_LINT_ESLINT:-1}
on() { [ "${!1:-0}" = 1 ]; }
if on DAYA_LINT_README; then
    run "README.rst from readme/ (tests/gen_readme.py --check)" \
        "$VENV/bin/python" tests/gen_readme.py --check
fi
if on DAYA_LINT_PRETTIER || on DAYA_LINT_ESLINT; then
    NODE_DIR=${DAYA_LINT_NODE:-/opt/daya-lint-node}
    if [ -z "${DAYA_LINT_NODE:-}" ] && [ ! -d "$NODE_DIR" ] && [ ! -w "$(dirname "$NODE_DIR")" ]; then
        NODE_DIR="$HOME/.cache/daya-lint-node"
    fi
    if ! cmp -s tests/node/package-lock.json "$NODE_DIR/package-lock.json" \
            || [ ! -x "$NODE_DIR/node_modules/.bin/prettier" ] \
            || [ ! -x "$NODE_DIR/node_modules/.bin/eslint" ]; then
        echo "Installing tests/node/package-lock.json (prettier, eslint) in $NODE_DIR..."
        if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ]; then
            echo "Installing Debian's nodejs and npm..."
            { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; } \
                >/tmp/daya-lint-apt.log 2>&1 || tail -n 20 /tmp/daya-lint-apt.log >&2
        fi
        command -v npm >/dev/null || { echo "ERROR: npm is not installed (node 16+)" >&2; exit 2; }
        mkdir -p "$NODE_DIR" && cp tests/node/package.json tests/node/package-lock.json "$NODE_DIR/" \
            && npm ci --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error \
            || { echo "ERROR: npm ci of tests/node/package-lock.json failed" >&2; exit 2; }
    fi
    NODE_BIN="$NODE_DIR/node_modules/.bin"
fi
if on DAYA_LINT_PRETTIER; then
    run "prettier --check (XML, tours)" "$NODE_BIN/prettier" --check --config .prettierrc.yml \
        --plugin="$NODE_DIR/node_modules/@prettier/plugin-xml" \
        "addons/**/*.xml" "addons/*/static/tests/tours/*.js"
fi
if on DAYA_LINT_ESLINT; then
    run "eslint (tours)" "$NODE_BIN/eslint" --no-eslintrc --config .eslintrc.yml \
        --resolve-plugins-relative-to "$NODE_DIR" \
        "addons/*/static/tests/tours/*.js"
fi

if [ "$status" -eq 0 ]; then echo "lint: no finding"; else echo "lint: FAILED" >&2; fi
exit "$status"
