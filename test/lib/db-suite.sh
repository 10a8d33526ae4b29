#!/usr/bin/env bash
# Database test suites of one system, against the installed extensions, in a
# throwaway cluster of that system's own.
#
#   test/lib/db-suite.sh SYSTEM start STATEFILE      start a cluster, remember its dir
#   test/lib/db-suite.sh SYSTEM regress STATEFILE    pg_regress: test/regress/sql vs expected
#   test/lib/db-suite.sh SYSTEM pgtap STATEFILE      pg_prove over test/pgtap/*.sql
#   test/lib/db-suite.sh SYSTEM pgtap_supabase STATEFILE
#                                                    the same files the way `supabase test db`
#                                                    runs them: as Supabase's non-superuser
#                                                    project owner, on a database holding the
#                                                    sample data, which they must leave as it was
#   test/lib/db-suite.sh SYSTEM pgtap_superuser STATEFILE
#                                                    pg_prove over test/pgtap_superuser/*.sql: the
#                                                    checks only a superuser can run (superuser-only
#                                                    settings, a trigger function attached by hand),
#                                                    as the superuser, on an empty database
#   test/lib/db-suite.sh SYSTEM isolation STATEFILE  pg_isolation_regress over test/isolation/specs
#   test/lib/db-suite.sh SYSTEM catalog STATEFILE    the advisor's properties (test/lib/catalog-check.sh)
#   test/lib/db-suite.sh SYSTEM bad_input STATEFILE  NULLs and hostile values through every function a
#                                                    caller can reach and every table: no crash,
#                                                    internal error or timeout, and no drift of the
#                                                    maintained figures (test/lib/bad-input.sh)
#   test/lib/db-suite.sh SYSTEM NAME STATEFILE       test/suites/NAME.sh STATEFILE
#   test/lib/db-suite.sh SYSTEM stop STATEFILE       stop and remove the cluster
#
# SYSTEM is a folder under extensions/; its system.conf may set
#   TEST_EXTENSIONS          extensions created (CASCADE, in order) in each test database
#   PGTAP_DATABASE_SETTINGS  name=value settings given to the pgTAP database
#   CLUSTER_SETTINGS         postgresql.conf lines added before the cluster starts
#   FIGURES_CHECK            a query counting the maintained figures that disagree with their
#                            rows (the bad_input suite runs it between committed statements)
#   NOBODY_MAY_CHANGE        table.column entries that callers who own nothing may change
#                            (the bad_input suite: any other change of an existing row fails)
# Outputs go to build/test-output/SYSTEM/.
set -euo pipefail

system=${1:?system}
suite=${2:?suite}
state=${3:?state file}
root=$(cd "$(dirname "$0")/../.." && pwd)
sys="$root/extensions/$system"
out="$root/build/test-output/$system"
pgxs=$(dirname "$(pg_config --pgxs)")/..

TEST_EXTENSIONS=$system
PGTAP_DATABASE_SETTINGS=""
CLUSTER_SETTINGS=""
# shellcheck disable=SC1090,SC1091
[ -f "$sys/system.conf" ] && source "$sys/system.conf"

case "$suite" in
  start)
    dir=$(mktemp -d "/tmp/$system-test.XXXXXX")
    echo "$dir" >"$state"
    CLUSTER_SETTINGS="$CLUSTER_SETTINGS" exec "$root/scripts/pgcluster.sh" start "$dir"
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
load_args=()
for ext in $TEST_EXTENSIONS; do load_args+=("--load-extension=$ext"); done

case "$suite" in
  regress)
    tests=$(cd "$sys/test/regress/sql" && ls *.sql | sed 's/\.sql$//' | sort)
    # pg_regress's --load-extension does not cascade: the companion first.
    "$pgxs/test/regress/pg_regress" --inputdir="$sys/test/regress" --outputdir="$out/regress" \
      --bindir="$(pg_config --bindir)" --load-extension=supabase_platform "${load_args[@]}" \
      --dbname="${system}_regress" $tests \
      || { cat "$out/regress/regression.diffs" 2>/dev/null; exit 1; }
    ;;
  isolation)
    specs=$(cd "$sys/test/isolation/specs" && ls *.spec | sed 's/\.spec$//' | sort)
    "$pgxs/test/isolation/pg_isolation_regress" --inputdir="$sys/test/isolation" \
      --outputdir="$out/isolation" --bindir="$(pg_config --bindir)" \
      --load-extension=supabase_platform "${load_args[@]}" --dbname="${system}_isolation" $specs \
      || { cat "$out/isolation/regression.diffs" 2>/dev/null; exit 1; }
    ;;
  pgtap | pgtap_superuser)
    db="${system}_${suite}"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    create=(-c "CREATE EXTENSION pgtap")
    for ext in $TEST_EXTENSIONS; do create+=(-c "CREATE EXTENSION $ext CASCADE"); done
    for setting in $PGTAP_DATABASE_SETTINGS; do
      create+=(-c "ALTER DATABASE $db SET ${setting%%=*} = '${setting#*=}'")
    done
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" "${create[@]}"
    [ "$(psql -X -At -d "$db" -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")" = t ] ||
      { echo "the pgTAP suites run as a superuser (PGUSER=$PGUSER is not one)" >&2; exit 1; }
    pg_prove --ext .sql -d "$db" --failures "$sys/test/$suite"/*.sql
    ;;
  pgtap_supabase)
    "$root/test/lib/pgtap-supabase.sh" "$system" "$state"
    ;;
  catalog)
    "$root/test/lib/catalog-check.sh" "$system" "$state"
    ;;
  bad_input)
    "$root/test/lib/bad-input.sh" "$system" "$state"
    ;;
  *)
    script="$sys/test/suites/$suite.sh"
    [ -f "$script" ] || { echo "unknown suite: $suite (no $script)" >&2; exit 2; }
    bash "$script" "$state"
    ;;
esac
