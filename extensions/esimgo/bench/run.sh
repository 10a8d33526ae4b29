#!/usr/bin/env bash
# price_catalog (C++ engine) against the same algorithm in plain PL/pgSQL and
# against the floor (a scan computing cost + a fixed markup in SQL), at the
# catalog sizes given (default 10000 100000), on a throwaway cluster.
#
#   bash extensions/esimgo/bench/run.sh [ROWS...]
#
# Prints one Markdown table row per size: prices, ms per run of each design,
# prices per second, and the ratios. Transactions per design: TX (default 5;
# the PL/pgSQL version runs PLPGSQL_TX, default 1). Each design's runs share
# one connection: price_catalog reads the catalog in the first and is served
# the rows its backend kept in the others. "new backend" runs price_catalog
# in a new connection each time (it reads the catalog every run; connecting
# is included).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
TX=${TX:-5}
PLPGSQL_TX=${PLPGSQL_TX:-1}

dir=$(mktemp -d /tmp/esimgo-bench.XXXXXX)
"$root/scripts/pgcluster.sh" start "$dir" >/dev/null
trap '"$root/scripts/pgcluster.sh" stop "$dir" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
source "$dir/env"
psql -X -q -d postgres -c "CREATE DATABASE esimgo_bench"
psql -X -q -d esimgo_bench -c "CREATE EXTENSION esimgo CASCADE" 2>/dev/null

latency() {  # pgbench's average latency in ms of one script
  pgbench -n -t "$2" "${@:3}" -f "$1" esimgo_bench 2>/dev/null | sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p'
}

echo "| catalog rows | prices | price_catalog ms | new backend ms | PL/pgSQL ms | floor ms | price_catalog prices/s | vs PL/pgSQL | vs floor | new backend vs floor |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for rows in "${sizes[@]}"; do
  psql -X -q -d esimgo_bench -v rows="$rows" -f "$here/setup.sql" >/dev/null
  prices=$(psql -X -At -d esimgo_bench -c "SELECT count(*) FROM price_catalog()")
  same=$(psql -X -At -d esimgo_bench -c "SELECT count(*) FROM (
      SELECT country, region, bundle_group, requested_days, esim_go_name, final_price FROM price_catalog()
      EXCEPT SELECT * FROM bench.plpgsql_price_catalog()) d")
  [ "$same" = 0 ] || { echo "prices differ between price_catalog and PL/pgSQL at $rows rows" >&2; exit 1; }
  engine=$(latency "$here/price_catalog.sql" "$TX")
  cold=$(latency "$here/price_catalog.sql" "$TX" -C)
  plpgsql=$(latency "$here/plpgsql.sql" "$PLPGSQL_TX")
  floor=$(latency "$here/floor.sql" "$TX" -D prices="$prices")
  awk -v r="$rows" -v p="$prices" -v e="$engine" -v c="$cold" -v s="$plpgsql" -v f="$floor" 'BEGIN {
    printf "| %d | %d | %.1f | %.1f | %.1f | %.1f | %.0f | %.1fx | %.2fx | %.2fx |\n", r, p, e, c, s, f, p / (e / 1000), s / e, e / f, c / f }'
done
