#!/usr/bin/env bash
# Instructions per statement, counted by valgrind's callgrind in a
# single-user backend: a noise-free complement to run.sh's timings, which on
# a shared 2-core VM move by +/-15 % between runs. Instructions are not time
# (the extra rows an order writes also cost cache misses and buffer locks
# that an instruction count does not weigh), but they tell exactly what a
# change of the code saves.
#
#   bash extensions/onesim/bench/instructions.sh                       (about 3 minutes)
#   RLS_BREAKDOWN=1 bash extensions/onesim/bench/instructions.sh (also where the RLS read's
#       instructions go, phase by phase, against its floor's)
#   BASELINE_REF=<commit> bash extensions/onesim/bench/instructions.sh  (also measures the
#       library built from <commit>, swapped in for its runs; the SQL install
#       script must be the same, only the library is compared)
#
# Workloads, 400 statements each, one transaction each, on a 5,000-order
# onesim database (extensions/onesim/bench/sql/load.sql): a B2B order, a B2C order (the
# statements of scripts/insert_b2b.sql and insert_b2c.sql), and the
# allocation of a pending B2B order (also with its audit trigger disabled,
# for the audit row's share); the B2B order's writes done by hand without
# triggers (sql/by_hand.sql, run.sh's scenario 2c); and the RLS read transaction of
# scripts/rls_read_api.sql. Floor: the same database with the user triggers
# of orders disabled, as in run.sh; for the read, the superuser's query with
# an explicit partner filter (rls_read_floor.sql). Prints a Markdown table.
set -euo pipefail
shopt -s inherit_errexit

here=$(cd "$(dirname "$0")" && pwd)
sys=$(cd "$here/.." && pwd)   # extensions/onesim
root=$(cd "$sys/../.." && pwd)
PORT=${PORT:-54422}
N=400

if [ "${BENCH_SKIP_DEPS:-0}" != 1 ]; then
  bash "$root/scripts/install-deps.sh" >/dev/null
  command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
fi
(cd "$root" && make -s SYSTEMS=onesim && make -s SYSTEMS=onesim install) >/dev/null
bindir=$(pg_config --bindir)
libdir=$(pg_config --pkglibdir)

work=$(mktemp -d /tmp/bench-instructions-XXXXXX)
chmod 755 "$work"  # the server runs as postgres
cluster=$work/cluster
baseline_tree=""
cleanup() {
  if [ -f "$work/onesim.so.installed" ]; then cp "$work/onesim.so.installed" "$libdir/onesim.so"; fi
  if [ -n "$baseline_tree" ]; then git -C "$root" worktree remove --force "$baseline_tree" >/dev/null 2>&1 || true; fi
  if [ -f "$cluster/data/postmaster.pid" ]; then bash "$root/scripts/pgcluster.sh" stop "$cluster" >/dev/null; fi
  if [ -z "${KEEP_WORK:-}" ]; then rm -rf "$work"; else echo "kept $work" >&2; fi
}
trap cleanup EXIT

as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# --- the databases and the statements ---------------------------------------
bash "$root/scripts/pgcluster.sh" start "$cluster" "$PORT" >/dev/null
# shellcheck disable=SC1091
source "$cluster/env"
q() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
val() { "$bindir/psql" -X -qAt -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "CREATE DATABASE onesim"
q -d onesim -c "CREATE EXTENSION onesim CASCADE" -f "$here/sql/bench_helpers.sql"
q -d onesim -v norders=5000 -f "$here/sql/load.sql"
# scenario 2c's reference: the B2B order's writes by hand, without triggers
q -d onesim -f "$here/sql/floor_twin.sql" -f "$here/sql/by_hand.sql"
q -d postgres -c "CREATE DATABASE floor TEMPLATE onesim"
# The audit row's share of an allocation: the same database without the
# trigger that writes it.
q -d postgres -c "CREATE DATABASE noaudit TEMPLATE onesim"
q -d noaudit -c "ALTER TABLE orders DISABLE TRIGGER trg_orders_audit_update"
q -d floor -c "ALTER TABLE orders DISABLE TRIGGER USER"
# (single-user mode ends a statement at each newline: one line each)
val -d onesim -c "
  SELECT regexp_replace(format(\$\$INSERT INTO orders (user_id, package_code, package_name, price_usd, price_uzs, source_type,
    partner_id, end_customer_id, end_customer_type, customer_first_name, customer_last_name, customer_email,
    commission_applicable, commission_rate, commission_amount_usd, commission_amount_uzs)
    VALUES (%L, 'PKG-7', 'Package 7', 15.00, 187500, 'b2b_partner', %L,
    %L, 'b2b_partner_customer', 'Customer', 'Bench', 'bench@bench.test', true, 5.00, 0.7500,
    9375.00);\$\$, bench.uid(0, p), bench.uid(1, p), bench.uid(2, (p - 1) * 10 + 1 + g % 10)), '\\s+', ' ', 'g')
    FROM (SELECT g, 1 + (g * 7919) % 1000 AS p FROM generate_series(1, $N) g) s" >"$work/b2b.sql"
val -d onesim -c "
  SELECT regexp_replace(format(\$\$INSERT INTO orders (user_id, package_code, package_name, price_usd, price_uzs, source_type,
    end_customer_id, end_customer_type) VALUES (%L, 'PKG-7', 'Package 7', 15.00, 187500, 'b2c',
    %L, 'b2c');\$\$, bench.uid(3, u), bench.uid(3, u)), '\\s+', ' ', 'g')
    FROM (SELECT 1 + (g * 7919) % 5000 AS u FROM generate_series(1, $N) g) s" >"$work/b2c.sql"
# Pending B2B orders, a different set for each measured library (an
# allocation commits).
val -d onesim -c "
  SELECT format('UPDATE orders SET order_status = %L WHERE id = %L;', 'ALLOCATED', id)
    FROM orders WHERE order_status = 'PENDING' AND source_type = 'b2b_partner' ORDER BY id LIMIT $((2 * N))" \
  >"$work/alloc-all.sql"
head -n "$N" "$work/alloc-all.sql" >"$work/alloc.sql"
tail -n "$N" "$work/alloc-all.sql" >"$work/alloc-baseline.sql"
val -d onesim -c "
  SELECT format('SELECT bench.place_b2b_order_by_hand(%L, %L, %L);',
                bench.uid(1, p), bench.uid(0, p), bench.uid(2, (p - 1) * 10 + 1 + g % 10))
    FROM (SELECT g, 1 + (g * 7919) % 1000 AS p FROM generate_series(1, $N) g) s" >"$work/b2b-by-hand.sql"
head -n 1 "$work/b2c.sql" >"$work/one.sql"
# The RLS read of scripts/rls_read_api.sql and its floor (rls_read_floor.sql),
# a transaction of five statements each, for partner p.
val -d onesim -c "
  SELECT format(E'BEGIN;\\nSET LOCAL ROLE %s;\\nSELECT set_config(''request.jwt.claims'', json_build_object(''sub'', %L, ''role'', ''authenticated'')::text, true);\\n%s\\nCOMMIT;',
                'authenticated', bench.uid(0, p), 'SELECT count(*), sum(price_usd) FROM orders;')
    FROM (SELECT 1 + (g * 7919) % 1000 AS p FROM generate_series(1, $N) g) s" >"$work/rls.sql"
val -d onesim -c "
  SELECT format(E'BEGIN;\\nSET LOCAL ROLE %s;\\nSELECT set_config(''request.jwt.claims'', json_build_object(''sub'', %L, ''role'', ''authenticated'')::text, true);\\n%s\\nCOMMIT;',
                'postgres', bench.uid(0, p), format('SELECT count(*), sum(price_usd) FROM orders WHERE partner_id = %L;', bench.uid(1, p)))
    FROM (SELECT 1 + (g * 7919) % 1000 AS p FROM generate_series(1, $N) g) s" >"$work/rls-floor.sql"
head -n 5 "$work/rls.sql" >"$work/one-rls.sql"
head -n 5 "$work/rls-floor.sql" >"$work/one-rls-floor.sql"
as_server "$bindir/pg_ctl" -D "$cluster/data" -w stop >/dev/null
chmod a+r "$work"/*.sql

# instructions DB SCRIPT: instructions of a single-user backend running SCRIPT
instructions() {
  local log=$work/run.log
  as_server valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bindir/postgres" --single \
    -D "$cluster/data" -c fsync=off -c synchronous_commit=off "$1" <"$2" >"$log" 2>&1
  if grep -Eq '(ERROR|FATAL):' "$log"; then
    echo "a statement of $2 failed on $1:" >&2
    grep -Em 5 '(ERROR|FATAL):' "$log" >&2
    exit 1
  fi
  if ! grep -q 'Collected :' "$log"; then
    echo "valgrind did not run $2 on $1:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  awk '/Collected :/ {print $NF}' "$log"
}
# per_statement DB SCRIPT [ONE]: instructions per statement (per transaction of
# the RLS scripts), start-up and one statement's run (script ONE) subtracted
per_statement() {
  local total one
  total=$(instructions "$1" "$2")
  one=$(instructions "$1" "${3:-$work/one.sql}")
  echo $(( (total - one) / (N - 1) ))
}

declare -A R
measure() {  # LABEL DB ALLOC_SCRIPT
  R[$1,b2b]=$(per_statement "$2" "$work/b2b.sql")
  R[$1,b2c]=$(per_statement "$2" "$work/b2c.sql")
  R[$1,alloc]=$(per_statement "$2" "$3")
  R[$1,rls]=$(per_statement onesim "$work/rls.sql" "$work/one-rls.sql")
}
measure floor floor "$work/alloc.sql"
R[floor,rls]=$(per_statement onesim "$work/rls-floor.sql" "$work/one-rls-floor.sql")
measure onesim onesim "$work/alloc.sql"
R[by_hand,b2b]=$(per_statement onesim "$work/b2b-by-hand.sql")
R[noaudit,alloc]=$(per_statement noaudit "$work/alloc.sql")
if [ -n "${BASELINE_REF:-}" ]; then
  baseline_tree=$work/baseline
  git -C "$root" worktree add -q "$baseline_tree" "$BASELINE_REF"
  make -s -C "$baseline_tree" >/dev/null
  cp "$libdir/onesim.so" "$work/onesim.so.installed"
  cp "$baseline_tree/onesim.so" "$libdir/onesim.so"
  measure baseline onesim "$work/alloc-baseline.sql"
  cp "$work/onesim.so.installed" "$libdir/onesim.so"
  rm "$work/onesim.so.installed"
fi

# RLS_BREAKDOWN=1: where the RLS read transaction's instructions go, next to
# its floor's: inclusive counts of PostgreSQL's phases, per transaction
# (callgrind_annotate; the parts are inclusive and overlap).
rls_breakdown() {
  local script out
  mkdir -p "$work/callgrind"
  chmod 777 "$work/callgrind"  # written by the server's user
  for script in rls rls-floor; do
    out=$work/callgrind/$script.out
    as_server valgrind --tool=callgrind --callgrind-out-file="$out" "$bindir/postgres" --single \
      -D "$cluster/data" -c fsync=off -c synchronous_commit=off onesim <"$work/$script.sql" >"$work/run.log" 2>&1
    callgrind_annotate --inclusive=yes --threshold=100 "$out" >"$work/$script.annotated"
  done
  echo "Where the RLS read transaction's instructions go (thousands per transaction, inclusive):"
  echo
  echo "| function | API path | floor | difference |"
  echo "|---|---|---|---|"
  python3 - "$work/rls.annotated" "$work/rls-floor.annotated" "$N" <<'PY'
import re, sys
phases = ["pg_analyze_and_rewrite_fixedparams", "pg_plan_queries", "create_index_paths",
          "SS_process_sublinks", "ExecutorStart", "ExecutorRun", "ExecSetParamPlan",
          "fmgr_security_definer", "ProcessGUCArray", "AtEOXact_GUC", "MultiExecBitmapOr",
          "PostgresMain"]
def load(path):
    d = {}
    for line in open(path):
        m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+\?\?\?:(\w+) \[", line)
        if m and m.group(2) in phases and m.group(2) not in d:
            d[m.group(2)] = int(m.group(1).replace(",", "")) / int(sys.argv[3]) / 1000
    return d
api, floor = load(sys.argv[1]), load(sys.argv[2])
for p in phases:
    a, f = api.get(p, 0), floor.get(p, 0)
    print(f"| `{p}` | {a:,.0f} | {f:,.0f} | {a - f:+,.0f} |")
PY
  echo
}
if [ "${RLS_BREAKDOWN:-0}" = 1 ]; then rls_breakdown; fi

ratio() { awk -v f="$1" -v d="$2" 'BEGIN { printf "%.2fx", f / d }'; }
kilo() { awk -v v="$1" 'BEGIN { printf "%\047d", v / 1000 }'; }
echo "Instructions per statement (thousands), $N statements each, 5,000-order database, $(date -u +%Y-%m-%d):"
echo
if [ -n "${BASELINE_REF:-}" ]; then
  echo "| statement | floor | onesim @ $BASELINE_REF | ratio | onesim @ $(git -C "$root" rev-parse --short HEAD) | ratio |"
  echo "|---|---|---|---|---|---|"
else
  echo "| statement | floor | onesim @ $(git -C "$root" rev-parse --short HEAD) | ratio |"
  echo "|---|---|---|---|"
fi
mixed_floor=$(( R[floor,b2b] + R[floor,b2c] ))
mixed_onesim=$(( R[onesim,b2b] + R[onesim,b2c] ))
row() {  # TITLE FLOOR ONESIM [BASELINE]
  if [ -n "${4:-}" ]; then
    echo "| $1 | $(kilo "$2") | $(kilo "$4") | $(ratio "$2" "$4") | $(kilo "$3") | $(ratio "$2" "$3") |"
  else
    echo "| $1 | $(kilo "$2") | $(kilo "$3") | $(ratio "$2" "$3") |"
  fi
}
base() { [ -n "${BASELINE_REF:-}" ] && echo "${R[baseline,$1]}" || true; }
# current_only TITLE FLOOR ONESIM: a row the baseline library is not measured for
current_only() {
  if [ -n "${BASELINE_REF:-}" ]; then
    echo "| $1 | $(kilo "$2") | — | — | $(kilo "$3") | $(ratio "$2" "$3") |"
  else
    row "$1" "$2" "$3"
  fi
}
row "B2B order" "${R[floor,b2b]}" "${R[onesim,b2b]}" "$(base b2b)"
current_only "B2B order's writes by hand, no trigger (run.sh's scenario 2c: a reference, not a design)" \
  "${R[floor,b2b]}" "${R[by_hand,b2b]}"
row "B2C order" "${R[floor,b2c]}" "${R[onesim,b2c]}" "$(base b2c)"
if [ -n "${BASELINE_REF:-}" ]; then
  row "insert mix (one of each, run.sh's scenario 2)" "$mixed_floor" "$mixed_onesim" $(( R[baseline,b2b] + R[baseline,b2c] ))
else
  row "insert mix (one of each, run.sh's scenario 2)" "$mixed_floor" "$mixed_onesim"
fi
row "allocation of a pending B2B order" "${R[floor,alloc]}" "${R[onesim,alloc]}" "$(base alloc)"
current_only "allocation without its audit row (trg_orders_audit_update disabled)" \
  "${R[floor,alloc]}" "${R[noaudit,alloc]}"
row "RLS read transaction (run.sh's scenario 1, its five statements)" "${R[floor,rls]}" "${R[onesim,rls]}" "$(base rls)"
echo
echo "ratio: floor / onesim, as run.sh's tps ratios (1.00x: no cost over the floor)."
