#!/usr/bin/env bash
# Backup and restore of a OneSIM database with pg_dump / pg_restore.
#
#   test/backup-restore.sh STATEFILE     (a cluster started by test/db-suite.sh start)
#
# Creates a database with the extension, the seed's sample data and a few
# hundred generated orders (test/backup-restore.sql), dumps it and restores
# it into fresh databases, once per restore mode:
#
#   plain     pg_dump -Fc, then pg_restore as anyone would run it
#   parallel  the same archive restored by pg_restore -j 2
#   script    plain-format pg_dump piped into psql
#   inserts   pg_dump --inserts (one INSERT per row) piped into psql
#   replica   pg_restore with session_replication_role = replica, so that no
#             trigger runs at all
#
# The extension recognises a restore session by the settings pg_dump and
# pg_restore always emit (onesim.restore_mode = auto; README, "Backups"): its
# insert triggers then load the rows as dumped instead of recounting figures,
# recreating earnings and repricing orders and the catalog from today's rates.
# The test data depends on history (rates and margins changed after the
# orders, a hand-set price, payouts and clawbacks), so any recomputation shows.
# ONESIM_BACKUP_MODES selects modes (default: all five). For every table of
# the extension, and auth.users, it compares the row count and an md5 over all
# rows as text, and requires onesim_internal.reconcile() to be empty after the
# restore. Exits non-zero on any difference or restore error.
set -euo pipefail

state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
sys=$(cd "$here/../.." && pwd)   # extensions/onesim
root=$(cd "$sys/../.." && pwd)
out="$root/build/test-output/onesim/backup"
modes=${ONESIM_BACKUP_MODES:-plain parallel script inserts replica}

# shellcheck disable=SC1090
source "$(cat "$state")/env"
mkdir -p "$out"

src=onesim_backup_src
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $src" -c "CREATE DATABASE $src"
psql_q -d "$src" -c "SET client_min_messages = warning" -c "CREATE EXTENSION onesim CASCADE"
psql_q -d "$src" -f "$sys/sample/onesim_sample_data.sql" -f "$sys/test/suites/backup-restore.sql"

# The source itself must be consistent, or the comparison proves nothing.
bad=$(psql -X -At -d "$src" -c "SELECT count(*) FROM onesim_internal.reconcile()")
if [ "$bad" != 0 ]; then
  echo "source database does not reconcile before the dump:" >&2
  psql -X -d "$src" -c "SELECT * FROM onesim_internal.reconcile()" >&2
  exit 1
fi

# Tables compared: every table of the extension, and auth.users (supabase_platform's
# where it created it; Supabase's otherwise).
tables=$(psql -X -At -d "$src" -c "
  SELECT format('%I.%I', n.nspname, c.relname)
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
   WHERE c.relkind = 'r'
  UNION SELECT 'auth.users'
  ORDER BY 1")

# Rows dumped only when the table is registered with pg_extension_config_dump.
unregistered=$(psql -X -At -d "$src" -c "
  SELECT string_agg(format('%s.%s', n.nspname, c.relname), ' ')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE (c.oid IN (SELECT d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                     WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e' AND e.extname = 'onesim')
          OR c.oid = 'auth.users'::regclass)
     AND c.relkind = 'r'
     AND c.oid <> ALL (SELECT unnest(extconfig) FROM pg_extension)")
if [ -n "$unregistered" ]; then
  echo "tables not registered with pg_extension_config_dump (their rows are not dumped): $unregistered" >&2
  exit 1
fi

fingerprint() {  # db -> "table rows md5" per line
  local db=$1 sql="" t
  for t in $tables; do
    sql+="SELECT '$t', count(*), coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') FROM $t x;"
  done
  psql -X -At -F ' ' -d "$db" -c "$sql"
}

figures() {  # db -> the maintained figures and prices, one per line
  psql -X -At -d "$1" -c "
    SELECT format('partner %s: total_orders=%s total_customers=%s total_earnings=%s pending_earnings=%s balance=%s',
                  company_name, total_orders, total_customers, total_earnings, pending_earnings, balance)
      FROM partners
    UNION ALL
    SELECT format('package %s: margin_percent=%s price_usd=%s price_uzs=%s', package_code, margin_percent, price_usd, price_uzs)
      FROM esim_packages
    UNION ALL
    SELECT format('earnings %s: count=%s commission_usd=%s', status, count(*), sum(commission_amount_usd))
      FROM partner_earnings GROUP BY status
    UNION ALL
    SELECT format('orders of partner %s at rate %s: %s', p.company_name, o.commission_rate, count(*))
      FROM orders o JOIN partners p ON p.id = o.partner_id GROUP BY p.company_name, o.commission_rate
    UNION ALL
    SELECT format('group %s: group_size=%s', name, group_size) FROM customer_groups
    ORDER BY 1"
}

fingerprint "$src" >"$out/source.txt"
figures "$src" >"$out/figures-source.txt"
rows=$(awk '{s += $2} END {print s}' "$out/source.txt")
echo "source: $(wc -l <"$out/source.txt") tables, $rows rows"

dump="$out/onesim.dump"
pg_dump -Fc -d "$src" -f "$dump"
echo "dumped $src to $dump ($(stat -c %s "$dump") bytes)"
case " $modes " in *" script "*) pg_dump -d "$src" -f "$out/onesim.sql" ;; esac
case " $modes " in *" inserts "*) pg_dump --inserts -d "$src" -f "$out/onesim-inserts.sql" ;; esac

failed=0
declare -A result=()
for mode in $modes; do
  failed_before=$failed; failed=0
  dst=onesim_backup_restored_$mode
  psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $dst" -c "CREATE DATABASE $dst"
  opts=
  case "$mode" in
    plain)    cmd=(pg_restore -d "$dst" "$dump") ;;
    parallel) cmd=(pg_restore -j 2 -d "$dst" "$dump"); opts="-c session_replication_role=replica" ;;
    script)   cmd=(psql -X -q -v ON_ERROR_STOP=1 -d "$dst" -f "$out/onesim.sql") ;;
    inserts)  cmd=(psql -X -q -v ON_ERROR_STOP=1 -d "$dst" -f "$out/onesim-inserts.sql") ;;
    replica)  cmd=(pg_restore -d "$dst" "$dump"); opts="-c session_replication_role=replica" ;;
    *) echo "unknown restore mode: $mode" >&2; exit 2 ;;
  esac
  echo
  echo "== restore mode $mode: ${opts:+PGOPTIONS=\"$opts\" }${cmd[*]}"
  if PGOPTIONS="${PGOPTIONS:-} $opts" "${cmd[@]}" >"$out/restore-$mode.out" 2>"$out/restore-$mode.log"; then
    echo "restore: ok"
  else
    echo "restore: FAILED (rc $?):"
    sed 's/^/  /' "$out/restore-$mode.log" | head -40
    failed=1
  fi
  # psql shows the server's messages: the restore-mode warning, exactly once
  # per session, and nothing else (pg_restore keeps them to itself without -v).
  if [ "$mode" = script ] || [ "$mode" = inserts ]; then
    n_warn=$(grep -c 'WARNING:  onesim: restore session detected' "$out/restore-$mode.log" || true)
    if [ "$n_warn" != 1 ]; then
      echo "expected one restore-mode warning from psql, got $n_warn"
      failed=1
    fi
  fi
  if grep -v -e 'WARNING:  onesim: restore session detected' -e '^DETAIL:  ' -e '^HINT:  ' \
       "$out/restore-$mode.log" | grep -q .; then
    echo "the restore printed (see $out/restore-$mode.log):"
    sed 's/^/  /' "$out/restore-$mode.log" | head -20
    failed=1
  fi

  fingerprint "$dst" >"$out/restored-$mode.txt"
  printf '%-40s %8s %8s  %s\n' table source restored result
  while read -r t n md5; do
    read -r _ n2 md52 < <(grep "^$t " "$out/restored-$mode.txt" || echo "$t - -")
    if [ "$n" = "$n2" ] && [ "$md5" = "$md52" ]; then r=same
    elif [ "$n" = "$n2" ]; then r="DIFFERENT ROWS"; failed=1
    else r="DIFFERENT COUNT"; failed=1
    fi
    printf '%-40s %8s %8s  %s\n' "$t" "$n" "$n2" "$r"
  done <"$out/source.txt"

  recon=$(psql -X -At -F ' | ' -d "$dst" -c "SELECT * FROM onesim_internal.reconcile() ORDER BY 1, 2, 3")
  if [ -z "$recon" ]; then
    echo "onesim_internal.reconcile(): empty"
  else
    echo "onesim_internal.reconcile() after restore: $(wc -l <<<"$recon") difference(s) (entity | id | figure | stored | actual):"
    sed 's/^/  /' <<<"$recon" | head -20
    failed=1
  fi

  # What differs, in the figures a restore must carry over as they are.
  if ! diff -u "$out/figures-source.txt" <(figures "$dst") >"$out/figures-$mode.diff"; then
    echo "figures that differ (- source, + restored):"
    grep '^[-+][^-+]' "$out/figures-$mode.diff" | sed 's/^/  /' | head -40
  fi
  result[$mode]=$([ "$failed" = 0 ] && echo identical || echo DIFFERENT)
  [ "$failed_before" = 0 ] || failed=1
done

psql_q -d postgres -c "DROP DATABASE IF EXISTS $src"
for mode in $modes; do psql_q -d postgres -c "DROP DATABASE IF EXISTS onesim_backup_restored_$mode"; done

echo
for mode in $modes; do echo "restore mode $mode: ${result[$mode]}"; done
if [ "$failed" = 0 ]; then
  echo "backup/restore: every table identical, every figure reconciles (modes: $modes)"
else
  echo "backup/restore: DIFFERENCES (modes: $modes); details in $out" >&2
  exit 1
fi
