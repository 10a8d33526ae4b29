# Sourced by the suites that run a job through pg_cron for real.
#
# wait_for_cron_run DB JOBNAME: waits (up to 150 s) until pg_cron has finished
# at least one run of the job in DB, succeeded or failed.
wait_for_cron_run() {
  local runs
  for _ in $(seq 1 30); do
    runs=$(psql -X -At -d "$1" -c "SELECT count(*) FROM cron.job_run_details d JOIN cron.job j USING (jobid)
                                   WHERE j.jobname = '$2' AND d.status IN ('succeeded', 'failed')")
    [ "$runs" -gt 0 ] && return 0
    sleep 5
  done
}
