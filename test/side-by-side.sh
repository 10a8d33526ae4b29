#!/usr/bin/env bash
# Every system in one database, as Supabase users install them:
#   1. each alone, in public (no SCHEMA clause, as the specifications' SQL expects);
#   2. all together, each in a schema of its own, installed by a role like
#      Supabase's `postgres` (no superuser: CREATEDB, CREATEROLE, BYPASSRLS,
#      member of anon / authenticated / service_role), which trusted
#      extensions allow;
#   3. each dropped and created again while the others stay untouched;
#   4. with every system's sample data loaded (sample/*.sql, in its schema),
#      pg_dump -Fc / pg_restore (as the cluster's superuser, as a self-hosted
#      restore runs) of the whole database gives the same rows,
#      and every system's demo (demo.sql: its API and triggers at work) runs
#      on the restored copy.
# Runs in a throwaway cluster of its own. Usage: test/side-by-side.sh [SYSTEM...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/test-output/side-by-side"
mkdir -p "$out"
rm -f "$out"/*

systems=${*:-$(cd "$root/extensions" && for d in */; do d=${d%/}; [ "$d" != supabase_platform ] && ls "$d"/*.control >/dev/null 2>&1 && echo "$d"; done)}
extensions_of() {
  local TEST_EXTENSIONS=$1
  # shellcheck disable=SC1090,SC1091
  [ -f "$root/extensions/$1/system.conf" ] && source "$root/extensions/$1/system.conf"
  echo "$TEST_EXTENSIONS"
}

dir=$(mktemp -d /tmp/side-by-side.XXXXXX)
trap '"$root/scripts/pgcluster.sh" stop "$dir"' EXIT
"$root/scripts/pgcluster.sh" start "$dir" >/dev/null
# shellcheck disable=SC1091
source "$dir/env"
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
val() { psql -X -At -v ON_ERROR_STOP=1 "$@"; }
passed=0 failed=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@" >>"$out/log.txt" 2>&1; then echo "ok   $what"; passed=$((passed + 1))
  else echo "FAIL $what (see $out/log.txt)"; tail -5 "$out/log.txt" | sed 's/^/     /'; failed=$((failed + 1)); fi
}
fresh_db() { q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 ${2:+OWNER $2}"; }

# Every object the extensions of a database own, by schema: the figure that
# must not change for the other systems when one is dropped and re-created.
members() {
  val -d "$1" -c "
    SELECT e.extname || ' ' || count(*) FROM pg_extension e JOIN pg_depend d
        ON d.refobjid = e.oid AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
     GROUP BY e.extname ORDER BY 1"
}

# ---- 1. each alone, in public
for system in $systems; do
  db="alone_$system"
  fresh_db "$db"
  install_alone() {
    for ext in $(extensions_of "$1"); do
      q -d "$2" -c "SET client_min_messages = warning" -c "CREATE EXTENSION $ext CASCADE"
    done
    [ "$(val -d "$2" -c "SELECT count(DISTINCT extnamespace) FROM pg_extension
                           WHERE extname = ANY (string_to_array('$(extensions_of "$1")', ' '))
                             AND extnamespace = 'public'::regnamespace")" = 1 ]
  }
  check "$system installs alone into public" install_alone "$system" "$db"
  q -d postgres -c "DROP DATABASE $db"
done

# ---- 2. all together, by a Supabase-like owner role
q -d postgres -c "SET client_min_messages = warning" -c "
  DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_owner') THEN
      CREATE ROLE app_owner LOGIN NOSUPERUSER CREATEDB CREATEROLE BYPASSRLS;
    END IF;
  END \$\$"
fresh_db together app_owner
install_together() {
  local system ext
  for system in $systems; do
    q -d together -U app_owner -c "SET client_min_messages = warning" -c "CREATE SCHEMA $system"
    for ext in $(extensions_of "$system"); do
      q -d together -U app_owner -c "SET client_min_messages = warning" -c "CREATE EXTENSION $ext SCHEMA $system CASCADE"
    done
  done
  q -d together -c "GRANT anon, authenticated, service_role TO app_owner"
}
check "all systems install together, each in its own schema, as a non-superuser owner" install_together
each_in_its_schema() {
  local system ext
  for system in $systems; do
    for ext in $(extensions_of "$system"); do
      [ "$(val -d together -c "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = '$ext'")" = "$system" ] || return 1
    done
  done
}
check "every extension lives in its system's schema" each_in_its_schema
# What Supabase users do with their tables, as their non-superuser owner: a
# policy, an index and a column of their own, and the table in
# supabase_realtime (platform/hand_over_tables.sql); rolled back.
owner_changes_tables() {
  local system table column
  for system in $systems; do
    table=$(val -d together -c "
      SELECT c.oid::regclass FROM pg_class c
       WHERE c.relnamespace = '$system'::regnamespace AND c.relkind = 'r'
         AND NOT EXISTS (SELECT FROM pg_publication_tables p WHERE p.schemaname = '$system' AND p.tablename = c.relname)
       ORDER BY c.relname LIMIT 1")
    column=$(val -d together -c "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = '$table'::regclass AND attnum = 1")
    q -d together -U app_owner -c "BEGIN" \
      -c "CREATE POLICY app_owner_policy ON $table FOR SELECT TO authenticated USING (false)" \
      -c "CREATE INDEX app_owner_index ON $table ($column)" \
      -c "ALTER TABLE $table ADD COLUMN app_owner_note text" \
      -c "ALTER PUBLICATION supabase_realtime ADD TABLE $table" \
      -c "ROLLBACK" || { echo "app_owner cannot change $table" >&2; return 1; }
  done
}
check "the installing owner adds policies, indexes, columns and realtime to each system's tables" owner_changes_tables

# ---- 3. drop and re-create each; the others stay as they were
for system in $systems; do
  exts=$(extensions_of "$system")
  before=$(members together | grep -v -E "^($(echo "$exts" | tr ' ' '|')) ")
  recreate() {
    local ext
    for ext in $(echo "$exts" | tr ' ' '\n' | tac); do q -d together -U app_owner -c "DROP EXTENSION $ext"; done
    for ext in $exts; do
      q -d together -U app_owner -c "SET client_min_messages = warning" -c "CREATE EXTENSION $ext SCHEMA $system"
    done
    after=$(members together | grep -v -E "^($(echo "$exts" | tr ' ' '|')) ")
    [ "$before" = "$after" ]
  }
  check "$system drops and installs again while the others stay" recreate
done

# ---- 4. sample data, dump, restore, demos on the copy
with_data=""
for system in $systems; do
  for sample in "$root/extensions/$system"/sample/*.sql; do
    [ -f "$sample" ] || continue
    # As the project owner, the way a Supabase project seeds its data.
    PGOPTIONS="-c search_path=$system,public" q -d together -U app_owner -f "$sample" >/dev/null
    with_data="$with_data $system"
  done
done
fingerprint() {
  val -d "$1" -c "
    SELECT format('%s.%s', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
     ORDER BY 1" | while read -r t; do
    # Every column but the creation and update times (created_at, added_at,
    # updated_at): rows an install script
    # seeds (plans, default rules, buckets) are made again by the restore's
    # CREATE EXTENSION, at the time of the restore.
    printf '%s %s\n' "$t" "$(val -d "$1" -c "SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '-')
                                             FROM (SELECT to_jsonb(r) - 'created_at' - 'updated_at' - 'added_at' AS x FROM $t r) s")"
  done
}
fingerprint together >"$out/source.txt"
pg_dump -Fc -d together -f "$out/together.dump"
fresh_db restored
check "pg_restore of the database holding every system" pg_restore --exit-on-error -d restored "$out/together.dump"
fingerprint restored >"$out/restored.txt"
check "the restored database has the same rows in every table ($(wc -l <"$out/source.txt") tables)" \
  diff "$out/source.txt" "$out/restored.txt"
for system in $with_data; do
  [ -f "$root/extensions/$system/demo.sql" ] || continue
  check "$system's demo runs on the restored copy (its triggers and API at work)" \
    env PGOPTIONS="-c search_path=$system,public" psql -X -q -v ON_ERROR_STOP=1 -d restored -f "$root/extensions/$system/demo.sql"
done

# One backend, every library: each system's demo in turn in a single session
# (a second copy), so that the libraries loaded together keep their own
# caches and none calls another's copy of the shared layers.
fresh_db one_backend
pg_restore --exit-on-error -d one_backend "$out/together.dump"
one_session() {
  local system
  for system in $with_data; do
    [ -f "$root/extensions/$system/demo.sql" ] || continue
    echo "SET search_path = $system, public;"
    cat "$root/extensions/$system/demo.sql"
    echo
  done
  # Then, still in that backend, every system moves to another schema (its
  # data dropped with it), and one sign-up fires every system's triggers on
  # auth.users: each library must have forgotten what it knew of the old
  # schema (one relcache callback serves all the libraries).
  echo "SET search_path = public; SET onesim.allow_drop_with_data = on; SET client_min_messages = warning;"
  for system in $systems; do
    for ext in $(extensions_of "$system" | tr ' ' '\n' | tac); do echo "DROP EXTENSION $ext CASCADE;"; done
    echo "CREATE SCHEMA ${system}_moved;"
    for ext in $(extensions_of "$system"); do echo "CREATE EXTENSION $ext SCHEMA ${system}_moved;"; done
  done
  echo "INSERT INTO auth.users (id, email, created_at) VALUES (gen_random_uuid(), 'moved@example.com', now());"
  echo "SELECT count(*) AS libraries_loaded FROM pg_extension WHERE extname <> 'plpgsql';"
}
one_session >"$out/one-session.sql"
check "every system's demo in one session, then every system moved to another schema there (all libraries in one backend)" \
  psql -X -q -v ON_ERROR_STOP=1 -d one_backend -f "$out/one-session.sql"

echo "side by side: $passed passed, $failed failed"
[ "$failed" = 0 ]
