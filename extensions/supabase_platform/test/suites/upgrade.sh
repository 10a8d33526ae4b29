#!/usr/bin/env bash
# ALTER EXTENSION supabase_platform UPDATE from every released version.
#   bash upgrade.sh STATEFILE   (test/lib/db-suite.sh passes the cluster's state file)
#
# For each released version V with an update path to the default version, and
# for each installing role (the superuser, and a non-superuser owner as on
# Supabase, where postgres installs the trusted extension):
#   1. install V and add a user to auth.users;
#   2. ALTER EXTENSION supabase_platform UPDATE;
#   3. the user is still there, and auth.uid() reads the caller's claims;
#   4. the schema equals a fresh install of the default version by the same
#      role, object by object (pg_dump --binary-upgrade --schema-only with
#      physical details removed: definitions, privileges, initial privileges).
set -euo pipefail
state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
out="$root/build/test-output/supabase_platform/upgrade"
# shellcheck disable=SC1090,SC1091
source "$(cat "$state")/env"
# shellcheck disable=SC1091
source "$root/test/lib/schema.sh"   # normalized_schema
mkdir -p "$out"
rm -f "$out"/*
fails=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fails=$((fails + 1)); }
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
recreate() {  # db owner
  q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 OWNER $2" >/dev/null
}

q -d postgres -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'platform_owner') THEN
    CREATE ROLE platform_owner LOGIN NOSUPERUSER;
  END IF; END \$\$"

current=$(q -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'supabase_platform'")
versions=$(q -d postgres -c "
  SELECT p.source FROM pg_extension_update_paths('supabase_platform') p
   WHERE p.target = '$current' AND p.path IS NOT NULL
     AND p.source IN (SELECT version FROM pg_available_extension_versions WHERE name = 'supabase_platform')
   ORDER BY string_to_array(p.source, '.')::int[]")
[ -n "$versions" ] || { echo "no released version has an update path to $current" >&2; exit 1; }
echo "# default version $current; updating from: $(echo $versions)"

user=550e8400-e29b-41d4-a716-446655440001
for owner in postgres platform_owner; do
  fresh=platform_fresh_$owner
  recreate "$fresh" "$owner"
  q -d "$fresh" -U "$owner" -c "CREATE EXTENSION supabase_platform"
  normalized_schema "$fresh" >"$out/schema-fresh-$owner.sql"
  for v in $versions; do
    db=platform_from_${v//./_}_$owner
    recreate "$db" "$owner"
    q -d "$db" -U "$owner" -c "CREATE EXTENSION supabase_platform VERSION '$v'" \
      -c "INSERT INTO auth.users (id, email) VALUES ('$user', 'kept@example.com')"
    q -d "$db" -U "$owner" -c "ALTER EXTENSION supabase_platform UPDATE"
    got=$(q -d "$db" -U "$owner" -c "SELECT extversion FROM pg_extension WHERE extname = 'supabase_platform'")
    [ "$got" = "$current" ] && ok "$owner: $v updated to $current" || not_ok "$owner: $v updated to $got, not $current"
    got=$(q -d "$db" -c "SELECT email FROM auth.users WHERE id = '$user'")
    [ "$got" = kept@example.com ] && ok "$owner: $v: auth.users kept its rows" || not_ok "$owner: $v: auth.users lost its row"
    got=$(q -d "$db" -c "BEGIN" -c "SET LOCAL ROLE authenticated" \
            -c "SELECT set_config('request.jwt.claims', '{\"sub\":\"$user\"}', true) IS NOT NULL" \
            -c "SELECT auth.uid()" -c "COMMIT" | tail -1)
    [ "$got" = "$user" ] && ok "$owner: $v: auth.uid() reads the claims as authenticated" || not_ok "$owner: $v: auth.uid() gave '$got'"
    normalized_schema "$db" >"$out/schema-from-$v-$owner.sql"
    if diff -u "$out/schema-fresh-$owner.sql" "$out/schema-from-$v-$owner.sql" >"$out/schema-from-$v-$owner.diff"; then
      ok "$owner: $v: the updated schema equals a fresh install"
    else
      not_ok "$owner: $v: the updated schema differs from a fresh install ($out/schema-from-$v-$owner.diff)"
      head -40 "$out/schema-from-$v-$owner.diff"
    fi
  done
done
[ "$fails" -eq 0 ]
