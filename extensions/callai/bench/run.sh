#!/usr/bin/env bash
# CallAI benchmark: design and floor interleaved in one pgbench run per
# scenario (the machine's drift falls on both alike); ratios from that run.
#   bash extensions/callai/bench/run.sh [STORES] [ORDERS] [CALLS] [SECONDS]
# Defaults: the issue's scale, 1,000 stores, 1,000,000 orders, 1,000,000
# calls, 30 s per scenario. Starts its own cluster (port 54391).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
stores=${1:-1000}; orders=${2:-1000000}; calls=${3:-1000000}; seconds=${4:-30}
dir=$(mktemp -d /tmp/callai-bench.XXXXXX)
trap '"$root/scripts/pgcluster.sh" stop "$dir" >/dev/null 2>&1 || true' EXIT
"$root/scripts/pgcluster.sh" start "$dir" 54391 >/dev/null
# shellcheck disable=SC1090,SC1091
source "$dir/env"
db=callai_bench
psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION callai CASCADE"
start=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v stores="$stores" -v orders="$orders" -v calls="$calls" -f "$here/setup.sql" >/dev/null
echo "data: $(psql -X -At -d "$db" -c "SELECT (SELECT count(*) FROM stores) || ' stores, ' || (SELECT count(*) FROM orders) || ' orders, ' || (SELECT count(*) FROM calls) || ' calls'") (loaded in $(( $(date +%s) - start )) s)"

# Per-script mean latency (ms) from pgbench's report: "SQL script N: name" then its "latency average".
latencies() { awk '/^SQL script [0-9]+:/ {name=$4} /^ - latency average/ && name != "" {print name, $5; name=""}' "$1"; }
scenario() {  # title clients design floor [keyed: a second floor, the schema without the triggers]
  local title=$1 clients=$2 design=$3 floor=$4 keyed=${5:-} log
  log=$(mktemp)
  local files=(-f "$here/scripts/$design.sql@1" -f "$here/scripts/$floor.sql@1")
  [ -n "$keyed" ] && files+=(-f "$here/scripts/$keyed.sql@1")
  pgbench -n -c "$clients" -j 2 -T "$seconds" -D stores="$stores" -D orders="$orders" "${files[@]}" "$db" >"$log" 2>&1 ||
    { cat "$log"; exit 1; }
  local d f k failed
  d=$(latencies "$log" | awk -v s="$design" 'index($1, "/" s ".sql") {print $2}')
  f=$(latencies "$log" | awk -v s="$floor" 'index($1, "/" s ".sql") {print $2}')
  failed=$(awk '/^number of failed transactions/ {print $5}' "$log")
  printf '%-52s clients %d  design %8.3f ms  floor %8.3f ms  design/floor latency %5.2fx  throughput ratio %5.2fx  failed %s\n' \
    "$title" "$clients" "$d" "$f" "$(echo "$d / $f" | bc -l)" "$(echo "$f / $d" | bc -l)" "${failed:-0}"
  if [ -n "$keyed" ]; then
    k=$(latencies "$log" | awk -v s="$keyed" 'index($1, "/" s ".sql") {print $2}')
    printf '%-52s keyed twin %8.3f ms  keyed throughput / floor %5.2fx  design throughput / keyed %5.2fx\n' \
      "    the same run, against the schema alone" "$k" "$(echo "$f / $k" | bc -l)" "$(echo "$k / $d" | bc -l)"
  fi
  rm -f "$log"
}
scenario "(a) member reads store's latest orders (RLS vs none)" 2 read_rls read_floor
scenario "(b) line insert: totals, stock, customer (vs plain)" 2 line_design line_floor line_keyed
scenario "(c) call insert with analytics, one store (vs plain)" 8 call_design call_floor
echo "drift after the run: $(psql -X -At -d "$db" -c "SELECT count(*) FROM reconcile()") figures"
echo "pending call figure rows folded: $(psql -X -At -d "$db" -c "SELECT callai_internal.fold_call_figures()"), drift after the fold: $(psql -X -At -d "$db" -c "SELECT count(*) FROM reconcile()") figures"
