-- Trip OS stage 5 (tripos_whatsapp), assembled at build time from sql/tripos_whatsapp/*.sql.
\echo Use "CREATE EXTENSION tripos_whatsapp CASCADE" to load this file. \quit

SELECT tripos_internal.require_core_schema('tripos_whatsapp', '@extschema@');
-- ---------------------------------------------------------------------------
-- Tables (seed 004, stage 5, plus templates and webhook events)
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.whatsapp_accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL UNIQUE,
  phone_number text NOT NULL UNIQUE CHECK (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  country_code text NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
  is_verified boolean NOT NULL DEFAULT false,
  -- sha256 of the code sent by SMS (upstream kept it in plain text).
  verification_code_hash bytea,
  verification_expires_at timestamptz,
  opt_in_status text NOT NULL DEFAULT 'pending' CHECK (opt_in_status IN ('pending', 'opted_in', 'opted_out')),
  opted_in_at timestamptz,
  opted_out_at timestamptz,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_whatsapp_accounts_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.whatsapp_accounts IS 'A user''s WhatsApp number; verification and opt-in change through functions only';

CREATE TABLE @extschema@.whatsapp_templates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  language text NOT NULL DEFAULT 'en',
  category text NOT NULL CHECK (category IN ('marketing', 'utility', 'authentication')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'paused')),
  components jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT whatsapp_templates_name_language_key UNIQUE (name, language)
);
COMMENT ON TABLE @extschema@.whatsapp_templates IS 'Message templates approved by WhatsApp (message_type template)';

CREATE TABLE @extschema@.whatsapp_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  whatsapp_account_id uuid NOT NULL,
  trip_id uuid,
  template_id uuid,
  direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  message_type text NOT NULL CHECK (message_type IN ('text', 'image', 'location', 'template')),
  content text NOT NULL,
  media_url text,
  external_id text UNIQUE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed')),
  -- Not before: the end of the recipient's quiet hours.
  send_after timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_reason text,
  retry_count integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_whatsapp_messages_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_whatsapp_messages_whatsapp_account_id FOREIGN KEY (whatsapp_account_id)
    REFERENCES @extschema@.whatsapp_accounts (id) ON DELETE CASCADE,
  CONSTRAINT fk_whatsapp_messages_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE,
  CONSTRAINT fk_whatsapp_messages_template_id FOREIGN KEY (template_id)
    REFERENCES @extschema@.whatsapp_templates (id) ON DELETE SET NULL
);
COMMENT ON TABLE @extschema@.whatsapp_messages IS 'Messages; status only moves forward (pending < sent < delivered < read; failed is terminal unless retried)';
CREATE INDEX idx_whatsapp_messages_user_id_created_at ON @extschema@.whatsapp_messages (user_id, created_at DESC);
CREATE INDEX idx_whatsapp_messages_whatsapp_account_id ON @extschema@.whatsapp_messages (whatsapp_account_id);
CREATE INDEX idx_whatsapp_messages_trip_id ON @extschema@.whatsapp_messages (trip_id);
CREATE INDEX idx_whatsapp_messages_template_id ON @extschema@.whatsapp_messages (template_id);
CREATE INDEX idx_whatsapp_messages_pending ON @extschema@.whatsapp_messages (send_after) WHERE status = 'pending';

CREATE TABLE @extschema@.whatsapp_webhook_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider_event_id text NOT NULL UNIQUE,
  external_id text,
  status text,
  payload jsonb NOT NULL,
  processed boolean NOT NULL DEFAULT false,
  processed_at timestamptz,
  error_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.whatsapp_webhook_events IS 'Every provider status webhook once (by its event id)';
CREATE INDEX idx_whatsapp_webhook_events_external_id ON @extschema@.whatsapp_webhook_events (external_id);

CREATE TABLE @extschema@.notification_preferences (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL UNIQUE,
  trip_reminders boolean NOT NULL DEFAULT true,
  booking_confirmations boolean NOT NULL DEFAULT true,
  itinerary_updates boolean NOT NULL DEFAULT true,
  budget_alerts boolean NOT NULL DEFAULT true,
  ai_suggestions boolean NOT NULL DEFAULT true,
  collaborator_updates boolean NOT NULL DEFAULT true,
  marketing boolean NOT NULL DEFAULT false,
  quiet_hours_enabled boolean NOT NULL DEFAULT false,
  quiet_hours_start time,
  quiet_hours_end time,
  -- An IANA zone name; an unknown one is refused (22023) by the CHECK.
  timezone text NOT NULL DEFAULT 'UTC' CHECK ((now() AT TIME ZONE timezone) IS NOT NULL),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_notification_preferences_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT notification_preferences_quiet_hours CHECK (NOT quiet_hours_enabled
    OR (quiet_hours_start IS NOT NULL AND quiet_hours_end IS NOT NULL))
);
COMMENT ON TABLE @extschema@.notification_preferences IS 'One row per user (created on sign-up): what they want to receive, and when not';

CREATE TABLE @extschema@.automation_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  description text,
  trigger_type text NOT NULL CHECK (trigger_type IN ('trip_start', 'trip_end', 'booking_pending', 'budget_exceeded', 'schedule')),
  trigger_config jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(trigger_config) = 'object'),
  action_type text NOT NULL CHECK (action_type IN ('send_whatsapp', 'send_email', 'run_ai_agent', 'update_trip')),
  action_config jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_active boolean NOT NULL DEFAULT true,
  last_triggered_at timestamptz,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_automation_rules_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.automation_rules IS 'A user''s automations: trip_start / trip_end rules plan scheduled jobs from trip dates (days_before, days_after, send_at)';
CREATE INDEX idx_automation_rules_user_id ON @extschema@.automation_rules (user_id);

CREATE TABLE @extschema@.scheduled_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  automation_rule_id uuid,
  trip_id uuid,
  job_type text NOT NULL,
  priority integer NOT NULL DEFAULT 0,
  scheduled_for timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
  retry_count integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
  max_retries integer NOT NULL DEFAULT 3 CHECK (max_retries >= 0),
  next_attempt_at timestamptz,
  locked_at timestamptz,
  result jsonb,
  error_message text,
  executed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_scheduled_jobs_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_scheduled_jobs_automation_rule_id FOREIGN KEY (automation_rule_id)
    REFERENCES @extschema@.automation_rules (id) ON DELETE CASCADE,
  CONSTRAINT fk_scheduled_jobs_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.scheduled_jobs IS 'Work due at a time: claimed by workers with FOR UPDATE SKIP LOCKED, retried with backoff up to max_retries';
CREATE INDEX idx_scheduled_jobs_user_id ON @extschema@.scheduled_jobs (user_id);
CREATE INDEX idx_scheduled_jobs_automation_rule_id ON @extschema@.scheduled_jobs (automation_rule_id);
CREATE INDEX idx_scheduled_jobs_trip_id ON @extschema@.scheduled_jobs (trip_id);
CREATE INDEX idx_scheduled_jobs_due ON @extschema@.scheduled_jobs (priority DESC, scheduled_for) WHERE status = 'pending';

CREATE TABLE @extschema@.delivery_logs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  whatsapp_message_id uuid,
  channel text NOT NULL CHECK (channel IN ('whatsapp', 'email', 'push', 'sms')),
  recipient text NOT NULL,
  status text NOT NULL CHECK (status IN ('sent', 'delivered', 'failed', 'bounced')),
  provider_response jsonb,
  error_message text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_delivery_logs_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_delivery_logs_whatsapp_message_id FOREIGN KEY (whatsapp_message_id)
    REFERENCES @extschema@.whatsapp_messages (id) ON DELETE SET NULL
);
COMMENT ON TABLE @extschema@.delivery_logs IS 'What each channel''s provider answered';
CREATE INDEX idx_delivery_logs_user_id ON @extschema@.delivery_logs (user_id);
CREATE INDEX idx_delivery_logs_whatsapp_message_id ON @extschema@.delivery_logs (whatsapp_message_id);

-- Users who signed up before this stage get default preferences.
INSERT INTO @extschema@.notification_preferences (user_id) SELECT id FROM auth.users;

SELECT pg_catalog.pg_extension_config_dump('@extschema@.whatsapp_accounts', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.whatsapp_templates', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.whatsapp_messages', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.whatsapp_webhook_events', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.notification_preferences', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.automation_rules', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.scheduled_jobs', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.delivery_logs', '');
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
  'AFTER INSERT / UPDATE ON automation_rules, or AFTER UPDATE ON trips when dates changed (statement): re-plans the pending jobs of trip_start / trip_end rules from trip dates';

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
-- ---------------------------------------------------------------------------
-- Privileges and RLS. Users read their own rows and edit their preferences
-- and automations; opt-in goes through set_whatsapp_opt_in(); verification,
-- messages, jobs and delivery logs are the service's.
-- ---------------------------------------------------------------------------
REVOKE ALL ON @extschema@.whatsapp_accounts, @extschema@.whatsapp_templates, @extschema@.whatsapp_messages,
  @extschema@.whatsapp_webhook_events, @extschema@.notification_preferences, @extschema@.automation_rules,
  @extschema@.scheduled_jobs, @extschema@.delivery_logs
FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.whatsapp_accounts, @extschema@.whatsapp_templates, @extschema@.whatsapp_messages,
  @extschema@.whatsapp_webhook_events, @extschema@.notification_preferences, @extschema@.automation_rules,
  @extschema@.scheduled_jobs, @extschema@.delivery_logs
TO service_role;
GRANT SELECT (id, user_id, phone_number, country_code, is_verified, verification_expires_at, opt_in_status,
              opted_in_at, opted_out_at, metadata, created_at, updated_at)
  ON @extschema@.whatsapp_accounts TO authenticated;
GRANT SELECT ON @extschema@.whatsapp_templates, @extschema@.whatsapp_messages, @extschema@.notification_preferences,
  @extschema@.automation_rules, @extschema@.scheduled_jobs, @extschema@.delivery_logs TO authenticated;
GRANT UPDATE (trip_reminders, booking_confirmations, itinerary_updates, budget_alerts, ai_suggestions,
              collaborator_updates, marketing, quiet_hours_enabled, quiet_hours_start, quiet_hours_end, timezone)
  ON @extschema@.notification_preferences TO authenticated;
GRANT INSERT (id, user_id, name, description, trigger_type, trigger_config, action_type, action_config, is_active, metadata),
      UPDATE (name, description, trigger_type, trigger_config, action_type, action_config, is_active, metadata),
      DELETE
  ON @extschema@.automation_rules TO authenticated;

ALTER TABLE @extschema@.whatsapp_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.whatsapp_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.whatsapp_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.whatsapp_webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.notification_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.automation_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.scheduled_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.delivery_logs ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Users can view their own WhatsApp account" ON @extschema@.whatsapp_accounts
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Signed-in users can view approved templates" ON @extschema@.whatsapp_templates
  FOR SELECT TO authenticated USING (status = 'approved');
CREATE POLICY "Users can view their own WhatsApp messages" ON @extschema@.whatsapp_messages
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Only the service reads webhook events" ON @extschema@.whatsapp_webhook_events
  FOR SELECT TO service_role USING (true);
CREATE POLICY "Users can view their own notification preferences" ON @extschema@.notification_preferences
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can update their own notification preferences" ON @extschema@.notification_preferences
  FOR UPDATE TO authenticated USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own automations" ON @extschema@.automation_rules
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can create automations" ON @extschema@.automation_rules
  FOR INSERT TO authenticated WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can update their own automations" ON @extschema@.automation_rules
  FOR UPDATE TO authenticated USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can delete their own automations" ON @extschema@.automation_rules
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own scheduled jobs" ON @extschema@.scheduled_jobs
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own delivery logs" ON @extschema@.delivery_logs
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

ALTER PUBLICATION supabase_realtime ADD TABLE @extschema@.whatsapp_messages;
-- ---------------------------------------------------------------------------
-- API. The service's steps (webhooks, sending, workers) are executable by
-- service_role only; users opt in and out themselves.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.handle_whatsapp_webhook(p_event jsonb) RETURNS @extschema@.whatsapp_webhook_events
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.ingest_whatsapp_status(p_event);
END;
COMMENT ON FUNCTION @extschema@.handle_whatsapp_webhook(jsonb) IS
  'A provider status report {id, message_id, status, error}: recorded once by id; the message''s status only moves forward';

CREATE FUNCTION @extschema@.queue_whatsapp_message(p_user_id uuid, p_category text, p_content text,
                                                  p_trip_id uuid DEFAULT NULL, p_message_type text DEFAULT 'text',
                                                  p_template_id uuid DEFAULT NULL)
RETURNS @extschema@.whatsapp_messages
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.queue_whatsapp_message(p_user_id, p_category, p_content, p_trip_id, p_message_type,
                                                       p_template_id);
END;
COMMENT ON FUNCTION @extschema@.queue_whatsapp_message(uuid, text, text, uuid, text, uuid) IS
  'Queues an outbound message if the user opted in and wants this category (trip_reminders, booking_confirmations, itinerary_updates, budget_alerts, ai_suggestions, collaborator_updates, marketing); during their quiet hours send_after is the window''s end in their time zone';

CREATE FUNCTION @extschema@.retry_whatsapp_message(p_message_id uuid) RETURNS @extschema@.whatsapp_messages
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.retry_whatsapp_message(p_message_id);
END;

CREATE FUNCTION @extschema@.claim_scheduled_jobs(p_limit integer DEFAULT 10) RETURNS SETOF @extschema@.scheduled_jobs
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  UPDATE @extschema@.scheduled_jobs j SET status = 'running', locked_at = now()
   WHERE j.id IN (SELECT d.id FROM @extschema@.scheduled_jobs d
                   WHERE d.status = 'pending' AND d.scheduled_for <= now()
                     AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now())
                   ORDER BY d.priority DESC, d.scheduled_for
                   LIMIT greatest(p_limit, 0)
                   FOR UPDATE SKIP LOCKED)
  RETURNING j.*;
END;
COMMENT ON FUNCTION @extschema@.claim_scheduled_jobs(integer) IS
  'For workers: takes up to p_limit due jobs (priority, then time), skipping those another worker holds: no job runs twice';

CREATE FUNCTION @extschema@.complete_scheduled_job(p_job_id uuid, p_succeeded boolean, p_result jsonb DEFAULT NULL,
                                                  p_error text DEFAULT NULL)
RETURNS @extschema@.scheduled_jobs
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.complete_scheduled_job(p_job_id, p_succeeded, p_result, p_error);
END;
COMMENT ON FUNCTION @extschema@.complete_scheduled_job(uuid, boolean, jsonb, text) IS
  'For workers: a claimed job succeeded (completed) or failed (pending again after 60 s x 2^retries, capped at 1 h, until max_retries; then failed)';

CREATE FUNCTION @extschema@.set_whatsapp_opt_in(p_opt_in boolean) RETURNS @extschema@.whatsapp_accounts
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.set_whatsapp_opt_in(p_opt_in);
END;
COMMENT ON FUNCTION @extschema@.set_whatsapp_opt_in(boolean) IS
  'The caller opts in to (a verified number only) or out of WhatsApp messages';

REVOKE ALL ON FUNCTION @extschema@.handle_whatsapp_webhook(jsonb),
  @extschema@.queue_whatsapp_message(uuid, text, text, uuid, text, uuid), @extschema@.retry_whatsapp_message(uuid),
  @extschema@.claim_scheduled_jobs(integer), @extschema@.complete_scheduled_job(uuid, boolean, jsonb, text),
  @extschema@.set_whatsapp_opt_in(boolean)
FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION @extschema@.handle_whatsapp_webhook(jsonb),
  @extschema@.queue_whatsapp_message(uuid, text, text, uuid, text, uuid), @extschema@.retry_whatsapp_message(uuid),
  @extschema@.claim_scheduled_jobs(integer), @extschema@.complete_scheduled_job(uuid, boolean, jsonb, text)
TO service_role;
GRANT EXECUTE ON FUNCTION @extschema@.set_whatsapp_opt_in(boolean) TO authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Appended by the build to every install and update script of every system
-- (cmake/PgSystem.cmake, mk/system.mk).
--
-- A trusted extension's script runs as the bootstrap superuser, so the tables
-- it creates would be the superuser's. Where a non-superuser installed the
-- extension (on Supabase: postgres), the tables in the extension's schema
-- are handed to that owner, so the project's owner can do with them what
-- Supabase users do with their tables: add their own policies, indexes and
-- columns, and add them to the supabase_realtime publication. The internal
-- schema and everything in it stay the superuser's; the functions stay the
-- superuser's too (SECURITY DEFINER steps and triggers run as it). Nothing
-- changes where a superuser installed.
-- ---------------------------------------------------------------------------
DO $hand_over_tables$
DECLARE
  member record;
BEGIN
  FOR member IN
    SELECT c.oid::pg_catalog.regclass AS rel, e.extowner
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_depend d
        ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e'
       AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
      JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
     WHERE c.relnamespace = '@extschema@'::pg_catalog.regnamespace AND c.relkind IN ('r', 'p')
       AND c.relowner <> e.extowner
       AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE oid = e.extowner)
     ORDER BY c.oid
  LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s OWNER TO %I', member.rel, pg_catalog.pg_get_userbyid(member.extowner));
  END LOOP;
END
$hand_over_tables$;
