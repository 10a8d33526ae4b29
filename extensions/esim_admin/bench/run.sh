#!/usr/bin/env bash
# esim_admin benchmark: writes the figures BENCHMARKS.md publishes.
#   SCALE=1000000 SECONDS_PER_RUN=20 bash extensions/esim_admin/bench/run.sh
# Starts a throwaway cluster (scripts/pgcluster.sh), installs esim_admin,
# loads SCALE transactions (bench/setup.sql), then runs with pgbench, each
# design and its reference interleaved in one run (per-script latencies of
# the same run, so the machine's drift falls on both):
#   1. the monthly revenue report, generate_revenue_report('monthly') as an
#      admin, against the plain GROUP BY of the same month (1 client);
#   2. purchases with promo redemption through purchase(), against a plain
#      INSERT with no check into a twin table, and against the same INSERT
#      into a twin with the seed's indexes, CHECKs and foreign keys (8
#      clients);
#   3. the dashboard call alone (1 client): its mean latency.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
scale=${SCALE:-100000}
secs=${SECONDS_PER_RUN:-20}
dir=$(mktemp -d /tmp/esim_admin-bench.XXXXXX)
"$root/scripts/pgcluster.sh" start "$dir" >/dev/null
trap '"$root/scripts/pgcluster.sh" stop "$dir" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
source "$dir/env"
db=esim_admin_bench
psql -X -q -d postgres -c "CREATE DATABASE $db"
psql -X -q -d "$db" -c "SET client_min_messages = warning" -c "CREATE SCHEMA esim_admin" -c "CREATE EXTENSION esim_admin SCHEMA esim_admin CASCADE"
start=$(date +%s)
psql -X -q -d "$db" -v scale="$scale" -f "$here/setup.sql" >/dev/null
echo "loaded $scale transactions in $(( $(date +%s) - start )) s"

latency() {  # pgbench log, script file name -> mean latency in ms of that script
  awk -v s="$2" '$0 ~ "SQL script [0-9]+: .*" s "$" {found=1} found && /latency average/ {print $5; exit}' "$1"
}
run() {  # name, clients, scripts...
  local name=$1 clients=$2; shift 2
  local args=()
  for f in "$@"; do args+=(-f "$here/$f"); done
  pgbench -n -c "$clients" -j "$(( clients < 2 ? 1 : 2 ))" -T "$secs" "${args[@]}" "$db" >"$dir/$name.log" 2>&1 \
    || { cat "$dir/$name.log"; exit 1; }
}

run report 1 report.sql report_plain.sql
ours=$(latency "$dir/report.log" report.sql); plain=$(latency "$dir/report.log" report_plain.sql)
echo "report: generate_revenue_report $ours ms, plain GROUP BY $plain ms, ratio $(echo "scale=2; $ours / $plain" | bc)x"

run purchase 8 purchase.sql purchase_floor.sql purchase_keyed.sql
ours=$(latency "$dir/purchase.log" purchase.sql); floor=$(latency "$dir/purchase.log" purchase_floor.sql)
keyed=$(latency "$dir/purchase.log" purchase_keyed.sql)
echo "purchase (8 clients): purchase() $ours ms, plain insert $floor ms, throughput ratio $(echo "scale=2; $floor / $ours" | bc)x"
echo "  insert with the seed's indexes and foreign keys $keyed ms: ratio to the plain insert $(echo "scale=2; $floor / $keyed" | bc)x, purchase() to it $(echo "scale=2; $keyed / $ours" | bc)x"

run dashboard 1 dashboard.sql
echo "dashboard: $(awk '/^latency average/ {print $4; exit}' "$dir/dashboard.log") ms"
psql -X -At -d "$db" -c "SELECT 'check: reconcile rows ' || count(*) FROM esim_admin.reconcile"
