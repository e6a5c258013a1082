#!/usr/bin/env bash
# The test command: installs what is missing (PostgreSQL, Chromium), starts a throw-away PostgreSQL on loopback, runs the
# unit tests, the integration tests on SQLite and again on PostgreSQL, and the browser tests in Chromium, stops what it
# started and ends with the line "tests: N passed, N failed" (", N skipped" when any were). Exits non-zero on any failure.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
configuration=${CONFIGURATION:-Release}
results=$(mktemp -d /tmp/fp-results.XXXXXX)
pgdata=""
pgbin=""

log() { printf '\n== %s\n' "$*"; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_missing() {
  local need=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  [ -x "${FP_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    if [ "$(id -u)" != 0 ]; then echo "Need root to install ${need[*]} (or install them yourself)." >&2; exit 1; fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null || exit 1
    # Debian starts a cluster of its own on install; the tests use their own server below.
    command -v pg_ctlcluster >/dev/null && pg_lsclusters -h 2>/dev/null | while read -r version cluster _; do pg_ctlcluster "$version" "$cluster" stop 2>/dev/null; done
  fi
}

free_port() {
  local port=55432
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

start_postgres() {
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pgdata=$(mktemp -d /tmp/fp-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdata"
  local port
  port=$(free_port)
  log "starting PostgreSQL ($pgbin) on 127.0.0.1:$port"
  as_postgres "$pgbin/initdb" -D "$pgdata/data" -A trust -U postgres --no-sync >/dev/null || return 1
  as_postgres "$pgbin/pg_ctl" -D "$pgdata/data" -l "$pgdata/server.log" -w \
    -o "-p $port -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null || return 1
  export FP_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
}

stop_postgres() {
  if [ -n "$pgdata" ] && [ -n "$pgbin" ]; then
    as_postgres "$pgbin/pg_ctl" -D "$pgdata/data" -m fast stop >/dev/null 2>&1
    rm -rf "$pgdata"
  fi
}
trap stop_postgres EXIT

# Runs one test project; its TRX file is what the summary counts. A project that cannot run at all counts as a failure.
run_tests() {
  local name=$1 project=$2
  log "$name"
  if ! dotnet test "$project" --configuration "$configuration" --no-build \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" --logger "console;verbosity=minimal"; then
    [ -f "$results/$name.trx" ] || echo "$name: did not run" >> "$results/broken"
  fi
}

install_missing
start_postgres || { echo "PostgreSQL did not start" >&2; cat "$pgdata/server.log" 2>/dev/null; echo "tests: 0 passed, 1 failed"; exit 1; }

log "building ($configuration)"
if ! dotnet build FundingPortal.sln --configuration "$configuration" -nologo -clp:ErrorsOnly; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

run_tests unit tests/FundingPortal.UnitTests
FP_TEST_DATABASE=Sqlite run_tests integration-sqlite tests/FundingPortal.IntegrationTests
FP_TEST_DATABASE=Postgres run_tests integration-postgres tests/FundingPortal.IntegrationTests
run_tests browser tests/FundingPortal.BrowserTests

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done
if [ -f "$results/broken" ]; then
  cat "$results/broken"
  failed=$((failed + $(wc -l < "$results/broken")))
fi
rm -rf "$results"

summary="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo
echo "$summary"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
