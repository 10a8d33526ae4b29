#!/usr/bin/env bash
# The RLS read tests under forced parallel plans. The RLS helpers
# (onesim_internal.current_partner_id(), is_admin(), ...) are declared
# PARALLEL SAFE: with force_parallel_mode = on every query that may run in a
# worker does, policies and helpers included, so these files show that the
# helpers answer in a parallel worker exactly as in the leader (their look-ups
# read only, as the extension's owner, from the worker's own caches).
#
#   test/suites/rls-parallel.sh STATEFILE
set -euo pipefail

state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
sys=$(cd "$here/../.." && pwd)   # extensions/onesim
# shellcheck disable=SC1090
source "$(cat "$state")/env"
db=onesim_tap_parallel

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql_q -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION onesim CASCADE" \
  -c "ALTER DATABASE $db SET onesim.partner_figures = 'immediate'" \
  -c "ALTER DATABASE $db SET force_parallel_mode = on" \
  -c "ALTER DATABASE $db SET parallel_setup_cost = 0" -c "ALTER DATABASE $db SET parallel_tuple_cost = 0"

# Policies call the helpers as (SELECT helper()): an InitPlan, which
# PostgreSQL 15 runs in the leader. Called per row, a helper runs in the
# worker: it must answer there exactly as in the leader, for each caller.
psql_q -d "$db" -c "
  INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-00000000a001', 'par@agency.test'),
                                            ('00000000-0000-0000-0000-00000000a002', 'adm@agency.test');
  INSERT INTO profiles (id, user_type, first_name, last_name, email)
    VALUES ('00000000-0000-0000-0000-00000000a002', 'admin', 'A', 'Dmin', 'adm@agency.test');
  INSERT INTO partners (id, user_id, company_name, business_email, status)
    VALUES ('10000000-0000-0000-0000-00000000a001', '00000000-0000-0000-0000-00000000a001', 'Par', 'par@agency.test', 'active');"
as_caller() {  # sub, parallel mode, statement
  psql -X -At -v ON_ERROR_STOP=1 -d "$db" -c "BEGIN" -c "SET LOCAL force_parallel_mode = $2" -c "SET LOCAL ROLE authenticated" \
    -c "SELECT set_config('request.jwt.claims', json_build_object('sub', '$1', 'role', 'authenticated')::text, true) IS NULL" \
    -c "$3" -c "ROLLBACK" | sed '1,/^f$/d;/^ROLLBACK$/d'
}
per_row="SELECT onesim_internal.current_partner_id() AS partner, onesim_internal.current_partner_status() AS status,
                onesim_internal.is_admin() AS admin, onesim_internal.current_user_id() AS uid, count(*)
           FROM generate_series(1, 100) g WHERE onesim_internal.current_user_id() IS NOT NULL OR g > 0
          GROUP BY 1, 2, 3, 4"
fail=0
for sub in 00000000-0000-0000-0000-00000000a001 00000000-0000-0000-0000-00000000a002; do
  plan=$(as_caller "$sub" on "EXPLAIN (COSTS OFF) $per_row")
  if ! echo "$plan" | grep -q 'Gather'; then echo "not ok - no parallel plan for the per-row helpers: $plan"; fail=1; fi
  leader=$(as_caller "$sub" off "$per_row")
  worker=$(as_caller "$sub" on "$per_row")
  if [ -n "$leader" ] && [ "$leader" = "$worker" ]; then
    echo "ok - helpers for $sub answer the same in a parallel worker ($worker)"
  else
    echo "not ok - helpers for $sub: leader '$leader', worker '$worker'"; fail=1
  fi
done
[ "$fail" = 0 ] || exit 1
psql_q -d "$db" -c "SET onesim.allow_drop_with_data = on" -c "
  DELETE FROM partners WHERE id = '10000000-0000-0000-0000-00000000a001';
  DELETE FROM auth.users WHERE id IN ('00000000-0000-0000-0000-00000000a001', '00000000-0000-0000-0000-00000000a002');"

# The RLS read tests, everything that may run in a worker running there.

pg_prove --ext .sql -d "$db" --failures "$sys"/test/pgtap/20_rls_helpers.sql "$sys"/test/pgtap/21_rls_matrix.sql \
  "$sys"/test/pgtap/22_views.sql
psql_q -d postgres -c "DROP DATABASE $db"
