-- =============================================================================
-- esim_admin: the seed's 20 tables (seed 001, eSIM reselling admin panel)
--
-- Column for column as the seed gives them: names, order, types (TIMESTAMP is
-- timestamptz, DECIMAL is numeric with the seed's precision, ENUM columns use
-- the types of 10_types.sql), NOT NULL, UNIQUE, DEFAULT and foreign keys.
-- Departures, applied throughout and stated in docs/design.md:
--   * deleted_at timestamptz on every table users or staff delete from (the
--     seed's "soft deletes"); a DELETE through the API sets it instead;
--   * a column with a DEFAULT that a figure, a status or a policy depends on
--     (counters, money, flags, statuses, created_at/updated_at) is also NOT
--     NULL: a NULL there would escape every check and every sum;
--   * CHECKs keep money and counters in range; the C++ triggers give the
--     precise error first;
--   * every foreign key has an index (the seed's "indexed automatically"),
--     named idx_<table>_<column> like the seed's own.
-- Tables, in creation (foreign key) order:
--   users, kyc_documents, plans, esims, esim_data_usage, plan_pricing,
--   promotional_codes, transactions, refunds, twilio_config, data_providers,
--   data_allocations, email_templates, notifications, support_tickets,
--   ticket_messages, knowledge_base, analytics_events, revenue_reports,
--   system_settings
-- =============================================================================

-- 1. Users & Authentication ----------------------------------------------------
CREATE TABLE @extschema@.users (
  id uuid PRIMARY KEY,
  email varchar(255) UNIQUE NOT NULL,
  password_hash varchar(255) NOT NULL DEFAULT '!'
    CHECK (password_hash = '!' OR password_hash ~ '^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$'),
  first_name varchar(100) NOT NULL,
  last_name varchar(100) NOT NULL,
  phone varchar(20),
  status @extschema@.user_status NOT NULL DEFAULT 'active',
  role @extschema@.user_role NOT NULL DEFAULT 'customer',
  kyc_status @extschema@.kyc_status NOT NULL DEFAULT 'pending',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_login timestamptz,
  deleted_at timestamptz
);
COMMENT ON TABLE @extschema@.users IS
  'The panel''s user record; id is the auth.users id (a row is created on sign-up); role drives every policy';
COMMENT ON COLUMN @extschema@.users.password_hash IS
  'bcrypt hash (pgcrypto crypt, $2a$) of an imported account''s password; ''!'' when Supabase Auth holds the password. A plain value written here is hashed. No API role can read it.';
CREATE INDEX idx_users_status ON @extschema@.users (status);
CREATE INDEX idx_users_role ON @extschema@.users (role);
CREATE INDEX idx_users_created_at ON @extschema@.users (created_at);
CREATE INDEX idx_users_phone ON @extschema@.users (phone);

CREATE TABLE @extschema@.kyc_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES @extschema@.users (id) ON DELETE CASCADE,
  document_type @extschema@.kyc_document_type NOT NULL,
  document_url text NOT NULL,
  status @extschema@.kyc_document_status NOT NULL DEFAULT 'pending',
  verified_by uuid REFERENCES @extschema@.users (id) ON DELETE SET NULL,
  verified_at timestamptz,
  rejection_reason text,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX idx_kyc_documents_user_id ON @extschema@.kyc_documents (user_id);
CREATE INDEX idx_kyc_documents_status ON @extschema@.kyc_documents (status);
CREATE INDEX idx_kyc_documents_verified_by ON @extschema@.kyc_documents (verified_by);

-- 3. Plans (before esims, which reference them) ---------------------------------
CREATE TABLE @extschema@.plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(100) NOT NULL,
  description text,
  data_limit_mb numeric(10,2) CHECK (data_limit_mb > 0),
  voice_minutes integer NOT NULL DEFAULT 0 CHECK (voice_minutes >= 0),
  sms_count integer NOT NULL DEFAULT 0 CHECK (sms_count >= 0),
  validity_days integer NOT NULL CHECK (validity_days > 0),
  regions jsonb CHECK (regions IS NULL OR jsonb_typeof(regions) = 'array'),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
COMMENT ON COLUMN @extschema@.plans.data_limit_mb IS 'Data limit in MB; NULL = unlimited';
CREATE INDEX idx_plans_is_active ON @extschema@.plans (is_active);
CREATE INDEX idx_plans_created_at ON @extschema@.plans (created_at);

-- 2. eSIM Management -----------------------------------------------------------
CREATE TABLE @extschema@.esims (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  iccid varchar(22) UNIQUE NOT NULL CHECK (iccid ~ '^[0-9]{18,22}$'),
  eid varchar(32),
  user_id uuid REFERENCES @extschema@.users (id) ON DELETE SET NULL,
  plan_id uuid REFERENCES @extschema@.plans (id),
  twilio_sid varchar(100) UNIQUE,
  status @extschema@.esim_status NOT NULL DEFAULT 'available',
  activation_code varchar(100),
  qr_code_url text,
  activated_at timestamptz,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CHECK (expires_at IS NULL OR activated_at IS NULL OR expires_at > activated_at)
);
CREATE INDEX idx_esims_user_id ON @extschema@.esims (user_id);
CREATE INDEX idx_esims_status ON @extschema@.esims (status);
CREATE INDEX idx_esims_plan_id ON @extschema@.esims (plan_id);
-- The stock a purchase draws from: available, unassigned eSIMs of a plan.
CREATE INDEX idx_esims_stock ON @extschema@.esims (plan_id, created_at)
  WHERE status = 'available' AND user_id IS NULL AND deleted_at IS NULL;

-- eSIMs active at an instant (reports): those expiring after it, and those
-- that never expire.
CREATE INDEX idx_esims_expires_at ON @extschema@.esims (expires_at) INCLUDE (activated_at, status)
  WHERE deleted_at IS NULL;
CREATE INDEX idx_esims_unexpiring ON @extschema@.esims (activated_at) INCLUDE (status)
  WHERE expires_at IS NULL AND deleted_at IS NULL;

CREATE TABLE @extschema@.esim_data_usage (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  esim_id uuid NOT NULL REFERENCES @extschema@.esims (id) ON DELETE CASCADE,
  data_used_mb numeric(10,2) NOT NULL CHECK (data_used_mb >= 0),
  data_limit_mb numeric(10,2) CHECK (data_limit_mb > 0),
  voice_minutes integer NOT NULL DEFAULT 0 CHECK (voice_minutes >= 0),
  sms_count integer NOT NULL DEFAULT 0 CHECK (sms_count >= 0),
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (period_end > period_start)
);
CREATE INDEX idx_esim_data_usage_esim_id ON @extschema@.esim_data_usage (esim_id);
CREATE INDEX idx_esim_data_usage_period_start ON @extschema@.esim_data_usage (period_start);
CREATE INDEX idx_esim_data_usage_period_end ON @extschema@.esim_data_usage (period_end);

CREATE TABLE @extschema@.plan_pricing (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id uuid NOT NULL REFERENCES @extschema@.plans (id) ON DELETE CASCADE,
  region varchar(50),
  cost_price numeric(10,2) NOT NULL CHECK (cost_price >= 0),
  selling_price numeric(10,2) NOT NULL CHECK (selling_price >= 0),
  markup_percentage numeric(5,2),
  currency varchar(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  effective_from timestamptz NOT NULL,
  effective_to timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);
COMMENT ON TABLE @extschema@.plan_pricing IS
  'At most one price per (plan, region) is in force at any instant: ranges [effective_from, effective_to) of live rows never overlap (trg_plan_pricing_no_overlap); a NULL region is the plan''s default price, a region of its own';
CREATE INDEX idx_plan_pricing_plan_id ON @extschema@.plan_pricing (plan_id);
CREATE INDEX idx_plan_pricing_region ON @extschema@.plan_pricing (region);
CREATE INDEX idx_plan_pricing_effective_from ON @extschema@.plan_pricing (effective_from);

CREATE TABLE @extschema@.promotional_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code varchar(50) UNIQUE NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]+$'),
  discount_type @extschema@.discount_type NOT NULL,
  discount_value numeric(10,2) NOT NULL CHECK (discount_value > 0),
  max_uses integer CHECK (max_uses >= 1),
  used_count integer NOT NULL DEFAULT 0 CHECK (used_count >= 0 AND (max_uses IS NULL OR used_count <= max_uses)),
  valid_from timestamptz NOT NULL,
  valid_to timestamptz NOT NULL,
  applicable_plans jsonb CHECK (applicable_plans IS NULL OR jsonb_typeof(applicable_plans) = 'array'),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CHECK (valid_to > valid_from),
  CHECK (discount_type <> 'percentage' OR discount_value <= 100)
);
COMMENT ON COLUMN @extschema@.promotional_codes.used_count IS
  'Transactions holding a use of the code (pending, completed or refunded, archived ones included); kept by the system, never above max_uses';
CREATE INDEX idx_promotional_codes_is_active ON @extschema@.promotional_codes (is_active);
CREATE INDEX idx_promotional_codes_valid_from ON @extschema@.promotional_codes (valid_from);
CREATE INDEX idx_promotional_codes_valid_to ON @extschema@.promotional_codes (valid_to);

-- 4. Payments & Transactions ----------------------------------------------------
CREATE TABLE @extschema@.transactions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid REFERENCES @extschema@.users (id),
  -- One purchase transaction per eSIM (esims ||--|| transactions).
  esim_id uuid UNIQUE REFERENCES @extschema@.esims (id),
  plan_id uuid REFERENCES @extschema@.plans (id),
  amount numeric(10,2) NOT NULL CHECK (amount >= 0),
  currency varchar(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  payment_method @extschema@.payment_method NOT NULL,
  payment_gateway varchar(50),
  gateway_transaction_id varchar(255),
  status @extschema@.transaction_status NOT NULL DEFAULT 'pending',
  promo_code_id uuid REFERENCES @extschema@.promotional_codes (id),
  discount_amount numeric(10,2) NOT NULL DEFAULT 0 CHECK (discount_amount >= 0 AND discount_amount <= amount),
  tax_amount numeric(10,2) NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
  total_amount numeric(10,2) NOT NULL CHECK (total_amount = amount - discount_amount + tax_amount),
  invoice_url text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  deleted_at timestamptz,
  CHECK ((status IN ('completed', 'refunded')) = (completed_at IS NOT NULL)),
  CHECK (isfinite(completed_at))
);
COMMENT ON COLUMN @extschema@.transactions.total_amount IS
  'amount - discount_amount + tax_amount, computed by the database (a client value is overwritten)';
CREATE INDEX idx_transactions_user_id ON @extschema@.transactions (user_id);
CREATE INDEX idx_transactions_status ON @extschema@.transactions (status);
CREATE INDEX idx_transactions_created_at ON @extschema@.transactions (created_at);
CREATE INDEX idx_transactions_gateway_transaction_id ON @extschema@.transactions (gateway_transaction_id);
CREATE INDEX idx_transactions_plan_id ON @extschema@.transactions (plan_id);
CREATE INDEX idx_transactions_promo_code_id ON @extschema@.transactions (promo_code_id);
-- Revenue: completed purchases by completion time, the figures in the index.
CREATE INDEX idx_transactions_revenue ON @extschema@.transactions (completed_at)
  INCLUDE (total_amount, plan_id)
  WHERE status IN ('completed', 'refunded') AND deleted_at IS NULL;

CREATE TABLE @extschema@.refunds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  transaction_id uuid NOT NULL REFERENCES @extschema@.transactions (id) ON DELETE CASCADE,
  amount numeric(10,2) NOT NULL CHECK (amount > 0),
  reason text,
  status @extschema@.refund_status NOT NULL DEFAULT 'pending',
  processed_by uuid REFERENCES @extschema@.users (id) ON DELETE SET NULL,
  gateway_refund_id varchar(255),
  created_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  CHECK ((status = 'pending') = (processed_at IS NULL))
);
CREATE INDEX idx_refunds_transaction_id ON @extschema@.refunds (transaction_id);
CREATE INDEX idx_refunds_status ON @extschema@.refunds (status);
CREATE INDEX idx_refunds_created_at ON @extschema@.refunds (created_at);
CREATE INDEX idx_refunds_processed_by ON @extschema@.refunds (processed_by);
CREATE INDEX idx_refunds_processed_at ON @extschema@.refunds (processed_at) INCLUDE (amount)
  WHERE status = 'processed';

-- 5. Integrations ------------------------------------------------------------------
CREATE TABLE @extschema@.twilio_config (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_sid varchar(100) UNIQUE NOT NULL,
  auth_token_encrypted text NOT NULL,
  api_key varchar(100),
  api_secret_encrypted text,
  webhook_url text,
  is_active boolean NOT NULL DEFAULT true,
  last_sync_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
COMMENT ON COLUMN @extschema@.twilio_config.auth_token_encrypted IS
  'pgcrypto ciphertext (pgp_sym_encrypt, base64, prefix enc:v1:); a plain value written here is encrypted; read with reveal_twilio_config() (service role, logged)';

CREATE TABLE @extschema@.data_providers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(100) NOT NULL,
  api_endpoint text NOT NULL,
  api_key_encrypted text NOT NULL,
  provider_type varchar(50),
  priority integer NOT NULL DEFAULT 1 CHECK (priority >= 1),
  is_active boolean NOT NULL DEFAULT true,
  available_data_gb numeric(10,2) CHECK (available_data_gb >= 0),
  cost_per_gb numeric(10,2) CHECK (cost_per_gb >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
COMMENT ON COLUMN @extschema@.data_providers.available_data_gb IS
  'Data left in the provider''s pool; each allocation draws from it (never below zero); NULL = not metered';
CREATE INDEX idx_data_providers_is_active ON @extschema@.data_providers (is_active);
CREATE INDEX idx_data_providers_priority ON @extschema@.data_providers (priority);

CREATE TABLE @extschema@.data_allocations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  esim_id uuid NOT NULL REFERENCES @extschema@.esims (id) ON DELETE CASCADE,
  provider_id uuid NOT NULL REFERENCES @extschema@.data_providers (id),
  allocated_mb numeric(10,2) NOT NULL CHECK (allocated_mb > 0),
  used_mb numeric(10,2) NOT NULL DEFAULT 0 CHECK (used_mb >= 0 AND used_mb <= allocated_mb),
  cost numeric(10,2) NOT NULL CHECK (cost >= 0),
  allocated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_data_allocations_esim_id ON @extschema@.data_allocations (esim_id);
CREATE INDEX idx_data_allocations_provider_id ON @extschema@.data_allocations (provider_id);
CREATE INDEX idx_data_allocations_allocated_at ON @extschema@.data_allocations (allocated_at) INCLUDE (cost);

-- 6. Notifications & Communications -------------------------------------------------
CREATE TABLE @extschema@.email_templates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(100) UNIQUE NOT NULL,
  subject varchar(255) NOT NULL,
  body_html text NOT NULL,
  body_text text,
  template_type @extschema@.email_template_type NOT NULL,
  variables jsonb CHECK (variables IS NULL OR jsonb_typeof(variables) = 'array'),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
COMMENT ON COLUMN @extschema@.email_templates.variables IS
  'The variable names the template may use ({{name}} in subject, body_html, body_text), a JSON array of strings';

CREATE TABLE @extschema@.notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES @extschema@.users (id) ON DELETE CASCADE,
  type @extschema@.notification_type NOT NULL,
  template_id uuid REFERENCES @extschema@.email_templates (id) ON DELETE SET NULL,
  subject varchar(255),
  message text NOT NULL,
  status @extschema@.notification_status NOT NULL DEFAULT 'pending',
  sent_at timestamptz,
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CHECK ((status = 'read') = (read_at IS NOT NULL))
);
CREATE INDEX idx_notifications_user_id ON @extschema@.notifications (user_id);
CREATE INDEX idx_notifications_type ON @extschema@.notifications (type);
CREATE INDEX idx_notifications_status ON @extschema@.notifications (status);
CREATE INDEX idx_notifications_created_at ON @extschema@.notifications (created_at);
CREATE INDEX idx_notifications_template_id ON @extschema@.notifications (template_id);
CREATE INDEX idx_notifications_read_at ON @extschema@.notifications (read_at) WHERE read_at IS NOT NULL;

-- 7. Support System -------------------------------------------------------------------
CREATE TABLE @extschema@.support_tickets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_number varchar(20) UNIQUE NOT NULL,
  user_id uuid NOT NULL REFERENCES @extschema@.users (id) ON DELETE CASCADE,
  assigned_to uuid REFERENCES @extschema@.users (id) ON DELETE SET NULL,
  subject varchar(255) NOT NULL,
  description text NOT NULL,
  priority @extschema@.ticket_priority NOT NULL DEFAULT 'medium',
  status @extschema@.ticket_status NOT NULL DEFAULT 'open',
  category varchar(50),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  deleted_at timestamptz,
  CHECK ((status IN ('resolved', 'closed')) = (resolved_at IS NOT NULL))
);
COMMENT ON COLUMN @extschema@.support_tickets.ticket_number IS
  'TKT-<year>-<six-digit sequence>, allocated by the database without gaps or duplicates';
CREATE INDEX idx_support_tickets_user_id ON @extschema@.support_tickets (user_id);
CREATE INDEX idx_support_tickets_assigned_to ON @extschema@.support_tickets (assigned_to);
CREATE INDEX idx_support_tickets_status ON @extschema@.support_tickets (status);
CREATE INDEX idx_support_tickets_priority ON @extschema@.support_tickets (priority);

CREATE TABLE @extschema@.ticket_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id uuid NOT NULL REFERENCES @extschema@.support_tickets (id) ON DELETE CASCADE,
  sender_id uuid REFERENCES @extschema@.users (id) ON DELETE SET NULL,
  message text NOT NULL,
  attachments jsonb CHECK (attachments IS NULL OR jsonb_typeof(attachments) = 'array'),
  is_internal boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX idx_ticket_messages_ticket_id ON @extschema@.ticket_messages (ticket_id);
CREATE INDEX idx_ticket_messages_created_at ON @extschema@.ticket_messages (created_at);
CREATE INDEX idx_ticket_messages_sender_id ON @extschema@.ticket_messages (sender_id);

CREATE TABLE @extschema@.knowledge_base (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title varchar(255) NOT NULL,
  slug varchar(255) UNIQUE NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  content text NOT NULL,
  category varchar(100),
  tags jsonb CHECK (tags IS NULL OR jsonb_typeof(tags) = 'array'),
  views integer NOT NULL DEFAULT 0 CHECK (views >= 0),
  is_published boolean NOT NULL DEFAULT false,
  author_id uuid REFERENCES @extschema@.users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX idx_knowledge_base_category ON @extschema@.knowledge_base (category);
CREATE INDEX idx_knowledge_base_is_published ON @extschema@.knowledge_base (is_published);
CREATE INDEX idx_knowledge_base_author_id ON @extschema@.knowledge_base (author_id);

-- 8. Analytics & Reports ---------------------------------------------------------------
CREATE TABLE @extschema@.analytics_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_type varchar(100) NOT NULL,
  user_id uuid REFERENCES @extschema@.users (id) ON DELETE SET NULL,
  esim_id uuid REFERENCES @extschema@.esims (id) ON DELETE SET NULL,
  metadata jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_analytics_events_event_type ON @extschema@.analytics_events (event_type);
CREATE INDEX idx_analytics_events_user_id ON @extschema@.analytics_events (user_id);
CREATE INDEX idx_analytics_events_created_at ON @extschema@.analytics_events (created_at);
CREATE INDEX idx_analytics_events_esim_id ON @extschema@.analytics_events (esim_id);

CREATE TABLE @extschema@.revenue_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  period_type @extschema@.report_period_type NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  total_revenue numeric(12,2) NOT NULL,
  total_cost numeric(12,2) NOT NULL,
  profit numeric(12,2) NOT NULL,
  transaction_count integer NOT NULL CHECK (transaction_count >= 0),
  new_users integer NOT NULL DEFAULT 0 CHECK (new_users >= 0),
  active_esims integer NOT NULL DEFAULT 0 CHECK (active_esims >= 0),
  generated_at timestamptz NOT NULL DEFAULT now(),
  -- Regenerating a period replaces its report.
  CONSTRAINT revenue_reports_one_per_period UNIQUE (period_type, period_start),
  CHECK (period_end >= period_start),
  CHECK (profit = total_revenue - total_cost)
);
CREATE INDEX idx_revenue_reports_period_start ON @extschema@.revenue_reports (period_start);
CREATE INDEX idx_revenue_reports_period_end ON @extschema@.revenue_reports (period_end);

-- 9. System Settings -----------------------------------------------------------------------
CREATE TABLE @extschema@.system_settings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key varchar(100) UNIQUE NOT NULL CHECK (key ~ '^[a-z0-9_.]+$'),
  value text,
  data_type @extschema@.setting_data_type NOT NULL,
  category varchar(50),
  description text,
  is_public boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX idx_system_settings_category ON @extschema@.system_settings (category);
