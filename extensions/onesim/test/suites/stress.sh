#!/usr/bin/env bash
# Concurrency stress of the API, the triggers and the figures they maintain.
#
#   test/stress.sh STATEFILE     (a cluster started by test/db-suite.sh start)
#
# Loads a few partners, customers and groups (test/stress/setup.sql), then runs
# pgbench with ONESIM_STRESS_CLIENTS (8) clients for ONESIM_STRESS_SECONDS (20)
# seconds over the unix socket, mixing weighted scripts (test/stress/*.sql)
# that call the API as PostgREST does (SET LOCAL ROLE + request.jwt.claims in
# a transaction) or write as the service role: B2B orders for one hot partner
# and for any partner (new customers included), allocations, cancellations,
# refunds, group moves (API and plain UPDATE) and payouts.
#
# Business refusals (55000, P0002 for an order that moved on) are answers;
# any other error aborts its pgbench client and fails the suite, and so does
# any failed transaction (deadlock, serialization) or "deadlock detected" in
# the server log. Afterwards test/stress/check.sql must return no row:
# reconcile() empty, exactly one earning per commissionable order, no
# negative pending/total earnings, earnings statuses following their orders.
#
# ONESIM_STRESS_SKIP="refund payout ..." leaves scripts out of the mix (to
# narrow down a failure; test/stress/deadlock-repro.sh reproduces the lock
# order inversions this suite found, step by step).
set -euo pipefail

state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
sys=$(cd "$here/../.." && pwd)   # extensions/onesim
root=$(cd "$sys/../.." && pwd)
# One directory per figures mode: the immediate run must not overwrite the
# evidence of a failed at_commit run.
case " ${PGOPTIONS:-} " in
  *onesim.partner_figures=immediate*) out="$root/build/test-output/onesim/stress-immediate" ;;
  *) out="$root/build/test-output/onesim/stress" ;;
esac
clients=${ONESIM_STRESS_CLIENTS:-8}
seconds=${ONESIM_STRESS_SECONDS:-20}
db=onesim_stress

# shellcheck disable=SC1090
source "$(cat "$state")/env"
mkdir -p "$out"
log="$PGHOST/server.log"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql_q -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION onesim CASCADE"
psql_q -d "$db" -f "$sys/test/suites/stress/setup.sql"

log_offset=$(stat -c %s "$log" 2>/dev/null || echo 0)
s="$sys/test/suites/stress"
echo "pgbench: $clients clients, $seconds s"
set +e
scripts=()
for sw in b2b_hot@4 b2b_any@3 allocate@3 cancel@1 refund@1 groups@2 payout@1; do
  case " ${ONESIM_STRESS_SKIP:-} " in *" ${sw%@*} "*) echo "  (skipping ${sw%@*})"; continue ;; esac
  scripts+=(-f "$s/${sw%@*}.sql@${sw#*@}")
done
pgbench -n -c "$clients" -j 2 -T "$seconds" -P 5 --failures-detailed "${scripts[@]}" "$db" \
  >"$out/pgbench.out" 2>"$out/pgbench.err"
rc=$?
set -e
grep -E '^(transaction type|scaling|query mode|number of|latency average|tps|SQL script [0-9]|  - weight|  - [0-9]+ transactions)' "$out/pgbench.out" || true

failed=0
if [ "$rc" != 0 ]; then
  echo "pgbench exited with $rc (a client aborted on an error):" >&2
  grep -v '^progress' "$out/pgbench.err" | head -20 >&2
  failed=1
fi
done_tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out/pgbench.out")
failed_tx=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out/pgbench.out")
if [ -z "$done_tx" ] || [ "$done_tx" = 0 ]; then
  echo "no transaction was processed" >&2; failed=1
fi
if [ "${failed_tx:-0}" != 0 ]; then
  echo "pgbench counted $failed_tx failed transactions (deadlocks or serialization failures)" >&2
  failed=1
fi
tail -c +"$((log_offset + 1))" "$log" >"$out/server.log" 2>/dev/null || true
if grep -q 'deadlock detected' "$out/server.log"; then
  echo "the server log reports deadlocks:" >&2
  grep -A8 'deadlock detected' "$out/server.log" | head -40 >&2   # both processes, their statements and CONTEXT
  failed=1
fi
if grep -Eq 'PANIC|terminated by signal|server process .* was terminated' "$out/server.log"; then
  echo "the server log reports a crash:" >&2
  grep -E 'PANIC|terminated by signal|was terminated' "$out/server.log" | head >&2
  failed=1
fi

echo "== outcome"
psql -X -At -F ' ' -d "$db" -c "
  SELECT 'orders ' || order_status, count(*) FROM orders GROUP BY order_status
  UNION ALL SELECT 'earnings ' || status, count(*) FROM partner_earnings GROUP BY status
  UNION ALL SELECT 'payouts', count(*) FROM partner_payouts
  UNION ALL SELECT 'partner customers', count(*) FROM partner_customers
  UNION ALL SELECT 'group members', count(*) FROM customer_group_members
  ORDER BY 1" | sed 's/^/  /'

psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -f "$s/check.sql" >"$out/check.out"
if grep -qv '^==' "$out/check.out"; then
  echo "invariants broken after the run:" >&2
  head -40 "$out/check.out" >&2
  failed=1
else
  echo "invariants: reconcile() empty, one earning per commissionable order, no negative earnings"
fi

# Every row the run wrote has its index entries (figures and earnings are
# written below SQL, src/pg/direct_write.hpp): amcheck's heapallindexed
# check of every btree index of the written tables.
if psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" >"$out/amcheck.out" 2>&1 -c "CREATE EXTENSION IF NOT EXISTS amcheck" -c "
    SELECT count(bt_index_check(i.indexrelid, true))
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
     WHERE t.relnamespace = 'public'::regnamespace AND x.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')
       AND t.relname IN ('orders', 'partner_earnings', 'partners', 'partner_customers', 'customer_groups',
                         'customer_group_members')"; then
  echo "indexes: every row of the written tables is in each of their btree indexes ($(tail -1 "$out/amcheck.out") checked)"
else
  echo "index check failed:" >&2
  cat "$out/amcheck.out" >&2
  failed=1
fi

if [ "$failed" = 0 ]; then
  psql_q -d postgres -c "DROP DATABASE IF EXISTS $db"
  echo "stress: $done_tx transactions in ${seconds}s with $clients clients, no deadlock, no drift"
else
  echo "stress: FAILED after ${done_tx:-0} transactions; database $db and $out kept" >&2
  exit 1
fi
