-- ---------------------------------------------------------------------------
-- Stalled jobs, and pg_cron (written to be run again: the install and every
-- update run this part).
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tripos_internal.release_stalled_jobs(stalled_minutes integer) RETURNS bigint
AS 'MODULE_PATHNAME', 'tripos_release_stalled_jobs'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION tripos_internal.release_stalled_jobs(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tripos_internal.release_stalled_jobs(integer) TO service_role;

CREATE OR REPLACE FUNCTION @extschema@.release_stalled_jobs(p_stalled_minutes integer DEFAULT 15) RETURNS bigint
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.release_stalled_jobs(p_stalled_minutes);
END;
COMMENT ON FUNCTION @extschema@.release_stalled_jobs(integer) IS
  'Jobs claimed more than p_stalled_minutes ago without a result (a dead or hung worker) count as a failed attempt: retried after the backoff or failed once their retries are spent; returns how many. Every 5 minutes by pg_cron where it is installed';
REVOKE ALL ON FUNCTION @extschema@.release_stalled_jobs(integer) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION @extschema@.release_stalled_jobs(integer) TO service_role;

-- Where pg_cron is installed (Supabase: Database > Extensions), the job that
-- keeps the queue moving, every 5 minutes (not in a restore: the dump holds
-- it); DROP EXTENSION tripos_whatsapp unschedules it.
CREATE OR REPLACE FUNCTION tripos_internal.schedule_whatsapp_jobs() RETURNS boolean
AS 'MODULE_PATHNAME', 'tripos_schedule_whatsapp_jobs'
LANGUAGE c VOLATILE SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION tripos_internal.schedule_whatsapp_jobs() FROM PUBLIC;
SELECT tripos_internal.schedule_whatsapp_jobs();
