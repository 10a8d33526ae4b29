#!/usr/bin/env bash
# Deterministic replays of the two lock-order inversions the stress suite
# (test/stress.sh) once hit under load, kept as a regression suite (CTest
# "deadlock"): it plays each interleaving step by step and fails (exit 1)
# when the server detects a deadlock. Fixed by the lock order of
# src/onesim/partner_figures.hpp (partner rows first in immediate mode, last
# at commit) and by payouts locking the due earnings rather than the partner.
#
#   test/stress/deadlock-repro.sh STATEFILE   (a cluster started by test/db-suite.sh start)
#
# A third session holds the partners row (SELECT ... FOR UPDATE) for 2 s so
# that the two API calls queue in a chosen order behind it:
#   1. run_partner_payout (queued first: partners row, then the earnings rows)
#      vs refund_order of an allocated order of the same partner (its earning
#      row, then the partners row through the earnings trigger);
#   2. place_b2b_order for customer K (partners row for total_orders, then
#      K's partner_customers row) vs refund_order of K's order (K's row for
#      total_spent, then the partners row through the earnings trigger).
set -euo pipefail
state=${1:?state file}
# shellcheck disable=SC1090
source "$(cat "$state")/env"
db=onesim_deadlock_repro
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION onesim CASCADE"
q -d "$db" <<'SQL'
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-4000-8000-000000000001', 'p@repro.test');
INSERT INTO profiles (id, user_type, first_name, last_name, email)
  VALUES ('00000000-0000-4000-8000-000000000001', 'partner', 'P', 'P', 'p@repro.test');
INSERT INTO partners (id, user_id, company_name, business_email, custom_commission_rate, status)
  VALUES ('10000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'Repro', 'p@repro.test', 10, 'active');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email)
  VALUES ('20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'K', 'K', 'k@repro.test');
INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd, price_uzs, is_active)
  VALUES ('REPRO', 'Repro', 10, 10, 120000, true);
-- Orders 1..4 of customer K, all allocated (earnings earned).
INSERT INTO orders (id, package_code, price_usd, price_uzs, source_type, partner_id, end_customer_id, end_customer_type)
  SELECT format('40000000-0000-4000-8000-%s', lpad(n::text, 12, '0'))::uuid, 'REPRO', 10, 120000, 'b2b_partner',
         '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', 'b2b_partner_customer'
    FROM generate_series(1, 4) n;
UPDATE orders SET order_status = 'ALLOCATED';
SQL
service='SET ROLE service_role; SELECT set_config('"'"'request.jwt.claims'"'"', '"'"'{"role":"service_role"}'"'"', false);'
partner='SET ROLE authenticated; SELECT set_config('"'"'request.jwt.claims'"'"', '"'"'{"sub":"00000000-0000-4000-8000-000000000001","role":"authenticated"}'"'"', false);'
holder="BEGIN; SELECT 1 FROM partners WHERE id = '10000000-0000-4000-8000-000000000001' FOR UPDATE; SELECT pg_sleep(2); COMMIT;"
found=0
tmp=$(mktemp -d)
run() {  # title first_call second_call
  echo "== $1"
  q -d "$db" -o /dev/null -c "$holder" & h=$!
  sleep 0.5
  psql -X -q -o /dev/null -d "$db" -c "$2" 2>"$tmp/first" & a=$!
  sleep 0.5
  psql -X -q -o /dev/null -d "$db" -c "$3" 2>"$tmp/second" & b=$!
  wait $h; wait $a || true; wait $b || true
  if grep -h 'deadlock detected' "$tmp/first" "$tmp/second" >/dev/null; then
    echo "  DEADLOCK:"; grep -h -A3 'ERROR' "$tmp/first" "$tmp/second" | sed 's/^/    /' | cut -c1-200
    found=1
  else
    echo "  no deadlock"; cat "$tmp/first" "$tmp/second" | sed 's/^/    /'
  fi
}
run "1. run_partner_payout vs refund_order (same partner)" \
  "$service SELECT run_partner_payout('10000000-0000-4000-8000-000000000001', 'bank');" \
  "$service SELECT refund_order('40000000-0000-4000-8000-000000000001');"
run "2. place_b2b_order for customer K vs refund_order of K's order" \
  "$partner SELECT place_b2b_order('REPRO', '20000000-0000-4000-8000-000000000001');" \
  "$service SELECT refund_order('40000000-0000-4000-8000-000000000002');"
q -d postgres -c "DROP DATABASE IF EXISTS $db"
rm -rf "$tmp"
exit "$found"
