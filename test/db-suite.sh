#!/usr/bin/env bash
# Database test suites against the installed extension, in a throwaway cluster.
#
#   test/db-suite.sh start STATEFILE     start a cluster, remember its dir
#   test/db-suite.sh regress STATEFILE   pg_regress: sql/regress_*.sql vs expected/
#   test/db-suite.sh pgtap STATEFILE     pg_prove over test/pgtap/*.sql
#   test/db-suite.sh isolation STATEFILE pg_isolation_regress over test/isolation/specs
#   test/db-suite.sh backup STATEFILE    pg_dump -Fc / pg_restore round trip (test/backup-restore.sh)
#   test/db-suite.sh upgrade STATEFILE   ALTER EXTENSION onesim UPDATE from every released version (test/upgrade.sh)
#   test/db-suite.sh stress STATEFILE    pgbench, 8 clients for 20 s over the API; no deadlock, no drift (test/stress.sh)
#   test/db-suite.sh stress-immediate STATEFILE   the same with onesim.partner_figures = immediate
#   test/db-suite.sh deadlock STATEFILE  replays of past lock-order inversions (test/stress/deadlock-repro.sh)
#   test/db-suite.sh crash STATEFILE     kill -9 a backend, then the postmaster, mid-load; recovery loses no committed row (test/crash-recovery.sh)
#   test/db-suite.sh stop STATEFILE      stop and remove the cluster
#
# Run from the repository root. Outputs go to build/test-output/.
set -euo pipefail

suite=${1:?suite}
state=${2:?state file}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/test-output"
pgxs=$(dirname "$(pg_config --pgxs)")/..

case "$suite" in
  start)
    dir=$(mktemp -d /tmp/onesim-test.XXXXXX)
    echo "$dir" >"$state"
    exec "$root/scripts/pgcluster.sh" start "$dir" "${ONESIM_TEST_PORT:-54331}"
    ;;
  stop)
    [ -f "$state" ] || exit 0
    "$root/scripts/pgcluster.sh" stop "$(cat "$state")"
    rm -f "$state"
    exit 0
    ;;
esac

# shellcheck disable=SC1090
source "$(cat "$state")/env"
mkdir -p "$out"

case "$suite" in
  regress)
    tests=$(cd "$root/sql" && ls regress_*.sql | sed 's/\.sql$//' | sort)
    "$pgxs/test/regress/pg_regress" --inputdir="$root" --outputdir="$out/regress" \
      --bindir="$(pg_config --bindir)" \
      --load-extension=onesim_auth --load-extension=onesim --dbname=onesim_regress $tests \
      || { cat "$out/regress/regression.diffs" 2>/dev/null; exit 1; }
    ;;
  isolation)
    specs=$(cd "$root/test/isolation/specs" && ls *.spec | sed 's/\.spec$//' | sort)
    "$pgxs/test/isolation/pg_isolation_regress" --inputdir="$root/test/isolation" \
      --outputdir="$out/isolation" --bindir="$(pg_config --bindir)" \
      --load-extension=onesim_auth --load-extension=onesim --dbname=onesim_isolation $specs \
      || { cat "$out/isolation/regression.diffs" 2>/dev/null; exit 1; }
    ;;
  pgtap)
    db=onesim_tap
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    # The suites check partner figures statement by statement inside their
    # transactions: immediate mode. 15_partner_figures_at_commit.sql covers
    # the default (at_commit), as do the isolation specs.
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
      -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION onesim CASCADE" \
      -c "ALTER DATABASE $db SET onesim.partner_figures = immediate"
    pg_prove --ext .sql -d "$db" --failures "$root"/test/pgtap/*.sql
    ;;
  backup)
    "$root/test/backup-restore.sh" "$state"
    ;;
  upgrade)
    "$root/test/upgrade.sh" "$state"
    ;;
  stress)
    "$root/test/stress.sh" "$state"
    ;;
  stress-immediate)
    # The same mix with partner figures written statement by statement: the
    # other lock order (partner rows first) must be deadlock-free too.
    PGOPTIONS="${PGOPTIONS:-} -c onesim.partner_figures=immediate" "$root/test/stress.sh" "$state"
    ;;
  deadlock)
    "$root/test/stress/deadlock-repro.sh" "$state"
    ;;
  crash)
    "$root/test/crash-recovery.sh" "$state"
    ;;
  *)
    echo "unknown suite: $suite" >&2
    exit 2
    ;;
esac
