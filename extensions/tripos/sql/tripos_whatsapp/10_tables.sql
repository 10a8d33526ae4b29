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
COMMENT ON TABLE @extschema@.automation_rules IS 'A user''s automations: trip_start / trip_end rules plan scheduled jobs from trip dates (days_before, days_after, send_at); budget_exceeded rules (threshold_percent 80 or 100, default 100) get a job due at once when a trip''s spending crosses that share of its budget (with tripos_collab); booking_pending rules when an item''s booking becomes pending; schedule rules run on trigger_config.cron (five cron fields in the owner''s time zone), each claimed run planning the next';
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
