#!/usr/bin/env bash
# OneSIM benchmark: the seed's PL/pgSQL design against the extension, side by
# side in one throwaway cluster, with pgbench. Writes BENCHMARKS.md.
#
#   bash test/bench/run.sh
#
# Environment: SCALES (order counts, default "10000 250000"; add 1000000 for
# the large point), MAIN_SCALE (the scale of the main table, default 250000),
# DURATION (seconds per timed pgbench run, default 10), PORT (default 54421),
# BENCH_SKIP_DEPS=1 (do not run scripts/install-deps.sh), OUT (report path).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SCALES=${SCALES:-"10000 250000"}
MAIN_SCALE=${MAIN_SCALE:-250000}
DURATION=${DURATION:-10}
SHORT=$(( DURATION / 2 > 3 ? DURATION / 2 : 3 ))
PORT=${PORT:-54421}
OUT=${OUT:-$root/BENCHMARKS.md}

# --- dependencies, build, install (PGXS) -----------------------------------
if [ "${BENCH_SKIP_DEPS:-0}" != 1 ]; then
  bash "$root/scripts/install-deps.sh" >/dev/null
fi
bindir=$(pg_config --bindir)
PGBENCH=$bindir/pgbench
PSQL=$bindir/psql
[ -x "$PGBENCH" ] || { echo "pgbench not found in $bindir (install postgresql-contrib)" >&2; exit 1; }
(cd "$root" && make -s && make -s install) >/dev/null

# --- throwaway cluster -------------------------------------------------------
cluster=$(mktemp -d /tmp/bench-XXXXXX)
rmdir "$cluster"
bash "$root/scripts/pgcluster.sh" start "$cluster" "$PORT" >/dev/null
trap 'bash "$root/scripts/pgcluster.sh" stop "$cluster"' EXIT
# shellcheck disable=SC1091
source "$cluster/env"
export PGHOST PGPORT PGUSER
work=$(mktemp -d /tmp/bench-logs-XXXXXX)
results=$work/results.tsv
: >"$results"
echo "logs: $work"

q() { "$PSQL" -X -q -v ON_ERROR_STOP=1 "$@"; }
val() { "$PSQL" -X -qAt -v ON_ERROR_STOP=1 "$@"; }
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$results"; }  # scale key design value

# pgbench LABEL DB ARGS... ; log in $work/LABEL.log
pgb() {
  local label=$1 db=$2; shift 2
  "$PGBENCH" -n -r "$@" "$db" >"$work/$label.log" 2>&1 || { cat "$work/$label.log" >&2; return 1; }
}
tps_of() { awk '/^tps = /{print $3; exit}' "$work/$1.log"; }
# per-statement latency (ms) of the first statement containing PATTERN
lat_of() {
  awk -v pat="$2" '/statement latencies/{f=1; next} f && index($0, pat) {print $1; exit}' "$work/$1.log"
}
bulk() {  # LABEL DB REPS: mean latency (ms) of the bulk INSERT over REPS runs -> LABEL.ms
  local label=$1 db=$2 reps=$3 i total=0
  for i in $(seq 1 "$reps"); do
    q -d "$db" -c "VACUUM customer_group_members"
    pgb "$label-$i" "$db" -c 1 -t 1 -f "$here/scripts/bulk_members.sql"
    total=$(echo "$total + $(lat_of "$label-$i" 'INSERT INTO customer_group_members')" | bc -l)
  done
  echo "$total / $reps" | bc -l >"$work/$label.ms"
}
triggers() { q -d "$1" -c "ALTER TABLE $2 $3 TRIGGER ${4:-USER}"; }

setup_db() {
  local db=$1
  q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  if [ "$db" = seed_design ]; then
    q -d "$db" -c "CREATE EXTENSION onesim_auth"
    sed '/pg_extension_config_dump/d' "$root/sql/onesim/10_tables.sql" | q -d "$db" -f -
    q -d "$db" -f "$here/sql/bench_helpers.sql"
    q -d "$db" -f "$here/sql/seed_design.sql" 2>"$work/seed_design_errors.txt" || true
  else
    q -d "$db" -c "CREATE EXTENSION onesim CASCADE"
    q -d "$db" -f "$here/sql/bench_helpers.sql"
  fi
}

api_claims() {  # API path as partner P: JWT claims, as PostgREST sets them
  printf "SET LOCAL request.jwt.claims TO '{\"sub\": \"00000000-0000-0000-0000-%012x\", \"role\": \"authenticated\"}'" "$1"
}

run_scale() {
  local n=$1 db t0 t1
  for db in seed_design onesim; do
    setup_db "$db"
    t0=$(date +%s.%N)
    q -d "$db" -v norders="$n" -f "$here/sql/load.sql"
    t1=$(date +%s.%N)
    record "$n" load_s "$db" "$(echo "$t1 - $t0" | bc)"
  done
  local S=$here/scripts
  for db in seed_design onesim; do
    echo "[$n orders] $db"
    # 1. RLS read
    pgb "$n-$db-rls-api" "$db" -c 2 -j 2 -T "$DURATION" -f "$S/rls_read_api.sql"
    pgb "$n-$db-rls-floor" "$db" -c 2 -j 2 -T "$DURATION" -f "$S/rls_read_floor.sql"
    record "$n" rls_ms "$db" "$(lat_of "$n-$db-rls-api" 'SELECT count(*)')"
    record "$n" rls_floor_ms "$db" "$(lat_of "$n-$db-rls-floor" 'SELECT count(*)')"
    pgb "$n-$db-rls-earn" "$db" -c 2 -j 2 -T "$SHORT" -f "$S/rls_earnings_api.sql"
    pgb "$n-$db-rls-earn-floor" "$db" -c 2 -j 2 -T "$SHORT" -f "$S/rls_earnings_floor.sql"
    record "$n" rls_earn_ms "$db" "$(lat_of "$n-$db-rls-earn" 'SELECT count(*)')"
    record "$n" rls_earn_floor_ms "$db" "$(lat_of "$n-$db-rls-earn-floor" 'SELECT count(*)')"
    # 2. inserts
    pgb "$n-$db-ins" "$db" -c 2 -j 2 -T "$DURATION" -f "$S/insert_b2b.sql" -f "$S/insert_b2c.sql"
    triggers "$db" orders DISABLE
    pgb "$n-$db-ins-floor" "$db" -c 2 -j 2 -T "$DURATION" -f "$S/insert_b2b.sql" -f "$S/insert_b2c.sql"
    triggers "$db" orders ENABLE
    record "$n" ins_tps "$db" "$(tps_of "$n-$db-ins")"
    record "$n" ins_floor_tps "$db" "$(tps_of "$n-$db-ins-floor")"
    # 3. hot partner
    # exact: the maintained total moves by exactly the orders inserted (the
    # floor runs above add uncounted orders, so compare the drift)
    local drift="SELECT (SELECT total_orders FROM partners WHERE id = bench.uid(1, 2)) - (SELECT count(*) FROM orders WHERE partner_id = bench.uid(1, 2))"
    local d0; d0=$(val -d "$db" -c "$drift")
    pgb "$n-$db-hot" "$db" -c 8 -j 2 -T "$DURATION" -f "$S/hot_partner.sql"
    record "$n" hot_exact "$db" "$([ "$(val -d "$db" -c "$drift")" = "$d0" ] && echo yes || echo no)"
    triggers "$db" orders DISABLE
    pgb "$n-$db-hot-floor" "$db" -c 8 -j 2 -T "$DURATION" -f "$S/hot_partner.sql"
    triggers "$db" orders ENABLE
    record "$n" hot_tps "$db" "$(tps_of "$n-$db-hot")"
    record "$n" hot_floor_tps "$db" "$(tps_of "$n-$db-hot-floor")"
    # 4. bulk members (count-based: one seed-design run takes many seconds)
    # one transaction per pgbench run, VACUUM in between: each rolled-back
    # run leaves 20,000 dead index entries that would slow the next one
    bulk "$n-$db-bulk" "$db" "$( [ "$db" = seed_design ] && echo 1 || echo 3)"
    triggers "$db" customer_group_members DISABLE
    bulk "$n-$db-bulk-floor" "$db" 3
    triggers "$db" customer_group_members ENABLE
    record "$n" bulk_ms "$db" "$(cat "$work/$n-$db-bulk.ms")"
    record "$n" bulk_floor_ms "$db" "$(cat "$work/$n-$db-bulk-floor.ms")"
    # 5. dashboard
    pgb "$n-$db-dash" "$db" -c 1 -T "$DURATION" -D plo=1 -D phi=1000 -f "$S/dashboard.sql"
    record "$n" dash_ms "$db" "$(lat_of "$n-$db-dash" 'v_partner_dashboard_stats')"
    # the hot partner (partner 2), which by now has the most orders
    pgb "$n-$db-dash-hot" "$db" -c 1 -T "$SHORT" -D plo=2 -D phi=2 -f "$S/dashboard.sql"
    record "$n" dash_hot_ms "$db" "$(lat_of "$n-$db-dash-hot" 'v_partner_dashboard_stats')"
    record "$n" hot_partner_orders "$db" "$(val -d "$db" -c "SELECT count(*) FROM orders WHERE partner_id = bench.uid(1, 2)")"
    # 6. allocation
    pgb "$n-$db-alloc" "$db" -c 2 -j 2 -T "$DURATION" -D norders="$n" -f "$S/allocate.sql"
    triggers "$db" orders DISABLE
    pgb "$n-$db-alloc-floor" "$db" -c 2 -j 2 -T "$DURATION" -D norders="$n" -f "$S/allocate.sql"
    triggers "$db" orders ENABLE
    record "$n" alloc_tps "$db" "$(tps_of "$n-$db-alloc")"
    record "$n" alloc_floor_tps "$db" "$(tps_of "$n-$db-alloc-floor")"
  done
  if [ "$n" = "$MAIN_SCALE" ]; then evidence "$n"; fi
}

# api_plan DB PARTNER TITLE QUERY: a report section, EXPLAIN ANALYZE of QUERY
# as partner PARTNER on the API path
api_plan() {
  echo "#### $1: $3"; echo; echo '```'
  q -d "$1" -c "BEGIN" -c "SET LOCAL ROLE authenticated" -c "$(api_claims "$2")" \
    -c "EXPLAIN (ANALYZE, COSTS OFF) $4" -c "ROLLBACK" 2>&1
  echo '```'; echo
}

# Causes: plans of the RLS read and the dashboard, and per-trigger cost.
evidence() {
  local n=$1 S=$here/scripts ev=$work/evidence.md db trg
  {
    for db in seed_design onesim; do
      api_plan "$db" 1 "RLS read as partner 1 (API path)" "SELECT count(*), sum(price_usd) FROM orders"
    done
    for db in seed_design onesim; do
      api_plan "$db" 1 "earnings read as partner 1 (API path)" "SELECT count(*), sum(commission_amount_usd) FROM partner_earnings"
    done
    echo "#### floor (onesim database, superuser): same query with partner_id = partner 1"; echo; echo '```'
    q -d onesim -c "EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*), sum(price_usd) FROM orders WHERE partner_id = bench.uid(1, 1)" 2>&1
    echo '```'; echo
    echo "#### onesim, policy shape only (measured inside a rolled-back transaction, extension unchanged):"
    echo "orders_select without its admin arm (OR (SELECT onesim_internal.is_admin())), as partner 1 (API path), run twice"; echo; echo '```'
    q -d onesim -c "BEGIN" -c "DROP POLICY orders_select ON orders" \
      -c "CREATE POLICY orders_select ON orders FOR SELECT TO authenticated USING (user_id = (SELECT onesim_internal.current_user_id()) OR partner_id = (SELECT onesim_internal.current_partner_id()))" \
      -c "SET LOCAL ROLE authenticated" -c "$(api_claims 1)" \
      -c "EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*), sum(price_usd) FROM orders" \
      -c "EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*), sum(price_usd) FROM orders" -c "ROLLBACK" 2>&1
    echo '```'; echo
    for db in seed_design onesim; do
      api_plan "$db" 2 "dashboard of partner 2 (the hot partner, most orders) via the API path" \
        "SELECT * FROM v_partner_dashboard_stats WHERE partner_id = bench.uid(1, 2)"
    done
  } >"$ev"
  # per-trigger attribution on onesim: disable one trigger at a time
  for trg in trg_orders_before_write trg_orders_after_insert; do
    triggers onesim orders DISABLE "$trg"
    pgb "attr-ins-$trg" onesim -c 2 -j 2 -T "$SHORT" -f "$S/insert_b2b.sql" -f "$S/insert_b2c.sql"
    pgb "attr-hot-$trg" onesim -c 8 -j 2 -T "$SHORT" -f "$S/hot_partner.sql"
    triggers onesim orders ENABLE "$trg"
    record "$n" "attr_ins:$trg" onesim "$(tps_of "attr-ins-$trg")"
    record "$n" "attr_hot:$trg" onesim "$(tps_of "attr-hot-$trg")"
  done
  for trg in trg_orders_before_write trg_orders_after_update trg_orders_audit_update trg_orders_updated_at; do
    triggers onesim orders DISABLE "$trg"
    pgb "attr-alloc-$trg" onesim -c 2 -j 2 -T "$SHORT" -D norders="$n" -f "$S/allocate.sql"
    triggers onesim orders ENABLE "$trg"
    record "$n" "attr_alloc:$trg" onesim "$(tps_of "attr-alloc-$trg")"
  done
  triggers onesim partner_earnings DISABLE
  pgb "attr-hot-earnings" onesim -c 8 -j 2 -T "$SHORT" -f "$S/hot_partner.sql"
  pgb "attr-alloc-earnings" onesim -c 2 -j 2 -T "$SHORT" -D norders="$n" -f "$S/allocate.sql"
  triggers onesim partner_earnings ENABLE
  record "$n" "attr_hot:partner_earnings (all its triggers)" onesim "$(tps_of attr-hot-earnings)"
  record "$n" "attr_alloc:partner_earnings (all its triggers)" onesim "$(tps_of attr-alloc-earnings)"
}

started=$(date -u '+%Y-%m-%d %H:%M UTC')
for n in $SCALES; do run_scale "$n"; done

python3 "$here/report.py" "$results" "$work" "$MAIN_SCALE" "$started" "SCALES=\"$SCALES\" DURATION=$DURATION bash test/bench/run.sh" >"$OUT"
echo "wrote $OUT (logs in $work)"
