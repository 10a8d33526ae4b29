-- ---------------------------------------------------------------------------
-- pg_cron (written to be run again: the install and every update run this
-- part). Where pg_cron is installed, reset_monthly_usage_limits() runs at
-- 00:05 UTC on the first of each month (not in a restore: the dump holds
-- the job); DROP EXTENSION tripos_payments unschedules it.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION tripos_internal.schedule_payments_jobs() RETURNS boolean
AS 'MODULE_PATHNAME', 'tripos_schedule_payments_jobs'
LANGUAGE c VOLATILE SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION tripos_internal.schedule_payments_jobs() FROM PUBLIC;
SELECT tripos_internal.schedule_payments_jobs();
