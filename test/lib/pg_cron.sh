# Sourced by the suites that run a job through pg_cron for real.
#
# fresh_cron_database DB: creates DB anew (the cluster's cron.database_name)
# with pg_cron in it, and waits until pg_cron's scheduler serves it (its
# launcher retries every second until the database exists), so that a job
# not run later is the job's doing. Fails when the scheduler never comes.
fresh_cron_database() {
  local db=$1 scheduler
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION pg_cron"
  scheduler="SELECT count(*) > 0 FROM pg_stat_activity WHERE backend_type = 'pg_cron launcher' AND datname = '$db'"
  for _ in $(seq 1 30); do
    [ "$(psql -X -At -d "$db" -c "$scheduler")" = t ] && return 0
    sleep 1
  done
  echo "not ok - pg_cron's scheduler does not serve $db"
  return 1
}
#
# wait_for_cron_run DB JOBNAME: waits (up to 150 s) until pg_cron has finished
# at least one run of the job in DB, succeeded or failed. A scheduler that
# started moments before the job was committed can miss it while it loads its
# job list; every 30 s without a run, a no-op update of the job (cron.job's
# statement trigger) makes it load the list again, the job unchanged.
wait_for_cron_run() {
  local runs
  for i in $(seq 1 30); do
    runs=$(psql -X -At -d "$1" -c "SELECT count(*) FROM cron.job_run_details d JOIN cron.job j USING (jobid)
                                   WHERE j.jobname = '$2' AND d.status IN ('succeeded', 'failed')")
    [ "$runs" -gt 0 ] && return 0
    [ $((i % 6)) = 0 ] && psql -X -q -d "$1" -c "UPDATE cron.job SET active = active WHERE jobname = '$2'"
    sleep 5
  done
}

# restore_with_cron_jobs DB: adds a job of the user's own, dumps DB, creates
# it anew and restores the dump into it (pg_cron serves one database, so the
# restore goes to the same name). pg_restore creates the extensions before it
# loads cron.job's rows, so this is where an install script that schedules a
# job during a restore would make that COPY fail. Sets RESTORE_STATUS
# (pg_restore's exit status; its messages are printed), JOBS_BEFORE and
# JOBS_AFTER (id, name and schedule of every job, in id order).
# pg_cron's scheduler ends when its database is dropped and the launcher does
# not start another until the server restarts: after this, no job of DB runs
# on its schedule (run_job_command runs one's command instead).
restore_with_cron_jobs() {
  local db=$1 dump jobs_query
  jobs_query="SELECT coalesce(string_agg(jobid || ' ' || jobname || ' ' || schedule, ', ' ORDER BY jobid), '') FROM cron.job"
  psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "SELECT cron.schedule('app_nightly_vacuum', '0 4 * * *', 'VACUUM')" >/dev/null
  JOBS_BEFORE=$(psql -X -At -d "$db" -c "$jobs_query")
  dump=$(mktemp /tmp/cron-dump.XXXXXX)
  pg_dump -Fc -d "$db" -f "$dump"
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE $db WITH (FORCE)" -c "CREATE DATABASE $db"
  RESTORE_STATUS=0
  pg_restore -d "$db" "$dump" || RESTORE_STATUS=$?
  rm -f "$dump"
  JOBS_AFTER=$(psql -X -At -d "$db" -c "$jobs_query")
}

# run_job_command DB JOBNAME: runs the job's command in DB as pg_cron would
# (one statement, ON_ERROR_STOP), for a check that need not wait for the
# job's schedule; returns psql's status (1 and a message when no such job).
run_job_command() {
  local command
  command=$(psql -X -At -d "$1" -c "SELECT command FROM cron.job WHERE jobname = '$2'")
  if [ -z "$command" ]; then echo "# no pg_cron job $2 in $1"; return 1; fi
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "$command"
}


# check_job DESCRIPTION JOBNAME SCHEDULE EXTENSION STATEMENT: a TAP check (tap.sh)
# that DB (the suite's $db) has one job of that name and schedule whose
# command runs STATEMENT while EXTENSION is installed (platform/cron.hpp).
check_job() {
  check "$1" "SELECT count(*) = 1 FROM cron.job WHERE jobname = '$2' AND schedule = '$3'
                 AND strpos(command, 'EXECUTE ' || quote_literal(\$statement\$$5\$statement\$)) > 0
                 AND strpos(command, 'extname = ' || quote_literal('$4')) > 0"
}
