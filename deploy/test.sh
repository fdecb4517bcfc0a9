#!/usr/bin/env bash
# Runs the whole test suite: the one place that says how.
#
#   deploy/test.sh [extra dotnet test args, e.g. --filter Category=Fast]
#
# Integration tests read the Npgsql connection string from LEDGER_TEST_POSTGRES. If it is
# not set, this script starts a private throwaway PostgreSQL (deploy/postgres.sh, with its
# own state file, so a developer's own instance is left alone) and stops it afterwards.
# TRX results go to TestResults/ (earlier ci_*.trx files there are deleted first); the last
# line printed is the sum over them: "N passed, N failed". Exit code: dotnet test's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target=KarabakhLedger.sln
results=TestResults
# This machine's environment sets it; without it a cold restore does online certificate
# revocation checks that cannot complete here (seen: 93 s instead of 3 s).
export NUGET_CERT_REVOCATION_MODE="${NUGET_CERT_REVOCATION_MODE:-offline}"

# The two-node cluster test clusters through a throwaway Redis (docs/adr/0007-service-clustering.md).
if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "deploy/test.sh: installing Debian's redis-server for the cluster test" >&2
        apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server >/dev/null
    else
        echo "deploy/test.sh: warning: no redis-server and not root; the cluster test will fail until it is installed" >&2
    fi
fi

# The web UI tests drive Debian's Chromium by its path (never a browser download; docs/ui.md).
if [ ! -x "${LEDGER_TEST_CHROMIUM:-/usr/bin/chromium}" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "deploy/test.sh: installing Debian's chromium for the web UI tests" >&2
        apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null
    else
        echo "deploy/test.sh: warning: no chromium and not root; the web UI tests will fail until it is installed" >&2
    fi
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

pg_state=""
stop_pg() {
    if [ -n "$pg_state" ]; then
        LEDGER_PG_STATE="$pg_state" bash deploy/postgres.sh stop >/dev/null 2>&1 ||
            echo "deploy/test.sh: warning: could not stop the test PostgreSQL ($pg_state)" >&2
        rm -f -- "$pg_state.lock"
        pg_state=""
    fi
}
if [ -z "${LEDGER_TEST_POSTGRES:-}" ]; then
    pg_state="${TMPDIR:-/tmp}/karabakh-ledger-pg-test.$$.env"
    trap stop_pg EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    started=$(date +%s.%N)
    LEDGER_TEST_POSTGRES="$(LEDGER_PG_STATE="$pg_state" bash deploy/postgres.sh start)"
    export LEDGER_TEST_POSTGRES
    echo "deploy/test.sh: PostgreSQL for tests: $LEDGER_TEST_POSTGRES (started in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $started}") s)" >&2
fi

mkdir -p "$results"
find "$results" -maxdepth 1 -name 'ci_*.trx' -delete

set +e
dotnet test "$target" --logger "trx;LogFilePrefix=ci" --results-directory "$results" "$@"
rc=$?
set -e

stop_pg

# Sum the counters of all TRX files of this run.
shopt -s nullglob
trx=("$results"/ci_*.trx)
if command -v python3 >/dev/null 2>&1; then
    summary="$(python3 - "${trx[@]}" <<'PY'
import sys, xml.etree.ElementTree as ET
passed = failed = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"deploy/test.sh: cannot parse {path}: {e}", file=sys.stderr)
        continue
    for c in root.iter():
        if c.tag.endswith("}Counters") or c.tag == "Counters":
            n = lambda k: int(c.get(k, "0"))
            passed += n("passed")
            failed += n("failed") + n("error") + n("timeout") + n("aborted")
print(f"{passed} passed, {failed} failed")
PY
)"
else
    passed=0 failed=0
    for f in "${trx[@]}"; do
        counters="$(grep -o '<Counters [^>]*>' "$f" | head -n1 || true)"
        get() { printf '%s' "$counters" | grep -oE " $1=\"[0-9]+\"" | grep -oE '[0-9]+' || echo 0; }
        passed=$(( passed + $(get passed) ))
        failed=$(( failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
    done
    summary="$passed passed, $failed failed"
fi
[ ${#trx[@]} -gt 0 ] || echo "deploy/test.sh: no TRX results found in $results/" >&2
echo "$summary"
exit "$rc"
