-- OneSIM install script, assembled at build time from sql/onesim/*.sql.
\echo Use "CREATE EXTENSION onesim CASCADE" to load this file. \quit

-- Helpers that RLS policies and the triggers call live here, out of the
-- schemas PostgREST exposes.
CREATE SCHEMA onesim_internal;
COMMENT ON SCHEMA onesim_internal IS 'OneSIM internals: RLS helpers and maintenance functions (not exposed through the API)';
-- =============================================================================
-- onesim: tables, indexes and comments (seed 002, OneSIM B2C shop + B2B reseller)
--
-- Part of the extension install script: runs inside CREATE EXTENSION with
-- search_path set to the extension's schema, so our own tables are unqualified;
-- Supabase's auth.users is always qualified.
--
-- Tables the seed gives as SQL (partners, partner_customers, customer_groups,
-- customer_group_members, partner_earnings, the new columns of orders and
-- profiles) follow it column for column: names, types, defaults, CHECKs,
-- UNIQUE constraints, generated columns, FK actions and index names. Where the
-- seed is wrong it is fixed, and each fix is marked "-- deviation: ...".
-- Deviations applied throughout (not repeated on every line):
--   * created_at / updated_at are NOT NULL DEFAULT now() on every table;
--   * counters and money totals are NOT NULL with their default; counters,
--     prices and amounts CHECK >= 0; commission rates CHECK 0..100;
--   * status/flag columns that have a default are NOT NULL (a NULL status
--     passes a CHECK (x IN (...)) and escapes every state machine);
--   * JSONB columns documented as an array or an object CHECK that shape.
--
-- Tables, in creation (FK) order:
--   profiles, partners, esim_packages, package_operators, price_sync_log,
--   package_price_changes, margin_overrides, exchange_rates, package_views,
--   cached_regional_packages, cached_global_packages, package_cache_metadata,
--   user_favorites, partner_customers, customer_groups, customer_group_members,
--   orders, partner_payouts, partner_earnings, order_action_logs,
--   partner_api_keys
-- =============================================================================


-- -----------------------------------------------------------------------------
-- profiles: one row per auth user (existing table + the seed's role columns)
-- -----------------------------------------------------------------------------
CREATE TABLE profiles (
  id UUID PRIMARY KEY REFERENCES auth.users(id) ON DELETE CASCADE,

  first_name VARCHAR(100),
  last_name VARCHAR(100),
  phone VARCHAR(50),
  email VARCHAR(255),
  avatar_url TEXT,
  preferred_language VARCHAR(10) NOT NULL DEFAULT 'uz',
  preferred_currency VARCHAR(3) NOT NULL DEFAULT 'UZS'
    CHECK (preferred_currency ~ '^[A-Z]{3}$'),

  -- Seed: role and type information
  -- deviation: NOT NULL (a NULL user_type would make is_partner/is_admin NULL)
  user_type VARCHAR(20) NOT NULL DEFAULT 'customer'
    CHECK (user_type IN ('customer', 'partner', 'admin')),
  is_partner BOOLEAN GENERATED ALWAYS AS (user_type = 'partner') STORED,
  is_admin BOOLEAN GENERATED ALWAYS AS (user_type = 'admin') STORED,

  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_profiles_user_type ON profiles(user_type);
CREATE INDEX idx_profiles_partners ON profiles(is_partner) WHERE is_partner = TRUE;

COMMENT ON TABLE profiles IS
  'Public profile of each auth user (name, contact, locale, role); written by the user and by admins';
COMMENT ON COLUMN profiles.user_type IS
  'Role: customer (B2C), partner (B2B reseller account), admin (platform administrator)';


-- -----------------------------------------------------------------------------
-- partners: partner/agency profiles (seed table 1)
-- -----------------------------------------------------------------------------
CREATE TABLE partners (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL UNIQUE REFERENCES auth.users(id) ON DELETE CASCADE,

  -- Company Info
  company_name VARCHAR(255) NOT NULL,
  legal_name VARCHAR(255),
  company_type VARCHAR(50), -- 'travel_agency', 'airline', 'tour_operator'
  tax_id VARCHAR(100),
  registration_number VARCHAR(100),

  -- Contact
  business_email VARCHAR(255) NOT NULL,
  business_phone VARCHAR(50),
  website VARCHAR(255),
  address JSONB -- {street, city, country, postal_code}
    CHECK (address IS NULL OR jsonb_typeof(address) = 'object'),

  -- Business
  commission_rate DECIMAL(5,2) NOT NULL DEFAULT 5.00 -- Default 5%
    CHECK (commission_rate >= 0 AND commission_rate <= 100),
  custom_commission_rate DECIMAL(5,2) -- Override if needed
    CHECK (custom_commission_rate >= 0 AND custom_commission_rate <= 100),
  effective_commission_rate DECIMAL(5,2) GENERATED ALWAYS AS (
    COALESCE(custom_commission_rate, commission_rate)
  ) STORED,

  -- Billing
  -- deviation: DECIMAL(15,4), not (15,2): these sum DECIMAL(10,4) commission
  -- amounts; rounding each sum to cents would drift from the earnings rows.
  -- balance has no CHECK: a clawback after a paid-out refund can make it negative.
  balance DECIMAL(15,4) NOT NULL DEFAULT 0.00, -- Available balance
  total_earnings DECIMAL(15,4) NOT NULL DEFAULT 0.00 -- Lifetime earnings
    CHECK (total_earnings >= 0),
  pending_earnings DECIMAL(15,4) NOT NULL DEFAULT 0.00 -- Not yet paid out
    CHECK (pending_earnings >= 0),

  -- Settings
  auto_email_customers BOOLEAN NOT NULL DEFAULT TRUE,
  preferred_currency VARCHAR(3) NOT NULL DEFAULT 'USD'
    CHECK (preferred_currency ~ '^[A-Z]{3}$'),
  preferred_locale VARCHAR(10) NOT NULL DEFAULT 'uz',

  -- Status
  status VARCHAR(20) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'pending_approval', 'deactivated')),
  verified BOOLEAN NOT NULL DEFAULT FALSE,
  verified_at TIMESTAMPTZ,

  -- Stats (denormalized for performance)
  total_orders INTEGER NOT NULL DEFAULT 0 CHECK (total_orders >= 0),
  total_customers INTEGER NOT NULL DEFAULT 0 CHECK (total_customers >= 0),

  -- Timestamps
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  last_order_at TIMESTAMPTZ,

  -- deviation (addition, 1.1): the dashboard's per-status figures, maintained
  -- by the orders triggers like total_orders, so the dashboard reads one row
  -- instead of counting the partner's orders.
  allocated_orders INTEGER NOT NULL DEFAULT 0 CHECK (allocated_orders >= 0),
  pending_orders INTEGER NOT NULL DEFAULT 0 CHECK (pending_orders >= 0),
  allocated_spent_usd DECIMAL(15,4) NOT NULL DEFAULT 0 CHECK (allocated_spent_usd >= 0),
  allocated_spent_uzs DECIMAL(20,2) NOT NULL DEFAULT 0 CHECK (allocated_spent_uzs >= 0)
);

-- Seed index; same definition as the index of UNIQUE(user_id), kept for its
-- name (the seed's index list is part of the contract).
CREATE INDEX idx_partners_user_id ON partners(user_id);
CREATE INDEX idx_partners_status ON partners(status) WHERE status = 'active';
CREATE INDEX idx_partners_company_name ON partners(company_name);

COMMENT ON TABLE partners IS
  'B2B partner accounts (agencies, airlines, tour operators); company data by the partner, rates, status and stats by admins and triggers';
COMMENT ON COLUMN partners.commission_rate IS
  'Default partner discount in percent (5 %); the discount is the partner''s "commission"';
COMMENT ON COLUMN partners.custom_commission_rate IS
  'Per-partner override of commission_rate, set by admins; NULL means use the default';
COMMENT ON COLUMN partners.effective_commission_rate IS
  'COALESCE(custom_commission_rate, commission_rate): the rate applied to new orders';
COMMENT ON COLUMN partners.balance IS
  'USD, 4 dp. Earned and not yet paid out, minus unsettled clawbacks; negative after a refund of a paid-out order. Maintained by triggers';
COMMENT ON COLUMN partners.total_earnings IS
  'USD, 4 dp. Lifetime earned commission (sum of earned and paid earnings); maintained by triggers';
COMMENT ON COLUMN partners.pending_earnings IS
  'USD, 4 dp. Commission of placed orders not yet allocated (earnings in status pending); maintained by triggers';
COMMENT ON COLUMN partners.status IS
  'active | suspended | pending_approval (self sign-up awaiting admin review) | deactivated';
COMMENT ON COLUMN partners.verified IS
  'KYC done: an admin checked the company documents (tax_id, registration_number)';
COMMENT ON COLUMN partners.allocated_orders IS 'Count of the partner''s orders in ALLOCATED; maintained by triggers';
COMMENT ON COLUMN partners.pending_orders IS 'Count of the partner''s orders in PENDING; maintained by triggers';
COMMENT ON COLUMN partners.allocated_spent_usd IS 'Sum of price_usd of the partner''s ALLOCATED orders; maintained by triggers';
COMMENT ON COLUMN partners.allocated_spent_uzs IS 'Sum of price_uzs of the partner''s ALLOCATED orders; maintained by triggers';


-- -----------------------------------------------------------------------------
-- esim_packages: the catalog synced from eSIMAccess
-- -----------------------------------------------------------------------------
CREATE TABLE esim_packages (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  package_code VARCHAR(100) NOT NULL UNIQUE,
  slug VARCHAR(255) UNIQUE,
  name VARCHAR(255) NOT NULL,
  description TEXT,

  -- Coverage
  location_type VARCHAR(20) NOT NULL DEFAULT 'country'
    CHECK (location_type IN ('country', 'regional', 'global')),
  country_codes TEXT[] NOT NULL DEFAULT '{}',
  region VARCHAR(100),

  -- Plan
  data_gb NUMERIC(10,2) CHECK (data_gb >= 0),
  data_volume_bytes BIGINT CHECK (data_volume_bytes >= 0),
  duration INTEGER CHECK (duration > 0),
  duration_unit VARCHAR(10) NOT NULL DEFAULT 'DAY'
    CHECK (duration_unit IN ('DAY', 'WEEK', 'MONTH', 'YEAR')),
  speed VARCHAR(50),
  supports_sms BOOLEAN NOT NULL DEFAULT FALSE,
  supports_voice BOOLEAN NOT NULL DEFAULT FALSE,
  supports_topup BOOLEAN NOT NULL DEFAULT FALSE,

  -- Pricing
  provider_price_usd NUMERIC(10,4) NOT NULL CHECK (provider_price_usd >= 0),
  margin_percent NUMERIC(6,2) CHECK (margin_percent >= 0),
  price_usd NUMERIC(10,4) NOT NULL CHECK (price_usd >= 0),
  price_uzs NUMERIC(15,2) CHECK (price_uzs >= 0),

  -- Listing
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  is_popular BOOLEAN NOT NULL DEFAULT FALSE,
  sort_order INTEGER NOT NULL DEFAULT 0,

  provider_data JSONB CHECK (provider_data IS NULL OR jsonb_typeof(provider_data) = 'object'),
  last_synced_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_esim_packages_listing ON esim_packages(location_type, sort_order, price_usd)
  WHERE is_active = TRUE;
CREATE INDEX idx_esim_packages_country_codes ON esim_packages USING GIN (country_codes);
CREATE INDEX idx_esim_packages_region ON esim_packages(region) WHERE region IS NOT NULL;
CREATE INDEX idx_esim_packages_popular ON esim_packages(sort_order) WHERE is_popular = TRUE AND is_active = TRUE;

COMMENT ON TABLE esim_packages IS
  'eSIM package catalog from eSIMAccess with our retail prices; written by the price sync and admins';
COMMENT ON COLUMN esim_packages.package_code IS 'eSIMAccess packageCode (the provider''s key)';
COMMENT ON COLUMN esim_packages.country_codes IS 'ISO 3166-1 alpha-2 codes covered by the package';
COMMENT ON COLUMN esim_packages.data_volume_bytes IS 'eSIMAccess volume, in bytes';
COMMENT ON COLUMN esim_packages.provider_price_usd IS 'What eSIMAccess charges us, USD 4 dp';
COMMENT ON COLUMN esim_packages.margin_percent IS 'Margin applied to provider_price_usd (from margin_overrides); set by trigger';
COMMENT ON COLUMN esim_packages.price_usd IS 'Retail price, USD 4 dp: provider_price_usd plus margin; set by trigger';
COMMENT ON COLUMN esim_packages.price_uzs IS 'Retail price in UZS, from price_usd and the current exchange_rates row';
COMMENT ON COLUMN esim_packages.provider_data IS 'Raw eSIMAccess package payload for fields not modelled as columns';


-- -----------------------------------------------------------------------------
-- package_operators: mobile networks each package uses, per country
-- -----------------------------------------------------------------------------
CREATE TABLE package_operators (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  package_id UUID NOT NULL REFERENCES esim_packages(id) ON DELETE CASCADE,
  country_code VARCHAR(10),
  operator_name VARCHAR(255) NOT NULL,
  network_type VARCHAR(20), -- '3G', '4G', '5G', ...
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  -- Also serves as the index of the package_id FK (leading column).
  CONSTRAINT unique_package_operator
    UNIQUE NULLS NOT DISTINCT (package_id, country_code, operator_name)
);

CREATE INDEX idx_package_operators_country_code ON package_operators(country_code);

COMMENT ON TABLE package_operators IS
  'Networks (operator, 3G/4G/5G) per package and country, from eSIMAccess locationNetworkList; written by the price sync';


-- -----------------------------------------------------------------------------
-- price_sync_log: one row per catalog/price sync run
-- -----------------------------------------------------------------------------
CREATE TABLE price_sync_log (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  finished_at TIMESTAMPTZ,
  status VARCHAR(20) NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'success', 'partial', 'failed')),
  packages_total INTEGER NOT NULL DEFAULT 0 CHECK (packages_total >= 0),
  packages_added INTEGER NOT NULL DEFAULT 0 CHECK (packages_added >= 0),
  packages_updated INTEGER NOT NULL DEFAULT 0 CHECK (packages_updated >= 0),
  packages_deactivated INTEGER NOT NULL DEFAULT 0 CHECK (packages_deactivated >= 0),
  price_changes INTEGER NOT NULL DEFAULT 0 CHECK (price_changes >= 0),
  usd_uzs_rate NUMERIC(12,4) CHECK (usd_uzs_rate > 0),
  error_message TEXT,
  triggered_by UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  CONSTRAINT price_sync_log_finished_after_start
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);

CREATE INDEX idx_price_sync_log_started_at ON price_sync_log(started_at DESC);
CREATE INDEX idx_price_sync_log_triggered_by ON price_sync_log(triggered_by) WHERE triggered_by IS NOT NULL;

COMMENT ON TABLE price_sync_log IS
  'Runs of the eSIMAccess catalog/price sync with their counts and outcome; written by the sync job';
COMMENT ON COLUMN price_sync_log.triggered_by IS 'Admin who started the run; NULL for scheduled runs';


-- -----------------------------------------------------------------------------
-- package_price_changes: append-only price history
-- -----------------------------------------------------------------------------
CREATE TABLE package_price_changes (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  package_id UUID NOT NULL REFERENCES esim_packages(id) ON DELETE CASCADE,
  package_code VARCHAR(100) NOT NULL,
  old_provider_price_usd NUMERIC(10,4) CHECK (old_provider_price_usd >= 0),
  new_provider_price_usd NUMERIC(10,4) CHECK (new_provider_price_usd >= 0),
  old_margin_percent NUMERIC(6,2),
  new_margin_percent NUMERIC(6,2),
  old_price_usd NUMERIC(10,4) CHECK (old_price_usd >= 0),
  new_price_usd NUMERIC(10,4) CHECK (new_price_usd >= 0),
  old_price_uzs NUMERIC(15,2) CHECK (old_price_uzs >= 0),
  new_price_uzs NUMERIC(15,2) CHECK (new_price_uzs >= 0),
  sync_id UUID REFERENCES price_sync_log(id) ON DELETE SET NULL,
  change_reason VARCHAR(50),
  changed_by UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  changed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_package_price_changes_package ON package_price_changes(package_id, changed_at DESC);
CREATE INDEX idx_package_price_changes_sync_id ON package_price_changes(sync_id) WHERE sync_id IS NOT NULL;
CREATE INDEX idx_package_price_changes_changed_by ON package_price_changes(changed_by) WHERE changed_by IS NOT NULL;

COMMENT ON TABLE package_price_changes IS
  'Append-only history of every package price change (provider, margin, USD, UZS); written by triggers on esim_packages';
COMMENT ON COLUMN package_price_changes.change_reason IS
  'Why the price moved, e.g. provider_sync, margin_override, exchange_rate, manual, created';


-- -----------------------------------------------------------------------------
-- margin_overrides: our margin per package, country, region or globally
-- -----------------------------------------------------------------------------
CREATE TABLE margin_overrides (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  scope VARCHAR(20) NOT NULL CHECK (scope IN ('package', 'country', 'region', 'global')),
  package_code VARCHAR(100),
  country_code VARCHAR(10) CHECK (country_code = upper(country_code)),
  region VARCHAR(100),
  margin_percent NUMERIC(6,2) NOT NULL CHECK (margin_percent >= 0 AND margin_percent <= 500),
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  note TEXT,
  created_by UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  -- exactly the target column matching the scope is set
  CONSTRAINT margin_overrides_scope_target CHECK (
       (scope = 'package' AND package_code IS NOT NULL AND country_code IS NULL AND region IS NULL)
    OR (scope = 'country' AND package_code IS NULL AND country_code IS NOT NULL AND region IS NULL)
    OR (scope = 'region'  AND package_code IS NULL AND country_code IS NULL AND region IS NOT NULL)
    OR (scope = 'global'  AND package_code IS NULL AND country_code IS NULL AND region IS NULL)
  )
);

-- at most one active override per target, and one active global margin
CREATE UNIQUE INDEX uq_margin_overrides_active_package ON margin_overrides(package_code)
  WHERE is_active AND scope = 'package';
CREATE UNIQUE INDEX uq_margin_overrides_active_country ON margin_overrides(country_code)
  WHERE is_active AND scope = 'country';
CREATE UNIQUE INDEX uq_margin_overrides_active_region ON margin_overrides(region)
  WHERE is_active AND scope = 'region';
CREATE UNIQUE INDEX uq_margin_overrides_active_global ON margin_overrides(scope)
  WHERE is_active AND scope = 'global';
CREATE INDEX idx_margin_overrides_created_by ON margin_overrides(created_by) WHERE created_by IS NOT NULL;

COMMENT ON TABLE margin_overrides IS
  'Our margin over the provider price, per package, country, region or global (most specific wins); written by admins';


-- -----------------------------------------------------------------------------
-- exchange_rates: currency rates (answers the seed's UZS <-> USD question)
-- -----------------------------------------------------------------------------
CREATE TABLE exchange_rates (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  base_currency VARCHAR(3) NOT NULL DEFAULT 'USD' CHECK (base_currency ~ '^[A-Z]{3}$'),
  quote_currency VARCHAR(3) NOT NULL DEFAULT 'UZS' CHECK (quote_currency ~ '^[A-Z]{3}$'),
  rate NUMERIC(14,4) NOT NULL CHECK (rate > 0),
  effective_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  source VARCHAR(50), -- 'cbu.uz', 'manual', ...
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  CONSTRAINT exchange_rates_distinct_currencies CHECK (base_currency <> quote_currency)
);

-- the lookup "latest rate for a pair at time t"; unique: one rate per pair and instant
CREATE UNIQUE INDEX idx_exchange_rates_pair_effective
  ON exchange_rates(base_currency, quote_currency, effective_at DESC);

COMMENT ON TABLE exchange_rates IS
  'Currency rates over time (1 base = rate quote); the latest rate in force derives catalog UZS prices from USD. Orders keep the prices they were placed at. Written by admins and the rate job';


-- -----------------------------------------------------------------------------
-- package_views: who looked at which package (anonymous views allowed)
-- -----------------------------------------------------------------------------
CREATE TABLE package_views (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  package_id UUID NOT NULL REFERENCES esim_packages(id) ON DELETE CASCADE,
  user_id UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  session_id VARCHAR(100),
  source VARCHAR(20) NOT NULL DEFAULT 'shop' CHECK (source IN ('shop', 'reseller', 'api')),
  viewed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_package_views_package ON package_views(package_id, viewed_at DESC);
CREATE INDEX idx_package_views_user_id ON package_views(user_id) WHERE user_id IS NOT NULL;

COMMENT ON TABLE package_views IS
  'Package page views from the shop, the reseller portal and the API; written by the apps (user_id NULL when anonymous)';


-- -----------------------------------------------------------------------------
-- cached_regional_packages: denormalized listing of regional packages
-- -----------------------------------------------------------------------------
CREATE TABLE cached_regional_packages (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  package_id UUID NOT NULL UNIQUE REFERENCES esim_packages(id) ON DELETE CASCADE,
  package_code VARCHAR(100) NOT NULL,
  region VARCHAR(100) NOT NULL,
  name VARCHAR(255) NOT NULL,
  data_gb NUMERIC(10,2) CHECK (data_gb >= 0),
  duration INTEGER CHECK (duration > 0),
  price_usd NUMERIC(10,4) NOT NULL CHECK (price_usd >= 0),
  price_uzs NUMERIC(15,2) CHECK (price_uzs >= 0),
  country_count INTEGER NOT NULL DEFAULT 0 CHECK (country_count >= 0),
  country_codes TEXT[] NOT NULL DEFAULT '{}',
  sort_order INTEGER NOT NULL DEFAULT 0,
  cached_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_cached_regional_packages_listing
  ON cached_regional_packages(region, sort_order, price_usd);

COMMENT ON TABLE cached_regional_packages IS
  'Snapshot of active regional packages for fast listings; rebuilt by the cache refresh from esim_packages';


-- -----------------------------------------------------------------------------
-- cached_global_packages: denormalized listing of global packages
-- -----------------------------------------------------------------------------
CREATE TABLE cached_global_packages (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  package_id UUID NOT NULL UNIQUE REFERENCES esim_packages(id) ON DELETE CASCADE,
  package_code VARCHAR(100) NOT NULL,
  name VARCHAR(255) NOT NULL,
  data_gb NUMERIC(10,2) CHECK (data_gb >= 0),
  duration INTEGER CHECK (duration > 0),
  price_usd NUMERIC(10,4) NOT NULL CHECK (price_usd >= 0),
  price_uzs NUMERIC(15,2) CHECK (price_uzs >= 0),
  country_count INTEGER NOT NULL DEFAULT 0 CHECK (country_count >= 0),
  sort_order INTEGER NOT NULL DEFAULT 0,
  cached_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_cached_global_packages_listing
  ON cached_global_packages(sort_order, price_usd);

COMMENT ON TABLE cached_global_packages IS
  'Snapshot of active global packages for fast listings; rebuilt by the cache refresh from esim_packages';


-- -----------------------------------------------------------------------------
-- package_cache_metadata: freshness of each listing cache
-- -----------------------------------------------------------------------------
CREATE TABLE package_cache_metadata (
  cache_key VARCHAR(100) PRIMARY KEY, -- 'regional', 'global', ...
  last_refreshed_at TIMESTAMPTZ,
  row_count INTEGER NOT NULL DEFAULT 0 CHECK (row_count >= 0),
  ttl_seconds INTEGER NOT NULL DEFAULT 3600 CHECK (ttl_seconds > 0),
  status VARCHAR(20) NOT NULL DEFAULT 'stale'
    CHECK (status IN ('fresh', 'stale', 'refreshing', 'failed')),
  error_message TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE package_cache_metadata IS
  'One row per listing cache (cached_* tables): last refresh, row count, TTL, state; written by the cache refresh';


-- -----------------------------------------------------------------------------
-- user_favorites: packages a user bookmarked
-- -----------------------------------------------------------------------------
CREATE TABLE user_favorites (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  package_id UUID NOT NULL REFERENCES esim_packages(id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  CONSTRAINT unique_user_favorite UNIQUE(user_id, package_id)
);

CREATE INDEX idx_user_favorites_package_id ON user_favorites(package_id);

COMMENT ON TABLE user_favorites IS
  'Packages each user marked as favourite; written by the user';


-- -----------------------------------------------------------------------------
-- partner_customers: partner's end customers (seed table 2)
-- -----------------------------------------------------------------------------
CREATE TABLE partner_customers (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id UUID NOT NULL REFERENCES partners(id) ON DELETE CASCADE,

  -- May link to auth.users if they also have a direct account
  user_id UUID REFERENCES auth.users(id) ON DELETE SET NULL,

  -- Personal Info
  first_name VARCHAR(100) NOT NULL,
  last_name VARCHAR(100) NOT NULL,
  email VARCHAR(255) NOT NULL,
  phone VARCHAR(50),

  -- Additional
  notes TEXT,
  tags JSONB -- ['vip', 'group-tour-2024']
    CHECK (tags IS NULL OR jsonb_typeof(tags) = 'array'),

  -- Stats
  total_orders INTEGER NOT NULL DEFAULT 0 CHECK (total_orders >= 0),
  -- deviation: DECIMAL(15,4), not (15,2): sums DECIMAL(10,4) order prices exactly
  total_spent DECIMAL(15,4) NOT NULL DEFAULT 0.00 CHECK (total_spent >= 0),

  -- Timestamps
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  last_order_at TIMESTAMPTZ,

  -- Constraints
  CONSTRAINT unique_partner_customer_email UNIQUE(partner_id, email)
);

-- Seed index; its column also leads unique_partner_customer_email's index.
CREATE INDEX idx_partner_customers_partner_id ON partner_customers(partner_id);
CREATE INDEX idx_partner_customers_email ON partner_customers(email);
CREATE INDEX idx_partner_customers_user_id ON partner_customers(user_id) WHERE user_id IS NOT NULL;
-- deviation: the seed's "unique email per partner" is case-sensitive
-- (Aziza@x.uz and aziza@x.uz would both pass); enforce it case-insensitively too.
CREATE UNIQUE INDEX uq_partner_customers_partner_email_ci
  ON partner_customers(partner_id, lower(email));

COMMENT ON TABLE partner_customers IS
  'End customers of a partner (owned by that partner; the same person under two partners is two rows); written by the partner';
COMMENT ON COLUMN partner_customers.user_id IS
  'The customer''s own auth account, if they also buy directly; NULL otherwise';
COMMENT ON COLUMN partner_customers.total_orders IS 'Orders for this customer; maintained by triggers';
COMMENT ON COLUMN partner_customers.total_spent IS
  'USD, 4 dp. Sum of price_usd of this customer''s live orders (not failed, cancelled or refunded); maintained by triggers';


-- -----------------------------------------------------------------------------
-- customer_groups: bulk customer management (seed table 3)
-- -----------------------------------------------------------------------------
CREATE TABLE customer_groups (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id UUID NOT NULL REFERENCES partners(id) ON DELETE CASCADE,

  -- Group Info
  name VARCHAR(255) NOT NULL, -- "Antalya Tour Group - Oct 2024"
  description TEXT,
  destination_country_code VARCHAR(10),
  destination_name VARCHAR(255),

  -- Metadata
  travel_start_date DATE,
  travel_end_date DATE,
  group_size INTEGER NOT NULL DEFAULT 0 CHECK (group_size >= 0),
  tags JSONB CHECK (tags IS NULL OR jsonb_typeof(tags) = 'array'),

  -- Status
  is_active BOOLEAN NOT NULL DEFAULT TRUE,

  -- Timestamps
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  -- deviation: a trip cannot end before it starts
  CONSTRAINT customer_groups_travel_dates CHECK (
    travel_end_date IS NULL OR travel_start_date IS NULL OR travel_end_date >= travel_start_date
  )
);

CREATE INDEX idx_customer_groups_partner_id ON customer_groups(partner_id);
CREATE INDEX idx_customer_groups_active ON customer_groups(is_active) WHERE is_active = TRUE;

COMMENT ON TABLE customer_groups IS
  'Groups of a partner''s customers travelling together (bulk orders); written by the partner, group_size by triggers';
COMMENT ON COLUMN customer_groups.group_size IS
  'Number of customer_group_members rows of the group; maintained by triggers';


-- -----------------------------------------------------------------------------
-- customer_group_members: junction table (seed table 4)
-- -----------------------------------------------------------------------------
CREATE TABLE customer_group_members (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  group_id UUID NOT NULL REFERENCES customer_groups(id) ON DELETE CASCADE,
  customer_id UUID NOT NULL REFERENCES partner_customers(id) ON DELETE CASCADE,

  -- Metadata
  added_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- deviation: ON DELETE SET NULL (the seed's default NO ACTION would forbid
  -- deleting any user, e.g. an admin, who once added a member)
  added_by UUID REFERENCES auth.users(id) ON DELETE SET NULL,

  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  CONSTRAINT unique_group_member UNIQUE(group_id, customer_id)
);

-- Seed index; its column also leads unique_group_member's index.
CREATE INDEX idx_group_members_group_id ON customer_group_members(group_id);
CREATE INDEX idx_group_members_customer_id ON customer_group_members(customer_id);
CREATE INDEX idx_group_members_added_by ON customer_group_members(added_by) WHERE added_by IS NOT NULL;

COMMENT ON TABLE customer_group_members IS
  'Membership of partner customers in customer groups (group and customer of the same partner); written by the partner';


-- -----------------------------------------------------------------------------
-- orders: every eSIM order, B2C and B2B (existing table + the seed's columns)
-- -----------------------------------------------------------------------------
CREATE TABLE orders (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  transaction_id VARCHAR(100) UNIQUE,

  -- Package (package_code has no FK: history keeps codes that left the catalog)
  package_id UUID REFERENCES esim_packages(id) ON DELETE SET NULL,
  package_code VARCHAR(100) NOT NULL,
  package_name VARCHAR(255),

  -- Money: retail price, and what the purchaser pays (retail minus discount)
  price_usd NUMERIC(10,4) NOT NULL CHECK (price_usd >= 0),
  price_uzs NUMERIC(15,2) CHECK (price_uzs >= 0),
  paid_amount_usd NUMERIC(10,4) CHECK (paid_amount_usd >= 0),
  paid_amount_uzs NUMERIC(15,2) CHECK (paid_amount_uzs >= 0),
  currency VARCHAR(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),

  -- Status
  order_status VARCHAR(20) NOT NULL DEFAULT 'PENDING'
    CHECK (order_status IN ('PENDING', 'PROCESSING', 'ALLOCATED', 'FAILED', 'CANCELLED', 'REFUNDED')),
  payment_status VARCHAR(20) NOT NULL DEFAULT 'unpaid'
    CHECK (payment_status IN ('unpaid', 'paid', 'refunded', 'failed')),
  payment_method VARCHAR(50),
  paid_at TIMESTAMPTZ,

  -- eSIMAccess provider data
  provider_order_no VARCHAR(100),
  esim_tran_no VARCHAR(100),
  iccid VARCHAR(32),
  qr_code_url TEXT,
  activation_code TEXT,
  smdp_address VARCHAR(255),
  apn VARCHAR(100),
  esim_status VARCHAR(30),
  data_total_bytes BIGINT CHECK (data_total_bytes >= 0),
  data_used_bytes BIGINT CHECK (data_used_bytes >= 0),
  usage_updated_at TIMESTAMPTZ,
  expires_at TIMESTAMPTZ,
  allocated_at TIMESTAMPTZ,
  cancelled_at TIMESTAMPTZ,
  refunded_at TIMESTAMPTZ,
  cancel_reason TEXT,

  -- Seed: source tracking
  source_type VARCHAR(20) NOT NULL DEFAULT 'b2c'
    CHECK (source_type IN ('b2c', 'b2b_partner', 'admin')),
  partner_id UUID REFERENCES partners(id) ON DELETE SET NULL,
  end_customer_id UUID, -- Can be user_id OR partner_customer_id
  end_customer_type VARCHAR(20)
    CHECK (end_customer_type IN ('b2c', 'b2b_partner_customer')),

  -- Seed: customer details (denormalized for easy access)
  customer_first_name VARCHAR(100),
  customer_last_name VARCHAR(100),
  customer_email VARCHAR(255),
  customer_phone VARCHAR(50),

  -- Seed: group affiliation
  customer_group_id UUID REFERENCES customer_groups(id) ON DELETE SET NULL,

  -- Seed: partner commission
  commission_applicable BOOLEAN NOT NULL DEFAULT FALSE,
  commission_rate DECIMAL(5,2) CHECK (commission_rate >= 0 AND commission_rate <= 100),
  commission_amount_usd DECIMAL(10,4) CHECK (commission_amount_usd >= 0),
  commission_amount_uzs DECIMAL(15,2) CHECK (commission_amount_uzs >= 0),

  -- Seed: delivery tracking
  delivery_method VARCHAR(20) NOT NULL DEFAULT 'email'
    CHECK (delivery_method IN ('email', 'sms', 'whatsapp', 'manual')),
  delivery_status JSONB -- {email: 'sent', sms: 'failed'}
    CHECK (delivery_status IS NULL OR jsonb_typeof(delivery_status) = 'object'),

  -- Seed: enhanced metadata
  notes TEXT,
  metadata JSONB -- Flexible field for additional data
    CHECK (metadata IS NULL OR jsonb_typeof(metadata) = 'object'),

  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Seed indexes
CREATE INDEX idx_orders_source_type ON orders(source_type);
CREATE INDEX idx_orders_partner_id ON orders(partner_id) WHERE partner_id IS NOT NULL;
CREATE INDEX idx_orders_end_customer_id ON orders(end_customer_id);
CREATE INDEX idx_orders_customer_group_id ON orders(customer_group_id) WHERE customer_group_id IS NOT NULL;
CREATE INDEX idx_orders_commission_applicable ON orders(commission_applicable) WHERE commission_applicable = TRUE;

-- Our indexes
CREATE INDEX idx_orders_user_id ON orders(user_id);
CREATE INDEX idx_orders_package_id ON orders(package_id) WHERE package_id IS NOT NULL;
CREATE INDEX idx_orders_package_code ON orders(package_code);
CREATE INDEX idx_orders_order_status ON orders(order_status);
CREATE INDEX idx_orders_created_at ON orders(created_at DESC);
CREATE INDEX idx_orders_partner_created_at ON orders(partner_id, created_at DESC)
  WHERE partner_id IS NOT NULL;
CREATE INDEX idx_orders_provider_order_no ON orders(provider_order_no)
  WHERE provider_order_no IS NOT NULL;
CREATE UNIQUE INDEX uq_orders_iccid ON orders(iccid) WHERE iccid IS NOT NULL;
CREATE UNIQUE INDEX uq_orders_esim_tran_no ON orders(esim_tran_no) WHERE esim_tran_no IS NOT NULL;

COMMENT ON TABLE orders IS
  'Every eSIM order (B2C, B2B partner, admin) with payment, provider (eSIMAccess) and commission data; written by the apps, provider callbacks and triggers';

-- Seed comments
COMMENT ON COLUMN orders.source_type IS 'Order source: b2c (direct customer), b2b_partner (partner order), admin (admin created)';
COMMENT ON COLUMN orders.partner_id IS 'Partner who made the purchase (NULL for B2C orders)';
COMMENT ON COLUMN orders.end_customer_id IS 'Actual eSIM user - references auth.users.id for B2C or partner_customers.id for B2B';
COMMENT ON COLUMN orders.user_id IS 'Who initiated/paid for the order (customer for B2C, partner for B2B)';

COMMENT ON COLUMN orders.package_code IS 'eSIMAccess packageCode; no FK, so orders keep codes removed from the catalog';
COMMENT ON COLUMN orders.price_usd IS 'Retail price at purchase, USD 4 dp';
COMMENT ON COLUMN orders.paid_amount_usd IS 'What the purchaser pays: price_usd minus commission_amount_usd; set by trigger';
COMMENT ON COLUMN orders.paid_amount_uzs IS 'What the purchaser pays in UZS: price_uzs minus commission_amount_uzs; set by trigger';
COMMENT ON COLUMN orders.commission_amount_usd IS 'Partner discount: price_usd * commission_rate / 100, USD 4 dp; set by trigger';
COMMENT ON COLUMN orders.commission_amount_uzs IS 'Partner discount in UZS: price_uzs * commission_rate / 100, 2 dp; set by trigger';
COMMENT ON COLUMN orders.provider_order_no IS 'eSIMAccess orderNo (one provider order may hold several eSIMs)';
COMMENT ON COLUMN orders.esim_tran_no IS 'eSIMAccess esimTranNo, the provider''s id of this eSIM';
COMMENT ON COLUMN orders.activation_code IS 'LPA activation string (LPA:1$smdp$matching-id)';
COMMENT ON COLUMN orders.esim_status IS 'eSIMAccess esimStatus as last reported (webhook or polling)';


-- -----------------------------------------------------------------------------
-- partner_payouts: settlement batches of earnings (answers "payout schedule")
-- -----------------------------------------------------------------------------
CREATE TABLE partner_payouts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id UUID NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  amount_usd NUMERIC(15,4) NOT NULL CHECK (amount_usd >= 0),
  amount_uzs NUMERIC(15,2) CHECK (amount_uzs >= 0),
  earnings_count INTEGER NOT NULL DEFAULT 0 CHECK (earnings_count >= 0),
  method VARCHAR(50),
  reference VARCHAR(255),
  status VARCHAR(20) NOT NULL DEFAULT 'processing'
    CHECK (status IN ('processing', 'paid', 'failed')),
  period_start DATE,
  period_end DATE,
  failure_reason TEXT,
  created_by UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  paid_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  CONSTRAINT partner_payouts_period CHECK (
    period_end IS NULL OR period_start IS NULL OR period_end >= period_start
  )
);

CREATE INDEX idx_partner_payouts_partner ON partner_payouts(partner_id, created_at DESC);
CREATE INDEX idx_partner_payouts_created_by ON partner_payouts(created_by) WHERE created_by IS NOT NULL;

COMMENT ON TABLE partner_payouts IS
  'Settlement batches that mark a partner''s earned earnings as paid (monthly or on demand); written by admins via functions';
COMMENT ON COLUMN partner_payouts.amount_usd IS 'Sum of commission_amount_usd of the batch''s earnings, USD 4 dp';


-- -----------------------------------------------------------------------------
-- partner_earnings: commission tracking (seed table 5)
-- -----------------------------------------------------------------------------
CREATE TABLE partner_earnings (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id UUID NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  order_id UUID NOT NULL REFERENCES orders(id) ON DELETE CASCADE,

  -- Amounts
  order_amount_usd DECIMAL(10,4) NOT NULL CHECK (order_amount_usd >= 0),
  order_amount_uzs DECIMAL(15,2) CHECK (order_amount_uzs >= 0),
  commission_rate DECIMAL(5,2) NOT NULL CHECK (commission_rate >= 0 AND commission_rate <= 100),
  commission_amount_usd DECIMAL(10,4) NOT NULL CHECK (commission_amount_usd >= 0),
  commission_amount_uzs DECIMAL(15,2) CHECK (commission_amount_uzs >= 0),

  -- Status
  status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'earned', 'paid', 'cancelled')),

  -- Payout tracking
  paid_out BOOLEAN NOT NULL DEFAULT FALSE,
  paid_at TIMESTAMPTZ,
  payout_method VARCHAR(50),
  payout_reference VARCHAR(255),
  -- deviation (addition): the payout batch that paid this earning
  payout_id UUID REFERENCES partner_payouts(id) ON DELETE SET NULL,

  -- Timestamps
  -- deviation: no DEFAULT NOW(); set when the earning becomes 'earned'
  -- (the seed's default stamps pending earnings as earned at creation).
  earned_at TIMESTAMPTZ,
  -- deviation (addition): when the order was cancelled/refunded
  cancelled_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  CONSTRAINT unique_order_earning UNIQUE(order_id),

  -- deviation: lifecycle timestamps must match the status
  CONSTRAINT partner_earnings_earned_at_set
    CHECK (status NOT IN ('earned', 'paid') OR earned_at IS NOT NULL),
  CONSTRAINT partner_earnings_paid_at_set
    CHECK (status <> 'paid' OR paid_at IS NOT NULL),
  CONSTRAINT partner_earnings_cancelled_at_set
    CHECK (status <> 'cancelled' OR cancelled_at IS NOT NULL)
);

CREATE INDEX idx_partner_earnings_partner_id ON partner_earnings(partner_id);
-- Seed index; same definition as unique_order_earning's index, kept for its name.
CREATE INDEX idx_partner_earnings_order_id ON partner_earnings(order_id);
CREATE INDEX idx_partner_earnings_status ON partner_earnings(status);
CREATE INDEX idx_partner_earnings_earned_at ON partner_earnings(earned_at DESC);
CREATE INDEX idx_partner_earnings_payout_id ON partner_earnings(payout_id) WHERE payout_id IS NOT NULL;

COMMENT ON TABLE partner_earnings IS
  'One commission (discount) record per partner order: pending -> earned (allocated) -> paid, or cancelled on refund; written only by triggers and system functions';
COMMENT ON COLUMN partner_earnings.commission_amount_usd IS 'Partner discount on the order, USD 4 dp';
COMMENT ON COLUMN partner_earnings.earned_at IS 'When the order was allocated and the earning became earned; NULL while pending';
COMMENT ON COLUMN partner_earnings.payout_id IS 'Payout batch that paid this earning; NULL until paid';
COMMENT ON COLUMN partner_earnings.cancelled_at IS 'When the order was cancelled or refunded and the earning taken back';


-- -----------------------------------------------------------------------------
-- order_action_logs: audit trail of every order modification (append-only)
-- -----------------------------------------------------------------------------
CREATE TABLE order_action_logs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- deliberately no FK: the audit trail outlives a deleted order
  order_id UUID NOT NULL,
  action VARCHAR(30) NOT NULL
    CHECK (action IN ('created', 'updated', 'status_changed', 'allocated', 'cancelled', 'refunded', 'deleted')),
  old_status VARCHAR(20),
  new_status VARCHAR(20),
  changed_fields JSONB -- {column: {old, new}}
    CHECK (changed_fields IS NULL OR jsonb_typeof(changed_fields) = 'object'),
  -- deliberately no FK: the actor may be deleted, the record stays
  actor_user_id UUID,
  actor_role VARCHAR(30),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_order_action_logs_order ON order_action_logs(order_id, created_at DESC);
CREATE INDEX idx_order_action_logs_actor ON order_action_logs(actor_user_id) WHERE actor_user_id IS NOT NULL;
CREATE INDEX idx_order_action_logs_created_at ON order_action_logs(created_at DESC);

COMMENT ON TABLE order_action_logs IS
  'Append-only audit trail of every order change (who, what, when); written only by triggers on orders';
COMMENT ON COLUMN order_action_logs.changed_fields IS
  'Changed columns as {column: {"old": ..., "new": ...}}; for created/deleted, the whole row';
COMMENT ON COLUMN order_action_logs.actor_user_id IS 'auth.uid() of the caller; NULL for service and system actions';
COMMENT ON COLUMN order_action_logs.actor_role IS 'Database/JWT role of the caller (authenticated, service_role, ...)';


-- -----------------------------------------------------------------------------
-- partner_api_keys: partner integration keys (answers "API access")
-- -----------------------------------------------------------------------------
CREATE TABLE partner_api_keys (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id UUID NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  name VARCHAR(100) NOT NULL,
  key_prefix VARCHAR(16) NOT NULL UNIQUE,
  key_hash TEXT NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  scopes TEXT[] NOT NULL DEFAULT '{orders:read}',
  created_by UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  last_used_at TIMESTAMPTZ,
  expires_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_partner_api_keys_partner_id ON partner_api_keys(partner_id);
CREATE INDEX idx_partner_api_keys_created_by ON partner_api_keys(created_by) WHERE created_by IS NOT NULL;

COMMENT ON TABLE partner_api_keys IS
  'API keys partners use to integrate; only a SHA-256 hash of each secret is stored. Written by the partner via functions';
COMMENT ON COLUMN partner_api_keys.key_prefix IS 'Public first characters of the key, shown in the UI and used for look-up';
COMMENT ON COLUMN partner_api_keys.key_hash IS 'Lower-case hex SHA-256 of the full secret; the secret itself is never stored';
COMMENT ON COLUMN partner_api_keys.scopes IS 'Granted scopes, e.g. orders:read, orders:write, customers:read, customers:write';


-- -----------------------------------------------------------------------------
-- pg_dump keeps the rows of extension tables only when they are registered
-- -----------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('profiles', '');
SELECT pg_catalog.pg_extension_config_dump('partners', '');
SELECT pg_catalog.pg_extension_config_dump('esim_packages', '');
SELECT pg_catalog.pg_extension_config_dump('package_operators', '');
SELECT pg_catalog.pg_extension_config_dump('price_sync_log', '');
SELECT pg_catalog.pg_extension_config_dump('package_price_changes', '');
SELECT pg_catalog.pg_extension_config_dump('margin_overrides', '');
SELECT pg_catalog.pg_extension_config_dump('exchange_rates', '');
SELECT pg_catalog.pg_extension_config_dump('package_views', '');
SELECT pg_catalog.pg_extension_config_dump('cached_regional_packages', '');
SELECT pg_catalog.pg_extension_config_dump('cached_global_packages', '');
SELECT pg_catalog.pg_extension_config_dump('package_cache_metadata', '');
SELECT pg_catalog.pg_extension_config_dump('user_favorites', '');
SELECT pg_catalog.pg_extension_config_dump('partner_customers', '');
SELECT pg_catalog.pg_extension_config_dump('customer_groups', '');
SELECT pg_catalog.pg_extension_config_dump('customer_group_members', '');
SELECT pg_catalog.pg_extension_config_dump('orders', '');
SELECT pg_catalog.pg_extension_config_dump('partner_payouts', '');
SELECT pg_catalog.pg_extension_config_dump('partner_earnings', '');
SELECT pg_catalog.pg_extension_config_dump('order_action_logs', '');
SELECT pg_catalog.pg_extension_config_dump('partner_api_keys', '');
-- ---------------------------------------------------------------------------
-- RLS helpers (C++: src/onesim/auth_context.cpp)
--
-- Policies call them as (SELECT onesim_internal.fn()) so each runs once per
-- statement. All are STABLE (a VOLATILE helper defeats index use) with a fixed
-- search_path. The ones that read protected tables are SECURITY DEFINER (they
-- run as the extension's owner, who owns the tables, so no policy recurses);
-- current_user_id() and is_service() are not: they must see the caller.
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.current_user_id() RETURNS uuid
AS 'MODULE_PATHNAME', 'onesim_current_user_id'
LANGUAGE C STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.current_user_id() IS
  'auth.uid(), exactly: request.jwt.claim.sub if non-empty, else request.jwt.claims ->> ''sub'', as uuid (22P02 when malformed)';

CREATE FUNCTION onesim_internal.current_partner_id() RETURNS uuid
AS 'MODULE_PATHNAME', 'onesim_current_partner_id'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.current_partner_id() IS
  'partners.id of the current user (partners.user_id = current_user_id()), or NULL';

CREATE FUNCTION onesim_internal.current_partner_status() RETURNS text
AS 'MODULE_PATHNAME', 'onesim_current_partner_status'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.current_partner_status() IS
  'partners.status of the current user''s partner (active, suspended, pending_approval, deactivated), or NULL';

CREATE FUNCTION onesim_internal.is_admin() RETURNS boolean
AS 'MODULE_PATHNAME', 'onesim_is_admin'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.is_admin() IS
  'True when the current user''s profile has user_type = ''admin''';

CREATE FUNCTION onesim_internal.admin_visible_since() RETURNS timestamptz
AS 'MODULE_PATHNAME', 'onesim_admin_visible_since'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION onesim_internal.admin_visible_until() RETURNS timestamptz
AS 'MODULE_PATHNAME', 'onesim_admin_visible_until'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.admin_visible_since() IS
  '-infinity for an admin, infinity otherwise; with admin_visible_until() the admin arm of a policy that an index on created_at serves';
COMMENT ON FUNCTION onesim_internal.admin_visible_until() IS
  'infinity for an admin, -infinity otherwise (see admin_visible_since())';
CREATE FUNCTION onesim_internal.admin_visible_id_min() RETURNS uuid
AS 'MODULE_PATHNAME', 'onesim_admin_visible_id_min'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION onesim_internal.admin_visible_id_max() RETURNS uuid
AS 'MODULE_PATHNAME', 'onesim_admin_visible_id_max'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.admin_visible_id_min() IS
  'The smallest uuid for an admin, the largest otherwise; with admin_visible_id_max() the admin arm of a policy that the primary key index serves';
COMMENT ON FUNCTION onesim_internal.admin_visible_id_max() IS
  'The largest uuid for an admin, the smallest otherwise (see admin_visible_id_min())';

CREATE FUNCTION onesim_internal.is_service() RETURNS boolean
AS 'MODULE_PATHNAME', 'onesim_is_service'
LANGUAGE C STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.is_service() IS
  'True for the service: the current role is a superuser or has BYPASSRLS (service_role, migrations, jobs); a JWT role claim of service_role counts only for a role acting with service_role''s privileges';

-- Policies run as the caller: the API roles need the schema and the helpers,
-- nobody else does.
REVOKE ALL ON SCHEMA onesim_internal FROM PUBLIC;
GRANT USAGE ON SCHEMA onesim_internal TO anon, authenticated, service_role;
REVOKE EXECUTE ON FUNCTION
  onesim_internal.current_user_id(), onesim_internal.current_partner_id(),
  onesim_internal.current_partner_status(), onesim_internal.is_admin(),
  onesim_internal.admin_visible_since(), onesim_internal.admin_visible_until(),
  onesim_internal.admin_visible_id_min(), onesim_internal.admin_visible_id_max(),
  onesim_internal.is_service()
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  onesim_internal.current_user_id(), onesim_internal.current_partner_id(),
  onesim_internal.current_partner_status(), onesim_internal.is_admin(),
  onesim_internal.admin_visible_since(), onesim_internal.admin_visible_until(),
  onesim_internal.admin_visible_id_min(), onesim_internal.admin_visible_id_max(),
  onesim_internal.is_service()
  TO anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Commission calculation (C++: src/core/commission.cpp)
-- ---------------------------------------------------------------------------

CREATE FUNCTION calculate_commission(retail_price numeric, commission_rate numeric,
                                     currency text DEFAULT 'USD')
RETURNS numeric
AS 'MODULE_PATHNAME', 'onesim_calculate_commission'
LANGUAGE C IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION calculate_commission(numeric, numeric, text) IS
  'Partner discount on a retail price: price x rate / 100, rounded half away from zero to the currency''s minor units (USD 4 dp, UZS 2 dp)';

CREATE FUNCTION commission_breakdown(retail_price numeric, commission_rate numeric,
                                     currency text DEFAULT 'USD',
                                     OUT retail_price numeric, OUT commission_rate numeric,
                                     OUT commission_amount numeric, OUT partner_pays numeric,
                                     OUT partner_savings numeric)
AS 'MODULE_PATHNAME', 'onesim_commission_breakdown'
LANGUAGE C IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION commission_breakdown(numeric, numeric, text) IS
  'Retail price, rate, commission, what the partner pays (retail - commission) and the partner''s savings';

-- ---------------------------------------------------------------------------
-- Orders, earnings and the partner / customer figures they feed
-- (C++: src/onesim/order_triggers.cpp, src/onesim/reconcile.cpp;
--  definitions: docs/design.md)
--
-- Trigger functions are SECURITY DEFINER: a partner placing an order must
-- move figures and write earnings it has no privilege to write itself. Their
-- SQL is schema-qualified, and search_path is pinned all the same.
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.orders_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_orders_before_write'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.orders_before_write() IS
  'Sets commission (partner''s effective rate at purchase), paid amounts, end customer and lifecycle timestamps; validates partner, end customer and group';

CREATE FUNCTION onesim_internal.orders_after_change() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_orders_after_change'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.orders_after_change() IS
  'Per statement: partner and partner-customer order figures, and the earnings lifecycle';

CREATE FUNCTION onesim_internal.earnings_after_change() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_earnings_after_change'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.earnings_after_change() IS
  'Per statement: partners.pending_earnings, total_earnings and balance from earnings';

CREATE FUNCTION onesim_internal.recount_after_truncate() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_recount_after_truncate'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION onesim_internal.reconcile(repair boolean DEFAULT false)
RETURNS TABLE (entity text, entity_id uuid, figure text, stored text, actual text)
AS 'MODULE_PATHNAME', 'onesim_reconcile'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.reconcile(boolean) IS
  'Recomputes every maintained figure from the rows; returns each difference, and repairs them when repair = true';
REVOKE ALL ON FUNCTION onesim_internal.reconcile(boolean) FROM PUBLIC;
-- Nobody but the owner may attach these to a table (CREATE TRIGGER needs
-- EXECUTE): on a caller's own temporary table they would run as the owner.
REVOKE ALL ON FUNCTION
  onesim_internal.orders_before_write(), onesim_internal.orders_after_change(),
  onesim_internal.earnings_after_change(), onesim_internal.recount_after_truncate()
  FROM PUBLIC;

CREATE TRIGGER trg_orders_before_write
  BEFORE INSERT OR UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.orders_before_write();

-- One trigger per event: a transition-table trigger serves exactly one.
CREATE TRIGGER trg_orders_after_insert
  AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_after_change();
CREATE TRIGGER trg_orders_after_update
  AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_after_change();
CREATE TRIGGER trg_orders_after_delete
  AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_after_change();
CREATE TRIGGER trg_orders_after_truncate
  AFTER TRUNCATE ON orders
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.recount_after_truncate();

CREATE TRIGGER trg_partner_earnings_after_insert
  AFTER INSERT ON partner_earnings REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.earnings_after_change();
CREATE TRIGGER trg_partner_earnings_after_update
  AFTER UPDATE ON partner_earnings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.earnings_after_change();
CREATE TRIGGER trg_partner_earnings_after_delete
  AFTER DELETE ON partner_earnings REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.earnings_after_change();
CREATE TRIGGER trg_partner_earnings_after_truncate
  AFTER TRUNCATE ON partner_earnings
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.recount_after_truncate();

-- The audit trail (C++: src/onesim/order_audit.cpp): who changed which order,
-- which columns, from what to what.
CREATE FUNCTION onesim_internal.orders_audit() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_orders_audit'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.orders_audit() IS
  'Per statement: one order_action_logs row per order changed (with old/new values) or deleted';
REVOKE ALL ON FUNCTION onesim_internal.orders_audit() FROM PUBLIC;

CREATE TRIGGER trg_orders_audit_update
  AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_audit();
CREATE TRIGGER trg_orders_audit_delete
  AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_audit();

-- Partner figures are written at commit by default (onesim.partner_figures,
-- src/onesim/partner_figures.hpp); this writes them now. API functions that
-- need the figures call it themselves; for clients it is not an API.
CREATE FUNCTION onesim_internal.flush_partner_figures() RETURNS void
AS 'MODULE_PATHNAME', 'onesim_flush_partner_figures'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.flush_partner_figures() IS
  'Writes the partner figures this transaction has collected so far (they are otherwise written just before commit)';
GRANT USAGE ON SCHEMA onesim_internal TO authenticated, service_role;
REVOKE ALL ON FUNCTION onesim_internal.flush_partner_figures() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION onesim_internal.flush_partner_figures() TO service_role;

-- Lock order for edits of a partner's customers: the figures are written
-- partner row first, then the customers' (src/onesim/partner_figures.hpp), so
-- an edit or a delete of a customer takes its partner's row right after the
-- customer's, instead of at commit (the reverse order, which could deadlock
-- with another transaction's figures for the same partner and customer). The
-- figures' own writes (they change a figure) do not fire it.
CREATE FUNCTION onesim_internal.lock_partner_before_customer() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_lock_partner_before_customer'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.lock_partner_before_customer() IS
  'BEFORE UPDATE or DELETE of a partner customer: locks the partner''s row first, the order in which the figures are written';
REVOKE ALL ON FUNCTION onesim_internal.lock_partner_before_customer() FROM PUBLIC;

CREATE TRIGGER trg_partner_customers_lock_partner_update
  BEFORE UPDATE ON partner_customers FOR EACH ROW
  WHEN (OLD.total_orders IS NOT DISTINCT FROM NEW.total_orders
        AND OLD.total_spent IS NOT DISTINCT FROM NEW.total_spent
        AND OLD.last_order_at IS NOT DISTINCT FROM NEW.last_order_at)
  EXECUTE FUNCTION onesim_internal.lock_partner_before_customer();
CREATE TRIGGER trg_partner_customers_lock_partner_delete
  BEFORE DELETE ON partner_customers FOR EACH ROW
  EXECUTE FUNCTION onesim_internal.lock_partner_before_customer();

-- ---------------------------------------------------------------------------
-- Maintained counts (C++: src/onesim/group_triggers.cpp)
--   customer_groups.group_size   = count of customer_group_members of the group
--   partners.total_customers     = count of partner_customers of the partner
-- Statement-level AFTER triggers with transition tables, one per event (a
-- transition-table trigger cannot be INSERT OR UPDATE); per-parent deltas are
-- netted in C++ and applied with one UPDATE per parent in id order. Cascaded
-- deletes (a group, a customer, a partner) run as DELETE statements on the
-- child table and fire these triggers too.
-- The functions are SECURITY DEFINER: the counts are system-maintained and
-- must be written whatever the caller may update or see under RLS. Their
-- search_path is fixed, so no operator or function a caller puts on its own
-- search_path can be picked up while they run with the owner's rights.
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.maintain_child_count()
RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_maintain_child_count'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.maintain_child_count() IS
  'Statement trigger: keeps a parent''s count of child rows (argument: group_size or total_customers) from the statement''s transition tables';

CREATE FUNCTION onesim_internal.check_group_member_partner()
RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_check_group_member_partner'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.check_group_member_partner() IS
  'Statement trigger: a group member''s customer must belong to the group''s partner (23503 otherwise)';

REVOKE ALL ON FUNCTION onesim_internal.maintain_child_count() FROM PUBLIC;
REVOKE ALL ON FUNCTION onesim_internal.check_group_member_partner() FROM PUBLIC;

-- customer_groups.group_size
CREATE TRIGGER trg_customer_group_members_group_size_insert
  AFTER INSERT ON customer_group_members
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('group_size');
CREATE TRIGGER trg_customer_group_members_group_size_update
  AFTER UPDATE ON customer_group_members
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('group_size');
CREATE TRIGGER trg_customer_group_members_group_size_delete
  AFTER DELETE ON customer_group_members
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('group_size');
CREATE TRIGGER trg_customer_group_members_group_size_truncate
  AFTER TRUNCATE ON customer_group_members
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('group_size');

CREATE TRIGGER trg_customer_group_members_same_partner_insert
  AFTER INSERT ON customer_group_members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.check_group_member_partner();
CREATE TRIGGER trg_customer_group_members_same_partner_update
  AFTER UPDATE ON customer_group_members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.check_group_member_partner();

-- partners.total_customers
CREATE TRIGGER trg_partner_customers_total_customers_insert
  AFTER INSERT ON partner_customers
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('total_customers');
CREATE TRIGGER trg_partner_customers_total_customers_update
  AFTER UPDATE ON partner_customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('total_customers');
CREATE TRIGGER trg_partner_customers_total_customers_delete
  AFTER DELETE ON partner_customers
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('total_customers');
CREATE TRIGGER trg_partner_customers_total_customers_truncate
  AFTER TRUNCATE ON partner_customers
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('total_customers');

-- ---------------------------------------------------------------------------
-- Timestamps (C++: src/onesim/timestamps.cpp)
-- Every table with updated_at: on UPDATE, updated_at = now() (the
-- transaction's start, as the DEFAULT now() of inserts) and created_at keeps
-- its value. Inserts keep the defaults. test/pgtap/12_timestamps.sql checks
-- that every table with updated_at has its trigger.
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.touch_updated_at()
RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_touch_updated_at'
LANGUAGE C SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.touch_updated_at() IS
  'BEFORE UPDATE row trigger: updated_at := now(), created_at := OLD.created_at';
REVOKE ALL ON FUNCTION onesim_internal.touch_updated_at() FROM PUBLIC;

CREATE TRIGGER trg_profiles_updated_at BEFORE UPDATE ON profiles
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_esim_packages_updated_at BEFORE UPDATE ON esim_packages
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_package_operators_updated_at BEFORE UPDATE ON package_operators
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_price_sync_log_updated_at BEFORE UPDATE ON price_sync_log
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_package_price_changes_updated_at BEFORE UPDATE ON package_price_changes
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_margin_overrides_updated_at BEFORE UPDATE ON margin_overrides
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_exchange_rates_updated_at BEFORE UPDATE ON exchange_rates
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_package_views_updated_at BEFORE UPDATE ON package_views
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_cached_regional_packages_updated_at BEFORE UPDATE ON cached_regional_packages
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_cached_global_packages_updated_at BEFORE UPDATE ON cached_global_packages
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_package_cache_metadata_updated_at BEFORE UPDATE ON package_cache_metadata
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_user_favorites_updated_at BEFORE UPDATE ON user_favorites
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_customer_groups_updated_at BEFORE UPDATE ON customer_groups
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_customer_group_members_updated_at BEFORE UPDATE ON customer_group_members
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_orders_updated_at BEFORE UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_partner_payouts_updated_at BEFORE UPDATE ON partner_payouts
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_partner_api_keys_updated_at BEFORE UPDATE ON partner_api_keys
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();

-- The tables the extension also writes below SQL (pg::DirectWriter: the
-- commit-time partner figures, the earnings' lifecycle) have their trigger
-- guarded by a WHEN that is false exactly when the trigger would change
-- nothing: those writes set updated_at = now() themselves, and skipping a
-- row trigger call saves its whole cost (the row is not even formed). For
-- any other UPDATE the condition is true (updated_at was kept or set to
-- something else, or created_at was changed) and the trigger runs.
CREATE TRIGGER trg_partners_updated_at BEFORE UPDATE ON partners
  FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM now() OR NEW.created_at IS DISTINCT FROM OLD.created_at)
  EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_partner_customers_updated_at BEFORE UPDATE ON partner_customers
  FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM now() OR NEW.created_at IS DISTINCT FROM OLD.created_at)
  EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_partner_earnings_updated_at BEFORE UPDATE ON partner_earnings
  FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM now() OR NEW.created_at IS DISTINCT FROM OLD.created_at)
  EXECUTE FUNCTION onesim_internal.touch_updated_at();

-- ---------------------------------------------------------------------------
-- Catalog pricing (rule: src/core/pricing.cpp; triggers:
-- src/onesim/catalog_triggers.cpp)
--   price_usd      = provider_price_usd x (1 + margin/100), 4 dp half away from zero
--   margin_percent = the margin applied: the active margin_overrides row of
--                    scope package, else country (single-country packages),
--                    else region, else global, else 0
--   price_uzs      = price_usd x the USD->UZS exchange rate in force, 2 dp
--                    (left as given when there is no rate)
-- Computed on insert and when provider_price_usd, package_code, country_codes
-- or region change. Every change of the provider price, margin, USD or UZS
-- price is logged in package_price_changes.
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.price_package()
RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_price_package'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.price_package() IS
  'BEFORE INSERT OR UPDATE row trigger on esim_packages: margin_percent, price_usd and price_uzs from the provider price, margin_overrides and exchange_rates';

CREATE FUNCTION onesim_internal.log_package_price_changes()
RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_log_package_price_changes'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.log_package_price_changes() IS
  'AFTER UPDATE statement trigger on esim_packages: one package_price_changes row per package whose prices changed';

REVOKE ALL ON FUNCTION onesim_internal.price_package() FROM PUBLIC;
REVOKE ALL ON FUNCTION onesim_internal.log_package_price_changes() FROM PUBLIC;

CREATE TRIGGER trg_esim_packages_price
  BEFORE INSERT OR UPDATE ON esim_packages
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.price_package();

CREATE TRIGGER trg_esim_packages_log_price_changes
  AFTER UPDATE ON esim_packages
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.log_package_price_changes();

-- ---------------------------------------------------------------------------
-- Guards (C++: src/onesim/guards.cpp)
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.forbid_column_change() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_forbid_column_change'
LANGUAGE C SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.forbid_column_change() IS
  'BEFORE UPDATE: the columns named as trigger arguments are immutable (55000)';
REVOKE ALL ON FUNCTION onesim_internal.forbid_column_change() FROM PUBLIC;

-- A customer or a group belongs to one partner for life: moving it would make
-- its group memberships and orders straddle two tenants.
CREATE TRIGGER trg_partner_customers_partner_fixed
  BEFORE UPDATE OF partner_id ON partner_customers
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.forbid_column_change('partner_id');
CREATE TRIGGER trg_customer_groups_partner_fixed
  BEFORE UPDATE OF partner_id ON customer_groups
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.forbid_column_change('partner_id');
CREATE TRIGGER trg_partner_earnings_order_fixed
  BEFORE UPDATE OF order_id ON partner_earnings
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.forbid_column_change('order_id');

CREATE FUNCTION onesim_internal.guard_drop() RETURNS event_trigger
AS 'MODULE_PATHNAME', 'onesim_guard_drop'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.guard_drop() IS
  'Refuses DROP EXTENSION onesim (or onesim_auth), DROP SCHEMA of its schemas and DROP OWNED BY their owners while onesim holds data, unless onesim.allow_drop_with_data is on';
REVOKE ALL ON FUNCTION onesim_internal.guard_drop() FROM PUBLIC;

-- DROP OWNED BY the extension's owner drops it too. ENABLE ALWAYS: an event
-- trigger left at its default does not fire under session_replication_role =
-- replica (the restore setting the README recommends).
CREATE EVENT TRIGGER onesim_guard_drop ON ddl_command_start
  WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA', 'DROP OWNED')
  EXECUTE FUNCTION onesim_internal.guard_drop();
ALTER EVENT TRIGGER onesim_guard_drop ENABLE ALWAYS;
-- =============================================================================
-- Row Level Security and privileges (docs/design.md, "Roles and callers")
--
-- Every table has RLS enabled. Policies name their roles (never PUBLIC), there
-- is one permissive policy per role and action, and helpers are wrapped as
-- (SELECT onesim_internal.fn()) so they run once per statement; membership
-- tests compare an indexed column with such a value or subquery.
--
-- Rows: policies. Columns: privileges. A policy that lets a partner update "its
-- own row" would let it update every column of it, so the API roles get UPDATE
-- (and INSERT) only on the columns a client may set: money, rates, status,
-- counters and user_type stay with triggers, the service and SECURITY DEFINER
-- API functions. service_role bypasses RLS (BYPASSRLS) and gets ALL privileges.
--
-- In the policies below:
--   uid   = (SELECT onesim_internal.current_user_id())
--   pid   = (SELECT onesim_internal.current_partner_id())
--   admin = (SELECT onesim_internal.is_admin())
--
-- Reads of the tables that grow with use (a partner listing its earnings, a
-- user its profile) are answered by indexes: every arm of their SELECT policy
-- is an index condition, the admin arm included ("id BETWEEN
-- admin_visible_id_min() AND admin_visible_id_max()": every id for an admin,
-- an empty range otherwise; see admin_visible_since() for why a range), and
-- lists of parent ids are "= ANY (ARRAY(SELECT ...))", which an index takes,
-- rather than "IN (SELECT ...)", which an OR turns into a filter. A bare
-- "OR admin" would make every such read scan the whole table
-- (test/pgtap/23_rls_plans.sql).
-- =============================================================================

-- Supabase's default privileges grant ALL on new tables to anon and
-- authenticated: start from nothing and grant what each role needs.
REVOKE ALL ON TABLE
  profiles, partners, esim_packages, package_operators, price_sync_log,
  package_price_changes, margin_overrides, exchange_rates, package_views,
  cached_regional_packages, cached_global_packages, package_cache_metadata,
  user_favorites, partner_customers, customer_groups, customer_group_members,
  orders, partner_payouts, partner_earnings, order_action_logs, partner_api_keys
  FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE
  profiles, partners, esim_packages, package_operators, price_sync_log,
  package_price_changes, margin_overrides, exchange_rates, package_views,
  cached_regional_packages, cached_global_packages, package_cache_metadata,
  user_favorites, partner_customers, customer_groups, customer_group_members,
  orders, partner_payouts, partner_earnings, order_action_logs, partner_api_keys
  TO service_role;
GRANT USAGE ON SCHEMA @extschema@ TO anon, authenticated, service_role;

ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE partners ENABLE ROW LEVEL SECURITY;
ALTER TABLE esim_packages ENABLE ROW LEVEL SECURITY;
ALTER TABLE package_operators ENABLE ROW LEVEL SECURITY;
ALTER TABLE price_sync_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE package_price_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE margin_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE exchange_rates ENABLE ROW LEVEL SECURITY;
ALTER TABLE package_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE cached_regional_packages ENABLE ROW LEVEL SECURITY;
ALTER TABLE cached_global_packages ENABLE ROW LEVEL SECURITY;
ALTER TABLE package_cache_metadata ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_favorites ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner_customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_groups ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_group_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner_payouts ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner_earnings ENABLE ROW LEVEL SECURITY;
ALTER TABLE order_action_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE partner_api_keys ENABLE ROW LEVEL SECURITY;


-- -----------------------------------------------------------------------------
-- profiles: the user's own row; admins all. user_type is never client-writable
-- (no column privilege, plus the guard trigger below).
-- -----------------------------------------------------------------------------
GRANT SELECT ON profiles TO authenticated;
GRANT INSERT (id, first_name, last_name, phone, email, avatar_url, preferred_language,
              preferred_currency)
  ON profiles TO authenticated;
GRANT UPDATE (first_name, last_name, phone, avatar_url, preferred_language, preferred_currency)
  ON profiles TO authenticated;
GRANT DELETE ON profiles TO authenticated;

CREATE POLICY profiles_select ON profiles FOR SELECT TO authenticated
  USING (id = (SELECT onesim_internal.current_user_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
CREATE POLICY profiles_insert ON profiles FOR INSERT TO authenticated
  WITH CHECK (id = (SELECT onesim_internal.current_user_id()) OR (SELECT onesim_internal.is_admin()));
CREATE POLICY profiles_update ON profiles FOR UPDATE TO authenticated
  USING (id = (SELECT onesim_internal.current_user_id()) OR (SELECT onesim_internal.is_admin()))
  WITH CHECK (id = (SELECT onesim_internal.current_user_id()) OR (SELECT onesim_internal.is_admin()));
CREATE POLICY profiles_delete ON profiles FOR DELETE TO authenticated
  USING ((SELECT onesim_internal.is_admin()));

-- Defence in depth: even a role granted UPDATE on every column (or a SECURITY
-- DEFINER function acting for a user) cannot change user_type unless the
-- caller is an admin or the service.
CREATE FUNCTION onesim_internal.profiles_guard_user_type() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_profile_guard'
LANGUAGE C
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.profiles_guard_user_type() IS
  'BEFORE UPDATE trigger on profiles: a change of user_type needs is_admin() or is_service() (42501)';
REVOKE EXECUTE ON FUNCTION onesim_internal.profiles_guard_user_type() FROM PUBLIC;
CREATE TRIGGER trg_profiles_guard_user_type
  BEFORE UPDATE ON profiles
  FOR EACH ROW
  WHEN (OLD.user_type IS DISTINCT FROM NEW.user_type)
  EXECUTE FUNCTION onesim_internal.profiles_guard_user_type();


-- -----------------------------------------------------------------------------
-- partners: a partner sees and edits its own company data; rates, balance,
-- earnings, status, verification and counters only through the system.
-- Self-registration creates a partner awaiting approval.
-- -----------------------------------------------------------------------------
GRANT SELECT ON partners TO authenticated;
GRANT INSERT (user_id, company_name, legal_name, company_type, tax_id, registration_number,
              business_email, business_phone, website, address, auto_email_customers,
              preferred_currency, preferred_locale, status)
  ON partners TO authenticated;
GRANT UPDATE (company_name, legal_name, company_type, business_email, business_phone, website,
              address, auto_email_customers, preferred_currency, preferred_locale)
  ON partners TO authenticated;
GRANT DELETE ON partners TO authenticated;

CREATE POLICY partners_select ON partners FOR SELECT TO authenticated
  USING (user_id = (SELECT onesim_internal.current_user_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
CREATE POLICY partners_insert ON partners FOR INSERT TO authenticated
  WITH CHECK ((user_id = (SELECT onesim_internal.current_user_id()) AND status = 'pending_approval')
              OR (SELECT onesim_internal.is_admin()));
CREATE POLICY partners_update ON partners FOR UPDATE TO authenticated
  USING (user_id = (SELECT onesim_internal.current_user_id()) OR (SELECT onesim_internal.is_admin()))
  WITH CHECK (user_id = (SELECT onesim_internal.current_user_id()) OR (SELECT onesim_internal.is_admin()));
-- Admins only, and never a partner with earnings (that would delete them).
CREATE POLICY partners_delete ON partners FOR DELETE TO authenticated
  USING ((SELECT onesim_internal.is_admin())
         AND NOT EXISTS (SELECT 1 FROM partner_earnings e WHERE e.partner_id = partners.id));


-- -----------------------------------------------------------------------------
-- The public catalog: anon and users read active packages; admins manage it.
-- anon does not see our cost price and margin.
-- -----------------------------------------------------------------------------
GRANT SELECT (id, package_code, slug, name, description, location_type, country_codes, region,
              data_gb, data_volume_bytes, duration, duration_unit, speed, supports_sms,
              supports_voice, supports_topup, price_usd, price_uzs, is_active, is_popular,
              sort_order, last_synced_at, created_at, updated_at)
  ON esim_packages TO anon;
GRANT SELECT, INSERT, UPDATE, DELETE ON esim_packages TO authenticated;
CREATE POLICY esim_packages_select_anon ON esim_packages FOR SELECT TO anon
  USING (is_active);
CREATE POLICY esim_packages_select ON esim_packages FOR SELECT TO authenticated
  USING (is_active OR (SELECT onesim_internal.is_admin()));
CREATE POLICY esim_packages_insert ON esim_packages FOR INSERT TO authenticated
  WITH CHECK ((SELECT onesim_internal.is_admin()));
CREATE POLICY esim_packages_update ON esim_packages FOR UPDATE TO authenticated
  USING ((SELECT onesim_internal.is_admin())) WITH CHECK ((SELECT onesim_internal.is_admin()));
CREATE POLICY esim_packages_delete ON esim_packages FOR DELETE TO authenticated
  USING ((SELECT onesim_internal.is_admin()));

GRANT SELECT ON package_operators TO anon;
GRANT SELECT, INSERT, UPDATE, DELETE ON package_operators TO authenticated;
CREATE POLICY package_operators_select_anon ON package_operators FOR SELECT TO anon
  USING (package_id IN (SELECT p.id FROM esim_packages p WHERE p.is_active));
CREATE POLICY package_operators_select ON package_operators FOR SELECT TO authenticated
  USING (package_id IN (SELECT p.id FROM esim_packages p WHERE p.is_active)
         OR (SELECT onesim_internal.is_admin()));
CREATE POLICY package_operators_insert ON package_operators FOR INSERT TO authenticated
  WITH CHECK ((SELECT onesim_internal.is_admin()));
CREATE POLICY package_operators_update ON package_operators FOR UPDATE TO authenticated
  USING ((SELECT onesim_internal.is_admin())) WITH CHECK ((SELECT onesim_internal.is_admin()));
CREATE POLICY package_operators_delete ON package_operators FOR DELETE TO authenticated
  USING ((SELECT onesim_internal.is_admin()));

-- The listing caches and their metadata are rebuilt by the system only.
GRANT SELECT ON cached_regional_packages, cached_global_packages TO anon, authenticated;
CREATE POLICY cached_regional_packages_select_anon ON cached_regional_packages FOR SELECT TO anon
  USING (package_id IN (SELECT p.id FROM esim_packages p WHERE p.is_active));
CREATE POLICY cached_regional_packages_select ON cached_regional_packages FOR SELECT TO authenticated
  USING (package_id IN (SELECT p.id FROM esim_packages p WHERE p.is_active)
         OR (SELECT onesim_internal.is_admin()));
CREATE POLICY cached_global_packages_select_anon ON cached_global_packages FOR SELECT TO anon
  USING (package_id IN (SELECT p.id FROM esim_packages p WHERE p.is_active));
CREATE POLICY cached_global_packages_select ON cached_global_packages FOR SELECT TO authenticated
  USING (package_id IN (SELECT p.id FROM esim_packages p WHERE p.is_active)
         OR (SELECT onesim_internal.is_admin()));

-- Failed caches (whose error_message is internal) are for admins only.
GRANT SELECT (cache_key, last_refreshed_at, row_count, ttl_seconds, status, created_at, updated_at)
  ON package_cache_metadata TO anon;
GRANT SELECT ON package_cache_metadata TO authenticated;
CREATE POLICY package_cache_metadata_select_anon ON package_cache_metadata FOR SELECT TO anon
  USING (status <> 'failed');
CREATE POLICY package_cache_metadata_select ON package_cache_metadata FOR SELECT TO authenticated
  USING (status <> 'failed' OR (SELECT onesim_internal.is_admin()));

-- Rates in force are public; future-dated ones are not yet.
GRANT SELECT ON exchange_rates TO anon;
GRANT SELECT, INSERT, UPDATE, DELETE ON exchange_rates TO authenticated;
CREATE POLICY exchange_rates_select_anon ON exchange_rates FOR SELECT TO anon
  USING (effective_at <= now());
CREATE POLICY exchange_rates_select ON exchange_rates FOR SELECT TO authenticated
  USING (effective_at <= now() OR (SELECT onesim_internal.is_admin()));
CREATE POLICY exchange_rates_insert ON exchange_rates FOR INSERT TO authenticated
  WITH CHECK ((SELECT onesim_internal.is_admin()));
CREATE POLICY exchange_rates_update ON exchange_rates FOR UPDATE TO authenticated
  USING ((SELECT onesim_internal.is_admin())) WITH CHECK ((SELECT onesim_internal.is_admin()));
CREATE POLICY exchange_rates_delete ON exchange_rates FOR DELETE TO authenticated
  USING ((SELECT onesim_internal.is_admin()));

-- Margins: admins only.
GRANT SELECT, INSERT, UPDATE, DELETE ON margin_overrides TO authenticated;
CREATE POLICY margin_overrides_select ON margin_overrides FOR SELECT TO authenticated
  USING ((SELECT onesim_internal.is_admin()));
CREATE POLICY margin_overrides_insert ON margin_overrides FOR INSERT TO authenticated
  WITH CHECK ((SELECT onesim_internal.is_admin()));
CREATE POLICY margin_overrides_update ON margin_overrides FOR UPDATE TO authenticated
  USING ((SELECT onesim_internal.is_admin())) WITH CHECK ((SELECT onesim_internal.is_admin()));
CREATE POLICY margin_overrides_delete ON margin_overrides FOR DELETE TO authenticated
  USING ((SELECT onesim_internal.is_admin()));

-- Price history and sync runs: written by the system, read by admins.
GRANT SELECT ON price_sync_log, package_price_changes TO authenticated;
CREATE POLICY price_sync_log_select ON price_sync_log FOR SELECT TO authenticated
  USING ((SELECT onesim_internal.is_admin()));
CREATE POLICY package_price_changes_select ON package_price_changes FOR SELECT TO authenticated
  USING ((SELECT onesim_internal.is_admin()));


-- -----------------------------------------------------------------------------
-- package_views: anyone records a view (anonymously, or as themselves); users
-- read their own, admins all.
-- -----------------------------------------------------------------------------
GRANT INSERT (package_id, user_id, session_id, source) ON package_views TO anon, authenticated;
GRANT SELECT, DELETE ON package_views TO authenticated;
CREATE POLICY package_views_insert_anon ON package_views FOR INSERT TO anon
  WITH CHECK (user_id IS NULL);
CREATE POLICY package_views_insert ON package_views FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT onesim_internal.current_user_id()) OR (SELECT onesim_internal.is_admin()));
CREATE POLICY package_views_select ON package_views FOR SELECT TO authenticated
  USING (user_id = (SELECT onesim_internal.current_user_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
CREATE POLICY package_views_delete ON package_views FOR DELETE TO authenticated
  USING ((SELECT onesim_internal.is_admin()));


-- -----------------------------------------------------------------------------
-- user_favorites: the user's own bookmarks
-- -----------------------------------------------------------------------------
GRANT SELECT, DELETE ON user_favorites TO authenticated;
GRANT INSERT (user_id, package_id) ON user_favorites TO authenticated;
CREATE POLICY user_favorites_select ON user_favorites FOR SELECT TO authenticated
  USING (user_id = (SELECT onesim_internal.current_user_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
CREATE POLICY user_favorites_insert ON user_favorites FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT onesim_internal.current_user_id()) OR (SELECT onesim_internal.is_admin()));
CREATE POLICY user_favorites_delete ON user_favorites FOR DELETE TO authenticated
  USING (user_id = (SELECT onesim_internal.current_user_id()) OR (SELECT onesim_internal.is_admin()));


-- -----------------------------------------------------------------------------
-- partner_customers, customer_groups, customer_group_members: the partner's own
-- -----------------------------------------------------------------------------
GRANT SELECT, DELETE ON partner_customers TO authenticated;
GRANT INSERT (partner_id, first_name, last_name, email, phone, notes, tags)
  ON partner_customers TO authenticated;
GRANT UPDATE (first_name, last_name, email, phone, notes, tags) ON partner_customers TO authenticated;
CREATE POLICY partner_customers_select ON partner_customers FOR SELECT TO authenticated
  USING (partner_id = (SELECT onesim_internal.current_partner_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
CREATE POLICY partner_customers_insert ON partner_customers FOR INSERT TO authenticated
  WITH CHECK (partner_id = (SELECT onesim_internal.current_partner_id()) OR (SELECT onesim_internal.is_admin()));
CREATE POLICY partner_customers_update ON partner_customers FOR UPDATE TO authenticated
  USING (partner_id = (SELECT onesim_internal.current_partner_id()) OR (SELECT onesim_internal.is_admin()))
  WITH CHECK (partner_id = (SELECT onesim_internal.current_partner_id()) OR (SELECT onesim_internal.is_admin()));
CREATE POLICY partner_customers_delete ON partner_customers FOR DELETE TO authenticated
  USING (partner_id = (SELECT onesim_internal.current_partner_id()) OR (SELECT onesim_internal.is_admin()));

GRANT SELECT, DELETE ON customer_groups TO authenticated;
GRANT INSERT (partner_id, name, description, destination_country_code, destination_name,
              travel_start_date, travel_end_date, tags, is_active)
  ON customer_groups TO authenticated;
GRANT UPDATE (name, description, destination_country_code, destination_name, travel_start_date,
              travel_end_date, tags, is_active)
  ON customer_groups TO authenticated;
CREATE POLICY customer_groups_select ON customer_groups FOR SELECT TO authenticated
  USING (partner_id = (SELECT onesim_internal.current_partner_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
CREATE POLICY customer_groups_insert ON customer_groups FOR INSERT TO authenticated
  WITH CHECK (partner_id = (SELECT onesim_internal.current_partner_id()) OR (SELECT onesim_internal.is_admin()));
CREATE POLICY customer_groups_update ON customer_groups FOR UPDATE TO authenticated
  USING (partner_id = (SELECT onesim_internal.current_partner_id()) OR (SELECT onesim_internal.is_admin()))
  WITH CHECK (partner_id = (SELECT onesim_internal.current_partner_id()) OR (SELECT onesim_internal.is_admin()));
CREATE POLICY customer_groups_delete ON customer_groups FOR DELETE TO authenticated
  USING (partner_id = (SELECT onesim_internal.current_partner_id()) OR (SELECT onesim_internal.is_admin()));

-- Members have no partner_id: the group decides, and a partner may only put
-- its own customers into its own groups.
GRANT SELECT, DELETE ON customer_group_members TO authenticated;
GRANT INSERT (group_id, customer_id, added_by) ON customer_group_members TO authenticated;
CREATE POLICY customer_group_members_select ON customer_group_members FOR SELECT TO authenticated
  USING (group_id = ANY (ARRAY(SELECT g.id FROM customer_groups g
                               WHERE g.partner_id = (SELECT onesim_internal.current_partner_id())))
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
CREATE POLICY customer_group_members_insert ON customer_group_members FOR INSERT TO authenticated
  WITH CHECK ((group_id IN (SELECT g.id FROM customer_groups g
                            WHERE g.partner_id = (SELECT onesim_internal.current_partner_id()))
               AND customer_id IN (SELECT c.id FROM partner_customers c
                                   WHERE c.partner_id = (SELECT onesim_internal.current_partner_id()))
               AND (added_by IS NULL OR added_by = (SELECT onesim_internal.current_user_id())))
              OR (SELECT onesim_internal.is_admin()));
CREATE POLICY customer_group_members_delete ON customer_group_members FOR DELETE TO authenticated
  USING (group_id IN (SELECT g.id FROM customer_groups g
                      WHERE g.partner_id = (SELECT onesim_internal.current_partner_id()))
         OR (SELECT onesim_internal.is_admin()));


-- -----------------------------------------------------------------------------
-- orders: customers see the orders they placed, partners their partner's;
-- customers insert B2C orders for themselves, active partners B2B orders for
-- their own customers and groups. Commission, paid amounts, status, payment and
-- provider data are never client-writable (triggers, the service and admin API
-- functions set them). Admins may delete only orders without an earning.
-- -----------------------------------------------------------------------------
GRANT SELECT ON orders TO authenticated;
GRANT INSERT (user_id, transaction_id, package_id, package_code, package_name, price_usd, price_uzs,
              currency, payment_method, source_type, partner_id, end_customer_id, end_customer_type,
              customer_first_name, customer_last_name, customer_email, customer_phone,
              customer_group_id, delivery_method, notes, metadata)
  ON orders TO authenticated;
GRANT UPDATE (notes, delivery_method) ON orders TO authenticated;
GRANT DELETE ON orders TO authenticated;
-- Each arm is answered by an index (user_id, partner_id, created_at), so a
-- partner's or customer's read is a BitmapOr of index scans, not a scan of
-- every order (see onesim_internal.admin_visible_since()).
CREATE POLICY orders_select ON orders FOR SELECT TO authenticated
  USING (user_id = (SELECT onesim_internal.current_user_id())
         OR partner_id = (SELECT onesim_internal.current_partner_id())
         OR created_at BETWEEN (SELECT onesim_internal.admin_visible_since())
                           AND (SELECT onesim_internal.admin_visible_until()));
CREATE POLICY orders_insert ON orders FOR INSERT TO authenticated
  WITH CHECK (
    (source_type = 'b2c'
     AND user_id = (SELECT onesim_internal.current_user_id())
     AND partner_id IS NULL
     AND customer_group_id IS NULL
     AND (end_customer_id IS NULL OR end_customer_id = (SELECT onesim_internal.current_user_id())))
    OR
    (source_type = 'b2b_partner'
     AND partner_id = (SELECT onesim_internal.current_partner_id())
     AND (SELECT onesim_internal.current_partner_status()) = 'active'
     AND user_id = (SELECT onesim_internal.current_user_id())
     AND (end_customer_id IS NULL
          OR end_customer_id IN (SELECT c.id FROM partner_customers c
                                 WHERE c.partner_id = (SELECT onesim_internal.current_partner_id())))
     AND (customer_group_id IS NULL
          OR customer_group_id IN (SELECT g.id FROM customer_groups g
                                   WHERE g.partner_id = (SELECT onesim_internal.current_partner_id()))))
    OR (SELECT onesim_internal.is_admin()));
CREATE POLICY orders_update ON orders FOR UPDATE TO authenticated
  USING (user_id = (SELECT onesim_internal.current_user_id())
         OR partner_id = (SELECT onesim_internal.current_partner_id())
         OR created_at BETWEEN (SELECT onesim_internal.admin_visible_since())
                           AND (SELECT onesim_internal.admin_visible_until()))
  WITH CHECK (user_id = (SELECT onesim_internal.current_user_id())
              OR partner_id = (SELECT onesim_internal.current_partner_id())
              OR (SELECT onesim_internal.is_admin()));
CREATE POLICY orders_delete ON orders FOR DELETE TO authenticated
  USING ((SELECT onesim_internal.is_admin())
         AND NOT EXISTS (SELECT 1 FROM partner_earnings e WHERE e.order_id = orders.id));


-- -----------------------------------------------------------------------------
-- Earnings and payouts: written only by the system; partners read their own,
-- admins all. The audit trail: admins, and the owners of the order.
-- -----------------------------------------------------------------------------
GRANT SELECT ON partner_earnings, partner_payouts, order_action_logs TO authenticated;
CREATE POLICY partner_earnings_select ON partner_earnings FOR SELECT TO authenticated
  USING (partner_id = (SELECT onesim_internal.current_partner_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
CREATE POLICY partner_payouts_select ON partner_payouts FOR SELECT TO authenticated
  USING (partner_id = (SELECT onesim_internal.current_partner_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
CREATE POLICY order_action_logs_select ON order_action_logs FOR SELECT TO authenticated
  USING (order_id = ANY (ARRAY(SELECT o.id FROM orders o
                               WHERE o.user_id = (SELECT onesim_internal.current_user_id())
                                  OR o.partner_id = (SELECT onesim_internal.current_partner_id())))
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));


-- -----------------------------------------------------------------------------
-- partner_api_keys: a partner creates and revokes its own keys; the hash is
-- never readable through the API.
-- -----------------------------------------------------------------------------
GRANT SELECT (id, partner_id, name, key_prefix, scopes, created_by, last_used_at, expires_at,
              revoked_at, created_at, updated_at)
  ON partner_api_keys TO authenticated;
GRANT INSERT (partner_id, name, key_prefix, key_hash, scopes, created_by, expires_at)
  ON partner_api_keys TO authenticated;
GRANT UPDATE (name, revoked_at) ON partner_api_keys TO authenticated;
GRANT DELETE ON partner_api_keys TO authenticated;
CREATE POLICY partner_api_keys_select ON partner_api_keys FOR SELECT TO authenticated
  USING (partner_id = (SELECT onesim_internal.current_partner_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
CREATE POLICY partner_api_keys_insert ON partner_api_keys FOR INSERT TO authenticated
  WITH CHECK ((partner_id = (SELECT onesim_internal.current_partner_id())
               AND (created_by IS NULL OR created_by = (SELECT onesim_internal.current_user_id())))
              OR (SELECT onesim_internal.is_admin()));
CREATE POLICY partner_api_keys_update ON partner_api_keys FOR UPDATE TO authenticated
  USING (partner_id = (SELECT onesim_internal.current_partner_id()) OR (SELECT onesim_internal.is_admin()))
  WITH CHECK (partner_id = (SELECT onesim_internal.current_partner_id()) OR (SELECT onesim_internal.is_admin()));
CREATE POLICY partner_api_keys_delete ON partner_api_keys FOR DELETE TO authenticated
  USING ((SELECT onesim_internal.is_admin()));
-- =============================================================================
-- Views (seed: "Useful Database Views"), corrected.
--
-- Both are security_invoker: the caller's privileges and RLS apply to every
-- table they read (an owner-privileged view would bypass RLS and show every
-- partner's data to everyone).
-- =============================================================================

-- -----------------------------------------------------------------------------
-- v_orders_complete: one row per order with purchaser, partner, end customer,
-- group, package and earning.
-- Fixes to the seed: no duplicate column names (package_name and
-- commission_amount_usd of the joins are aliased); exactly one row per order
-- (every join is on a unique key); the B2C end customer's email is the
-- profile's email (the seed returned the phone); the B2B end customer must be a
-- customer of the order's partner; packages are found by package_id, falling
-- back to package_code for orders without one.
-- -----------------------------------------------------------------------------
CREATE VIEW v_orders_complete WITH (security_invoker = true) AS
SELECT
  o.*,
  -- Who made the purchase
  p_user.first_name AS user_first_name,
  p_user.last_name AS user_last_name,

  -- Partner (B2B)
  pt.company_name AS partner_company_name,
  pt.business_email AS partner_email,

  -- End customer
  CASE o.source_type
    WHEN 'b2c' THEN p_user.first_name
    WHEN 'b2b_partner' THEN COALESCE(pc.first_name, o.customer_first_name)
    ELSE o.customer_first_name
  END AS end_customer_first_name,
  CASE o.source_type
    WHEN 'b2c' THEN p_user.last_name
    WHEN 'b2b_partner' THEN COALESCE(pc.last_name, o.customer_last_name)
    ELSE o.customer_last_name
  END AS end_customer_last_name,
  CASE o.source_type
    WHEN 'b2c' THEN p_user.email
    WHEN 'b2b_partner' THEN COALESCE(pc.email, o.customer_email)
    ELSE o.customer_email
  END AS end_customer_email,

  -- Group
  cg.name AS group_name,

  -- Package from the catalog
  COALESCE(pkg.name, pkg_by_code.name) AS package_catalog_name,
  COALESCE(pkg.data_gb, pkg_by_code.data_gb) AS data_gb,
  COALESCE(pkg.duration, pkg_by_code.duration) AS duration,

  -- Earning
  pe.commission_amount_usd AS earning_commission_amount_usd,
  pe.status AS earning_status
FROM orders o
LEFT JOIN profiles p_user ON p_user.id = o.user_id
LEFT JOIN partners pt ON pt.id = o.partner_id
LEFT JOIN partner_customers pc
  ON pc.id = o.end_customer_id
 AND o.end_customer_type = 'b2b_partner_customer'
 AND pc.partner_id = o.partner_id
LEFT JOIN customer_groups cg ON cg.id = o.customer_group_id
LEFT JOIN esim_packages pkg ON pkg.id = o.package_id
LEFT JOIN esim_packages pkg_by_code
  ON o.package_id IS NULL AND pkg_by_code.package_code = o.package_code
LEFT JOIN partner_earnings pe ON pe.order_id = o.id;

COMMENT ON VIEW v_orders_complete IS
  'Every order the caller may see, one row each, with purchaser, partner, end customer, group, catalog package and earning (security_invoker: RLS applies)';


-- -----------------------------------------------------------------------------
-- v_partner_dashboard_stats: one row per partner the caller may see.
-- Fixes to the seed: orders and groups are aggregated separately (the seed
-- joined both, multiplying every sum by the number of groups); the order
-- counts, the allocated spend and total_customers are the partner's maintained
-- figures (one row read, whatever the number of orders).
-- -----------------------------------------------------------------------------
CREATE VIEW v_partner_dashboard_stats WITH (security_invoker = true) AS
SELECT
  pt.id AS partner_id,
  pt.company_name,

  -- Orders
  pt.total_orders::bigint AS total_orders,
  pt.allocated_orders::bigint AS active_orders,
  pt.pending_orders::bigint AS pending_orders,

  -- Spending (allocated orders, retail prices)
  pt.allocated_spent_usd::numeric AS total_spent_usd,
  pt.allocated_spent_uzs::numeric AS total_spent_uzs,

  -- Earnings
  pt.total_earnings,
  pt.pending_earnings,
  pt.balance,

  -- Customers and groups
  pt.total_customers::bigint AS total_customers,
  COALESCE(gs.total_groups, 0) AS total_groups
FROM partners pt
LEFT JOIN LATERAL (
  SELECT count(*) AS total_groups
  FROM customer_groups g
  WHERE g.partner_id = pt.id
) gs ON true;

COMMENT ON VIEW v_partner_dashboard_stats IS
  'One row per partner the caller may see: order counts, allocated spend, earnings figures, customers and groups (security_invoker: RLS applies)';

REVOKE ALL ON v_orders_complete, v_partner_dashboard_stats FROM PUBLIC, anon, authenticated;
GRANT SELECT ON v_orders_complete, v_partner_dashboard_stats TO authenticated, service_role;

-- ---------------------------------------------------------------------------
-- The API apps call through Supabase RPC (C++: src/onesim/api_*.cpp;
-- contract: docs/design.md, README "API").
--
-- Every function is SECURITY DEFINER with a pinned search_path and
-- schema-qualified SQL: it checks its caller first (42501), treats other
-- tenants' ids as not found, and writes rows the triggers then account for
-- (commission, earnings and figures are never computed here). EXECUTE is
-- revoked from PUBLIC and granted only to the roles that may call it.
-- ---------------------------------------------------------------------------

CREATE FUNCTION quote_package(package_code text, currency text DEFAULT 'USD')
RETURNS TABLE (package_code text, package_name text, retail_price numeric,
               commission_rate numeric, commission_amount numeric, you_pay numeric,
               currency text)
AS 'MODULE_PATHNAME', 'onesim_api_quote_package'
LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
ROWS 1;
COMMENT ON FUNCTION quote_package(text, text) IS
  'Price of an active package in USD or UZS: retail for anon and customers; an active partner''s discount by its effective rate';

CREATE FUNCTION place_b2c_order(package_code text, transaction_id text DEFAULT NULL)
RETURNS orders
AS 'MODULE_PATHNAME', 'onesim_api_place_b2c_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION place_b2c_order(text, text) IS
  'A signed-in user with a profile orders a package for themselves at its current price';

CREATE FUNCTION place_b2b_order(package_code text, customer_id uuid DEFAULT NULL,
                                new_customer jsonb DEFAULT NULL,
                                customer_group_id uuid DEFAULT NULL,
                                transaction_id text DEFAULT NULL)
RETURNS orders
AS 'MODULE_PATHNAME', 'onesim_api_place_b2b_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION place_b2b_order(text, uuid, jsonb, uuid, text) IS
  'An active partner orders for its customer (customer_id), a new or same-email customer (new_customer {first_name,last_name,email,phone}), or unassigned';

CREATE FUNCTION bulk_order_for_group(group_id uuid, package_code text)
RETURNS SETOF orders
AS 'MODULE_PATHNAME', 'onesim_api_bulk_order_for_group'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION bulk_order_for_group(uuid, text) IS
  'An active partner orders a package for every member of its group, in one statement';

CREATE FUNCTION add_group_members(group_id uuid, customer_ids uuid[])
RETURNS integer
AS 'MODULE_PATHNAME', 'onesim_api_add_group_members'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION add_group_members(uuid, uuid[]) IS
  'Adds the group partner''s customers to the group (already-members ignored); returns how many were added';

CREATE FUNCTION remove_group_members(group_id uuid, customer_ids uuid[])
RETURNS integer
AS 'MODULE_PATHNAME', 'onesim_api_remove_group_members'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION remove_group_members(uuid, uuid[]) IS
  'Removes customers from the group; returns how many were removed';

CREATE FUNCTION record_allocation(order_id uuid, iccid text, qr_code_url text DEFAULT NULL,
                                  activation_code text DEFAULT NULL,
                                  smdp_address text DEFAULT NULL,
                                  provider_order_no text DEFAULT NULL,
                                  esim_tran_no text DEFAULT NULL)
RETURNS orders
AS 'MODULE_PATHNAME', 'onesim_api_record_allocation'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION record_allocation(uuid, text, text, text, text, text, text) IS
  'Provider webhook (service role): the order is ALLOCATED with its eSIM; idempotent for the same ICCID';

CREATE FUNCTION cancel_order(order_id uuid, reason text DEFAULT NULL)
RETURNS orders
AS 'MODULE_PATHNAME', 'onesim_api_cancel_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION cancel_order(uuid, text) IS
  'The order''s owner cancels it while not allocated; admins and the service at any time';

CREATE FUNCTION refund_order(order_id uuid, reason text DEFAULT NULL)
RETURNS orders
AS 'MODULE_PATHNAME', 'onesim_api_refund_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION refund_order(uuid, text) IS
  'Admins and the service refund an order; its earning is cancelled (clawed back if paid out)';

CREATE FUNCTION run_partner_payout(partner_id uuid, method text, reference text DEFAULT NULL,
                                   minimum_amount numeric DEFAULT 0)
RETURNS partner_payouts
AS 'MODULE_PATHNAME', 'onesim_api_run_partner_payout'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION run_partner_payout(uuid, text, text, numeric) IS
  'Admins and the service pay a partner its balance: earned earnings become paid, clawbacks are netted out';

CREATE FUNCTION partner_dashboard(partner_id uuid DEFAULT NULL)
RETURNS v_partner_dashboard_stats
AS 'MODULE_PATHNAME', 'onesim_api_partner_dashboard'
LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION partner_dashboard(uuid) IS
  'The calling partner''s dashboard figures; admins and the service name the partner';

CREATE FUNCTION register_partner(company_name text, business_email text,
                                 company_type text DEFAULT NULL,
                                 business_phone text DEFAULT NULL,
                                 website text DEFAULT NULL,
                                 legal_name text DEFAULT NULL,
                                 tax_id text DEFAULT NULL,
                                 registration_number text DEFAULT NULL)
RETURNS partners
AS 'MODULE_PATHNAME', 'onesim_api_register_partner'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION register_partner(text, text, text, text, text, text, text, text) IS
  'A signed-in user applies for a partner account: created pending_approval, the profile becomes a partner''s';

CREATE FUNCTION set_partner_status(partner_id uuid, status text,
                                   commission_rate numeric DEFAULT NULL)
RETURNS partners
AS 'MODULE_PATHNAME', 'onesim_api_set_partner_status'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION set_partner_status(uuid, text, numeric) IS
  'Admins approve (active, verified), suspend or deactivate a partner, optionally setting its custom commission rate';

REVOKE ALL ON FUNCTION
  quote_package(text, text), place_b2c_order(text, text),
  place_b2b_order(text, uuid, jsonb, uuid, text), bulk_order_for_group(uuid, text),
  add_group_members(uuid, uuid[]), remove_group_members(uuid, uuid[]),
  record_allocation(uuid, text, text, text, text, text, text),
  cancel_order(uuid, text), refund_order(uuid, text),
  run_partner_payout(uuid, text, text, numeric), partner_dashboard(uuid),
  register_partner(text, text, text, text, text, text, text, text),
  set_partner_status(uuid, text, numeric)
  FROM PUBLIC;

GRANT EXECUTE ON FUNCTION quote_package(text, text) TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION
  place_b2c_order(text, text), place_b2b_order(text, uuid, jsonb, uuid, text),
  bulk_order_for_group(uuid, text), register_partner(text, text, text, text, text, text, text, text)
  TO authenticated;
GRANT EXECUTE ON FUNCTION
  add_group_members(uuid, uuid[]), remove_group_members(uuid, uuid[]),
  cancel_order(uuid, text), refund_order(uuid, text),
  run_partner_payout(uuid, text, text, numeric), partner_dashboard(uuid),
  set_partner_status(uuid, text, numeric)
  TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION record_allocation(uuid, text, text, text, text, text, text) TO service_role;
