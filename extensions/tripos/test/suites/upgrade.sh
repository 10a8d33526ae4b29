#!/usr/bin/env bash
# ALTER EXTENSION ... UPDATE of every stage from its released versions, with
# data, in chain order.
#   bash upgrade.sh STATEFILE   (test/lib/db-suite.sh passes the cluster's state file)
#
#   1. the chain installed at the oldest released version of each stage
#      (sql/released/<stage>--<version>.sql, frozen at release), with the
#      sample data and the demo's history loaded;
#   2. each stage updated, tripos_core first;
#   3. every row of every table still there, column for column;
#   4. the schema equals a fresh install of the default versions, object by
#      object (pg_dump --binary-upgrade --schema-only, physical details
#      removed, and the list of required extensions sorted: ALTER EXTENSION
#      UPDATE records them again in another order);
#   5. account deletion behaves as on a fresh install: the itinerary and the
#      other members' balances hold.
set -euo pipefail
state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
sys=$(cd "$here/../.." && pwd)   # extensions/tripos
root=$(cd "$sys/../.." && pwd)
out="$root/build/test-output/tripos/upgrade"
# shellcheck disable=SC1090,SC1091
source "$(cat "$state")/env"
mkdir -p "$out"
rm -f "$out"/*
stages="tripos_core tripos_collab tripos_ai tripos_payments tripos_whatsapp"
fails=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fails=$((fails + 1)); }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
recreate() { psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; }
oldest() {  # stage -> its oldest installable version with a path to the default (or the default)
  q postgres "SELECT coalesce(
                (SELECT p.source FROM pg_extension_update_paths('$1') p
                   JOIN pg_available_extensions a ON a.name = '$1' AND p.target = a.default_version
                  WHERE p.path IS NOT NULL
                    AND p.source IN (SELECT version FROM pg_available_extension_versions WHERE name = '$1')
                  ORDER BY string_to_array(p.source, '.')::int[] LIMIT 1),
                (SELECT default_version FROM pg_available_extensions WHERE name = '$1'))"
}
# shellcheck disable=SC1091
source "$root/test/lib/schema.sh"   # normalized_schema
tables_with_columns() {  # db -> "table|quoted columns" per table of the stages
  q "$1" "SELECT format('%I.%I', n.nspname, c.relname) || '|' ||
                 (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                   WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
            JOIN pg_extension e ON e.oid = d.refobjid AND e.extname LIKE 'tripos%'
           WHERE c.relkind = 'r' ORDER BY 1"
}
fingerprint() {  # db < "table|columns" lines -> "table rows md5"
  local db=$1 sql="" t cols
  while IFS='|' read -r t cols; do
    sql+="SELECT '$t', count(*), coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') FROM (SELECT $cols FROM $t) x;"
  done
  psql -X -At -F ' ' -v ON_ERROR_STOP=1 -d "$db" -c "$sql"
}
load() { psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$sys/sample/tripos_sample_data.sql" -f "$sys/demo.sql" >"$out/load-$1.out"; }

fresh=tripos_upgrade_fresh
recreate "$fresh"
for s in $stages; do q "$fresh" "SET client_min_messages = warning; CREATE EXTENSION $s CASCADE" >/dev/null; done
normalized_schema "$fresh" >"$out/schema-fresh.sql"

db=tripos_upgrade_old
recreate "$db"
from=""
for s in $stages; do
  v=$(oldest "$s")
  from+="$s $v, "
  q "$db" "SET client_min_messages = warning; CREATE EXTENSION $s VERSION '$v' CASCADE" >/dev/null
done
echo "# installed ${from%, }"
load "$db"
tables_with_columns "$db" >"$out/tables.txt"
fingerprint "$db" <"$out/tables.txt" >"$out/rows-before.txt"

for s in $stages; do
  q "$db" "ALTER EXTENSION $s UPDATE" >/dev/null
  got=$(q "$db" "SELECT e.extversion = a.default_version FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname WHERE e.extname = '$s'")
  if [ "$got" = t ]; then ok "ALTER EXTENSION $s UPDATE reaches the default version"; else not_ok "$s is not at its default version after UPDATE"; fi
done

fingerprint "$db" <"$out/tables.txt" >"$out/rows-after.txt"
if diff -u "$out/rows-before.txt" "$out/rows-after.txt" >"$out/rows.diff"; then
  ok "every row of $(wc -l <"$out/tables.txt") tables kept, column for column ($(awk '{s += $2} END {print s}' "$out/rows-before.txt") rows)"
else
  not_ok "rows changed by the update (- before, + after):"; sed 's/^/  /' "$out/rows.diff" | head -20
fi

normalized_schema "$db" >"$out/schema-upgraded.sql"
if diff -u "$out/schema-fresh.sql" "$out/schema-upgraded.sql" >"$out/schema.diff"; then
  ok "schema identical to a fresh install ($(grep -c '^CREATE\|^ALTER\|^GRANT\|^COMMENT' "$out/schema-fresh.sql") statements compared)"
else
  not_ok "schema differs from a fresh install (- fresh, + upgraded):"; grep '^[-+][^-+]' "$out/schema.diff" | sed 's/^/  /' | head -40
fi

# The demo's traveller with expenses leaves; the others' balances hold.
before=$(q "$db" "SELECT string_agg(coalesce(user_id::text, 'former') || '=' || balance_minor, ' ' ORDER BY user_id) FROM trip_balances")
leaver=$(q "$db" "SELECT paid_by FROM expenses WHERE paid_by IS NOT NULL AND paid_by <> (SELECT user_id FROM trips t WHERE t.id = expenses.trip_id) LIMIT 1")
if [ -z "$leaver" ]; then
  not_ok "the loaded data has an expense paid by a collaborator"
else
  q "$db" "DELETE FROM auth.users WHERE id = '$leaver'" >/dev/null
  after=$(q "$db" "SELECT string_agg(coalesce(user_id::text, 'former') || '=' || balance_minor, ' ' ORDER BY user_id) FROM trip_balances")
  if [ "$(sed "s/$leaver/former/" <<<"$before" | tr ' ' '\n' | sort | tr '\n' ' ')" = "$(tr ' ' '\n' <<<"$after" | sort | tr '\n' ' ')" ]; then
    ok "after the update a deleted collaborator's balance becomes the former members' and nobody else's changes"
  else
    not_ok "balances changed by an account deletion: before '$before', after '$after'"
  fi
fi

psql -X -q -d postgres -c "DROP DATABASE $db" -c "DROP DATABASE $fresh" >/dev/null
if [ "$fails" = 0 ]; then echo "upgrade: every stage updates to its default version with every row kept and the schema of a fresh install"; exit 0; fi
echo "upgrade: $fails check(s) failed; details in $out" >&2
exit 1
