#!/usr/bin/env bash
# The stages' pg_cron jobs, for real: the cluster preloads pg_cron with
# cron.database_name = tripos_cron (system.conf). Installing tripos_payments
# and tripos_whatsapp where pg_cron is installed schedules their jobs; here
# the stalled-jobs job is moved to every minute and must release a job whose
# worker never reported; a restore of a dump keeps the dumped jobs as they
# were; DROP EXTENSION unschedules both.
#   bash cron.sh STATEFILE   (test/lib/db-suite.sh passes the cluster's state file)
set -euo pipefail
state=${1:?state file}
# shellcheck disable=SC1090,SC1091
source "$(cat "$state")/env"
# shellcheck disable=SC1091
lib="$(cd "$(dirname "$0")/../../../.." && pwd)/test/lib"
source "$lib/pg_cron.sh"   # fresh_cron_database, wait_for_cron_run, restore_with_cron_jobs, check_job, run_job_command
# shellcheck disable=SC1091
source "$lib/tap.sh"       # check, fail
db=tripos_cron
q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fresh_cron_database "$db"
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION tripos_whatsapp CASCADE" \
  -c "CREATE EXTENSION tripos_payments CASCADE"
check_job "the install scheduled the stalled-jobs job every 5 minutes" \
  tripos_release_stalled_jobs '*/5 * * * *' tripos_whatsapp 'SELECT public.release_stalled_jobs()'
check_job "and the monthly usage reset" \
  tripos_reset_monthly_usage_limits '5 0 1 * *' tripos_payments 'SELECT public.reset_monthly_usage_limits()'
q <<'SQL'
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-4000-8000-00000000c0c0', 'cron@t.io');
INSERT INTO scheduled_jobs (user_id, job_type, scheduled_for, status, locked_at, retry_count, max_retries)
  VALUES ('00000000-0000-4000-8000-00000000c0c0', 'stalled', now() - interval '1 hour', 'running', now() - interval '20 minutes', 0, 3),
         ('00000000-0000-4000-8000-00000000c0c0', 'busy', now() - interval '1 hour', 'running', now() - interval '1 minute', 0, 3);
SELECT cron.alter_job(jobid, schedule => '* * * * *') FROM cron.job WHERE jobname = 'tripos_release_stalled_jobs';
SQL
wait_for_cron_run "$db" tripos_release_stalled_jobs
check "pg_cron ran the job and it succeeded" \
  "SELECT count(*) > 0 AND bool_and(d.status = 'succeeded') FROM cron.job_run_details d JOIN cron.job j USING (jobid)
    WHERE j.jobname = 'tripos_release_stalled_jobs'"
check "the stalled job is pending again, one retry spent, after the backoff" \
  "SELECT status = 'pending' AND retry_count = 1 AND next_attempt_at > now() AND locked_at IS NULL
     FROM scheduled_jobs WHERE job_type = 'stalled'"
check "the job still within its time stays claimed" \
  "SELECT status = 'running' FROM scheduled_jobs WHERE job_type = 'busy'"
psql -X -d "$db" -c "SELECT status, return_message FROM cron.job_run_details ORDER BY runid DESC LIMIT 3"

# A restore (pg_cron sorts before tripos_*, so pg_restore creates it first):
# the install scripts must leave the jobs to the dump's rows of cron.job.
restore_with_cron_jobs "$db"
check "pg_restore of the database with its jobs reports no error" "SELECT $RESTORE_STATUS = 0"
check "the restored database has the dumped jobs, ids and schedules as they were ($JOBS_AFTER)" \
  "SELECT '$JOBS_AFTER' = '$JOBS_BEFORE'"
q -c "DROP EXTENSION tripos_whatsapp, tripos_payments"
check "DROP EXTENSION unscheduled both jobs" \
  "SELECT count(*) = 0 FROM cron.job WHERE jobname LIKE 'tripos%'"

# The stages in a schema of their own, dropped with it: no DROP EXTENSION
# runs for a drop guard to see, and the jobs' next runs unschedule them.
q -c "SET client_min_messages = warning" -c "DROP EXTENSION tripos_core CASCADE" -c "CREATE SCHEMA trips" \
  -c "CREATE EXTENSION tripos_whatsapp SCHEMA trips CASCADE" -c "CREATE EXTENSION tripos_payments SCHEMA trips CASCADE"
check "installed in schema trips, the jobs call its functions" \
  "SELECT count(*) = 2 FROM cron.job WHERE jobname LIKE 'tripos%' AND strpos(command, 'EXECUTE ''SELECT trips.') > 0"
q -c "SET client_min_messages = warning" -c "DROP SCHEMA trips CASCADE"
run_job_command "$db" tripos_release_stalled_jobs
run_job_command "$db" tripos_reset_monthly_usage_limits
check "after DROP SCHEMA trips CASCADE, each job's run unscheduled it" \
  "SELECT NOT EXISTS (SELECT FROM pg_extension WHERE extname LIKE 'tripos%')
      AND NOT EXISTS (SELECT FROM cron.job WHERE jobname LIKE 'tripos%')"
psql -X -q -d postgres -c "DROP DATABASE $db WITH (FORCE)"
exit $fail
