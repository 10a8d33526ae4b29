-- ---------------------------------------------------------------------------
-- schedule automation rules: trigger_config.cron in the owner's time zone;
-- each claim of a run plans the next one (written to be run again: the
-- install and every update run this part).
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tripos_internal.plan_next_scheduled_run() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_plan_next_scheduled_run'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.plan_next_scheduled_run() IS
  'AFTER UPDATE OF status ON scheduled_jobs (row, when a rule''s job is claimed): an active schedule rule gets its next run, unless one is planned already';
REVOKE ALL ON FUNCTION tripos_internal.plan_next_scheduled_run() FROM PUBLIC;

CREATE OR REPLACE TRIGGER trg_scheduled_jobs_plan_next_run AFTER UPDATE OF status ON @extschema@.scheduled_jobs
  FOR EACH ROW WHEN (OLD.status = 'pending' AND NEW.status = 'running' AND NEW.automation_rule_id IS NOT NULL)
  EXECUTE FUNCTION tripos_internal.plan_next_scheduled_run();
