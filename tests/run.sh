#!/usr/bin/env bash
# The Daya CRM test command (README): real Odoo 16 and PostgreSQL, nothing mocked.
#   1. install the addons on a fresh database with --test-enable: each addon's own
#      tests run, at_install and post_install, browser tours in headless Chromium;
#   2. run the suite-level tests of this folder with pytest-odoo on that database.
# Any failed test, stray ERROR log line, skipped test or tour, or a run with no test
# fails it. Odoo 16 or PostgreSQL missing is an error (exit 2), never a skip. The last
# line is "N passed, N failed".
#
# Environment (all optional):
#   ODOO_BIN           the odoo executable (default: `odoo` on PATH, then `odoo-bin`)
#   ODOO_PYTHON        the Python that runs Odoo (default: from ODOO_BIN's shebang)
#   PGHOST PGPORT PGUSER PGPASSWORD   PostgreSQL (default: the local socket; a local
#                      cluster is started if none answers)
#   DAYA_MODULES       addons to install (default: the four Daya CRM addons)
#   TEST_TAGS          Odoo --test-tags (default: /<addon> for each of DAYA_MODULES)
#   EXTRA_ADDONS_PATH  more addons directories (comma-separated)
#   SUITE_TESTS        what pytest runs in step 2 (default: tests, this folder)
#   TEST_HTTP_PORT     HTTP port of the test server (default 18169)
#   DAYA_TEST_DB       database name (default: daya_test_<epoch>_<pid>)
#   KEEP_DB=1          keep the database afterwards
#   LOG_DIR            where daya_odoo_test.log and daya_pytest.log go (default /tmp)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
MODULES=${DAYA_MODULES:-daya_crm_leads,daya_crm_wor,daya_crm_followup,daya_cdb_validation}
TEST_TAGS=${TEST_TAGS:-$(echo "$MODULES" | sed -E 's#(^|,)#\1/#g')}
HTTP_PORT=${TEST_HTTP_PORT:-18169}
DB=${DAYA_TEST_DB:-daya_test_$(date +%s)_$$}
LOG_DIR=${LOG_DIR:-/tmp}
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
    # Debian's own Python (the odoo:16.0 image on bookworm) is "externally managed"
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

# the database and its filestore go at exit, unless KEEP_DB=1
FILESTORE=$("$PY" -c 'import sys; from odoo.tools import config
config.parse_config([]); print(config.filestore(sys.argv[1]))' "$DB" 2>/dev/null || true)
cleanup() {
    rm -rf "$WORK"
    if [ "${KEEP_DB:-0}" = 1 ]; then echo "Kept database $DB (KEEP_DB=1)." >&2; return; fi
    dropdb --if-exists "${PG_ARGS[@]}" "$DB" >/dev/null 2>&1 || true
    case "$FILESTORE" in */filestore/"$DB") rm -rf "$FILESTORE" ;; esac
}
trap cleanup EXIT

# --- addons path: Odoo's own addons, this repository's, EXTRA_ADDONS_PATH ---------
ODOO_ADDONS=$("$PY" -c 'import odoo, os; print(os.path.join(os.path.dirname(odoo.__file__), "addons"))')
ADDONS_PATH=$ODOO_ADDONS
# a source checkout keeps most addons in ./addons beside the odoo package
SRC_ADDONS="$(dirname "$(dirname "$ODOO_ADDONS")")/addons"
[ -d "$SRC_ADDONS/web" ] && ADDONS_PATH+=",$SRC_ADDONS"
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

# --- 2. suite-level tests with pytest-odoo on the same database ------------------
PYTEST_PASSED=0; PYTEST_FAILED=0
if [ "$RUN" -gt 0 ]; then
    CONF="$WORK/odoo-pytest.conf"
    {
        echo "[options]"
        echo "addons_path = $ADDONS_PATH"
        echo "dbfilter = ^$DB\$"
        for key in host port user password; do
            var="PG${key^^}"
            if [ -n "${!var:-}" ]; then echo "db_$key = ${!var}"; fi
        done
    } >"$CONF"
    echo "Step 2: pytest-odoo on $DB (log: $PYTEST_LOG)"
    set +e
    "$PY" -m pytest ${SUITE_TESTS:-tests} --odoo-database="$DB" --odoo-config="$CONF" -p odoo \
        -q -rfEs -p no:cacheprovider -p no:warnings 2>&1 | tee "$PYTEST_LOG"
    PYTEST_RC=${PIPESTATUS[0]}
    set -e
    # "3 passed, 1 failed, 1 skipped in 2.50s"
    SUMMARY=$(grep -E ' in [0-9.]+s( \([0-9:]+\))?( =+)?$' "$PYTEST_LOG" | tail -n 1 || true)
    count() { { grep -oE "[0-9]+ $1" <<<"$SUMMARY" || true; } | awk '{s += $1} END {print s + 0}'; }
    PYTEST_PASSED=$(count passed)
    PYTEST_FAILED=$(($(count failed) + $(count 'errors?')))
    [ "$(count skipped)" -gt 0 ] && PROBLEMS+=("pytest skipped $(count skipped) test(s)")
    case "$PYTEST_RC" in
        0) ;;
        5) PROBLEMS+=("pytest collected no suite-level test") ;;
        *) [ "$PYTEST_FAILED" -eq 0 ] && PROBLEMS+=("pytest exited with code $PYTEST_RC") ;;
    esac
else
    PROBLEMS+=("suite-level tests not run: step 1 ran no test")
fi

# --- summary ------------------------------------------------------------------------
SKIPPED=$(grep -cE ' INFO [^ ]+ [^ ]+: skipped ' "$ODOO_LOG" || true)
PASSED=$((RUN - FAILED - SKIPPED)); [ "$PASSED" -lt 0 ] && PASSED=0
PASSED=$((PASSED + PYTEST_PASSED))
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
[ "$TOTAL_FAILED" -gt 0 ] && echo "Logs: $ODOO_LOG, $PYTEST_LOG" >&2
echo "$PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" -eq 0 ]
