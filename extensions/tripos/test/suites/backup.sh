#!/usr/bin/env bash
# pg_dump / pg_restore of a database holding all five stages with data gives
# the same rows and figures (rows load as dumped: the INSERT triggers let
# them through unchanged), and the triggers work afterwards.
#   bash backup.sh STATEFILE
set -euo pipefail
state=${1:?state file}
# shellcheck disable=SC1090,SC1091
source "$(cat "$state")/env"
here=$(cd "$(dirname "$0")" && pwd)
src=tripos_backup_src dst=tripos_backup_dst dump=$(mktemp)
trap 'rm -f "$dump"' EXIT
for db in $src $dst; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null; done
psql -X -q -d postgres -c "CREATE DATABASE $src" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d $src -c "CREATE EXTENSION tripos_whatsapp CASCADE" -c "CREATE EXTENSION tripos_collab" \
  -c "CREATE EXTENSION tripos_payments CASCADE" 2>/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d $src -f "$here/backup/populate.sql" >/dev/null
before=$(psql -X -At -d $src -f "$here/backup/snapshot.sql")
pg_dump -Fc -d $src -f "$dump"
psql -X -q -d postgres -c "CREATE DATABASE $dst" >/dev/null
# The storage policies and the triggers a stage puts on auth.users and trips
# are not extension members: pg_dump dumps them and CREATE EXTENSION has
# already made them, so pg_restore reports them as existing; nothing else
# may fail.
errors=$(pg_restore -d $dst "$dump" 2>&1 | grep -E '^pg_restore: error' || true)
# The buckets CREATE EXTENSION makes are left out of the dump (owner_id
# 'extension:tripos_core'), so the COPY of storage.buckets must not fail.
unexpected=$(echo "$errors" | grep -v -E 'already exists|^$' || true)
after=$(psql -X -At -d $dst -f "$here/backup/snapshot.sql")
fails=0
if [ "$before" != "$after" ]; then
  echo "not ok - the restored database differs:"; diff <(echo "$before") <(echo "$after") || true; fails=1
else
  echo "ok - every stage's rows, order and figures are restored as dumped"
fi
if [ -n "$unexpected" ]; then echo "not ok - pg_restore failed: $unexpected"; fails=1; else
  echo "ok - pg_restore reported only the non-member objects it found existing ($(echo "$errors" | grep -c 'already exists' || true))"; fi
echo "$before" | grep -q '^order problems|0$' && echo "$before" | grep -q '^usage drift|0$' \
  && echo "ok - the oracles find nothing before the dump" || { echo "not ok - oracles before the dump"; fails=1; }
moved=$(psql -X -q -At -d $dst -c "
  INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index)
  VALUES ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000a1', 'after restore', 1, 0);
  SELECT name || ':' || (SELECT count(*) FROM itinerary_order_problems()) FROM trip_items
   WHERE trip_id = '00000000-0000-0000-0000-0000000000b1' AND day_number = 1 AND order_index = 0")
[ "$moved" = "after restore:0" ] && echo "ok - the ordering triggers work on the restored database" \
  || { echo "not ok - after restore: $moved"; fails=1; }
signup=$(psql -X -q -At -d $dst -c "
  INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a9', 'after@example.test');
  SELECT (SELECT count(*) FROM profiles WHERE id = '00000000-0000-0000-0000-0000000000a9')
      + (SELECT count(*) FROM usage_limits WHERE user_id = '00000000-0000-0000-0000-0000000000a9')
      + (SELECT count(*) FROM notification_preferences WHERE user_id = '00000000-0000-0000-0000-0000000000a9')")
[ "$signup" = 3 ] && echo "ok - sign-up adds every stage's rows on the restored database" \
  || { echo "not ok - sign-up after restore: $signup"; fails=1; }
for db in $src $dst; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null; done
exit $fails
