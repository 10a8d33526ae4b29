#!/usr/bin/env bash
# CallAI's pg_cron jobs, for real: the cluster preloads pg_cron with
# cron.database_name = callai_cron (system.conf). Installing callai where
# pg_cron is installed schedules the idle-conversation completion and the
# call figure fold; pg_cron must run the fold (the pending figures go, the
# figures read the same); a restore of a dump keeps the dumped jobs as they
# were; DROP EXTENSION unschedules both, by name or by CASCADE, under
# session_replication_role = replica too.
#   bash cron.sh STATEFILE   (test/lib/db-suite.sh passes the cluster's state file)
set -euo pipefail
state=${1:?state file}
# shellcheck disable=SC1090,SC1091
source "$(cat "$state")/env"
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
# shellcheck disable=SC1091
source "$root/test/lib/pg_cron.sh"   # fresh_cron_database, wait_for_cron_run, restore_with_cron_jobs, check_job, run_job_command
# shellcheck disable=SC1091
source "$root/test/lib/tap.sh"       # check, fail
db=callai_cron
q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fresh_cron_database "$db"
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION callai CASCADE"
check_job "the install scheduled the idle-conversation completion every 5 minutes" \
  callai-complete-idle-conversations '*/5 * * * *' callai "SELECT callai_internal.complete_idle_conversations('1 hour')"
check_job "and the call figure fold every minute" \
  callai-fold-call-figures '* * * * *' callai 'SELECT callai_internal.fold_call_figures()'

# The sample's call leaves pending figure deltas for the fold.
q -f "$root/extensions/callai/sample/callai_sample_data.sql" >/dev/null
figures="SELECT md5(string_agg(f::text, ',' ORDER BY f::text)) FROM (
           SELECT a::text AS f FROM public.call_analytics a UNION ALL SELECT u::text FROM public.store_usage_periods u) s"
before=$(psql -X -At -d "$db" -c "$figures")
check "the sample's call left pending figures" \
  "SELECT (SELECT count(*) FROM callai_internal.call_analytics_pending) > 0
      AND (SELECT count(*) FROM callai_internal.store_usage_pending) > 0"
wait_for_cron_run "$db" callai-fold-call-figures
check "pg_cron ran the fold and it succeeded" \
  "SELECT count(*) > 0 AND bool_and(d.status = 'succeeded') FROM cron.job_run_details d JOIN cron.job j USING (jobid)
    WHERE j.jobname = 'callai-fold-call-figures'"
check "the fold took every pending figure" \
  "SELECT NOT EXISTS (SELECT FROM callai_internal.call_analytics_pending)
      AND NOT EXISTS (SELECT FROM callai_internal.store_usage_pending)"
check "and the figures read the same" "SELECT ($figures) = '$before'"
psql -X -d "$db" -c "SELECT status, return_message FROM cron.job_run_details ORDER BY runid DESC LIMIT 3"

# A restore (pg_cron sorts before callai, so pg_restore creates it first): the
# install script must leave the jobs to the dump's rows of cron.job, the
# schedule the user gave one of them included.
q -c "SELECT cron.alter_job(jobid, schedule => '*/7 * * * *') FROM cron.job
        WHERE jobname = 'callai-complete-idle-conversations'" >/dev/null
restore_with_cron_jobs "$db"
check "pg_restore of the database with its jobs reports no error" "SELECT $RESTORE_STATUS = 0"
check "the restored database has the dumped jobs, ids and schedules as they were ($JOBS_AFTER)" \
  "SELECT '$JOBS_AFTER' = '$JOBS_BEFORE'"
check "the user's schedule of the idle completion among them" \
  "SELECT schedule = '*/7 * * * *' FROM cron.job WHERE jobname = 'callai-complete-idle-conversations'"

q -c "DROP EXTENSION callai"
check "DROP EXTENSION callai unscheduled both jobs" \
  "SELECT count(*) = 0 FROM cron.job WHERE jobname LIKE 'callai-%'"
check "and left the user's own job" "SELECT count(*) = 1 FROM cron.job WHERE jobname = 'app_nightly_vacuum'"
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION callai"
check "installed again, both jobs are scheduled" "SELECT count(*) = 2 FROM cron.job WHERE jobname LIKE 'callai-%'"
q -c "SET session_replication_role = replica" -c "DROP EXTENSION callai"
check "under session_replication_role = replica too (the event trigger is ENABLE ALWAYS)" \
  "SELECT count(*) = 0 FROM cron.job WHERE jobname LIKE 'callai-%'"
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION callai"
q -c "SET client_min_messages = warning" -c "DROP EXTENSION supabase_platform CASCADE"
check "DROP EXTENSION of the extension callai requires, CASCADE, unscheduled them too" \
  "SELECT NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'callai')
      AND (SELECT count(*) = 0 FROM cron.job WHERE jobname LIKE 'callai-%')"

# Installed in a schema that is then dropped: no DROP EXTENSION runs for the
# drop guard to see; each job's next run (its command, as pg_cron runs it)
# finds no callai and unschedules the job.
q -c "SET client_min_messages = warning" -c "CREATE SCHEMA shop" -c "CREATE EXTENSION callai SCHEMA shop CASCADE"
q -c "SET client_min_messages = warning" -c "DROP SCHEMA shop CASCADE"
run_job_command "$db" callai-fold-call-figures
run_job_command "$db" callai-complete-idle-conversations
check "after DROP SCHEMA shop CASCADE, each job's run unscheduled it" \
  "SELECT NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'callai')
      AND NOT EXISTS (SELECT FROM cron.job WHERE jobname LIKE 'callai-%')
      AND EXISTS (SELECT FROM cron.job WHERE jobname = 'app_nightly_vacuum')"
psql -X -q -d postgres -c "DROP DATABASE $db WITH (FORCE)"
exit $fail
