-- ---------------------------------------------------------------------------
-- pg_cron (written to be run again: the install and every update run this
-- part). Where pg_cron is installed, reset_monthly_usage_limits() runs at
-- 00:05 UTC on the first of each month; DROP EXTENSION tripos_payments
-- unschedules it.
-- ---------------------------------------------------------------------------
DO $schedule$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
    PERFORM cron.schedule('tripos_reset_monthly_usage_limits', '5 0 1 * *',
                          pg_catalog.format('SELECT %I.reset_monthly_usage_limits()', '@extschema@'));
  END IF;
END
$schedule$;
