#!/usr/bin/env bash
# The main job, from a fresh clone: installs the Debian packages it needs,
# builds and installs every extension (PGXS), starts a throwaway PostgreSQL
# 15 and, for each system, creates a database with the system installed
# (CREATE EXTENSION ... CASCADE), loads its sample data (sample/*.sql) and
# walks through its workflows as the API runs them (demo.sql). Then it
# installs every system side by side in one database, each in its own schema.
# The cluster is removed at the end (keep it with DEMO_KEEP=1).
#
#   bash scripts/demo.sh              every system
#   bash scripts/demo.sh onesim       one system
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh >/dev/null
systems=${1:-$(for d in extensions/*/; do d=${d%/}; [ -f "$d/demo.sql" ] && basename "$d"; done)}
make -s SYSTEMS="$systems" >/dev/null
make -s SYSTEMS="$systems" install >/dev/null

dir=$(mktemp -d /tmp/demo-cluster.XXXXXX)
cleanup() { [ "${DEMO_KEEP:-0}" = 1 ] || scripts/pgcluster.sh stop "$dir"; }
trap cleanup EXIT
scripts/pgcluster.sh start "$dir" "${DEMO_PORT:-54330}"
# shellcheck disable=SC1091
source "$dir/env"

for system in $systems; do
  sys="$root/extensions/$system"
  TEST_EXTENSIONS=$system
  # shellcheck disable=SC1090,SC1091
  [ -f "$sys/system.conf" ] && source "$sys/system.conf"
  db="${system}_demo"
  echo
  echo "================================================================ $system"
  psql -X -q -d postgres -c "CREATE DATABASE $db"
  run() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
  for ext in $TEST_EXTENSIONS; do
    run -c "SET client_min_messages = warning" -c "CREATE EXTENSION $ext CASCADE"
  done
  for sample in "$sys"/sample/*.sql; do [ -f "$sample" ] && run -f "$sample"; done
  run -f "$sys/demo.sql"   # each step: one API request, as PostgREST runs it
done

# Every system side by side in one database, each in a schema of its own.
echo
echo "================================================================ side by side"
psql -X -q -d postgres -c "CREATE DATABASE side_by_side"
for system in $systems; do
  TEST_EXTENSIONS=$system
  # shellcheck disable=SC1090,SC1091
  [ -f "extensions/$system/system.conf" ] && source "extensions/$system/system.conf"
  for ext in $TEST_EXTENSIONS; do
    psql -X -q -v ON_ERROR_STOP=1 -d side_by_side -c "SET client_min_messages = warning" \
      -c "CREATE SCHEMA IF NOT EXISTS $system" -c "CREATE EXTENSION $ext SCHEMA $system CASCADE"
  done
done
psql -X -d side_by_side -c "
  SELECT e.extname AS extension, e.extversion AS version, n.nspname AS schema,
         (SELECT count(*) FROM pg_depend d WHERE d.refobjid = e.oid AND d.deptype = 'e'
             AND d.classid = 'pg_class'::regclass
             AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'r') AS tables
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
   WHERE e.extname <> 'plpgsql' ORDER BY e.oid"
if [ "${DEMO_KEEP:-0}" = 1 ]; then echo "cluster kept: source $dir/env; psql -d <system>_demo"; fi
