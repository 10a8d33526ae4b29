#!/usr/bin/env bash
# Stress with an oracle: 6 clients run a fixed number of transactions
# (STRESS_TRANSACTIONS each, default 800) of esimgo's workflows, each as the
# role that owns it: customers open checkouts priced by the engine and take
# them on (some from anonymous sessions by token), the payment provider's
# webhooks arrive out of order, replayed and twice at once (service role),
# orders are fulfilled with an eSIM and an installed bundle whose usage is
# reported, admins refund, catalog syncs are triggered and run by several
# workers on overlapping scopes, customers delete their account and sign up
# again, and bad input from every caller must be refused with its SQLSTATE.
# Afterwards stress.reconcile (stress/oracle.sql: every figure esimgo keeps,
# recomputed in SQL from the rows and from what the clients logged as it
# committed) must be empty, no backend may have crashed, no error class the
# races do not explain may have occurred, and the run must have reached the
# situations it is about. Usage: stress.sh STATEFILE
set -euo pipefail
state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(cat "$state")
# shellcheck disable=SC1090
source "$dir/env"
# shellcheck disable=SC1091
source "$here/../../../../test/lib/tap.sh"   # check, fail
db=esimgo_stress
log=/tmp/$db.pgbench.log
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -d "$db" -c "SET client_min_messages = warning" -c "CREATE SCHEMA esimgo" -c "CREATE EXTENSION esimgo SCHEMA esimgo CASCADE"
q -d "$db" -f "$here/stress/setup.sql" >/dev/null
server_log="$dir/server.log"
log_start=$(stat -c %s "$server_log" 2>/dev/null || echo 0)
transactions=${STRESS_TRANSACTIONS:-800}
status=0
pgbench -n -c 6 -j 2 -t "$transactions" \
  -f "$here/stress/buy.sql@8" -f "$here/stress/anon.sql@2" -f "$here/stress/webhook.sql@8" -f "$here/stress/fulfil.sql@4" \
  -f "$here/stress/usage.sql@5" -f "$here/stress/sync.sql@4" -f "$here/stress/account.sql@2" -f "$here/stress/bad.sql@3" \
  "$db" >"$log" 2>&1 || status=$?
grep -E "number of transactions actually processed|number of failed|latency average|tps" "$log" || true
if [ "$status" != 0 ] || grep -qiE "aborted|client [0-9]+ .*error" "$log"; then
  echo "not ok - pgbench failed (exit $status): a client aborted"; grep -iE "error|abort|fatal" "$log" | head -20; fail=1
fi
expected=$((6 * transactions))
if ! grep -q "number of transactions actually processed: $expected/$expected" "$log"; then
  echo "not ok - not all $expected transactions ran"; fail=1
fi
if tail -c +"$((log_start + 1))" "$server_log" 2>/dev/null | grep -E "terminated by signal|was terminated|PANIC|server process .* exited with exit code [^0]" ; then
  echo "not ok - a backend crashed during the run (server log above)"; fail=1
fi
if ! psql -X -At -d "$db" -c "SELECT 1" >/dev/null 2>&1; then
  echo "not ok - the server does not answer after the run"; exit 1
fi
q -d "$db" -f "$here/stress/oracle.sql" >/dev/null
# The oracle, check by check (a difference under a name not in stress.checks
# is reported too).
while IFS='|' read -r name n sample; do
  if [ "$n" = 0 ]; then echo "ok - $name"; else echo "not ok - $name: $n differences, e.g. $sample"; fail=1; fi
done < <(psql -X -At -d "$db" -c "
  SELECT coalesce(k.name, r.\"check\" || ' (not in stress.checks)'), count(r.detail), coalesce(min(r.detail), '')
    FROM stress.checks k FULL JOIN stress.reconcile r ON r.\"check\" = k.name
   GROUP BY 1 ORDER BY count(r.detail) = 0, 1")
check "the oracle has all its checks" "SELECT count(*) = 33 FROM stress.checks"
# The oracle sees drift: five figures planted wrong (rolled back) must give five checks.
planted=$(psql -X -q -At -d "$db" -v ON_ERROR_STOP=1 <<'SQL'
BEGIN;
UPDATE esimgo.catalog_metadata SET total_bundles = total_bundles + 1;
UPDATE esimgo.esim_bundles SET used_data = used_data + 1 WHERE id = (SELECT min(bundle_id::text)::uuid FROM stress.usage);
UPDATE esimgo.esim_orders SET total_price = total_price + 0.01 WHERE id = (SELECT min(id::text)::uuid FROM esimgo.esim_orders);
UPDATE esimgo.catalog_bundles SET price = price + 1 WHERE esim_go_name = 'sync-a-ya-5' OR esim_go_name = 'shop-qa-7';
DELETE FROM stress.completions WHERE id = (SELECT min(id) FROM stress.completions WHERE NOT already);
SELECT string_agg(DISTINCT "check", '; ') FROM stress.reconcile;
ROLLBACK;
SQL
)
for want in "catalog_metadata.total_bundles" "usage: used_data" "the order is the session" "price of the last sync" "exactly one webhook created"; do
  case "$planted" in *"$want"*) echo "ok - planted drift found: $want" ;;
                     *) echo "not ok - planted drift not found: $want (found: $planted)"; fail=1 ;; esac
done
# The run reached what it is about.
check "orders were created, fulfilled and refunded" \
  "SELECT count(*) FILTER (WHERE status = 'COMPLETED') > 0 AND count(*) FILTER (WHERE status = 'REFUNDED') > 0
          AND count(*) FILTER (WHERE status = 'FAILED') > 0 FROM esimgo.esim_orders"
check "webhooks were replayed (alreadyCompleted) and refused out of order (23514, 55000)" \
  "SELECT (SELECT count(*) FROM stress.completions WHERE already) > 0
      AND (SELECT count(*) FROM stress.refusals WHERE workload = 'webhook' AND sqlstate = '23514') > 0
      AND (SELECT count(*) FROM stress.refusals WHERE workload = 'webhook' AND sqlstate = '55000') > 0"
check "payments failed, and a failed payment was retried and paid" \
  "SELECT count(*) > 0 FROM stress.failures f JOIN esimgo.checkout_sessions s ON s.id = f.session_id
    WHERE s.state = 'PAYMENT_COMPLETED'"
check "usage was reported and a report over the allowance refused (23514)" \
  "SELECT (SELECT count(*) FROM stress.usage) > 0
      AND (SELECT count(*) FROM stress.refusals WHERE workload = 'usage' AND sqlstate = '23514') > 0"
check "syncs added, updated and removed rows; triggers were refused (55000 or 23505)" \
  "SELECT sum((result ->> 'added')::int) > 0 AND sum((result ->> 'updated')::int) > 0 AND sum((result ->> 'removed')::int) > 0
      AND (SELECT count(*) FROM stress.refusals WHERE workload = 'sync' AND sqlstate IN ('55000', '23505')) > 0
     FROM stress.syncs WHERE seq > 1"
check "accounts were deleted and signed up again" \
  "SELECT count(*) FILTER (WHERE what = 'deleted') > 0 AND count(*) FILTER (WHERE what = 'signed up') > 0 FROM stress.accounts"
check "anonymous checkouts were taken on by a customer" \
  "SELECT count(*) > 0 FROM stress.sessions l JOIN esimgo.checkout_sessions s ON s.id = l.session_id
    WHERE l.attached AND s.user_id = stress.uid(l.who)"
check "bad input of at least 15 kinds was refused" \
  "SELECT count(DISTINCT regexp_replace(stmt, '[0-9a-f-]{36}', '', 'g')) >= 15 AND count(DISTINCT sqlstate) >= 5
     FROM stress.refusals WHERE bad_input AND expected"
echo "rows: orders by status, checkout sessions by state, sync jobs by status"
psql -X -At -d "$db" -c "SELECT 'orders', string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status, count(*) n FROM esimgo.esim_orders GROUP BY 1) s
  UNION ALL SELECT 'sessions', string_agg(state || ' ' || n, ', ' ORDER BY state) FROM (SELECT state, count(*) n FROM esimgo.checkout_sessions GROUP BY 1) s
  UNION ALL SELECT 'jobs', string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status, count(*) n FROM esimgo.catalog_sync_jobs GROUP BY 1) s
  UNION ALL SELECT 'syncs', count(*) || ' committed, ' || sum((result->>'added')::int) || ' added, ' || sum((result->>'updated')::int) || ' updated, '
                   || sum((result->>'removed')::int) || ' removed' FROM stress.syncs
  UNION ALL SELECT 'usage', count(*) || ' reports' FROM stress.usage
  UNION ALL SELECT 'webhooks', count(*) || ' completions, ' || count(*) FILTER (WHERE already) || ' replays' FROM stress.completions" | sed 's/^/  /'
echo "outcomes (workload, SQLSTATE, count):"
psql -X -At -F ' ' -d "$db" -c "SELECT workload, sqlstate, CASE WHEN bad_input THEN 'bad input' WHEN expected THEN 'race' ELSE 'UNEXPECTED' END, count(*)
  FROM stress.refusals GROUP BY 1, 2, 3 ORDER BY 1, 2" | sed 's/^/  /'
if [ "$fail" != 0 ]; then
  echo "differences (first 20):"
  psql -X -At -d "$db" -c "SELECT \"check\" || ': ' || detail FROM stress.reconcile LIMIT 20" | sed 's/^/  /'
fi
if [ "$fail" = 0 ]; then q -d postgres -c "DROP DATABASE $db"; fi
exit $fail
