-- ---------------------------------------------------------------------------
-- Types and tables: upstream's 16 tables in their final state (spec section 1),
-- with the departures of section 4 (docs/design.md lists them).
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.block_type AS ENUM (
  'cost', 'markup', 'discount', 'unused_days_discount', 'psychological_rounding',
  'region_rounding', 'profit_constraint', 'processing_fee', 'custom');
COMMENT ON TYPE @extschema@.block_type IS 'Category of a pricing block (pricing_blocks.category)';

-- Upstream's values plus the two its shipped rules use; upstream's underscore
-- spellings are accepted by import_pricing_block().
CREATE TYPE @extschema@.event_type AS ENUM (
  'set-base-price', 'apply-markup', 'apply-discount', 'apply-unused-days-discount',
  'apply-psychological-rounding', 'apply-region-rounding', 'apply-profit-constraint',
  'apply-processing-fee', 'select-provider', 'apply-fixed-price');
COMMENT ON TYPE @extschema@.event_type IS 'What a pricing block does when its conditions hold (pricing_blocks.event_type)';

CREATE TABLE @extschema@.profiles (
  id uuid PRIMARY KEY REFERENCES auth.users(id) ON DELETE CASCADE,
  first_name text,
  last_name text,
  phone text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.profiles IS 'One row per auth user, created on sign-up from auth.users (first_name, last_name from user metadata, phone)';

CREATE TABLE @extschema@.data_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar NOT NULL,
  description text,
  countries json NOT NULL,
  region varchar NOT NULL,
  duration integer NOT NULL CHECK (duration > 0),
  price numeric(10,2) NOT NULL CHECK (price >= 0),
  is_unlimited boolean DEFAULT true,
  bundle_group varchar,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_data_plans_bundle_group ON @extschema@.data_plans (bundle_group);
CREATE INDEX idx_data_plans_name ON @extschema@.data_plans (name);
CREATE INDEX idx_data_plans_region ON @extschema@.data_plans (region);

CREATE TABLE @extschema@.esim_orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NULL once the customer deleted their account: the order is kept (books)
  user_id uuid REFERENCES auth.users(id) ON DELETE SET NULL,
  reference varchar NOT NULL UNIQUE,
  status varchar NOT NULL DEFAULT 'PROCESSING'
    CONSTRAINT valid_order_status CHECK (status IN ('PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'REFUNDED')),
  data_plan_id uuid,
  quantity integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
  total_price numeric(10,2) NOT NULL CHECK (total_price >= 0),
  esim_go_order_ref varchar,
  plan_data jsonb,
  pricing_breakdown jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_esim_orders_created_at ON @extschema@.esim_orders (created_at DESC);
CREATE INDEX idx_esim_orders_status ON @extschema@.esim_orders (status);
CREATE INDEX idx_esim_orders_user_id ON @extschema@.esim_orders (user_id);

CREATE TABLE @extschema@.esims (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NULL once the customer deleted their account (ICCID kept for the provider)
  user_id uuid REFERENCES auth.users(id) ON DELETE SET NULL,
  order_id uuid NOT NULL REFERENCES @extschema@.esim_orders(id),
  iccid varchar NOT NULL UNIQUE,
  customer_ref varchar,
  qr_code_url varchar,
  status varchar NOT NULL DEFAULT 'PROCESSING'
    CONSTRAINT valid_esim_status CHECK (status IN ('PROCESSING', 'ASSIGNED', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'CANCELLED')),
  assigned_date timestamptz,
  last_action varchar
    CONSTRAINT valid_esim_action CHECK (last_action IS NULL OR last_action IN ('CREATED', 'ASSIGNED', 'INSTALLED', 'SUSPENDED', 'RESTORED', 'CANCELLED')),
  action_date timestamptz,
  activation_code varchar(255),
  smdp_address varchar(255),
  matching_id varchar(255),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN @extschema@.esims.activation_code IS 'Activation code for manual installation';
COMMENT ON COLUMN @extschema@.esims.smdp_address IS 'SM-DP+ server address';
COMMENT ON COLUMN @extschema@.esims.matching_id IS 'Matching ID (confirmation code)';
CREATE INDEX idx_esims_assigned_date ON @extschema@.esims (assigned_date DESC);
CREATE INDEX idx_esims_order_id ON @extschema@.esims (order_id);
CREATE INDEX idx_esims_status ON @extschema@.esims (status);
CREATE INDEX idx_esims_user_id ON @extschema@.esims (user_id);

CREATE TABLE @extschema@.esim_bundles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  esim_id uuid NOT NULL REFERENCES @extschema@.esims(id),
  data_plan_id uuid NOT NULL REFERENCES @extschema@.data_plans(id),
  name varchar NOT NULL,
  state varchar NOT NULL DEFAULT 'PROCESSING'
    CONSTRAINT valid_bundle_state CHECK (state IN ('PROCESSING', 'ACTIVE', 'INACTIVE', 'SUSPENDED', 'EXPIRED', 'CANCELLED')),
  remaining_data bigint CHECK (remaining_data >= 0),
  used_data bigint DEFAULT 0 CHECK (used_data >= 0),
  start_date timestamptz,
  end_date timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.esim_bundles IS 'Bundles installed on an eSIM (not the catalog)';
COMMENT ON COLUMN @extschema@.esim_bundles.remaining_data IS 'Bytes left; NULL = unlimited';
CREATE INDEX idx_esim_bundles_end_date ON @extschema@.esim_bundles (end_date);
CREATE INDEX idx_esim_bundles_esim_id ON @extschema@.esim_bundles (esim_id);
CREATE INDEX idx_esim_bundles_data_plan_id ON @extschema@.esim_bundles (data_plan_id);
CREATE INDEX idx_esim_bundles_name ON @extschema@.esim_bundles (name);
CREATE INDEX idx_esim_bundles_state ON @extschema@.esim_bundles (state);

CREATE TABLE @extschema@.package_assignments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  data_plan_id text NOT NULL,
  -- the admin who assigned it; their leaving must not take others' assignments
  assigned_by uuid REFERENCES auth.users(id) ON DELETE SET NULL,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'PENDING'
    CHECK (status IN ('PENDING', 'ASSIGNED', 'ACTIVATED', 'EXPIRED', 'CANCELLED')),
  plan_snapshot jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_package_assignments_assigned_by ON @extschema@.package_assignments (assigned_by);
CREATE INDEX idx_package_assignments_created_at ON @extschema@.package_assignments (created_at);
CREATE INDEX idx_package_assignments_status ON @extschema@.package_assignments (status);
CREATE INDEX idx_package_assignments_user_id ON @extschema@.package_assignments (user_id);

-- Legacy rule table (upstream's DB-driven engine does not read it); kept for
-- its data, typed with the same enum as the blocks.
CREATE TABLE @extschema@.pricing_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code varchar(50) NOT NULL UNIQUE,
  name varchar(100) NOT NULL,
  description text,
  rule_type varchar(50) NOT NULL,
  event_type @extschema@.event_type NOT NULL,
  conditions jsonb NOT NULL DEFAULT '{}',
  event_params jsonb NOT NULL DEFAULT '{}',
  is_active boolean DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE @extschema@.pricing_blocks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(255) NOT NULL,
  description text,
  category @extschema@.block_type NOT NULL,
  conditions jsonb NOT NULL,
  event_type @extschema@.event_type NOT NULL,
  params jsonb NOT NULL DEFAULT '{}',
  priority integer DEFAULT 100 CHECK (priority >= 0),
  is_active boolean DEFAULT true,
  is_editable boolean DEFAULT true,
  valid_from timestamptz,
  valid_until timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pricing_blocks_validity CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);
COMMENT ON TABLE @extschema@.pricing_blocks IS 'Pricing blocks: json-rules-engine rules (conditions) with an event (event_type, params); validated when written';
CREATE INDEX idx_pricing_blocks_active ON @extschema@.pricing_blocks (is_active);
CREATE INDEX idx_pricing_blocks_category ON @extschema@.pricing_blocks (category);
CREATE INDEX idx_pricing_blocks_conditions ON @extschema@.pricing_blocks USING gin (conditions);

CREATE TABLE @extschema@.pricing_strategies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code varchar(50) NOT NULL UNIQUE,
  name varchar(100) NOT NULL,
  description text,
  is_default boolean DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  parent_strategy_id uuid REFERENCES @extschema@.pricing_strategies(id),
  activation_count integer DEFAULT 0,
  last_activated_at timestamptz,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz,
  validated_at timestamptz,
  validation_errors jsonb,
  CONSTRAINT single_default_strategy EXCLUDE USING btree (is_default WITH =) WHERE (is_default = true)
);
CREATE INDEX idx_pricing_strategies_parent ON @extschema@.pricing_strategies (parent_strategy_id);

CREATE TABLE @extschema@.strategy_blocks (
  id uuid DEFAULT gen_random_uuid() CONSTRAINT strategy_rules_pkey PRIMARY KEY,
  strategy_id uuid NOT NULL REFERENCES @extschema@.pricing_strategies(id) ON DELETE CASCADE,
  block_id uuid NOT NULL REFERENCES @extschema@.pricing_blocks(id) ON DELETE RESTRICT,
  is_enabled boolean DEFAULT true,
  priority integer NOT NULL CHECK (priority >= 0),
  config_overrides jsonb DEFAULT '{}',
  added_at timestamptz DEFAULT now(),
  added_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT unique_priority_per_strategy UNIQUE (strategy_id, priority),
  CONSTRAINT unique_rule_per_strategy UNIQUE (strategy_id, block_id)
);
CREATE INDEX idx_strategy_blocks_block_id ON @extschema@.strategy_blocks (block_id);

CREATE TABLE @extschema@.high_demand_countries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  country_id varchar(3) NOT NULL UNIQUE CHECK (country_id ~ '^[A-Z]{2,3}$'),
  created_by uuid NOT NULL DEFAULT coalesce(auth.uid(), '00000000-0000-0000-0000-000000000000'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN @extschema@.high_demand_countries.country_id IS 'ISO 3166-1 alpha-2 or alpha-3 code; the pricing fact isHighDemandCountry';
CREATE INDEX idx_high_demand_countries_created_at ON @extschema@.high_demand_countries (created_at);

CREATE TABLE @extschema@.catalog_bundles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  esim_go_name varchar NOT NULL UNIQUE,
  description text,
  duration integer,
  unlimited boolean DEFAULT false,
  currency varchar(3) DEFAULT 'USD',
  regions jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  synced_at timestamptz DEFAULT now(),
  groups text[] DEFAULT '{}',
  validity_in_days integer CHECK (validity_in_days > 0),
  data_amount_mb bigint,
  data_amount_readable varchar(50),
  is_unlimited boolean DEFAULT false,
  price numeric(10,2) CHECK (price >= 0),
  region varchar(100),
  speed text[] DEFAULT '{}',
  countries text[] DEFAULT '{}',
  provider varchar(255),
  CONSTRAINT catalog_bundles_data_consistency CHECK (
    (is_unlimited AND data_amount_mb IS NULL) OR (NOT is_unlimited AND data_amount_mb IS NOT NULL))
);
COMMENT ON COLUMN @extschema@.catalog_bundles.groups IS 'Bundle groups, normalized without hyphens (e.g. "Standard Unlimited Essential")';
COMMENT ON COLUMN @extschema@.catalog_bundles.provider IS 'ESIM_GO or MAYA';
CREATE INDEX idx_catalog_bundles_countries ON @extschema@.catalog_bundles USING gin (countries);
CREATE INDEX idx_catalog_bundles_groups ON @extschema@.catalog_bundles USING gin (groups);
CREATE INDEX idx_catalog_bundles_speed ON @extschema@.catalog_bundles USING gin (speed);
CREATE INDEX idx_catalog_bundles_duration ON @extschema@.catalog_bundles (duration);
CREATE INDEX idx_catalog_bundles_price ON @extschema@.catalog_bundles (price);
CREATE INDEX idx_catalog_bundles_region ON @extschema@.catalog_bundles (region);
CREATE INDEX idx_catalog_bundles_synced_at ON @extschema@.catalog_bundles (synced_at);
CREATE INDEX idx_catalog_bundles_unlimited ON @extschema@.catalog_bundles (is_unlimited);
CREATE INDEX idx_catalog_bundles_validity ON @extschema@.catalog_bundles (validity_in_days);
CREATE INDEX idx_catalog_bundles_provider ON @extschema@.catalog_bundles (provider);

CREATE TABLE @extschema@.catalog_metadata (
  id varchar(50) PRIMARY KEY DEFAULT 'singleton' CHECK (id = 'singleton'),
  sync_version varchar(20),
  last_full_sync timestamptz,
  next_scheduled_sync timestamptz,
  bundle_groups text[],
  total_bundles integer DEFAULT 0,
  sync_strategy varchar(50) DEFAULT 'bundle-groups',
  api_health_status varchar(20) DEFAULT 'healthy',
  last_health_check timestamptz,
  metadata jsonb DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE @extschema@.catalog_sync_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_type varchar(50) NOT NULL
    CHECK (job_type IN ('FULL_SYNC', 'COUNTRY_SYNC', 'GROUP_SYNC', 'METADATA_SYNC')),
  status varchar(50) NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
  priority varchar(20) NOT NULL DEFAULT 'normal' CHECK (priority IN ('high', 'normal', 'low')),
  bundle_group varchar(255),
  country_id varchar(10),
  bundles_processed integer DEFAULT 0,
  bundles_added integer DEFAULT 0,
  bundles_updated integer DEFAULT 0,
  error_message text,
  metadata jsonb DEFAULT '{}',
  started_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_catalog_sync_jobs_created_at ON @extschema@.catalog_sync_jobs (created_at);
CREATE INDEX idx_catalog_sync_jobs_job_type ON @extschema@.catalog_sync_jobs (job_type);
CREATE INDEX idx_catalog_sync_jobs_status ON @extschema@.catalog_sync_jobs (status);
-- At most one active job per (job_type, bundle_group, country_id), whatever
-- the concurrency: the second of two simultaneous triggers waits, then fails.
CREATE UNIQUE INDEX catalog_sync_jobs_one_active ON @extschema@.catalog_sync_jobs
  (job_type, coalesce(bundle_group, ''), coalesce(country_id, ''))
  WHERE status IN ('pending', 'running');

CREATE TABLE @extschema@.checkout_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NULL = anonymous checkout, or a paid session whose customer deleted their
  -- account (sessions without a payment are deleted with the user)
  user_id uuid REFERENCES auth.users(id) ON DELETE SET NULL,
  plan_id text NOT NULL,
  plan_snapshot jsonb NOT NULL,
  pricing jsonb NOT NULL DEFAULT '{}',
  steps jsonb NOT NULL DEFAULT '{}',
  token_hash text UNIQUE,
  expires_at timestamptz NOT NULL DEFAULT (now() + interval '30 minutes'),
  payment_intent_id text,
  payment_status text CHECK (payment_status IN ('PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'CANCELED')),
  state varchar(50) DEFAULT 'INITIALIZED'
    CONSTRAINT valid_checkout_session_states CHECK (state IS NULL OR state IN (
      'INITIALIZED', 'AUTHENTICATED', 'DELIVERY_SET', 'PAYMENT_READY', 'PAYMENT_PROCESSING',
      'PAYMENT_COMPLETED', 'PAYMENT_FAILED', 'EXPIRED')),
  metadata jsonb DEFAULT '{}',
  order_id uuid REFERENCES @extschema@.esim_orders(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.checkout_sessions IS 'Checkout sessions: an immutable plan snapshot, server-calculated pricing, a state machine';
COMMENT ON COLUMN @extschema@.checkout_sessions.pricing IS 'Server-calculated price breakdown (calculate_price), fixed at creation';
COMMENT ON COLUMN @extschema@.checkout_sessions.token_hash IS 'sha256 hex of the session token; anonymous sessions are reachable only with it';
CREATE INDEX idx_checkout_sessions_created_at ON @extschema@.checkout_sessions (created_at);
CREATE INDEX idx_checkout_sessions_expires_at ON @extschema@.checkout_sessions (expires_at);
CREATE INDEX idx_checkout_sessions_order_id ON @extschema@.checkout_sessions (order_id);
CREATE INDEX idx_checkout_sessions_payment_intent ON @extschema@.checkout_sessions (payment_intent_id);
CREATE INDEX idx_checkout_sessions_user_expires ON @extschema@.checkout_sessions (user_id, expires_at);

CREATE TABLE @extschema@.trips (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar NOT NULL,
  description text NOT NULL,
  region_id varchar NOT NULL,
  country_ids json NOT NULL,
  bundle_name varchar NOT NULL DEFAULT '',
  title varchar NOT NULL DEFAULT '',
  created_by uuid REFERENCES auth.users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_trips_created_by ON @extschema@.trips (created_by);
CREATE INDEX idx_trips_region_id ON @extschema@.trips (region_id);
CREATE INDEX idx_trips_bundle_name ON @extschema@.trips (bundle_name);
CREATE INDEX idx_trips_title ON @extschema@.trips (title);

-- Bumped by every statement that changes pricing rules; its (xmin, n) keys
-- the compiled strategies each backend keeps (an aborted change leaves an
-- xmin nobody else can have).
CREATE TABLE esimgo_internal.rules_version (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  n bigint NOT NULL DEFAULT 0
);
ALTER TABLE esimgo_internal.rules_version ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON esimgo_internal.rules_version FROM PUBLIC;
