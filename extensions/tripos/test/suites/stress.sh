#!/usr/bin/env bash
# Stress with an oracle: pgbench clients insert at random positions, move
# across days and delete on ONE trip at once, through the API as the trip's
# owner and editor; afterwards every day's order_index is exactly 0..n-1
# (itinerary_order_problems() is empty) and nothing was lost or duplicated.
#   bash stress.sh STATEFILE
set -euo pipefail
state=${1:?state file}
# shellcheck disable=SC1090,SC1091
source "$(cat "$state")/env"
here=$(cd "$(dirname "$0")" && pwd)
db=tripos_stress
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION tripos_core CASCADE" -c "CREATE EXTENSION tripos_collab" 2>/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/stress/setup.sql" >/dev/null
pgbench -n -c 4 -j 2 -T "${STRESS_SECONDS:-8}" -f "$here/stress/edit.sql" "$db" >"/tmp/$db.log" 2>&1 || {
  cat "/tmp/$db.log"; exit 1; }
grep -E "number of transactions actually processed|number of failed" "/tmp/$db.log" || true
problems=$(psql -X -At -d "$db" -c "SELECT count(*) FROM itinerary_order_problems()")
expected=$(psql -X -At -d "$db" -c "SELECT 30 + coalesce(sum(CASE WHEN kind = 'insert' THEN 1 ELSE -1 END), 0) FROM stress_log")
actual=$(psql -X -At -d "$db" -c "SELECT count(*) FROM trip_items WHERE trip_id = '00000000-0000-0000-0000-0000000000f1'")
psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null
echo "days out of order: $problems; items expected $expected, found $actual"
[ "$problems" = 0 ] && [ "$expected" = "$actual" ]
