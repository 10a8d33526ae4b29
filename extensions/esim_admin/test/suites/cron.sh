#!/usr/bin/env bash
# Retention scheduled by pg_cron, for real: the cluster preloads pg_cron with
# cron.database_name = esim_admin_cron (system.conf). Installing esim_admin
# where pg_cron is installed schedules the nightly job; here the job is moved
# to every minute and must run apply_retention() (a read notification past
# its 90 days goes); a restore of a dump keeps the dumped jobs as they were.
# Usage: cron.sh STATEFILE
set -euo pipefail
state=${1:?state file}
# shellcheck disable=SC1090
source "$(cat "$state")/env"
# shellcheck disable=SC1091
lib="$(cd "$(dirname "$0")/../../../.." && pwd)/test/lib"
source "$lib/pg_cron.sh"   # fresh_cron_database, wait_for_cron_run, restore_with_cron_jobs, check_job, run_job_command
# shellcheck disable=SC1091
source "$lib/tap.sh"       # check, fail
db=esim_admin_cron
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
fresh_cron_database "$db"
q -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION esim_admin CASCADE"
check_job "the install scheduled the nightly retention job, run while esim_admin is installed" \
  esim_admin_retention '17 3 * * *' esim_admin 'SELECT public.apply_retention()'
q -d "$db" <<'SQL'
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-4000-8000-00000000c0c0', 'cron@t.io');
INSERT INTO notifications (user_id, type, message, status, read_at)
  VALUES ('00000000-0000-4000-8000-00000000c0c0', 'in_app', 'old news', 'read', now() - interval '100 days');
SELECT cron.alter_job(jobid, schedule => '* * * * *') FROM cron.job WHERE jobname = 'esim_admin_retention';
SQL
wait_for_cron_run "$db" esim_admin_retention
check "pg_cron ran the job and it succeeded" \
  "SELECT count(*) > 0 AND bool_and(d.status = 'succeeded') FROM cron.job_run_details d JOIN cron.job j USING (jobid)
    WHERE j.jobname = 'esim_admin_retention'"
check "the job applied the policy (the old read notification is gone)" \
  "SELECT NOT EXISTS (SELECT FROM notifications WHERE message = 'old news')"
psql -X -d "$db" -c "SELECT status, return_message FROM cron.job_run_details ORDER BY runid DESC LIMIT 3"
restore_with_cron_jobs "$db"
check "pg_restore of the database with its jobs reports no error" "SELECT $RESTORE_STATUS = 0"
check "the restored database has the dumped jobs, ids and schedules as they were ($JOBS_AFTER)" \
  "SELECT '$JOBS_AFTER' = '$JOBS_BEFORE'"

# The extension dropped (by name here; DROP SCHEMA or DROP OWNED alike), the
# job's next run unschedules it instead of failing on the missing function.
q -d "$db" -c "SET client_min_messages = warning" -c "DROP EXTENSION esim_admin CASCADE"
run_job_command "$db" esim_admin_retention
check "without esim_admin, the retention job's run unscheduled it" \
  "SELECT NOT EXISTS (SELECT FROM cron.job WHERE jobname = 'esim_admin_retention')
      AND EXISTS (SELECT FROM cron.job WHERE jobname = 'app_nightly_vacuum')"
q -d postgres -c "DROP DATABASE $db WITH (FORCE)"
exit $fail
