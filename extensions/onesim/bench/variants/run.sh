#!/usr/bin/env bash
# What the OneSIM RLS read pays over its floor, variant by variant: the
# measurements BENCHMARKS.md gives for the read's cost, reproduced.
#
#   SCALE=250000 DURATION=20 CLIENTS=2 bash extensions/onesim/bench/variants/run.sh
#
# On a throwaway cluster, OneSIM with the benchmark's data (../sql/load.sql,
# SCALE orders), a partner's read of all its orders (count and sum), CLIENTS
# clients (2, as ../run.sh measures the read):
#   1. statements alone, as the superuser, interleaved in one pgbench run:
#      the floor (one arm, partner_id = constant: ../scripts/rls_read_floor.sql),
#      the policy's three arms with the constants its helpers return for a
#      partner (three_arms.sql), two arms (two_arms.sql), one = ANY of two
#      ids (any_of_two.sql);
#   2. the read through the policy as authenticated (../scripts/rls_read_api.sql)
#      interleaved with the floor, with the helpers as installed (their
#      search_path pinned) and again with their SET search_path removed
#      (ALTER FUNCTION ... RESET search_path; a measurement only: the pin is
#      kept in the extension).
# Prints each SELECT's mean latency and its ratio to the floor of the same run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=$(cd "$here/.." && pwd)   # extensions/onesim/bench
root=$(cd "$bench/../../.." && pwd)
scale=${SCALE:-250000}
secs=${DURATION:-20}
clients=${CLIENTS:-2}
dir=$(mktemp -d /tmp/onesim-variants.XXXXXX)
"$root/scripts/pgcluster.sh" start "$dir" >/dev/null
trap '"$root/scripts/pgcluster.sh" stop "$dir" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
source "$dir/env"
db=onesim_variants
q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
psql -X -q -d postgres -c "CREATE DATABASE $db"
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION onesim CASCADE"
q -f "$bench/sql/bench_helpers.sql" >/dev/null
start=$(date +%s)
q -v norders="$scale" -f "$bench/sql/load.sql" >/dev/null
q -c "VACUUM ANALYZE" >/dev/null
echo "onesim $(psql -X -At -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'onesim'"), $scale orders loaded in $(( $(date +%s) - start )) s"

# select_latency LOG SCRIPT: the mean latency (ms) of the SELECT ... FROM orders of SCRIPT in LOG
select_latency() {
  awk -v s="$2" '$0 ~ "^SQL script [0-9]+: .*" s "$" {f = 1; next} /^SQL script / {f = 0}
                 f && /FROM orders/ && $1 ~ /^[0-9.]+$/ {print $1; exit}' "$1"
}
run() {  # NAME SCRIPT... : one pgbench run, the scripts interleaved
  local name=$1; shift
  local args=()
  for f in "$@"; do args+=(-f "$f"); done
  pgbench -n -r -c "$clients" -j "$clients" -T "$secs" "${args[@]}" "$db" >"$dir/$name.log" 2>&1 || { cat "$dir/$name.log"; exit 1; }
}
ratio() { echo "scale=2; $1 / $2" | bc; }

floor=$bench/scripts/rls_read_floor.sql
run statements "$floor" "$here/three_arms.sql" "$here/two_arms.sql" "$here/any_of_two.sql"
f=$(select_latency "$dir/statements.log" rls_read_floor.sql)
echo "1. statements as the superuser: floor (one arm) $f ms"
for v in three_arms two_arms any_of_two; do
  l=$(select_latency "$dir/statements.log" "$v.sql")
  echo "   $v: $l ms, +$(echo "$l - $f" | bc) ms, $(ratio "$l" "$f")x"
done

for pin in pinned unpinned; do
  if [ "$pin" = unpinned ]; then
    for h in current_user_id current_partner_id admin_visible_since admin_visible_until; do
      q -c "ALTER FUNCTION onesim_internal.$h() RESET search_path"
    done
  fi
  left=$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_proc WHERE oid IN (SELECT unnest(ARRAY['onesim_internal.current_user_id()',
           'onesim_internal.current_partner_id()', 'onesim_internal.admin_visible_since()',
           'onesim_internal.admin_visible_until()']::regprocedure[])) AND proconfig IS NOT NULL")
  run "api-$pin" "$bench/scripts/rls_read_api.sql" "$floor"
  a=$(select_latency "$dir/api-$pin.log" rls_read_api.sql)
  f=$(select_latency "$dir/api-$pin.log" rls_read_floor.sql)
  echo "2. through the policy, the helpers $pin ($left of 4 with a SET clause): $a ms against the floor's $f ms, $(ratio "$a" "$f")x"
done
