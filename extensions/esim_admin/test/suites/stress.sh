#!/usr/bin/env bash
# Stress with an oracle: 8 clients for 20 s buy with racing promotional
# codes, settle, refund (often the same purchase twice at once), open and
# answer tickets. Afterwards the reconcile view (every maintained figure and
# rule recomputed from the rows) must be empty, and the run must have hit the
# limits it is about (codes used up, refunds refused). Usage: stress.sh STATEFILE
set -euo pipefail
state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1090
source "$(cat "$state")/env"
# shellcheck disable=SC1091
source "$here/../../../../test/lib/tap.sh"   # check, fail
db=esim_admin_stress
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -d "$db" -c "SET client_min_messages = warning" -c "CREATE SCHEMA esim_admin" -c "CREATE EXTENSION esim_admin SCHEMA esim_admin CASCADE"
q -d "$db" -f "$here/stress/setup.sql" >/dev/null
seconds=${STRESS_SECONDS:-20}
pgbench -n -c 8 -j 2 -T "$seconds" \
  -f "$here/stress/buy.sql@6" -f "$here/stress/settle.sql@4" -f "$here/stress/refund.sql@3" -f "$here/stress/ticket.sql@2" "$db" \
  >"/tmp/$db.pgbench.log" 2>&1 || { cat "/tmp/$db.pgbench.log"; exit 1; }
grep -E "number of transactions actually processed|number of failed|aborted" "/tmp/$db.pgbench.log" || true
if grep -q "aborted" "/tmp/$db.pgbench.log"; then echo "not ok - a client aborted"; exit 1; fi
check "no drift: reconcile is empty" "SELECT count(*) = 0 FROM esim_admin.reconcile"
check "codes were used up (the limit was reached under contention)" \
  "SELECT count(*) > 0 FROM esim_admin.promotional_codes WHERE used_count = max_uses"
check "no code beyond max_uses" "SELECT bool_and(used_count <= max_uses) FROM esim_admin.promotional_codes"
check "purchases completed, eSIMs assigned once each" \
  "SELECT count(*) > 0 AND count(*) = count(DISTINCT esim_id) FROM esim_admin.transactions WHERE status IN ('completed', 'refunded')"
check "refunds were processed" \
  "SELECT count(*) > 0 FROM esim_admin.refunds WHERE status = 'processed'"
check "tickets were opened" "SELECT count(*) > 0 FROM esim_admin.support_tickets"
psql -X -d "$db" -c "SELECT * FROM esim_admin.reconcile LIMIT 10" | head -15
q -d postgres -c "DROP DATABASE $db"
exit $fail
