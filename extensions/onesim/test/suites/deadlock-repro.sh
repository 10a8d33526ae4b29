#!/usr/bin/env bash
# Deterministic replays of the three lock-order inversions the stress suite
# (test/stress.sh) once hit under load, kept as a regression suite (CTest
# "deadlock"): it plays each interleaving step by step and fails (exit 1)
# when the server detects a deadlock. Fixed by the lock order of
# src/onesim/partner_figures.hpp (partner rows first in immediate mode, last
# at commit) and by payouts locking the due earnings rather than the partner
# and settling exactly the rows they locked.
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
# Replay 3 holds an earnings row instead, so that a payout waits halfway
# through locking the due earnings:
#   3. run_partner_payout of P2 (locks P2's due earnings in id order, waits
#      on the held one), then an allocation makes a lower-id earning due,
#      then a second payout of P2 locks that earning and queues behind the
#      first. The first payout must settle only what it locked.
set -euo pipefail
state=${1:?state file}
# shellcheck disable=SC1090
source "$(cat "$state")/env"
db=onesim_deadlock_repro
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION onesim CASCADE"
q -d "$db" <<'SQL'
-- Partners P1 (replays 1 and 2) and P2 (replay 3), each with one customer:
-- user 00..0n, partner 10..0n, customer 20..0n.
INSERT INTO auth.users (id, email)
  SELECT format('00000000-0000-4000-8000-%s', lpad(n::text, 12, '0'))::uuid, format('p%s@repro.test', n)
    FROM generate_series(1, 2) n;
INSERT INTO profiles (id, user_type, first_name, last_name, email)
  SELECT id, 'partner', 'P', 'P', email FROM auth.users;
INSERT INTO partners (id, user_id, company_name, business_email, custom_commission_rate, status)
  SELECT format('10000000-0000-4000-8000-%s', right(id::text, 12))::uuid, id, 'Repro ' || email, email, 10, 'active'
    FROM auth.users;
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email)
  SELECT format('20000000-0000-4000-8000-%s', right(id::text, 12))::uuid, id, 'K', 'K', 'k@repro.test' FROM partners;
INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd, price_uzs, is_active)
  VALUES ('REPRO', 'Repro', 10, 10, 120000, true);
-- P1 (customer K): orders 1..4. P2: orders 11..15. All but order 15 are
-- allocated (their earnings earned).
INSERT INTO orders (id, package_code, price_usd, price_uzs, source_type, partner_id, end_customer_id, end_customer_type)
  SELECT format('40000000-0000-4000-8000-%s', lpad(n::text, 12, '0'))::uuid, 'REPRO', 10, 120000, 'b2b_partner',
         format('10000000-0000-4000-8000-%s', lpad(p::text, 12, '0'))::uuid,
         format('20000000-0000-4000-8000-%s', lpad(p::text, 12, '0'))::uuid, 'b2b_partner_customer'
    FROM (SELECT n, 1 AS p FROM generate_series(1, 4) n UNION ALL SELECT n, 2 FROM generate_series(11, 15) n) o;
UPDATE orders SET order_status = 'ALLOCATED' WHERE id <> '40000000-0000-4000-8000-000000000015';
-- P2's earnings get fixed ids (random otherwise) so that replay 3's lock
-- order is known: order 15's is the lowest, then orders 11..14's.
SET session_replication_role = replica;
UPDATE partner_earnings e
   SET id = format('50000000-0000-4000-8000-%s', lpad((right(e.order_id::text, 12)::int % 5)::text, 12, '0'))::uuid
 WHERE e.partner_id = '10000000-0000-4000-8000-000000000002';
SQL
service='SET ROLE service_role; SELECT set_config('"'"'request.jwt.claims'"'"', '"'"'{"role":"service_role"}'"'"', false);'
partner='SET ROLE authenticated; SELECT set_config('"'"'request.jwt.claims'"'"', '"'"'{"sub":"00000000-0000-4000-8000-000000000001","role":"authenticated"}'"'"', false);'
holder="BEGIN; SELECT 1 FROM partners WHERE id = '10000000-0000-4000-8000-000000000001' FOR UPDATE; SELECT pg_sleep(2); COMMIT;"
# Replay 3 holds order 14's earning (P2's last due one in id order) instead.
earning_holder="BEGIN; SELECT 1 FROM partner_earnings WHERE id = '50000000-0000-4000-8000-000000000004' FOR UPDATE; SELECT pg_sleep(2); COMMIT;"
found=0
tmp=$(mktemp -d)
run() {  # title first_call second_call [between_calls [holder]]
  echo "== $1"
  q -d "$db" -o /dev/null -c "${5:-$holder}" & h=$!
  sleep 0.5
  psql -X -q -o /dev/null -d "$db" -c "$2" 2>"$tmp/first" & a=$!
  sleep 0.5
  if [ -n "${4:-}" ]; then q -d "$db" -o /dev/null -c "$4"; fi
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
run "3. run_partner_payout vs run_partner_payout (same partner; an earning became due in between)" \
  "$service SELECT run_partner_payout('10000000-0000-4000-8000-000000000002', 'bank', 'first');" \
  "$service SELECT run_partner_payout('10000000-0000-4000-8000-000000000002', 'bank', 'second');" \
  "$service SELECT record_allocation('40000000-0000-4000-8000-000000000015', '8900000000000000015');" \
  "$earning_holder"
# Both payouts must have succeeded, together paying every earning exactly once.
paid=$(q -d "$db" -At -c "SELECT count(*) FILTER (WHERE status = 'paid') || ' ' || count(DISTINCT payout_id)
                            FROM partner_earnings WHERE partner_id = '10000000-0000-4000-8000-000000000002'")
echo "  earnings paid, payouts: $paid"
[ "$paid" = "5 2" ] || { echo "  expected all 5 earnings paid by 2 payouts"; found=1; }
q -d postgres -c "DROP DATABASE IF EXISTS $db"
rm -rf "$tmp"
exit "$found"
