#!/usr/bin/env bash
# ALTER EXTENSION onesim UPDATE from every released version, with data.
#
#   test/upgrade.sh STATEFILE     (a cluster started by test/db-suite.sh start)
#
# For each version V that has an install script and an update path to the
# default version (sql/onesim--V.sql, frozen when V was released):
#
#   1. install V, load the seed's sample data and the history of
#      test/backup-restore.sql (rate changes, refunds after a payout, ...);
#   2. ALTER EXTENSION onesim UPDATE;
#   3. every row of every table is still there, column for column (the
#      columns V had), and onesim_internal.reconcile() is empty: figures
#      added by the update were backfilled from the rows;
#   4. the schema equals a fresh install of the default version, object by
#      object: pg_dump --binary-upgrade --schema-only of both (it lists every
#      member of the extension with its definition, privileges and initial
#      privileges), with OIDs and other physical details removed;
#   5. the B2B workflow of the demo (scripts/demo.sql, through the API) runs
#      on the upgraded database and on a fresh one loaded with the same data,
#      and both end with the same row counts and the same maintained figures.
#
# Exits non-zero on any difference.
set -euo pipefail

state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
sys=$(cd "$here/../.." && pwd)   # extensions/onesim
root=$(cd "$sys/../.." && pwd)
out="$root/build/test-output/onesim/upgrade"

# shellcheck disable=SC1090
source "$(cat "$state")/env"
mkdir -p "$out"
rm -f "$out"/*

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
val() { psql -X -At -v ON_ERROR_STOP=1 "$@"; }
recreate() {
  psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
}
load_data() {
  psql_q -d "$1" -f "$sys/sample/onesim_sample_data.sql" -f "$sys/test/suites/backup-restore.sql"
}

current=$(val -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'onesim'")
versions=$(val -d postgres -c "
  SELECT p.source FROM pg_extension_update_paths('onesim') p
   WHERE p.target = '$current' AND p.path IS NOT NULL
     AND p.source IN (SELECT version FROM pg_available_extension_versions WHERE name = 'onesim')
   ORDER BY string_to_array(p.source, '.')::int[]")
if [ -z "$versions" ]; then
  echo "no released version of onesim has an update path to $current" >&2
  exit 1
fi
echo "default version $current; updating from: $(echo $versions)"

# Tables of the extension, and their columns, in a database.
tables_of() {
  val -d "$1" -c "
    SELECT format('%I.%I', n.nspname, c.relname)
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
     WHERE c.relkind = 'r'
     ORDER BY 1"
}
columns_of() {  # db table -> comma-separated quoted column list
  val -d "$1" -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                   WHERE attrelid = '$2'::regclass AND attnum > 0 AND NOT attisdropped"
}
# db "table|columns" lines -> "table rows md5" lines over those columns only
fingerprint() {
  local db=$1 sql="" t cols
  while IFS='|' read -r t cols; do
    sql+="SELECT '$t', count(*), coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-')
            FROM (SELECT $cols FROM $t) x;"
  done
  val -F ' ' -d "$db" -c "$sql"
}
# shellcheck disable=SC1091
source "$root/test/lib/schema.sh"   # normalized_schema
# normalized_schema without the columns an update dropped: a dropped column
# stays in its table's storage (attisdropped, so that the columns after it
# keep their attribute numbers) and pg_dump --binary-upgrade recreates it as a
# placeholder, then drops it again. Storage, not schema, like the missing
# values normalized_schema leaves out; the order of the live columns is still
# compared. (The update to 1.2 drops profiles.is_partner and is_admin and adds
# them again: PostgreSQL 15 cannot change the type of the column they are
# generated from.)
schema_of() {
  normalized_schema "$1" \
    | perl -0777 -pe '
        my $d = q{"\.{8}pg\.dropped\.\d+\.{8}"};
        s/^    $d INTEGER \/\* dummy \*\/,\n//mg;
        s/^-- For binary upgrade, recreate dropped column\.\nUPDATE [^\n]*\n[^\n]*\nWHERE attname = \x27[^\n]*pg\.dropped\.[^\n]*\n[^\n]*\nALTER TABLE ONLY [^\n]* DROP COLUMN $d;\n//mg' \
    | cat -s
}
# Deterministic summary of the data: row counts and every maintained figure.
summary() {
  local db=$1 sql="" t
  for t in $(tables_of "$db"); do sql+="SELECT format('rows %s: %s', '$t', count(*)) FROM $t;"; done
  val -d "$db" -c "$sql" | sort
  val -d "$db" -c "
    SELECT format('partner %s: total_orders=%s total_customers=%s total_earnings=%s pending_earnings=%s balance=%s',
                  company_name, total_orders, total_customers, total_earnings, pending_earnings, balance)
      FROM partners
    UNION ALL
    SELECT format('customer %s %s: total_orders=%s total_spent=%s', first_name, email, total_orders, total_spent)
      FROM partner_customers
    UNION ALL
    SELECT format('earnings %s: count=%s commission_usd=%s', status, count(*), sum(commission_amount_usd))
      FROM partner_earnings GROUP BY status
    UNION ALL
    SELECT format('orders %s: count=%s price_usd=%s commission_usd=%s', order_status, count(*), sum(price_usd),
                  sum(commission_amount_usd))
      FROM orders GROUP BY order_status
    UNION ALL
    SELECT format('group %s: group_size=%s', name, group_size) FROM customer_groups
    UNION ALL
    SELECT format('package %s: price_usd=%s price_uzs=%s', package_code, price_usd, price_uzs)
      FROM esim_packages
    ORDER BY 1"
}
reconcile_empty() {  # db label
  local recon
  recon=$(val -F ' | ' -d "$1" -c "SELECT * FROM onesim_internal.reconcile() ORDER BY 1, 2, 3")
  if [ -n "$recon" ]; then
    echo "FAIL $2: onesim_internal.reconcile() lists $(wc -l <<<"$recon") difference(s) (entity | id | figure | stored | actual):"
    sed 's/^/  /' <<<"$recon" | head -20
    return 1
  fi
  echo "ok   $2: onesim_internal.reconcile() is empty"
}

fresh=onesim_upgrade_fresh
recreate "$fresh"
psql_q -d "$fresh" -c "SET client_min_messages = warning" -c "CREATE EXTENSION onesim CASCADE"
schema_of "$fresh" >"$out/schema-fresh.sql"
load_data "$fresh"
psql_q -d "$fresh" -f "$sys/demo.sql" >"$out/demo-fresh.out"
summary "$fresh" >"$out/summary-fresh.txt"
failed=0
reconcile_empty "$fresh" "fresh $current after the workflow" || failed=1

for from in $versions; do
  db=onesim_upgrade_from_${from//./_}
  echo
  echo "== $from -> $current"
  recreate "$db"
  psql_q -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION onesim VERSION '$from' CASCADE"
  load_data "$db"
  # The installed library serves every released schema: its recount of the
  # older version's figures must agree with them too.
  reconcile_empty "$db" "$from, before the update" || failed=1

  : >"$out/tables-$from.txt"
  for t in $(tables_of "$db"); do echo "$t|$(columns_of "$db" "$t")" >>"$out/tables-$from.txt"; done
  fingerprint "$db" <"$out/tables-$from.txt" >"$out/rows-before-$from.txt"

  psql_q -d "$db" -c "ALTER EXTENSION onesim UPDATE"
  got=$(val -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'onesim'")
  if [ "$got" = "$current" ]; then echo "ok   ALTER EXTENSION onesim UPDATE: now $got"
  else echo "FAIL ALTER EXTENSION onesim UPDATE left version $got"; failed=1; fi

  if fingerprint "$db" <"$out/tables-$from.txt" >"$out/rows-after-$from.txt" \
     && diff -u "$out/rows-before-$from.txt" "$out/rows-after-$from.txt" >"$out/rows-$from.diff"; then
    echo "ok   every row of $(wc -l <"$out/tables-$from.txt") tables kept, column for column ($(awk '{s += $2} END {print s}' "$out/rows-before-$from.txt") rows)"
  else
    echo "FAIL rows changed by the update (- before, + after):"
    sed 's/^/  /' "$out/rows-$from.diff" | head -20
    failed=1
  fi
  reconcile_empty "$db" "after the update" || failed=1

  schema_of "$db" >"$out/schema-from-$from.sql"
  if diff -u "$out/schema-fresh.sql" "$out/schema-from-$from.sql" >"$out/schema-$from.diff"; then
    echo "ok   schema identical to a fresh $current install ($(grep -c '^CREATE\|^ALTER\|^GRANT\|^COMMENT' "$out/schema-fresh.sql") statements compared)"
  else
    echo "FAIL schema differs from a fresh $current install (- fresh, + upgraded):"
    grep '^[-+][^-+]' "$out/schema-$from.diff" | sed 's/^/  /' | head -40
    failed=1
  fi

  psql_q -d "$db" -f "$sys/demo.sql" >"$out/demo-from-$from.out"
  summary "$db" >"$out/summary-from-$from.txt"
  if diff -u "$out/summary-fresh.txt" "$out/summary-from-$from.txt" >"$out/summary-$from.diff"; then
    echo "ok   the demo workflow ends with the same rows and figures as on a fresh install ($(wc -l <"$out/summary-fresh.txt") lines)"
  else
    echo "FAIL the workflow ends differently (- fresh, + upgraded):"
    grep '^[-+][^-+]' "$out/summary-$from.diff" | sed 's/^/  /' | head -40
    failed=1
  fi
  reconcile_empty "$db" "upgraded, after the workflow" || failed=1
  psql_q -d postgres -c "DROP DATABASE $db"
done
psql_q -d postgres -c "DROP DATABASE $fresh"

echo
if [ "$failed" = 0 ]; then
  echo "upgrade: every released version updates to $current with every row kept and the schema of a fresh install"
else
  echo "upgrade: FAILED; details in $out" >&2
  exit 1
fi
