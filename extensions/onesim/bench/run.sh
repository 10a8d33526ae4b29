#!/usr/bin/env bash
# OneSIM benchmark: the seed's PL/pgSQL design against the extension, side by
# side in one throwaway cluster, with pgbench. Writes BENCHMARKS.md.
#
#   bash extensions/onesim/bench/run.sh
#
# Environment: SCALES (order counts, default "10000 250000"; add 1000000 for
# the large point), MAIN_SCALE (the scale of the main table, default 250000),
# ROUNDS (rounds of each design and its floor, default 3;
# BULK_ROUNDS for the bulk scenario, one transaction per run, default 7),
# DURATION (seconds per timed pgbench run, default 5), PORT (default 54421),
# BENCH_SKIP_DEPS=1 (do not run scripts/install-deps.sh), BENCH_SKIP_BUILD=1
# (measure the extension already installed), OUT (report path).
#
# On a shared VM the machine's speed drifts by more than the differences
# measured, so a design and its floor are measured in ROUNDS rounds and each
# ratio reported is the median of the rounds' ratios (bulk: of each side's
# fastest round, record_fastest()). Most scenarios run both
# sides in each round's one pgbench run, interleaved transaction by
# transaction (interleaved(), interleaved_tps()): the writes' floor is a twin
# of orders without the design's triggers (sql/floor_twin.sql). The hot
# partner (whose point is contention between the design's own transactions)
# and bulk (one statement a round) alternate runs instead, their floor with
# the table's user triggers disabled (rounds()).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sys=$(cd "$here/.." && pwd)   # extensions/onesim
root=$(cd "$sys/../.." && pwd)
SCALES=${SCALES:-"10000 250000"}
MAIN_SCALE=${MAIN_SCALE:-250000}
ROUNDS=${ROUNDS:-3}
BULK_ROUNDS=${BULK_ROUNDS:-7}
DURATION=${DURATION:-5}
SHORT=$(( DURATION / 2 > 3 ? DURATION / 2 : 3 ))
PORT=${PORT:-54421}
OUT=${OUT:-$sys/BENCHMARKS.md}

# --- dependencies, build, install (PGXS) -----------------------------------
if [ "${BENCH_SKIP_DEPS:-0}" != 1 ]; then
  bash "$root/scripts/install-deps.sh" >/dev/null
  # the report's generator
  command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
fi
bindir=$(pg_config --bindir)
PGBENCH=$bindir/pgbench
PSQL=$bindir/psql
[ -x "$PGBENCH" ] || { echo "pgbench not found in $bindir (install postgresql-contrib)" >&2; exit 1; }
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && make -s SYSTEMS=onesim && make -s SYSTEMS=onesim install) >/dev/null
fi

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
# statement_lat PATTERN (stdin: pgbench -r output): the latency (ms) of the
# first statement containing PATTERN
statement_lat() { awk -v pat="$1" '/statement latencies/ { f = 1; next } f && index($0, pat) { print $1; exit }'; }
lat_of() { statement_lat "$2" <"$work/$1.log"; }  # LABEL PATTERN, a run of one script
# script_part LABEL K: script K's part of the output of a run of several scripts
script_part() {
  awk -v head="SQL script $2:" 'index($0, head) == 1 { s = 1; next } /^SQL script / { s = 0 } s' "$work/$1.log"
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# The rounds of a ratio: add_round V F adds one round's figures (design,
# floor); record_rounds N DB KEY FLOOR_KEY records the medians of both sides
# (KEY, FLOOR_KEY) and every round's ratio (KEY:rounds, design / floor),
# from which the report takes its ratio, and starts afresh.
round_design=() round_floor=() round_ratio=()
add_round() {
  round_design+=("$1"); round_floor+=("$2")
  round_ratio+=("$(awk -v v="$1" -v f="$2" 'BEGIN { printf "%.4f", v / f }')")
}
record_rounds() {
  record "$1" "$3" "$2" "$(median "${round_design[@]}")"
  record "$1" "$4" "$2" "$(median "${round_floor[@]}")"
  record "$1" "$3:rounds" "$2" "$(IFS=,; echo "${round_ratio[*]}")"
  round_design=() round_floor=() round_ratio=()
}

# record_fastest N DB KEY FLOOR_KEY: for a time (ms) measured once a round,
# as record_rounds, but each side's figure is its fastest round and the
# report's ratio is fastest to fastest (KEY:method "fastest").
record_fastest() {
  local d f
  d=$(printf '%s\n' "${round_design[@]}" | sort -g | head -n 1)
  f=$(printf '%s\n' "${round_floor[@]}" | sort -g | head -n 1)
  record "$1" "$3:rounds" "$2" "$(IFS=,; echo "${round_ratio[*]}")"
  record "$1" "$3" "$2" "$d"
  record "$1" "$4" "$2" "$f"
  record "$1" "$3:method" "$2" fastest
  round_design=() round_floor=() round_ratio=()
}

# rounds N DB KEY FLOOR_KEY MEASURE DESIGN_RUN FLOOR_RUN [RECORD]: ROUNDS
# alternating runs of the design and its floor. DESIGN_RUN and FLOOR_RUN take
# a log label and run pgbench once; MEASURE LABEL prints a run's figure;
# RECORD (record_rounds unless given) records them.
rounds() {
  local n=$1 db=$2 key=$3 fkey=$4 measure=$5 design=$6 floor=$7 record_with=${8:-record_rounds} r v f
  for r in $(seq 1 "$ROUNDS"); do
    "$design" "$n-$db-$key-$r"
    v=$("$measure" "$n-$db-$key-$r")
    "$floor" "$n-$db-$fkey-$r"
    f=$("$measure" "$n-$db-$fkey-$r")
    add_round "$v" "$f"
  done
  "$record_with" "$n" "$db" "$key" "$fkey"
}
# script_lat LABEL K PATTERN: lat_of for script K of a run of several scripts
script_lat() { script_part "$1" "$2" | statement_lat "$3"; }

# interleaved N DB KEY FLOOR_KEY PATTERN DESIGN_SCRIPT FLOOR_SCRIPT: for a
# design and a floor that run in the same database (the reads), ROUNDS runs
# of one pgbench each, in which every client picks the design's or the
# floor's script at random for each transaction: both sides are measured
# under the same conditions at the same moment, and the machine's drift
# cannot fall on one side only. Records what rounds() records, from the
# latency of the statement matching PATTERN in each script. A design more
# than ten times slower than its floor (the seed design's reads) would
# measure its own disturbance on the floor's statements beside it (cold
# caches, busy CPUs): from the first round that shows it, the rounds are
# alternating runs of each side alone, and KEY:method says so.
interleaved() {
  local n=$1 db=$2 key=$3 fkey=$4 pat=$5 design=$6 floor=$7 r label v f
  local method=interleaved
  for r in $(seq 1 "$ROUNDS"); do
    label="$n-$db-$key-$r"
    if [ "$method" = interleaved ]; then
      pgb "$label" "$db" -c 2 -j 2 -T "$DURATION" -f "$design@1" -f "$floor@1"
      v=$(script_lat "$label" 1 "$pat")
      f=$(script_lat "$label" 2 "$pat")
      if awk -v v="$v" -v f="$f" 'BEGIN { exit !(v > 10 * f) }'; then method=alternating; fi
    fi
    if [ "$method" = alternating ]; then
      pgb "$label-design" "$db" -c 2 -j 2 -T "$DURATION" -f "$design"
      v=$(lat_of "$label-design" "$pat")
      pgb "$label-floor" "$db" -c 2 -j 2 -T "$DURATION" -f "$floor"
      f=$(lat_of "$label-floor" "$pat")
    fi
    add_round "$v" "$f"
  done
  record_rounds "$n" "$db" "$key" "$fkey"
  record "$n" "$key:method" "$db" "$method"
}

# The per-script figures of a run of several scripts: transactions, and
# mean latency (ms).
script_txns() { script_part "$1" "$2" | awk '/transactions \(/ { print $2; exit }'; }
script_latency() { script_part "$1" "$2" | awk '/latency average/ { print $5; exit }'; }
# side_tps LABEL CLIENTS FIRST LAST: the throughput of scripts FIRST..LAST of
# a run, as CLIENTS / their transactions' mean latency: the tps those
# clients reach at that latency when they run nothing else.
side_tps() {
  local k txns=0 weighted=0 t l
  for k in $(seq "$3" "$4"); do
    t=$(script_txns "$1" "$k"); l=$(script_latency "$1" "$k")
    txns=$(awk -v a="$txns" -v b="$t" 'BEGIN { print a + b }')
    weighted=$(awk -v a="$weighted" -v t="$t" -v l="$l" 'BEGIN { print a + t * l }')
  done
  awk -v c="$2" -v n="$txns" -v w="$weighted" 'BEGIN { printf "%.1f", c * 1000 * n / w }'
}

# interleaved_tps N DB KEY FLOOR_KEY CLIENTS "DESIGN_SCRIPTS" "FLOOR_SCRIPTS"
# [PGBENCH_ARGS...]: interleaved() for the writes, whose floor scripts write
# to the twin table bench.orders_floor (sql/floor_twin.sql), one floor script
# for each of the design's. Each side's figure is its throughput (side_tps);
# the ratio is design / floor.
interleaved_tps() {
  local n=$1 db=$2 key=$3 fkey=$4 clients=$5 design=$6 floor=$7
  shift 7
  local r label s nd=0 args=() v f
  for s in $design; do args+=(-f "$s@1"); nd=$((nd + 1)); done
  for s in $floor; do args+=(-f "$s@1"); done
  for r in $(seq 1 "$ROUNDS"); do
    label="$n-$db-$key-$r"
    pgb "$label" "$db" -c "$clients" -j "$clients" -T "$DURATION" "$@" "${args[@]}"
    v=$(side_tps "$label" "$clients" 1 "$nd")
    f=$(side_tps "$label" "$clients" $((nd + 1)) $((2 * nd)))
    add_round "$v" "$f"
  done
  record_rounds "$n" "$db" "$key" "$fkey"
}
# one run of the bulk INSERT (one transaction; VACUUM first: each rolled-back
# run leaves 20,000 dead index entries that would slow the next one)
bulk_once() {
  q -d "$db" -c "VACUUM customer_group_members"
  pgb "$1" "$db" -c 1 -t 1 -f "$here/scripts/bulk_members.sql"
}
bulk_ms() { lat_of "$1" 'INSERT INTO customer_group_members'; }
triggers() { q -d "$1" -c "ALTER TABLE $2 $3 TRIGGER ${4:-USER}"; }

setup_db() {
  local db=$1
  q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  if [ "$db" = seed_design ]; then
    q -d "$db" -c "CREATE EXTENSION supabase_platform"
    sed '/pg_extension_config_dump/d' "$sys/sql/onesim/10_tables.sql" | q -d "$db" -f -
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
    record "$n" load_s "$db" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
    q -d "$db" -f "$here/sql/floor_twin.sql" -f "$here/sql/by_hand.sql"
  done
  local S=$here/scripts F=$work/floor-scripts s
  # The floor's write scripts: the design's, writing to the twin table.
  mkdir -p "$F"
  for s in insert_b2b insert_b2c allocate; do
    sed -e 's/^INSERT INTO orders /INSERT INTO bench.orders_floor /' -e 's/^UPDATE orders /UPDATE bench.orders_floor /' \
      "$S/$s.sql" >"$F/$s.sql"
    ! grep -Eq '^(INSERT INTO|UPDATE) orders ' "$F/$s.sql" || { echo "floor script $s writes to orders" >&2; exit 1; }
  done
  # The runs of each scenario (the design's and its floor's); rounds() calls
  # them with db set to the database measured.
  floor_of() {  # TABLE RUN LABEL: RUN with the table's user triggers disabled
    triggers "$db" "$1" DISABLE
    "$2" "$3"
    triggers "$db" "$1" ENABLE
  }
  # hot partner, exact: the maintained total moves by exactly the orders
  # inserted (the floor runs add uncounted orders, so each run compares the
  # drift before and after it)
  local drift="SELECT (SELECT total_orders FROM partners WHERE id = bench.uid(1, 2)) - (SELECT count(*) FROM orders WHERE partner_id = bench.uid(1, 2))"
  hot_run() { pgb "$1" "$db" -c 8 -j 2 -T "$DURATION" -f "$S/hot_partner.sql"; }
  hot() {
    local d0; d0=$(val -d "$db" -c "$drift")
    hot_run "$1"
    [ "$(val -d "$db" -c "$drift")" = "$d0" ] || hot_exact=no
  }
  hot_floor() { floor_of orders hot_run "$1"; }
  bulk_floor() { floor_of customer_group_members bulk_once "$1"; }
  local hot_exact
  for db in seed_design onesim; do
    echo "[$n orders] $db"
    interleaved "$n" "$db" rls_ms rls_floor_ms 'SELECT count(*)' \
      "$S/rls_read_api.sql" "$S/rls_read_floor.sql"                          # 1. RLS read
    interleaved "$n" "$db" rls_earn_ms rls_earn_floor_ms 'SELECT count(*)' \
      "$S/rls_earnings_api.sql" "$S/rls_earnings_floor.sql"
    local inserts="$S/insert_b2b.sql $S/insert_b2c.sql" floor_inserts="$F/insert_b2b.sql $F/insert_b2c.sql"
    interleaved_tps "$n" "$db" ins_tps ins_floor_tps 2 "$inserts" "$floor_inserts"   # 2. inserts
    interleaved_tps "$n" "$db" ins1_tps ins1_floor_tps 1 "$inserts" "$floor_inserts" # 2b. one client
    # 2c. the same orders with the writes the OneSIM issue asks of them done
    # by hand, without triggers (sql/by_hand.sql): a B2C order asks for
    # nothing beyond its row, so its hand-written form is the floor's
    interleaved_tps "$n" "$db" hand_tps hand_floor_tps 2 "$S/insert_b2b_by_hand.sql $F/insert_b2c.sql" "$floor_inserts"
    hot_exact=yes
    rounds "$n" "$db" hot_tps hot_floor_tps tps_of hot hot_floor          # 3. hot partner
    record "$n" hot_exact "$db" "$hot_exact"
    # 4. bulk: one statement a round, whose time on this VM is one of two
    # levels on both sides (about 400 or 600 ms at 250,000 orders, with no
    # checkpoint or autovacuum running): a slowdown is added to a round,
    # never taken from it, so each side's figure is its fastest round
    ROUNDS=$BULK_ROUNDS rounds "$n" "$db" bulk_ms bulk_floor_ms bulk_ms bulk_once bulk_floor record_fastest
    # 5. dashboard
    pgb "$n-$db-dash" "$db" -c 1 -T "$DURATION" -D plo=1 -D phi=1000 -f "$S/dashboard.sql"
    record "$n" dash_ms "$db" "$(lat_of "$n-$db-dash" 'v_partner_dashboard_stats')"
    # the hot partner (partner 2), which by now has the most orders
    pgb "$n-$db-dash-hot" "$db" -c 1 -T "$SHORT" -D plo=2 -D phi=2 -f "$S/dashboard.sql"
    record "$n" dash_hot_ms "$db" "$(lat_of "$n-$db-dash-hot" 'v_partner_dashboard_stats')"
    record "$n" hot_partner_orders "$db" "$(val -d "$db" -c "SELECT count(*) FROM orders WHERE partner_id = bench.uid(1, 2)")"
    interleaved_tps "$n" "$db" alloc_tps alloc_floor_tps 2 "$S/allocate.sql" "$F/allocate.sql" \
      -D norders="$n"                                                        # 6. allocation
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

python3 "$here/report.py" "$results" "$work" "$MAIN_SCALE" "$started" "SCALES=\"$SCALES\" ROUNDS=$ROUNDS BULK_ROUNDS=$BULK_ROUNDS DURATION=$DURATION bash extensions/onesim/bench/run.sh" >"$OUT"
echo "wrote $OUT (logs in $work)"
