#!/usr/bin/env bash
# What the commit-time flush of partner figures (onesim.partner_figures =
# at_commit) must get right when the extension itself changes inside the
# writing transaction:
#
#   1. orders written on version 1.0, then ALTER EXTENSION onesim UPDATE in
#      the same transaction: the update backfills the dashboard figures from
#      the rows (those orders included), and the pending deltas must not add
#      them a second time at commit: reconcile() is empty afterwards;
#   2. orders written, then DROP EXTENSION onesim in the same transaction:
#      COMMIT succeeds (the pending deltas have no rows left to go to);
#   3. the same with the extension created again, in another schema, before
#      COMMIT: the old schema's deltas are dropped, the new one is untouched.
#
#   test/suites/commit-edges.sh STATEFILE
set -euo pipefail

state=${1:?state file}
# shellcheck disable=SC1090
source "$(cat "$state")/env"
db=onesim_commit_edges
fail=0

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
val() { psql -X -At -v ON_ERROR_STOP=1 "$@"; }
check() {  # name expected actual
  if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: expected '$2', got '$3'"; fail=1; fi
}

psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql_q -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION onesim VERSION '1.0' CASCADE"

orders_sql="
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a9', 'edge@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email)
  VALUES ('10000000-0000-0000-0000-0000000000a9', '00000000-0000-0000-0000-0000000000a9', 'Edge', 'edge@agency.test');
INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
SELECT '00000000-0000-0000-0000-0000000000a9', 'b2b_partner', '10000000-0000-0000-0000-0000000000a9', 'AC', 10
  FROM generate_series(1, 3);
UPDATE orders SET order_status = 'ALLOCATED'
 WHERE partner_id = '10000000-0000-0000-0000-0000000000a9'
   AND id = (SELECT min(id::text)::uuid FROM orders WHERE partner_id = '10000000-0000-0000-0000-0000000000a9');"

# 1. Update in the transaction that wrote the orders.
psql_q -d "$db" -c "SET onesim.partner_figures = at_commit" \
  -c "BEGIN" -c "$orders_sql" -c "ALTER EXTENSION onesim UPDATE" -c "COMMIT"
check "updated in the writing transaction: no drift" "0" \
  "$(val -d "$db" -c "SELECT count(*) FROM onesim_internal.reconcile()")"
check "dashboard figures counted once" "3|1|2" \
  "$(val -d "$db" -c "SELECT total_orders, allocated_orders, pending_orders FROM partners WHERE id = '10000000-0000-0000-0000-0000000000a9'")"

# 2. Drop in the transaction that wrote orders.
drop_out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET onesim.partner_figures = at_commit" -c "BEGIN" \
  -c "INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
      VALUES ('00000000-0000-0000-0000-0000000000a9', 'b2b_partner', '10000000-0000-0000-0000-0000000000a9', 'AC', 10)" \
  -c "SET client_min_messages = warning" -c "SET onesim.allow_drop_with_data = on" -c "DROP EXTENSION onesim" -c "COMMIT" 2>&1) && drop_rc=0 || drop_rc=$?
check "COMMIT after DROP EXTENSION in the writing transaction succeeds" "0" "$drop_rc${drop_out:+ ($drop_out)}"
check "the extension is gone" "0" "$(val -d "$db" -c "SELECT count(*) FROM pg_extension WHERE extname = 'onesim'")"

# 3. Drop and create again elsewhere in the writing transaction.
psql_q -d "$db" -c "SET client_min_messages = warning" -c "CREATE SCHEMA shop_a" -c "CREATE EXTENSION onesim SCHEMA shop_a"
again_out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET onesim.partner_figures = at_commit" -c "BEGIN" \
  -c "INSERT INTO shop_a.partners (id, user_id, company_name, business_email)
      VALUES ('10000000-0000-0000-0000-0000000000a9', '00000000-0000-0000-0000-0000000000a9', 'Edge', 'edge@agency.test')" \
  -c "INSERT INTO shop_a.orders (user_id, source_type, partner_id, package_code, price_usd)
      VALUES ('00000000-0000-0000-0000-0000000000a9', 'b2b_partner', '10000000-0000-0000-0000-0000000000a9', 'AC', 10)" \
  -c "SET client_min_messages = warning" -c "SET onesim.allow_drop_with_data = on" -c "DROP EXTENSION onesim" \
  -c "CREATE SCHEMA shop_b" -c "CREATE EXTENSION onesim SCHEMA shop_b" -c "COMMIT" 2>&1) && again_rc=0 || again_rc=$?
check "COMMIT after DROP and CREATE EXTENSION elsewhere succeeds" "0" "$again_rc${again_out:+ ($again_out)}"
check "the new install is clean" "0|0" \
  "$(val -d "$db" -c "SELECT (SELECT count(*) FROM shop_b.partners), (SELECT count(*) FROM onesim_internal.reconcile())")"

psql_q -d postgres -c "DROP DATABASE $db"
exit $fail
