#!/usr/bin/env bash
# The Daya CRM test command (README): real Odoo 16 and PostgreSQL, nothing mocked.
#   1. install the addons on a fresh database with demo data and --test-enable: each
#      addon's own tests run, at_install and post_install, browser tours in headless
#      Chromium;
#   2. run the suite-level tests of this folder with pytest-odoo on that database;
#   then the production path, each step counted as a test:
#   3. give that database the suite's own data in every state
#      (migration/seed_suite_data.py), upgrade the addons (-u) and check that the
#      data is unchanged;
#   4. install the addons on a second fresh database WITHOUT demo data (as every
#      dealer's database is made), upgrade it, and check it (migration/test_production_db.py);
#   5. install them into a database where Odoo's crm and sale_crm were already in use
#      (migration/seed_stock_crm.py) and check that its data was kept
#      (migration/test_stock_crm.py).
# Any failed test, stray ERROR log line, skipped test or tour, or a run with no test
# fails it. Odoo 16 or PostgreSQL missing is an error (exit 2), never a skip. The last
# line is "N passed, N failed".
#
# Environment (all optional):
#   ODOO_BIN           the odoo executable (default: `odoo` on PATH, then `odoo-bin`)
#   ODOO_PYTHON        the Python that runs Odoo (default: from ODOO_BIN's shebang)
#   PGHOST PGPORT PGUSER PGPASSWORD   PostgreSQL (default: the local socket; a local
#                      cluster is started if none answers)
#   DAYA_MODULES       addons to install (default: the suite's addons, DAYA_MODULES
#                      of ../.env, the one list docker compose reads too)
#   TEST_TAGS          Odoo --test-tags (default: /<addon> for each of DAYA_MODULES)
#   EXTRA_ADDONS_PATH  more addons directories (comma-separated)
#   SUITE_TESTS        what pytest runs in step 2 (default: tests, this folder,
#                      without tests/migration)
#   TEST_HTTP_PORT     HTTP port of the test server (default: a free port; a port
#                      given here that is taken stops the run at once)
#   DAYA_TEST_DB       database name (default: daya_test_<epoch>_<pid>); steps 3b, 4
#                      and 5 use <name>_rel, <name>_prod and <name>_crm
#   UPGRADE_FROM       the release (a commit of this repository) that step 3b
#                      upgrades from (default: c4164b2, the last before daya_base)
#   KEEP_DB=1          keep the databases afterwards
#   PRODUCTION_CHECKS=0  leave out steps 3-5 (a quick local run; CI runs them)
#   LOG_DIR            where the logs go (default /tmp/daya_test_logs/<database>)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SUITE_MODULES=$(sed -n 's/^DAYA_MODULES=//p' "$ROOT/.env" 2>/dev/null || true)
if [ -z "$SUITE_MODULES" ]; then
    echo "$ROOT/.env has no DAYA_MODULES line (the suite's addons)" >&2
    echo "0 passed, 1 failed"
    exit 2
fi
MODULES=${DAYA_MODULES:-$SUITE_MODULES}
TEST_TAGS=${TEST_TAGS:-$(echo "$MODULES" | sed -E 's#(^|,)#\1/#g')}
DB=${DAYA_TEST_DB:-daya_test_$(date +%s)_$$}
DB_PROD=${DB}_prod
DB_CRM=${DB}_crm
DB_REL=${DB}_rel
DB_LEAN=${DB}_lean
# the release step 3b upgrades from (the last one before the base addon)
UPGRADE_FROM=${UPGRADE_FROM:-c4164b2}
PRODUCTION_CHECKS=${PRODUCTION_CHECKS:-1}
LOG_DIR=${LOG_DIR:-/tmp/daya_test_logs/$DB}
mkdir -p "$LOG_DIR"
ODOO_LOG="$LOG_DIR/daya_odoo_test.log"
PYTEST_LOG="$LOG_DIR/daya_pytest.log"
WORK=$(mktemp -d -t daya-tests.XXXXXX)

# setup errors: a clear message, a closing line for CI, exit 2
fail() {
    echo "ERROR: $*" >&2
    echo "0 passed, 1 failed"
    exit 2
}

# --- Odoo 16 and its Python ------------------------------------------------------
if [ -n "${ODOO_BIN:-}" ]; then
    ODOO=$(command -v "$ODOO_BIN" || true)
else
    ODOO=$(command -v odoo || command -v odoo-bin || true)
fi
[ -n "$ODOO" ] && [ -x "$ODOO" ] \
    || fail "Odoo 16 not found: install Odoo 16 or set ODOO_BIN (${ODOO_BIN:-odoo, odoo-bin not on PATH})."
VERSION=$("$ODOO" --version 2>/dev/null | tail -n 1 || true)
case "$VERSION" in
    "Odoo Server 16.0"*) ;;
    *) fail "Odoo 16.0 is needed; '$ODOO --version' says '${VERSION:-nothing}'." ;;
esac
if [ -n "${ODOO_PYTHON:-}" ]; then
    PY=$ODOO_PYTHON
else  # "#!/path/python" or "#!/usr/bin/env python3"
    read -r -a SHEBANG < <(head -n 1 "$(readlink -f "$ODOO")" | sed -n 's/^#! *//p') || true
    PY=${SHEBANG[0]:-}
    [ "$(basename "${PY:-x}")" = env ] && PY=$(command -v "${SHEBANG[1]:-python3}" || true)
fi
[ -n "$PY" ] && "$PY" -c 'import odoo' 2>/dev/null \
    || fail "cannot find the Python that runs Odoo (got '${PY:-nothing}'); set ODOO_PYTHON."
echo "Odoo: $ODOO ($VERSION), Python: $PY"

# --- the HTTP port of the test server: its own, so that two runs do not collide ----
# (Odoo binds every interface with SO_REUSEADDR: check the same way)
port_is_free() {
    "$PY" - "$1" <<'PY'
import socket
import sys

sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    sock.bind(("", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}
if [ -n "${TEST_HTTP_PORT:-}" ]; then
    [[ "$TEST_HTTP_PORT" =~ ^[0-9]+$ ]] || fail "TEST_HTTP_PORT must be a port number, not '$TEST_HTTP_PORT'."
    port_is_free "$TEST_HTTP_PORT" \
        || fail "port $TEST_HTTP_PORT (TEST_HTTP_PORT) is in use, by another test run or server: the tours and HTTP tests would talk to it. Give a free port, or leave TEST_HTTP_PORT unset to have one picked."
    HTTP_PORT=$TEST_HTTP_PORT
else
    HTTP_PORT=$("$PY" -c 'import socket
s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
fi
echo "Database: $DB, HTTP port: $HTTP_PORT, logs: $LOG_DIR"

# --- what the tests need, from PyPI and Debian, only when missing ----------------
MISSING=$("$PY" - "$ROOT/requirements.txt" <<'PY'
import re
import sys
from importlib import metadata

names = ["websocket-client", "pytest-odoo", "freezegun"]
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#")[0].strip()
    if line:
        names.append(re.split(r"[\s<>=!~;\[]", line)[0])
for name in names:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        print(name)
PY
)
if [ -n "$MISSING" ]; then
    echo "Installing the missing Python packages:" $MISSING
    PIP=("$PY" -m pip install -q -r "$ROOT/requirements.txt" websocket-client pytest-odoo)
    grep -qx freezegun <<<"$MISSING" && PIP+=(freezegun)
    # a Debian bookworm Python is "externally managed" (the odoo:16.0 image runs
    # bullseye's Python 3.9, whose pip takes the first form)
    "${PIP[@]}" 2>"$WORK/pip.log" || "${PIP[@]}" --break-system-packages \
        || fail "pip could not install requirements.txt, websocket-client, pytest-odoo (see above)."
fi
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null \
        && ! command -v google-chrome >/dev/null && ! command -v google-chrome-stable >/dev/null; then
    echo "Installing Debian's chromium for the browser tours..."
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
        >"$WORK/apt.log" 2>&1 \
        || { tail -n 20 "$WORK/apt.log" >&2; fail "could not install chromium (apt-get, as root)."; }
fi

# daya_ktp reads KTP photos with Debian's Tesseract OCR and its Indonesian model; its
# tests draw cards with a DejaVu font (the Python packages come from requirements.txt)
if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx ind \
        || [ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "Installing Debian's tesseract-ocr, tesseract-ocr-ind and fonts-dejavu-core..."
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            tesseract-ocr tesseract-ocr-ind fonts-dejavu-core; } >"$WORK/apt-ocr.log" 2>&1 \
            || { tail -n 20 "$WORK/apt-ocr.log" >&2; fail "could not install tesseract-ocr (apt-get)."; }
    else
        echo "WARNING: tesseract-ocr, tesseract-ocr-ind or fonts-dejavu-core missing (not root: not installed)." >&2
    fi
fi

# --- PostgreSQL --------------------------------------------------------------------
command -v pg_isready >/dev/null && command -v psql >/dev/null \
    || fail "PostgreSQL client tools (pg_isready, psql) not found: install PostgreSQL."
PG_ARGS=()  # for pg_isready, psql, dropdb: empty means the local socket, as Odoo
[ -n "${PGHOST:-}" ] && PG_ARGS+=(-h "$PGHOST")
[ -n "${PGPORT:-}" ] && PG_ARGS+=(-p "$PGPORT")
if ! pg_isready -q "${PG_ARGS[@]}" && command -v pg_ctlcluster >/dev/null \
        && [[ "${PGHOST:-localhost}" =~ ^(localhost|127\.0\.0\.1|/.*)$ ]]; then
    # the local cluster on that port (pg_lsclusters: version cluster port status ...)
    read -r PG_VERSION PG_CLUSTER _ PG_STATUS _ < <(pg_lsclusters -h 2>/dev/null \
        | awk -v port="${PGPORT:-5432}" '$3 == port' | head -n 1) || true
    if [ -n "${PG_CLUSTER:-}" ] && [ "${PG_STATUS:-}" != online ]; then
        echo "Starting PostgreSQL cluster $PG_VERSION/$PG_CLUSTER..."
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start || true
        for _ in $(seq 30); do pg_isready -q "${PG_ARGS[@]}" && break; sleep 1; done
    fi
fi
pg_isready -q "${PG_ARGS[@]}" || fail "PostgreSQL is not reachable (${PGHOST:-local socket}:${PGPORT:-5432}): start it or set PGHOST/PGPORT."
# Odoo creates the database: its role must be a superuser or have CREATEDB
can_create_db() {
    [ "$(psql "${PG_ARGS[@]}" -d postgres -tAc \
        "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user" 2>/dev/null)" = t ]
}
ROLE=${PGUSER:-$(id -un)}
if ! can_create_db && [ -z "${PGHOST:-}" ] && [ -z "${PGUSER:-}" ] && [ "$(id -u)" = 0 ]; then
    echo "Creating the PostgreSQL superuser role '$ROLE'..."
    runuser -u postgres -- createuser ${PGPORT:+-p "$PGPORT"} --superuser "$ROLE" \
        || su postgres -c "createuser ${PGPORT:+-p $PGPORT} --superuser $ROLE" || true
fi
can_create_db || fail "PostgreSQL role '$ROLE' cannot connect or create databases: create it (createuser --superuser $ROLE) or set PGUSER/PGPASSWORD."
DB_ARGS=()  # for Odoo
[ -n "${PGHOST:-}" ] && DB_ARGS+=("--db_host=$PGHOST")
[ -n "${PGPORT:-}" ] && DB_ARGS+=("--db_port=$PGPORT")
[ -n "${PGUSER:-}" ] && DB_ARGS+=("--db_user=$PGUSER")
[ -n "${PGPASSWORD:-}" ] && DB_ARGS+=("--db_password=$PGPASSWORD")

# the databases and their filestores go at exit, unless KEEP_DB=1
FILESTORES=$("$PY" -c 'import sys; from odoo.tools import config
config.parse_config([]); print(config.filestore(sys.argv[1]))' "$DB" 2>/dev/null || true)
FILESTORES=$(dirname "$FILESTORES")  # .../filestore
cleanup() {
    rm -rf "$WORK"
    if [ "${KEEP_DB:-0}" = 1 ]; then
        echo "Kept the databases $DB, $DB_PROD, $DB_CRM, $DB_REL, $DB_LEAN (KEEP_DB=1)." >&2
        return
    fi
    for name in "$DB" "$DB_PROD" "$DB_CRM" "$DB_REL" "$DB_LEAN"; do
        dropdb --if-exists "${PG_ARGS[@]}" "$name" >/dev/null 2>&1 || true
        case "$FILESTORES" in */filestore) rm -rf "${FILESTORES:?}/$name" ;; esac
    done
}
trap cleanup EXIT

# --- addons path: Odoo's own addons, this repository's, EXTRA_ADDONS_PATH ---------
ODOO_ADDONS=$("$PY" -c 'import odoo, os; print(os.path.join(os.path.dirname(odoo.__file__), "addons"))')
ADDONS_PATH=$ODOO_ADDONS
# a source checkout keeps most addons in ./addons beside the odoo package
SRC_ADDONS="$(dirname "$(dirname "$ODOO_ADDONS")")/addons"
[ -d "$SRC_ADDONS/web" ] && ADDONS_PATH+=",$SRC_ADDONS"
# the previous release's addons (step 3b) go in place of this checkout's
REL_ADDONS_PATH="$ADDONS_PATH,$WORK/release/addons${EXTRA_ADDONS_PATH:+,$EXTRA_ADDONS_PATH}"
ADDONS_PATH+=",$ROOT/addons${EXTRA_ADDONS_PATH:+,$EXTRA_ADDONS_PATH}"

# --- 1. install with the addons' own tests ----------------------------------------
echo "Step 1: installing $MODULES on $DB, tests $TEST_TAGS (log: $ODOO_LOG)"
START=$(date +%s)
ODOO_ARGS=(-d "$DB" --db-filter="^$DB\$" --addons-path="$ADDONS_PATH" "${DB_ARGS[@]}"
    -i "$MODULES" --without-demo= --test-enable --test-tags="$TEST_TAGS"
    --stop-after-init --http-port="$HTTP_PORT" --max-cron-threads=0 --workers=0
    --log-level=test --log-handler=werkzeug:WARNING --logfile=)
# the full log goes to the file; errors, tours and results show live
LIVE=' (ERROR|CRITICAL) | odoo\.tests\.result: |: skipped |Tour [A-Za-z0-9_.]+ (succeeded|failed)| [0-9]+ modules loaded in '
set +e
"$ODOO" "${ODOO_ARGS[@]}" 2>&1 | tee "$ODOO_LOG" | grep --line-buffered -E "$LIVE"
ODOO_RC=${PIPESTATUS[0]}
set -e
echo "Odoo finished in $(($(date +%s) - START)) s with exit code $ODOO_RC."

# "N failed, N error(s) of N tests when loading database 'x'": sum every such line
RUN=0; FAILED=0
while read -r failed errors total; do
    RUN=$((RUN + total)); FAILED=$((FAILED + failed + errors))
done < <(sed -nE 's/.* odoo\.tests\.result: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p' "$ODOO_LOG")
PROBLEMS=()  # each counts as one failure
# ERROR/CRITICAL lines outside the tests (install errors, errors logged by the code
# under test...) count one each; those of the tests' own loggers only when no test
# failed (a test's failure is counted above already)
ERROR_RE='^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) '
TEST_LOGGER_RE=' [^ ]+ ((odoo\.addons\.[a-z0-9_]+\.tests(\.[A-Za-z0-9_]+)*|unittest\.[a-z]+|odoo\.tests\.result): '
TEST_LOGGER_RE+='|odoo\.modules\.loading: (Module [a-z0-9_]+: [0-9]+ failures|At least one test failed)'
TEST_LOGGER_RE+='|odoo\.service\.server: .*: at least one error occurred in a test)'
while IFS= read -r line; do PROBLEMS+=("error logged: ${line:0:300}"); done < <(
    grep -E "$ERROR_RE" "$ODOO_LOG" | grep -vE "$TEST_LOGGER_RE" || true)
TEST_ERRORS=$(grep -E "$ERROR_RE" "$ODOO_LOG" | grep -E "$TEST_LOGGER_RE" || true)
if [ "$FAILED" -eq 0 ] && [ -n "$TEST_ERRORS" ]; then
    PROBLEMS+=("a test logged an error but no test failed: grep ERROR $ODOO_LOG")
fi
# a test or tour that could not run is a failure, not a skip
while IFS= read -r line; do PROBLEMS+=("skipped: ${line:0:300}"); done < <(
    grep -E ' INFO [^ ]+ [^ ]+: skipped |websocket-client module is not installed|Chrome executable not found|Failed to detect chrome devtools port|Cannot connect to chrome dev tools|Error during Chrome headless connection' "$ODOO_LOG" || true)
[ "$RUN" -eq 0 ] && PROBLEMS+=("Odoo ran no test (tags: $TEST_TAGS)")
[ "$ODOO_RC" -ne 0 ] && [ "$FAILED" -eq 0 ] && [ ${#PROBLEMS[@]} -eq 0 ] \
    && PROBLEMS+=("Odoo exited with code $ODOO_RC")
echo "Step 1: $RUN tests run, $FAILED failed, ${#PROBLEMS[@]} other problem(s)."

# --- pytest-odoo on a database: counts go to PYTEST_PASSED / PYTEST_FAILED --------
PYTEST_PASSED=0; PYTEST_FAILED=0
run_pytest() {  # run_pytest DATABASE LOG pytest-arguments...
    local db=$1 log=$2 conf="$WORK/odoo-pytest-$1.conf" rc summary
    shift 2
    {
        echo "[options]"
        echo "addons_path = $ADDONS_PATH"
        echo "dbfilter = ^$db\$"
        for key in host port user password; do
            var="PG${key^^}"
            if [ -n "${!var:-}" ]; then echo "db_$key = ${!var}"; fi
        done
    } >"$conf"
    set +e
    "$PY" -m pytest "$@" --odoo-database="$db" --odoo-config="$conf" -p odoo \
        -q -rfEs -p no:cacheprovider -p no:warnings 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    # "3 passed, 1 failed, 1 skipped in 2.50s"
    summary=$(grep -E ' in [0-9.]+s( \([0-9:]+\))?( =+)?$' "$log" | tail -n 1 || true)
    count() { { grep -oE "[0-9]+ $1" <<<"$summary" || true; } | awk '{s += $1} END {print s + 0}'; }
    PYTEST_PASSED=$((PYTEST_PASSED + $(count passed)))
    PYTEST_FAILED=$((PYTEST_FAILED + $(count failed) + $(count 'errors?')))
    [ "$(count skipped)" -gt 0 ] && PROBLEMS+=("pytest skipped $(count skipped) test(s) on $db")
    case "$rc" in
        0) ;;
        5) PROBLEMS+=("pytest collected no test on $db ($*)") ;;
        *) [ "$(count failed)" -eq 0 ] && [ "$(count 'errors?')" -eq 0 ] \
            && PROBLEMS+=("pytest exited with code $rc on $db") ;;
    esac
    return 0
}

# --- 2. suite-level tests with pytest-odoo on the same database ------------------
if [ "$RUN" -gt 0 ]; then
    echo "Step 2: pytest-odoo on $DB (log: $PYTEST_LOG)"
    if [ -n "${SUITE_TESTS:-}" ]; then
        read -r -a SUITE <<<"$SUITE_TESTS"
    else
        SUITE=(tests --ignore=tests/migration)
    fi
    run_pytest "$DB" "$PYTEST_LOG" "${SUITE[@]}"
else
    PROBLEMS+=("suite-level tests not run: step 1 ran no test")
fi

# --- the production path: each step passes with exit code 0 and no ERROR logged ---
STEPS_PASSED=0
BASE_ARGS=("${DB_ARGS[@]}" --max-cron-threads=0
    --workers=0 --log-handler=werkzeug:WARNING --logfile=)
odoo_step() {  # odoo_step "what" LOG odoo-arguments... (counted as one test)
    local what=$1 log=$2 rc errors
    shift 2
    echo "  $what (log: $log)"
    set +e
    "$ODOO" "$@" --addons-path="${STEP_ADDONS_PATH:-$ADDONS_PATH}" "${BASE_ARGS[@]}" >"$log" 2>&1
    rc=$?
    set -e
    errors=$(grep -E "$ERROR_RE" "$log" | head -n 5 || true)
    if [ "$rc" -eq 0 ] && [ -z "$errors" ]; then
        STEPS_PASSED=$((STEPS_PASSED + 1))
        echo "  ok: $what"
        return 0
    fi
    PROBLEMS+=("$what: exit code $rc${errors:+, logged: ${errors:0:600}}")
    echo "  FAILED: $what (exit code $rc)" >&2
    tail -n 30 "$log" >&2
    return 1
}
odoo_shell() {  # odoo_shell "what" DATABASE SCRIPT LOG: a script with `env`, committed
    local what=$1 db=$2 script=$3 log=$4
    echo "  $what (log: $log)"
    if "$ODOO" shell -d "$db" --db-filter="^$db\$" --no-http \
            --addons-path="${STEP_ADDONS_PATH:-$ADDONS_PATH}" "${BASE_ARGS[@]}" \
            <"$script" >"$log" 2>&1 && ! grep -qE "$ERROR_RE|^Traceback" "$log"; then
        return 0
    fi
    PROBLEMS+=("$what failed: see $log")
    echo "  FAILED: $what" >&2
    tail -n 30 "$log" >&2
    return 1
}
# the suite's own data, as text, to compare before and after an upgrade
SUITE_TABLES="tablename LIKE 'daya\_%' OR tablename IN ('crm_lead', 'crm_stage',
    'crm_lost_reason', 'res_partner', 'sale_order', 'sale_order_line', 'mail_activity',
    'res_groups_users_rel', 'resource_calendar', 'resource_calendar_attendance')"
# what the release upgrade (step 3b) changes on purpose: the hand-made booking hours
# become booking calendars (daya_crm_wor's migration 16.0.1.1.0), the follow-up rules'
# message templates inline templates (daya_crm_followup's 16.0.1.1.0); compared by
# tests/migration/test_release_upgrade.py instead
RELEASE_CHANGED_TABLES='daya_booking_slot|resource_calendar|resource_calendar_attendance|daya_followup_rule'
dump_suite_data() {  # dump_suite_data DATABASE FILE [COLUMNS]
    # the rows of the suite's tables (without the time and author of the last
    # write: an upgrade may write a record again with its own values); with COLUMNS
    # (the FILE.columns of an earlier dump) the same tables and columns, so that
    # columns added by a newer version do not count as a change, and a table or
    # column lost does
    local table columns
    : >"$2"
    if [ -z "${3:-}" ]; then
        psql "${PG_ARGS[@]}" -d "$1" -tA -F '|' -c "SELECT c.table_name,
                string_agg(quote_ident(c.column_name), ',' ORDER BY c.ordinal_position)
            FROM information_schema.columns c JOIN pg_tables t
              ON t.tablename = c.table_name AND t.schemaname = c.table_schema
            WHERE c.table_schema = 'public' AND ($SUITE_TABLES)
              AND c.column_name NOT IN ('write_date', 'write_uid')
            GROUP BY c.table_name ORDER BY c.table_name" >"$2.columns"
    fi
    while IFS='|' read -r table columns; do
        echo "== $table" >>"$2"
        psql "${PG_ARGS[@]}" -d "$1" -tA -c "SELECT ROW($columns)::text AS r
            FROM \"$table\" ORDER BY r" >>"$2" 2>/dev/null \
            || echo "!! $table ($columns) cannot be read" >>"$2"
    done <"${3:-$2.columns}"
}

# bench_step PROBLEM LOG PATTERN... -- COMMAND...: a benchmark's smoke run, counted as
# one test: COMMAND (10 minutes at most) writes LOG, which must hold every PATTERN
# (grep -E); else PROBLEM is reported with the end of LOG
bench_step() {
    local problem=$1 log=$2 patterns=() pattern failed=0 found=()
    shift 2
    while [ "$1" != "--" ]; do
        patterns+=("$1")
        shift
    done
    shift
    timeout 600 "$@" >"$log" 2>&1 || failed=1
    for pattern in "${patterns[@]}"; do
        if grep -qE "$pattern" "$log"; then
            found+=("$(grep -E "$pattern" "$log" | head -n 1 | cut -d, -f1-3)")
        else
            failed=1
        fi
    done
    if [ "$failed" = 0 ]; then
        STEPS_PASSED=$((STEPS_PASSED + 1))
        echo "  ok: $(IFS=';'; echo "${found[*]}")"
    else
        PROBLEMS+=("$problem: see $log")
        tail -n 20 "$log" >&2
    fi
}

# --- 2b. the benchmark's smoke run (issue 15): every measure and its baseline at a
#     small scale on a copy of $DB, counted as one test (no timing asserted) ---------
if [ "$RUN" -gt 0 ]; then
    echo "Step 2b: tests/benchmarks/run.py --scale small on a copy of $DB (log: $LOG_DIR/daya_bench_smoke.log)"
    bench_step "the benchmark's smoke run failed" "$LOG_DIR/daya_bench_smoke.log" \
        '^[0-9]+ measures, ' -- \
        "$PY" tests/benchmarks/run.py --scale small --template "$DB" -d "${DB}_bench" \
        --addons-path="$ADDONS_PATH"
    dropdb --if-exists "${PG_ARGS[@]}" "${DB}_bench" >/dev/null 2>&1 || true
fi

# --- 2c. the DMS benchmark's smoke run (issue 13): 200 prospects and 200 deliveries
#     pulled from the tests' local DGI server into $DB (rolled back), counted as one
#     test: every record received is created, none rejected (no timing asserted) ----
if [ "$RUN" -gt 0 ] && [[ ",$MODULES," == *",daya_dms,"* ]]; then
    echo "Step 2c: tests/benchmarks/bench_dms.py --prospects 200 --deliveries 200 on $DB (log: $LOG_DIR/daya_bench_dms.log)"
    bench_step "the DMS benchmark's smoke run failed (or rejected or lost records)" \
        "$LOG_DIR/daya_bench_dms.log" \
        '^prospects: ([0-9]+) received, \1 created, 0 rejected' \
        '^deliveries: ([0-9]+) received, \1 created, 0 rejected' -- \
        "$PY" tests/benchmarks/bench_dms.py -d "$DB" --addons-path="$ADDONS_PATH" \
        --prospects 200 --deliveries 200
fi

if [ "$PRODUCTION_CHECKS" = 0 ]; then
    echo "Steps 3-5 (upgrade, database without demo, stock CRM database) left out: PRODUCTION_CHECKS=0."
elif [ "$RUN" -gt 0 ]; then
    # --- 3. the suite's own data survives an upgrade -------------------------------
    echo "Step 3: upgrade of $DB holding the suite's data"
    if odoo_shell "giving $DB the suite's data in every state" "$DB" \
            tests/migration/seed_suite_data.py "$LOG_DIR/daya_seed_suite.log"; then
        grep -E '^seeded' "$LOG_DIR/daya_seed_suite.log" || true
        dump_suite_data "$DB" "$WORK/before_upgrade.txt"
        if odoo_step "upgrade (-u) of $DB with demo and suite data" \
                "$LOG_DIR/daya_upgrade_demo.log" -d "$DB" -u "$MODULES" --stop-after-init; then
            dump_suite_data "$DB" "$WORK/after_upgrade.txt" "$WORK/before_upgrade.txt.columns"
            if diff "$WORK/before_upgrade.txt" "$WORK/after_upgrade.txt" \
                    >"$LOG_DIR/daya_upgrade_diff.txt"; then
                STEPS_PASSED=$((STEPS_PASSED + 1))
                echo "  ok: the suite's data is unchanged by the upgrade ($(wc -l <"$WORK/before_upgrade.txt") rows compared)"
            else
                PROBLEMS+=("the upgrade changed the suite's data: see $LOG_DIR/daya_upgrade_diff.txt")
                head -n 20 "$LOG_DIR/daya_upgrade_diff.txt" >&2
            fi
        fi
    fi

    # --- 3b. a database of the previous release, upgraded to this one ------------------
    # The release before the base addon (issue 10): its four addons, its demo data
    # and its seed of the suite's data, then `-u` with this checkout, which installs
    # the new base and sales addons and must keep every row (groups and their users
    # included) under the records' old ids.
    echo "Step 3b: upgrade from the release $UPGRADE_FROM on $DB_REL"
    if ! git -C "$ROOT" cat-file -e "$UPGRADE_FROM^{commit}" 2>/dev/null; then
        PROBLEMS+=("the release $UPGRADE_FROM is not in this checkout's history (a shallow clone?): fetch it or set UPGRADE_FROM")
    else
        mkdir -p "$WORK/release"
        git -C "$ROOT" archive "$UPGRADE_FROM" addons tests/migration | tar -x -C "$WORK/release"
        REL_MODULES=$(cd "$WORK/release/addons" && ls -d daya_* | paste -sd, -)
        if STEP_ADDONS_PATH="$REL_ADDONS_PATH" odoo_step \
                "install of the release $UPGRADE_FROM ($REL_MODULES) on $DB_REL" \
                "$LOG_DIR/daya_release_install.log" -d "$DB_REL" -i "$REL_MODULES" \
                --without-demo= --stop-after-init \
            && STEP_ADDONS_PATH="$REL_ADDONS_PATH" odoo_shell \
                "giving $DB_REL the release's suite data" "$DB_REL" \
                "$WORK/release/tests/migration/seed_suite_data.py" "$LOG_DIR/daya_release_seed.log"; then
            dump_suite_data "$DB_REL" "$WORK/before_release_upgrade.txt"
            grep -vE "^($RELEASE_CHANGED_TABLES)\|" "$WORK/before_release_upgrade.txt.columns" \
                >"$WORK/release.columns" || true
            dump_suite_data "$DB_REL" "$WORK/before_release_upgrade.txt" "$WORK/release.columns"
            if odoo_step "upgrade (-u) of $DB_REL to this checkout" \
                    "$LOG_DIR/daya_release_upgrade.log" -d "$DB_REL" -u "$REL_MODULES" --stop-after-init; then
                dump_suite_data "$DB_REL" "$WORK/after_release_upgrade.txt" \
                    "$WORK/release.columns"
                if diff "$WORK/before_release_upgrade.txt" "$WORK/after_release_upgrade.txt" \
                        >"$LOG_DIR/daya_release_upgrade_diff.txt"; then
                    STEPS_PASSED=$((STEPS_PASSED + 1))
                    echo "  ok: the release's data is unchanged by the upgrade ($(wc -l <"$WORK/before_release_upgrade.txt") rows compared)"
                else
                    PROBLEMS+=("the upgrade from $UPGRADE_FROM changed the suite's data: see $LOG_DIR/daya_release_upgrade_diff.txt")
                    head -n 20 "$LOG_DIR/daya_release_upgrade_diff.txt" >&2
                fi
                run_pytest "$DB_REL" "$LOG_DIR/daya_pytest_release.log" tests/migration/test_release_upgrade.py
            fi
        fi
    fi

    # --- 3c. the workshop and CDB addons without sales and accounting ----------------
    echo "Step 3c: daya_crm_wor and daya_cdb_validation alone on $DB_LEAN"
    if odoo_step "install of daya_crm_wor and daya_cdb_validation alone on $DB_LEAN" \
            "$LOG_DIR/daya_install_lean.log" -d "$DB_LEAN" -i daya_crm_wor,daya_cdb_validation \
            --without-demo=all --stop-after-init; then
        LEAN=$(psql "${PG_ARGS[@]}" -d "$DB_LEAN" -tAc "SELECT string_agg(name, ', ' ORDER BY name)
            FROM ir_module_module WHERE state = 'installed' AND name IN ('sale', 'account', 'sale_crm', 'daya_crm_sale')")
        COUNT=$(psql "${PG_ARGS[@]}" -d "$DB_LEAN" -tAc "SELECT count(*) FROM ir_module_module WHERE state = 'installed'")
        if [ -z "$LEAN" ]; then
            STEPS_PASSED=$((STEPS_PASSED + 1))
            echo "  ok: neither sale nor account installed ($COUNT modules)"
        else
            PROBLEMS+=("daya_crm_wor and daya_cdb_validation pulled in: $LEAN")
        fi
    fi

    # --- 4. a production database: no demo data, then an upgrade --------------------
    echo "Step 4: $MODULES on $DB_PROD without demo data"
    if odoo_step "install on $DB_PROD without demo data" "$LOG_DIR/daya_install_nodemo.log" \
            -d "$DB_PROD" -i "$MODULES" --without-demo=all --stop-after-init \
        && odoo_step "upgrade (-u) of $DB_PROD" "$LOG_DIR/daya_upgrade_nodemo.log" \
            -d "$DB_PROD" -u "$MODULES" --stop-after-init; then
        run_pytest "$DB_PROD" "$LOG_DIR/daya_pytest_prod.log" tests/migration/test_production_db.py
    fi

    # --- 5. into a database where Odoo's CRM was in use -----------------------------
    echo "Step 5: $MODULES into $DB_CRM, a database with Odoo's CRM data"
    export DAYA_STOCK_CRM_EXPECT="$WORK/stock_crm_expect.json"
    if odoo_step "preparing $DB_CRM with crm and sale_crm" "$LOG_DIR/daya_stock_crm.log" \
            -d "$DB_CRM" -i crm,sale_crm --without-demo=all --stop-after-init \
        && odoo_shell "giving $DB_CRM leads, opportunities, activities and orders" "$DB_CRM" \
            tests/migration/seed_stock_crm.py "$LOG_DIR/daya_seed_stock_crm.log" \
        && odoo_step "install into $DB_CRM" "$LOG_DIR/daya_install_stock_crm.log" \
            -d "$DB_CRM" -i "$MODULES" --without-demo=all --stop-after-init; then
        grep -E 'Daya CRM: ' "$LOG_DIR/daya_install_stock_crm.log" | sed 's/^/  /' || true
        run_pytest "$DB_CRM" "$LOG_DIR/daya_pytest_stock_crm.log" tests/migration/test_stock_crm.py
    fi
fi

# --- summary ------------------------------------------------------------------------
SKIPPED=$(grep -cE ' INFO [^ ]+ [^ ]+: skipped ' "$ODOO_LOG" || true)
PASSED=$((RUN - FAILED - SKIPPED)); [ "$PASSED" -lt 0 ] && PASSED=0
PASSED=$((PASSED + PYTEST_PASSED + STEPS_PASSED))
TOTAL_FAILED=$((FAILED + PYTEST_FAILED + ${#PROBLEMS[@]}))
if [ "$FAILED" -gt 0 ]; then
    echo "Failed Odoo tests:" >&2
    grep -oE ' (FAIL|ERROR): [^ ]+' "$ODOO_LOG" | sort | uniq | head -n 50 >&2 || true
fi
if [ ${#PROBLEMS[@]} -gt 0 ]; then
    echo "Problems:" >&2
    printf -- '- %s\n' "${PROBLEMS[@]}" | head -n 50 >&2 || true
fi
if [ "$ODOO_RC" -ne 0 ] && [ "$RUN" -eq 0 ]; then
    echo "Last lines of $ODOO_LOG:" >&2
    tail -n 40 "$ODOO_LOG" >&2
fi
[ "$TOTAL_FAILED" -gt 0 ] && echo "Logs: $LOG_DIR" >&2
echo "$PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" -eq 0 ]
