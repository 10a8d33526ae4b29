#!/usr/bin/env bash
# Crash recovery: no committed order is lost, no half transaction survives,
# and every maintained figure still reconciles.
#
#   test/crash-recovery.sh STATEFILE     (a cluster started by test/db-suite.sh start)
#
# Two loaders (psql, one connection each) place B2B orders through the API in
# many small transactions of 3 orders each (transaction_id
# crash-<phase>-<loader>-<k>-<j>), and print "k" after each COMMIT returns.
# Mid-load:
#   phase 1  kill -9 of a loader's backend: the postmaster resets every backend
#            and recovers from the WAL; we wait for pg_isready;
#   phase 2  kill -9 of the postmaster itself (then of its orphaned children,
#            as a machine crash would), and pg_ctl start (scripts/pgcluster.sh
#            restart): recovery at startup.
# After each: every acknowledged transaction is there with its 3 orders, the
# one in flight is either entirely there or not at all, nothing else is;
# reconcile() is empty and every commissionable order has exactly one earning.
# The database runs with synchronous_commit = on (the throwaway cluster turns
# it off globally; with it off an acknowledged commit may be lost by design).
set -euo pipefail

state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
sys=$(cd "$here/../.." && pwd)   # extensions/onesim
root=$(cd "$sys/../.." && pwd)
out="$root/build/test-output/onesim/crash"
db=onesim_crash
per_loader=${ONESIM_CRASH_TXNS:-20000}  # more than any loader gets to run

# shellcheck disable=SC1090
source "$(cat "$state")/env"
dir=$(cat "$state")
data="$dir/data"
mkdir -p "$out"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
rows() { psql -X -At -d "$db" -c "$1"; }

psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql_q -d postgres -c "ALTER DATABASE $db SET synchronous_commit = on"
psql_q -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION onesim CASCADE"
psql_q -d "$db" <<'SQL'
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-4000-8000-0000000000c1', 'crash@agency.test');
INSERT INTO profiles (id, user_type, first_name, last_name, email)
  VALUES ('00000000-0000-4000-8000-0000000000c1', 'partner', 'Crash', 'Test', 'crash@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email, custom_commission_rate, status)
  VALUES ('10000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000c1',
          'Crash agency', 'crash@agency.test', 7.50, 'active');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email)
  SELECT format('20000000-0000-4000-8000-%s', lpad(k::text, 12, '0'))::uuid,
         '10000000-0000-4000-8000-0000000000c1', 'C', k::text, format('c%s@crash.test', k)
    FROM generate_series(1, 10) k;
INSERT INTO customer_groups (id, partner_id, name)
  VALUES ('30000000-0000-4000-8000-0000000000c1', '10000000-0000-4000-8000-0000000000c1', 'Crash group');
INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd, price_uzs, is_active)
  VALUES ('CRASH-5GB', 'Crash 5GB', 19.00, 19.00, 240000, true);
SQL

loader_script() {  # phase loader -> psql script of $per_loader transactions
  awk -v phase="$1" -v loader="$2" -v n="$per_loader" 'BEGIN {
    print "\\set ON_ERROR_STOP 1"; print "\\o /dev/null"
    for (k = 1; k <= n; k++) {
      print "BEGIN;"
      print "SET LOCAL ROLE authenticated;"
      print "SELECT set_config(\x27request.jwt.claims\x27, \x27{\"sub\":\"00000000-0000-4000-8000-0000000000c1\",\"role\":\"authenticated\"}\x27, true);"
      for (j = 1; j <= 3; j++)
        printf "SELECT place_b2b_order(\x27CRASH-5GB\x27, \x2720000000-0000-4000-8000-%012d\x27, customer_group_id => %s, transaction_id => \x27crash-%s-%s-%d-%d\x27);\n",
               (k + j) % 10 + 1, (k % 2 ? "\x2730000000-0000-4000-8000-0000000000c1\x27" : "NULL"), phase, loader, k, j
      print "COMMIT;"
      print "\\echo " k
    }
  }'
}

start_loaders() {  # phase
  for l in a b; do
    loader_script "$1" "$l" >"$out/load-$1-$l.sql"
    PGAPPNAME=onesim_crash_loader psql -X -q -d "$db" -f "$out/load-$1-$l.sql" \
      >"$out/acked-$1-$l.txt" 2>"$out/loader-$1-$l.err" &
    echo $! >"$out/loader-$1-$l.pid"
  done
}

wait_loaded() {  # phase min_rows: until the phase has at least min_rows orders (max 30 s)
  local i
  for i in $(seq 1 300); do
    [ "$(rows "SELECT count(*) FROM orders WHERE transaction_id LIKE 'crash-$1-%'" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
    sleep 0.1
  done
  echo "phase $1: the loaders did not reach $2 orders" >&2; return 1
}

wait_loaders() {  # phase: the loaders must have stopped on the lost connection
  local l pid
  for l in a b; do
    pid=$(cat "$out/loader-$1-$l.pid")
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "loader $l of phase $1 still running" >&2; kill "$pid"; return 1; fi
    wait "$pid" || true
  done
}

wait_ready() {
  for _ in $(seq 1 300); do
    pg_isready -q -h "$PGHOST" -p "$PGPORT" && psql -X -At -d "$db" -c "SELECT 1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the server did not come back" >&2; return 1
}

failed=0
verify() {  # phase what
  local phase=$1 l acked line nk maxk bad
  for l in a b; do
    acked=$(grep -c . "$out/acked-$phase-$l.txt" || true)
    # Per transaction k of this loader: its orders; the set of k present must be
    # 1..m with m = acked or acked + 1 (the one in flight), 3 orders each.
    line=$(rows "SELECT count(*), coalesce(max(k), 0), count(*) FILTER (WHERE n <> 3)
                   FROM (SELECT split_part(transaction_id, '-', 4)::int AS k, count(*) AS n
                           FROM orders WHERE transaction_id LIKE 'crash-$phase-$l-%' GROUP BY 1) t")
    IFS='|' read -r nk maxk bad <<<"$line"
    if [ "$bad" != 0 ] || [ "$nk" != "$maxk" ] || [ "$maxk" -lt "$acked" ] || [ "$maxk" -gt $((acked + 1)) ]; then
      echo "  loader $l: $acked acknowledged, $nk transactions present (max k $maxk, $bad partial): LOST OR PARTIAL" >&2
      failed=1
    else
      echo "  loader $l: $acked transactions acknowledged, $nk present ($((nk * 3)) orders)$([ "$nk" -gt "$acked" ] && echo ', the one in flight committed before the crash')"
    fi
  done
  local recon dup
  recon=$(rows "SELECT count(*) FROM onesim_internal.reconcile()")
  dup=$(rows "SELECT count(*) FROM orders o WHERE o.commission_applicable
                 AND (SELECT count(*) FROM partner_earnings e WHERE e.order_id = o.id) <> 1")
  if [ "$recon" != 0 ] || [ "$dup" != 0 ]; then
    echo "  after $2: reconcile() reports $recon difference(s), $dup order(s) without exactly one earning" >&2
    psql -X -d "$db" -c "SELECT * FROM onesim_internal.reconcile() LIMIT 20" >&2
    failed=1
  else
    echo "  after $2: reconcile() empty, one earning per commissionable order ($(rows "SELECT count(*) FROM orders") orders in all)"
  fi
}

echo "== phase 1: kill -9 of a backend mid-load"
start_loaders 1
wait_loaded 1 150
victim=$(rows "SELECT pid FROM pg_stat_activity WHERE application_name = 'onesim_crash_loader' AND datname = '$db' ORDER BY pid LIMIT 1")
[ -n "$victim" ] || { echo "no loader backend found" >&2; exit 1; }
kill -9 "$victim"
echo "  killed backend $victim with SIGKILL"
wait_loaders 1
wait_ready
echo "  server back after crash recovery: $(grep -c 'all server processes terminated; reinitializing' "$dir/server.log") reinitialization(s) logged"
verify 1 "backend crash"

echo "== phase 2: kill -9 of the postmaster mid-load"
start_loaders 2
wait_loaded 2 150
pm=$(head -1 "$data/postmaster.pid")
children=$(ps -o pid= --ppid "$pm" | tr -d ' ' | tr '\n' ' ')
kill -9 "$pm"
echo "  killed postmaster $pm with SIGKILL"
for c in $children; do kill -9 "$c" 2>/dev/null || true; done  # its orphans: a machine crash
for _ in $(seq 1 100); do kill -0 "$pm" 2>/dev/null || break; sleep 0.1; done
wait_loaders 2
"$root/scripts/pgcluster.sh" restart "$dir"
wait_ready
echo "  cluster restarted with pg_ctl (recovery at startup)"
verify 2 "postmaster crash"
verify 1 "postmaster crash (phase 1 orders)"

if [ "$failed" = 0 ]; then
  psql_q -d postgres -c "DROP DATABASE IF EXISTS $db"
  echo "crash: no acknowledged transaction lost, none half applied, figures reconcile after both crashes"
else
  echo "crash: FAILED; database $db and $out kept" >&2
  exit 1
fi
