#!/usr/bin/env bash
# auth.uid() in a policy: this version's inlined definition against 1.0's,
# which pinned its search_path (a function with a SET clause is never
# inlined, so its body was parsed and planned again in each statement).
#   SECONDS_PER_RUN=20 bash extensions/supabase_platform/bench/run.sh
# Starts a throwaway cluster, installs supabase_platform, loads bench/setup.sql
# and runs the three reads of one user's 100 notes (bench/read_*.sql: as
# PostgREST does, claims and role set in the transaction) interleaved in one
# pgbench run, 1 client, with prepared statements (PostgREST's default) and
# then with the simple protocol. Prints each SELECT's mean latency.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
secs=${SECONDS_PER_RUN:-20}
dir=$(mktemp -d /tmp/platform-bench.XXXXXX)
"$root/scripts/pgcluster.sh" start "$dir" >/dev/null
trap '"$root/scripts/pgcluster.sh" stop "$dir" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
source "$dir/env"
db=platform_bench
psql -X -q -d postgres -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION supabase_platform" -f "$here/setup.sql" >/dev/null
echo "supabase_platform $(psql -X -At -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'supabase_platform'")"

select_latency() {  # pgbench -r log, table -> mean latency in ms of the SELECT from it
  awk -v t="FROM bench.$2" 'index($0, t) && $1 ~ /^[0-9.]+$/ {print $1; exit}' "$1"
}
for protocol in prepared simple; do
  pgbench -n -M "$protocol" -c 1 -T "$secs" -r \
    -f "$here/read_inline.sql" -f "$here/read_pinned.sql" -f "$here/read_plain.sql" "$db" >"$dir/$protocol.log" 2>&1 \
    || { cat "$dir/$protocol.log"; exit 1; }
  inline=$(select_latency "$dir/$protocol.log" notes_inline)
  pinned=$(select_latency "$dir/$protocol.log" notes_pinned)
  plain=$(select_latency "$dir/$protocol.log" notes_plain)
  echo "$protocol: auth.uid() inlined $inline ms, pinned (1.0) $pinned ms, no RLS $plain ms;" \
       "inlined/no RLS $(echo "scale=2; $inline / $plain" | bc)x, pinned/no RLS $(echo "scale=2; $pinned / $plain" | bc)x"
done
