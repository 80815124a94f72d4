#!/usr/bin/env bash
# Run the Daya CRM tests against a real Odoo 16 and PostgreSQL:
#   1. install the four addons on a fresh database with --test-enable (each addon's
#      own tests, browser tours included);
#   2. run the suite-level tests of this folder with pytest-odoo on that database.
# It fails (non-zero, clear message) when Odoo or PostgreSQL is missing, when a test
# fails, when no test ran, or when a browser tour was skipped. Its last line is
# "N passed, N failed".
#
# Environment:
#   ODOO_BIN       the odoo executable (default: `odoo` on PATH, then `odoo-bin`)
#   ODOO_PYTHON    the Python that runs Odoo (default: read from ODOO_BIN's shebang)
#   PGHOST PGPORT PGUSER PGPASSWORD   PostgreSQL server (default: local socket)
#   TEST_HTTP_PORT HTTP port of the test server (default 18069)
#   TEST_TAGS      Odoo --test-tags (default: the four addons)
#   DAYA_MODULES   addons to install (default: the four addons)
#   KEEP_DB=1      keep the test database; LOG_DIR where the logs go
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODULES=${DAYA_MODULES:-daya_crm_leads,daya_crm_wor,daya_crm_followup,daya_cdb_validation}
TEST_TAGS=${TEST_TAGS:-$(echo "$MODULES" | sed 's/\([^,]*\)/\/\1/g')}
HTTP_PORT=${TEST_HTTP_PORT:-18069}
LOG_DIR=${LOG_DIR:-$(mktemp -d -t daya-tests.XXXXXX)}
DB=${DAYA_TEST_DB:-daya_test_$(date +%Y%m%d%H%M%S)_$$}
mkdir -p "$LOG_DIR"
ODOO_LOG="$LOG_DIR/odoo-tests.log"
PYTEST_LOG="$LOG_DIR/pytest.log"

fail() {
    echo "ERROR: $*" >&2
    echo "0 passed, 1 failed"
    exit 2
}

# --- Odoo 16 -----------------------------------------------------------------
ODOO=${ODOO_BIN:-$(command -v odoo || command -v odoo-bin || true)}
if [ -z "$ODOO" ] || [ ! -x "$ODOO" ]; then
    fail "Odoo 16 not found: install Odoo 16 and put 'odoo' on PATH, or set ODOO_BIN."
fi
VERSION=$("$ODOO" --version 2>/dev/null | tail -n 1)
case "$VERSION" in
    *" 16.0"*) ;;
    *) fail "Odoo 16 is needed; $ODOO says: '${VERSION:-nothing}'." ;;
esac
PY=${ODOO_PYTHON:-$(head -n 1 "$(readlink -f "$ODOO")" | sed -n 's/^#! *\([^ ]*\).*/\1/p')}
if [ -z "$PY" ] || ! "$PY" -c 'import odoo' 2>/dev/null; then
    fail "cannot find the Python that runs Odoo (got '$PY'); set ODOO_PYTHON."
fi
echo "Odoo: $ODOO ($VERSION), Python: $PY"

# --- what the tests need, from the registries ---------------------------------
if ! "$PY" -c 'import websocket, pytest_odoo, phonenumbers, freezegun' 2>/dev/null; then
    echo "Installing the Python packages the tests need..."
    PACKAGES=(-r "$ROOT/requirements.txt" websocket-client pytest-odoo)
    # Debian's own Python (the odoo:16.0 image) marks itself externally managed
    "$PY" -m pip install -q "${PACKAGES[@]}" 2>/dev/null \
        || "$PY" -m pip install -q --break-system-packages "${PACKAGES[@]}" \
        || fail "could not install requirements.txt, websocket-client and pytest-odoo."
fi
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null \
        && ! command -v google-chrome >/dev/null; then
    echo "Installing Chromium for the browser tours..."
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
        >"$LOG_DIR/apt.log" 2>&1 || fail "could not install Chromium (see $LOG_DIR/apt.log)."
fi

# --- PostgreSQL ----------------------------------------------------------------
pg_ready() { pg_isready -q ${PGHOST:+-h "$PGHOST"} ${PGPORT:+-p "$PGPORT"} 2>/dev/null; }
if ! command -v pg_isready >/dev/null; then
    fail "PostgreSQL client tools not found: install PostgreSQL (pg_isready, psql)."
fi
if ! pg_ready && [ -z "${PGHOST:-}" ] && command -v pg_ctlcluster >/dev/null; then
    read -r PG_VERSION PG_CLUSTER _ < <(pg_lsclusters -h 2>/dev/null | head -n 1)
    if [ -n "${PG_VERSION:-}" ]; then
        echo "Starting PostgreSQL $PG_VERSION/$PG_CLUSTER..."
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >/dev/null 2>&1
        for _i in $(seq 30); do pg_ready && break; sleep 1; done
    fi
fi
pg_ready || fail "PostgreSQL is not reachable (PGHOST=${PGHOST:-local socket}); start it or set PGHOST/PGPORT."
if [ -z "${PGHOST:-}" ] && [ -z "${PGUSER:-}" ] && [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
    # running as root on a local server: Odoo connects as role "root"
    if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'root'" 2>/dev/null | grep -q 1; then
        runuser -u postgres -- createuser --superuser root || fail "could not create the PostgreSQL role root."
    fi
fi
DB_ARGS=()
[ -n "${PGHOST:-}" ] && DB_ARGS+=("--db_host=$PGHOST")
[ -n "${PGPORT:-}" ] && DB_ARGS+=("--db_port=$PGPORT")
[ -n "${PGUSER:-}" ] && DB_ARGS+=("--db_user=$PGUSER")
[ -n "${PGPASSWORD:-}" ] && DB_ARGS+=("--db_password=$PGPASSWORD")

drop_db() {
    [ "${KEEP_DB:-0}" = 1 ] && { echo "Kept database $DB"; return; }
    dropdb --if-exists ${PGHOST:+-h "$PGHOST"} ${PGPORT:+-p "$PGPORT"} ${PGUSER:+-U "$PGUSER"} "$DB" 2>/dev/null || true
}
trap drop_db EXIT

# Odoo's own addons: inside the odoo package, plus ./addons of a source checkout.
ADDONS_PATH="$ROOT/addons"
ODOO_SRC=$("$PY" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))')
[ -d "$ODOO_SRC/addons/crm" ] && ADDONS_PATH="$ODOO_SRC/addons,$ADDONS_PATH"
[ -n "${EXTRA_ADDONS_PATH:-}" ] && ADDONS_PATH="$ADDONS_PATH,$EXTRA_ADDONS_PATH"

# --- 1. the addons' own tests ----------------------------------------------------
echo "Installing $MODULES on $DB with their tests (log: $ODOO_LOG)..."
START=$(date +%s)
"$ODOO" -d "$DB" --addons-path="$ADDONS_PATH" "${DB_ARGS[@]}" \
    -i "$MODULES" --test-enable --test-tags="$TEST_TAGS" \
    --stop-after-init --http-port="$HTTP_PORT" --max-cron-threads=0 \
    --log-level=test --log-handler=werkzeug:WARNING >"$ODOO_LOG" 2>&1 &
ODOO_PID=$!
# show the failures and the results while it runs
tail -n +1 -F --pid="$ODOO_PID" "$ODOO_LOG" 2>/dev/null \
    | grep --line-buffered -E ' (ERROR|CRITICAL) | odoo\.tests\.result: |Tour .* (succeeded|failed)$' &
TAIL_PID=$!
wait "$ODOO_PID"
ODOO_RC=$?
wait "$TAIL_PID" 2>/dev/null
echo "Odoo finished in $(( $(date +%s) - START )) s with exit code $ODOO_RC."

RESULTS=$(grep -oE 'odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$ODOO_LOG")
RUN=0; FAILED=0
while read -r failed errors total; do
    [ -n "$total" ] || continue
    RUN=$((RUN + total)); FAILED=$((FAILED + failed + errors))
done < <(echo "$RESULTS" | sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests/\1 \2 \3/')

PROBLEMS=()
[ "$ODOO_RC" -ne 0 ] && PROBLEMS+=("Odoo exited with code $ODOO_RC")
[ -z "$RESULTS" ] && PROBLEMS+=("Odoo reported no test result")
[ "$RUN" -eq 0 ] && PROBLEMS+=("no test ran")
# errors outside of test failures (install errors, loading errors...)
OTHER_ERRORS=$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$ODOO_LOG" \
    | grep -vE ' odoo\.tests\.result: | odoo\.addons\.[a-z_]+\.tests\.| odoo\.sql_db: bad query' | head -n 20)
[ -n "$OTHER_ERRORS" ] && PROBLEMS+=("errors outside the tests:"$'\n'"$OTHER_ERRORS")
# a tour that could not run is a failure, not a skip
SKIPS=$(grep -E 'websocket-client module is not installed|Chrome executable not found|Failed to detect chrome devtools port|Cannot connect to chrome dev tools|Error during Chrome headless connection| odoo\.addons\.[a-z0-9_]+\.tests\.[a-zA-Z0-9_.]+: skipped ' "$ODOO_LOG" | head -n 10)
[ -n "$SKIPS" ] && PROBLEMS+=("skipped tests or tours:"$'\n'"$SKIPS")
echo "Addon tests: $RUN run, $FAILED failed."

# --- 2. suite-level tests with pytest-odoo ----------------------------------------
PYTEST_PASSED=0; PYTEST_FAILED=0
if [ -n "$RESULTS" ]; then
    CONF="$LOG_DIR/odoo-pytest.conf"
    {
        echo "[options]"
        echo "addons_path = $ADDONS_PATH"
        [ -n "${PGHOST:-}" ] && echo "db_host = $PGHOST"
        [ -n "${PGPORT:-}" ] && echo "db_port = $PGPORT"
        [ -n "${PGUSER:-}" ] && echo "db_user = $PGUSER"
        [ -n "${PGPASSWORD:-}" ] && echo "db_password = $PGPASSWORD"
    } >"$CONF"
    echo "Running the suite-level tests (log: $PYTEST_LOG)..."
    (cd "$ROOT" && "$PY" -m pytest tests --odoo-database="$DB" \
        --odoo-config="$CONF" -q -rfE -p no:cacheprovider -p no:warnings) >"$PYTEST_LOG" 2>&1
    PYTEST_RC=$?
    tail -n 25 "$PYTEST_LOG"
    SUMMARY=$(tail -n 1 "$PYTEST_LOG")
    PYTEST_PASSED=$(echo "$SUMMARY" | grep -oE '[0-9]+ passed' | awk '{s += $1} END {print s + 0}')
    PYTEST_FAILED=$(echo "$SUMMARY" | grep -oE '[0-9]+ (failed|errors?)' | awk '{s += $1} END {print s + 0}')
    case "$PYTEST_RC" in
        0) ;;
        5) PROBLEMS+=("pytest collected no suite-level test") ;;
        *) [ "$PYTEST_FAILED" -eq 0 ] && PROBLEMS+=("pytest exited with code $PYTEST_RC") ;;
    esac
else
    PROBLEMS+=("suite-level tests not run: the installation failed")
fi

PASSED=$((RUN - FAILED + PYTEST_PASSED))
TOTAL_FAILED=$((FAILED + PYTEST_FAILED + ${#PROBLEMS[@]}))
if [ ${#PROBLEMS[@]} -gt 0 ]; then
    echo "Problems:" >&2
    for problem in "${PROBLEMS[@]}"; do echo "- $problem" >&2; done
fi
if [ "$TOTAL_FAILED" -gt 0 ]; then
    echo "Failed tests:" >&2
    grep -E ' (FAIL|ERROR): ' "$ODOO_LOG" | sed -E 's/.* (FAIL|ERROR): /  \1: /' | sort -u | head -n 40 >&2
    echo "Logs in $LOG_DIR" >&2
fi
echo "$PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" -eq 0 ]
