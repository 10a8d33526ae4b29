#!/usr/bin/env bash
# The advisor's properties (test/lib/catalog-checks.sql) for one system,
# installed as the README recommends: in a schema of its own, named after the
# system, which the API exposes.   Usage: catalog-check.sh SYSTEM STATEFILE
set -euo pipefail
system=${1:?system}
state=${2:?state file}
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck disable=SC1090
source "$(cat "$state")/env"
TEST_EXTENSIONS=$system
# shellcheck disable=SC1090,SC1091
[ -f "$root/extensions/$system/system.conf" ] && source "$root/extensions/$system/system.conf"

db="${system}_catalog"
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
# Supabase grants the API roles everything created in public by default
# (default privileges of postgres and supabase_admin): give the system's schema
# the same defaults, so that only what the install scripts revoke is closed.
create=(-c "SET client_min_messages = warning" -c "CREATE EXTENSION pgtap SCHEMA public" -c "CREATE SCHEMA $system"
        -c "CREATE EXTENSION supabase_platform"
        -c "ALTER DEFAULT PRIVILEGES IN SCHEMA $system GRANT ALL ON TABLES TO anon, authenticated, service_role"
        -c "ALTER DEFAULT PRIVILEGES IN SCHEMA $system GRANT ALL ON SEQUENCES TO anon, authenticated, service_role"
        -c "ALTER DEFAULT PRIVILEGES IN SCHEMA $system GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role")
for ext in $TEST_EXTENSIONS; do create+=(-c "CREATE EXTENSION $ext SCHEMA $system CASCADE"); done
q -d "$db" "${create[@]}"
# The private schemas: those the system's extensions created.
internal=$(psql -X -At -d "$db" -c "
  SELECT coalesce('^(' || string_agg(n.nspname, '|') || ')\$', '^\$')
    FROM pg_namespace n JOIN pg_depend d ON d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid
   WHERE e.extname = ANY (string_to_array('$TEST_EXTENSIONS', ' '))")
out="$root/build/test-output/$system"
mkdir -p "$out"
sed -e "s/@schema@/$system/g" -e "s/@internal@/$internal/g" "$root/test/lib/catalog-checks.sql" >"$out/catalog-checks.sql"
pg_prove -d "$db" "$out/catalog-checks.sql"
q -d postgres -c "DROP DATABASE $db"
