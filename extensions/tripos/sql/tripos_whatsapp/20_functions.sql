-- ---------------------------------------------------------------------------
-- Functions and triggers (C++: triggers/whatsapp.cpp, api/messaging.cpp)
-- ---------------------------------------------------------------------------

CREATE FUNCTION tripos_internal.message_status_guard() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_message_status_guard'
LANGUAGE c SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.message_status_guard() IS
  'BEFORE UPDATE ON whatsapp_messages: status only moves forward whatever order reports come in (a late delivered never overwrites read; failed stays until retried) and stamps sent_at / delivered_at / read_at';

CREATE FUNCTION tripos_internal.whatsapp_new_users() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_whatsapp_new_users'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION tripos_internal.plan_rule_jobs() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_plan_rule_jobs'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.plan_rule_jobs() IS
  'AFTER INSERT / UPDATE ON automation_rules, or AFTER UPDATE ON trips when dates changed (statement): re-plans the pending jobs of trip_start / trip_end rules from trip dates; plans the next run of schedule rules from trigger_config.cron; validates budget_exceeded rules; switching off an event or schedule rule cancels its pending jobs';

CREATE FUNCTION tripos_internal.ingest_whatsapp_status(event jsonb) RETURNS @extschema@.whatsapp_webhook_events
AS 'MODULE_PATHNAME', 'tripos_ingest_whatsapp_status'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION tripos_internal.queue_whatsapp_message(user_id uuid, category text, content text, trip_id uuid,
                                                       message_type text, template_id uuid)
RETURNS @extschema@.whatsapp_messages
AS 'MODULE_PATHNAME', 'tripos_queue_whatsapp_message'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION tripos_internal.complete_scheduled_job(job_id uuid, succeeded boolean, result jsonb, error text)
RETURNS @extschema@.scheduled_jobs
AS 'MODULE_PATHNAME', 'tripos_complete_scheduled_job'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION tripos_internal.retry_whatsapp_message(message_id uuid) RETURNS @extschema@.whatsapp_messages
AS 'MODULE_PATHNAME', 'tripos_retry_whatsapp_message'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION tripos_internal.set_whatsapp_opt_in(opt_in boolean) RETURNS @extschema@.whatsapp_accounts
AS 'MODULE_PATHNAME', 'tripos_set_whatsapp_opt_in'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

REVOKE ALL ON FUNCTION tripos_internal.message_status_guard(), tripos_internal.whatsapp_new_users(),
  tripos_internal.plan_rule_jobs(), tripos_internal.ingest_whatsapp_status(jsonb),
  tripos_internal.queue_whatsapp_message(uuid, text, text, uuid, text, uuid),
  tripos_internal.complete_scheduled_job(uuid, boolean, jsonb, text), tripos_internal.retry_whatsapp_message(uuid),
  tripos_internal.set_whatsapp_opt_in(boolean)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tripos_internal.ingest_whatsapp_status(jsonb),
  tripos_internal.queue_whatsapp_message(uuid, text, text, uuid, text, uuid),
  tripos_internal.complete_scheduled_job(uuid, boolean, jsonb, text), tripos_internal.retry_whatsapp_message(uuid)
TO service_role;
GRANT EXECUTE ON FUNCTION tripos_internal.set_whatsapp_opt_in(boolean) TO authenticated, service_role;

CREATE TRIGGER trg_whatsapp_accounts_updated_at BEFORE UPDATE ON @extschema@.whatsapp_accounts
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_whatsapp_templates_updated_at BEFORE UPDATE ON @extschema@.whatsapp_templates
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_whatsapp_messages_status BEFORE UPDATE ON @extschema@.whatsapp_messages
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.message_status_guard();
CREATE TRIGGER trg_whatsapp_messages_updated_at BEFORE UPDATE ON @extschema@.whatsapp_messages
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_whatsapp_webhook_events_updated_at BEFORE UPDATE ON @extschema@.whatsapp_webhook_events
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_notification_preferences_updated_at BEFORE UPDATE ON @extschema@.notification_preferences
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_automation_rules_updated_at BEFORE UPDATE ON @extschema@.automation_rules
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_scheduled_jobs_updated_at BEFORE UPDATE ON @extschema@.scheduled_jobs
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_delivery_logs_updated_at BEFORE UPDATE ON @extschema@.delivery_logs
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();

CREATE TRIGGER trg_automation_rules_plan_insert AFTER INSERT ON @extschema@.automation_rules
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.plan_rule_jobs();
CREATE TRIGGER trg_automation_rules_plan_update AFTER UPDATE ON @extschema@.automation_rules
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.plan_rule_jobs();

-- Outside this stage's tables: removed by tripos_core's drop guard before
-- DROP EXTENSION tripos_whatsapp.
-- (A column list cannot go with transition tables: the function compares old
-- and new dates itself.)
CREATE TRIGGER trg_trips_replan_jobs AFTER UPDATE ON @extschema@.trips
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.plan_rule_jobs();
CREATE TRIGGER tripos_whatsapp_new_users AFTER INSERT ON auth.users
  REFERENCING NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.whatsapp_new_users();
