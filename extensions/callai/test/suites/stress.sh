#!/usr/bin/env bash
# Stress with an oracle: 8 clients for 20 s (STRESS_SECONDS) on one store add,
# change and remove order lines, confirm and cancel orders racing for the
# last units of stock, insert and end calls, and post conversation messages.
# Afterwards reconcile() (every maintained figure recomputed from the rows)
# must be empty, stock must be conserved (initial = on hand + held by
# confirmed orders) and never negative, and the run must have hit the limits
# (a product sold out, confirms refused). Usage: stress.sh STATEFILE
set -euo pipefail
state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1090
source "$(cat "$state")/env"
# shellcheck disable=SC1091
source "$(cd "$(dirname "$0")/../../../.." && pwd)/test/lib/tap.sh"   # check, fail
db=callai_stress
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -d "$db" -c "SET client_min_messages = warning" -c "CREATE SCHEMA callai" -c "CREATE EXTENSION callai SCHEMA callai CASCADE"
q -d "$db" -f "$here/stress/setup.sql" >/dev/null
seconds=${STRESS_SECONDS:-20}
pgbench -n -c 8 -j 2 -T "$seconds" \
  -f "$here/stress/lines.sql@5" -f "$here/stress/orders.sql@5" -f "$here/stress/calls.sql@4" -f "$here/stress/messages.sql@2" "$db" \
  >"/tmp/$db.pgbench.log" 2>&1 || { cat "/tmp/$db.pgbench.log"; exit 1; }
grep -E "number of transactions actually processed|number of failed|aborted" "/tmp/$db.pgbench.log" || true
if grep -q "aborted" "/tmp/$db.pgbench.log"; then echo "not ok - a client aborted"; exit 1; fi
check "no drift: reconcile() is empty" "SELECT count(*) = 0 FROM callai.reconcile()"
check "stock conserved: initial = on hand + held by confirmed orders, for every product" "
  SELECT bool_and(i.quantity = p.inventory_quantity + coalesce(h.held, 0))
    FROM stress.initial_stock i JOIN callai.products p ON p.id = i.product_id
    LEFT JOIN (SELECT l.product_id, sum(l.quantity) AS held FROM callai.order_line_items l
                 JOIN callai.orders o ON o.id = l.order_id
                WHERE o.status IN ('confirmed', 'processing', 'shipped', 'delivered') GROUP BY 1) h
      ON h.product_id = p.id"
check "stock never negative" "SELECT bool_and(inventory_quantity >= 0) FROM callai.products"
check "a product's stock reached zero (a refusal found 0 on hand)" \
  "SELECT count(*) > 0 FROM stress.refusals WHERE message LIKE '%: 0 on hand%'"
check "confirms and held-line edits were refused for want of stock (23514)" \
  "SELECT count(*) > 0 FROM stress.refusals WHERE sqlstate = '23514'"
check "orders were confirmed and cancelled" \
  "SELECT count(*) FILTER (WHERE to_status = 'confirmed') > 0 AND count(*) FILTER (WHERE to_status = 'cancelled') > 0
     FROM callai.order_status_history"
check "calls were made and ended, analytics kept for them" \
  "SELECT count(*) FILTER (WHERE status = 'completed') > 0 AND (SELECT sum(total_calls) FROM callai.call_analytics) = count(*)
     FROM callai.calls"
check "pending call figures were folded while calls were written" \
  "SELECT count(*) > 0 FROM callai_internal.call_analytics_folded"
check "messages were indexed without gaps" \
  "SELECT bool_and(n = m + 1 AND n = c) FROM (SELECT count(*) AS n, max(message_index) AS m, max(v.message_count) AS c
     FROM callai.conversation_messages x JOIN callai.conversations v ON v.id = x.conversation_id GROUP BY x.conversation_id) s"
psql -X -d "$db" -c "SELECT sqlstate, count(*) FROM stress.refusals GROUP BY 1 ORDER BY 1"
psql -X -d "$db" -c "SELECT * FROM callai.reconcile() LIMIT 10" | head -15
q -d postgres -c "DROP DATABASE $db"
exit $fail
