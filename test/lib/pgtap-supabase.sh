#!/usr/bin/env bash
# A system's pgTAP files the way `supabase test db` runs them on a project:
# pg_prove as the project's own `postgres` role, which on Supabase is not a
# superuser, against a database that already holds data. Here:
#   - app_owner has the attributes of Supabase's postgres (LOGIN CREATEDB
#     CREATEROLE REPLICATION BYPASSRLS, NOSUPERUSER), owns the database (and
#     so schema public) and is a member of anon, authenticated and service_role;
#   - public has Supabase's default privileges (everything created there by
#     the bootstrap superuser or by app_owner is granted to the API roles);
#   - app_owner creates the extensions (trusted: PostgreSQL runs their scripts
#     as the bootstrap superuser) and loads the system's sample data;
#   - pgtap itself is created by the superuser, as Supabase's image ships it.
# Each file must run in its own transaction and roll back: afterwards every
# table's rows, the roles, the schemas and their objects are compared with
# what they were before.
#   Usage: pgtap-supabase.sh SYSTEM STATEFILE
set -euo pipefail
system=${1:?system}
state=${2:?state file}
root=$(cd "$(dirname "$0")/../.." && pwd)
sys="$root/extensions/$system"
# shellcheck disable=SC1090
source "$(cat "$state")/env"
TEST_EXTENSIONS=$system
PGTAP_DATABASE_SETTINGS=""
# shellcheck disable=SC1090,SC1091
[ -f "$sys/system.conf" ] && source "$sys/system.conf"

db="${system}_supabase"
owner=app_owner
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "
  DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$owner') THEN
      CREATE ROLE $owner LOGIN NOSUPERUSER CREATEDB CREATEROLE REPLICATION BYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN
      CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
    END IF;
  END \$\$" -c "GRANT anon, authenticated, service_role TO $owner" -c "CREATE DATABASE $db OWNER $owner"
setup=(-c "SET client_min_messages = warning" -c "CREATE EXTENSION pgtap")
for role in postgres "$owner"; do
  for kind in TABLES SEQUENCES FUNCTIONS; do
    setup+=(-c "ALTER DEFAULT PRIVILEGES FOR ROLE $role IN SCHEMA public GRANT ALL ON $kind TO anon, authenticated, service_role")
  done
done
for setting in $PGTAP_DATABASE_SETTINGS; do
  setup+=(-c "ALTER DATABASE $db SET ${setting%%=*} = '${setting#*=}'")
done
q -d "$db" "${setup[@]}"
create=(-c "SET client_min_messages = warning")
for ext in $TEST_EXTENSIONS; do create+=(-c "CREATE EXTENSION $ext CASCADE"); done
q -d "$db" -U "$owner" "${create[@]}"
for sample in "$sys"/sample/*.sql; do
  [ -f "$sample" ] && q -d "$db" -U "$owner" -f "$sample" >/dev/null
done

# What the files must leave as it was: every table's rows (as text, in
# order), the roles, the schemas' objects and the cluster's databases.
snapshot() {
  psql -X -At -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
DO $$
DECLARE
  t regclass;
  digest text;
BEGIN
  CREATE TEMPORARY TABLE snapshot_rows (relation text, digest text);
  FOR t IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
            ORDER BY 1 LOOP
    EXECUTE format('SELECT md5(coalesce(string_agg(r::text, E''\n'' ORDER BY r::text), '''')) FROM %s r', t) INTO digest;
    INSERT INTO snapshot_rows VALUES (t::text, digest);
  END LOOP;
END $$;
SELECT 'rows ' || relation || ' ' || digest FROM snapshot_rows ORDER BY 1;
SELECT 'role ' || rolname FROM pg_roles ORDER BY 1;
SELECT 'object ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT LIKE 'pg_%' AND n.nspname <> 'information_schema' ORDER BY 1;
SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname NOT LIKE 'pg_%' AND n.nspname <> 'information_schema' ORDER BY 1;
SELECT 'policy ' || schemaname || '.' || tablename || ' ' || policyname FROM pg_policies ORDER BY 1;
SELECT 'database ' || datname FROM pg_database ORDER BY 1;
SQL
}
out="$root/build/test-output/$system"
mkdir -p "$out"
snapshot >"$out/supabase-before.txt"
status=0
pg_prove -U "$owner" --ext .sql -d "$db" --failures "$sys"/test/pgtap/*.sql || status=1
snapshot >"$out/supabase-after.txt"
if ! diff -u "$out/supabase-before.txt" "$out/supabase-after.txt"; then
  echo "not ok - the pgTAP files left the database changed (above: before and after)"
  status=1
else
  echo "ok - the pgTAP files left every row, role and object as they found them"
fi
[ "$status" = 0 ] && q -d postgres -c "DROP DATABASE $db WITH (FORCE)"
exit $status
