#!/usr/bin/env bash
# Trip OS benchmark: design and floor interleaved in one pgbench run per
# scenario (the machine's drift falls on both alike); ratios from that run.
#   bash extensions/tripos/bench/run.sh [USERS] [TRIPS_PER_USER] [ITEMS_PER_TRIP] [SECONDS]
# Defaults: the seed's projection, 10,000 users x 5 trips x 10 items
# (50,000 trips, 500,000 items), 30 s per scenario. Starts its own cluster.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
users=${1:-10000}; trips=${2:-5}; items=${3:-10}; seconds=${4:-30}
dir=$(mktemp -d /tmp/tripos-bench.XXXXXX)
trap '"$root/scripts/pgcluster.sh" stop "$dir" >/dev/null 2>&1 || true' EXIT
"$root/scripts/pgcluster.sh" start "$dir" 54377 >/dev/null
# shellcheck disable=SC1090,SC1091
source "$dir/env"
db=tripos_bench
psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION tripos_core CASCADE" -c "CREATE EXTENSION tripos_collab" 2>/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v users="$users" -v trips="$trips" -v items="$items" -f "$here/setup.sql"
echo "data: $(psql -X -At -d "$db" -c "SELECT (SELECT count(*) FROM auth.users) || ' users, ' || (SELECT count(*) FROM trips) || ' trips, ' || (SELECT count(*) FROM trip_items) || ' itinerary items'")"

# Per-script mean latency (ms) from pgbench's report: "SQL script N: name" then its "latency average".
latencies() { awk '/^SQL script [0-9]+:/ {name=$4} /^ - latency average/ && name != "" {print name, $5; name=""}' "$1"; }
scenario() {  # scenario title clients design floor
  local title=$1 clients=$2 design=$3 floor=$4 log
  log=$(mktemp)
  pgbench -n -c "$clients" -j 2 -T "$seconds" -f "$here/scripts/$design.sql@1" -f "$here/scripts/$floor.sql@1" "$db" >"$log" 2>&1 \
    || { cat "$log"; exit 1; }
  local d f
  d=$(latencies "$log" | awk -v s="$design" 'index($1, s) {print $2}')
  f=$(latencies "$log" | awk -v s="$floor" 'index($1, s) {print $2}')
  local failed
  failed=$(awk '/^number of failed transactions/ {print $5}' "$log")
  printf '%-46s clients %d  design %8.3f ms  floor %8.3f ms  design/floor latency %5.2fx  throughput ratio %5.2fx  failed %s\n' \
    "$title" "$clients" "$d" "$f" "$(echo "$d / $f" | bc -l)" "$(echo "$f / $d" | bc -l)" "${failed:-0}"
  rm -f "$log"
}
scenario "collaborator reads an itinerary (RLS vs none)" 2 read_rls read_floor
scenario "moves on one trip (move_trip_item vs plain)" 8 move_api move_plain
echo "order after the moves: $(psql -X -At -d "$db" -c "SELECT count(*) FROM itinerary_order_problems()") days out of order"
