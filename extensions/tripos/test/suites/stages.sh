#!/usr/bin/env bash
# The five stages install alone (CASCADE brings what each requires), into
# public and into a named schema, in chain order on one database, and drop
# from the last to the first with every earlier stage's rows kept; a later
# stage cannot be created in another schema than tripos_core's.
#   bash stages.sh STATEFILE   (test/lib/db-suite.sh passes the cluster's state file)
set -euo pipefail
state=${1:?state file}
# shellcheck disable=SC1090,SC1091
source "$(cat "$state")/env"
fails=0
check() {  # check "description" expected actual
  if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1 (expected '$2', got '$3')"; fails=$((fails + 1)); fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1" 2>&1; }
fresh() {
  db=$1
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
}
members_of() { q "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid WHERE e.extname = '$1' AND d.deptype = 'e'"; }

# Each stage alone, into public.
for ext in tripos_core tripos_collab tripos_ai tripos_payments tripos_whatsapp; do
  fresh stages_alone
  out=$(q "CREATE EXTENSION $ext CASCADE" 2>&1 | grep -v -E 'NOTICE|WARNING|HINT' || true)
  check "$ext installs alone (CASCADE) into public" "" "$out"
  check "$ext's objects are in public" "public" "$(q "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = '$ext'")"
  out=$(q "DROP EXTENSION $ext" 2>&1 || true)
  check "$ext drops alone" "" "$out"
done

# Into a named schema, the whole chain.
fresh stages_named
q "CREATE SCHEMA trip" >/dev/null
out=$(q "CREATE EXTENSION tripos_whatsapp SCHEMA trip CASCADE" 2>&1 | grep -v -E 'NOTICE|WARNING|HINT' || true)
check "tripos_whatsapp installs into a named schema with tripos_core" "" "$out"
for ext in tripos_collab tripos_ai tripos_payments; do
  out=$(q "CREATE EXTENSION $ext SCHEMA trip CASCADE" 2>&1 | grep -v -E 'NOTICE|WARNING|HINT' || true)
  check "$ext joins it" "" "$out"
done
check "nothing of Trip OS lands in public" "0" "$(q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname IN ('trips', 'trip_items', 'collaborators', 'ai_runs', 'plans', 'whatsapp_messages')")"
fresh stages_wrong_schema
q "CREATE SCHEMA a; CREATE SCHEMA b; CREATE EXTENSION tripos_core SCHEMA a CASCADE" >/dev/null 2>&1
out=$(psql -X -q -At -d stages_wrong_schema -c "CREATE EXTENSION tripos_collab SCHEMA b" 2>&1 | grep -o 'must be created in tripos_core.s schema "a"' || true)
check "a later stage in another schema than tripos_core's is refused" 'must be created in tripos_core'"'"'s schema "a"' "$out"

# The chain in order on a database with data, then dropped last to first.
fresh stages_chain
q "CREATE EXTENSION tripos_core CASCADE" >/dev/null 2>&1
q "INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000c1', 'chain@example.test');
   INSERT INTO trips (id, user_id, name) VALUES ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-0000000000c1', 'Chain');
   INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index)
   VALUES ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-0000000000c1', 'item', 1, NULL)" >/dev/null
for ext in tripos_collab tripos_ai tripos_payments tripos_whatsapp; do
  out=$(q "CREATE EXTENSION $ext" 2>&1 | grep -v -E 'NOTICE|WARNING|HINT' || true)
  check "$ext installs on the earlier stages and their data" "" "$out"
done
check "stages added their per-user rows for existing users" "1|1" "$(q "SELECT (SELECT count(*) FROM usage_limits WHERE user_id = '00000000-0000-0000-0000-0000000000c1') || '|' || (SELECT count(*) FROM notification_preferences WHERE user_id = '00000000-0000-0000-0000-0000000000c1')")"
q "INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000c3', 'late@example.test')" >/dev/null
check "a new user gets the rows of every stage" "1|1|1|1" "$(q "SELECT (SELECT count(*) FROM profiles WHERE id = '00000000-0000-0000-0000-0000000000c3') || '|' || (SELECT count(*) FROM user_settings WHERE user_id = '00000000-0000-0000-0000-0000000000c3') || '|' || (SELECT count(*) FROM usage_limits WHERE user_id = '00000000-0000-0000-0000-0000000000c3') || '|' || (SELECT count(*) FROM notification_preferences WHERE user_id = '00000000-0000-0000-0000-0000000000c3')")"
out=$(q "DROP EXTENSION tripos_core" 2>&1 | grep -c 'other objects depend on it' || true)
check "tripos_core cannot be dropped under later stages without CASCADE" "1" "$out"
for ext in tripos_whatsapp tripos_payments tripos_ai tripos_collab; do
  out=$(q "DROP EXTENSION $ext" 2>&1 || true)
  check "$ext drops, last stage first" "" "$out"
  check "stage 1's trip and item stay after dropping $ext" "1|1" "$(q "SELECT (SELECT count(*) FROM trips) || '|' || (SELECT count(*) FROM trip_items)")"
  case $ext in
    tripos_whatsapp) names="'tripos_whatsapp_new_users', 'trg_trips_replan_jobs'" ;;
    tripos_payments) names="'tripos_payments_new_users', 'trg_trips_plan_limit'" ;;
    *) names="''" ;;
  esac
  check "no trigger of $ext is left on auth.users or trips" "0" "$(q "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname IN ($names)")"
done
check "the sign-up trigger still works with stage 1 only" "1" "$(q "INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000c4', 'only@example.test'); SELECT count(*) FROM profiles WHERE id = '00000000-0000-0000-0000-0000000000c4'")"
out=$(q "DROP EXTENSION tripos_core" 2>&1 || true)
check "tripos_core drops last (its trigger on auth.users and storage policies go first)" "" "$out"
check "no Trip OS policy is left on storage.objects" "0" "$(q "SELECT count(*) FROM pg_policy WHERE polrelid = 'storage.objects'::regclass AND polname LIKE 'Trip OS:%'")"
check "the buckets stay, with the files' rows" "3" "$(q "SELECT count(*) FROM storage.buckets WHERE id IN ('trip-images', 'place-photos', 'user-avatars')")"
out=$(q "CREATE EXTENSION tripos_whatsapp CASCADE" 2>&1 | grep -v -E 'NOTICE|WARNING|HINT' || true)
check "the chain installs again where it was dropped" "" "$out"

for d in stages_alone stages_named stages_wrong_schema stages_chain; do
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null
done
[ "$fails" = 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all stage checks passed"
