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
-- deviation (1.2): the columns with a fixed set of values are enums, here and
-- in every table below, not VARCHAR with a CHECK (... IN (...)): generated API
-- types give apps the union of the values. Same values, in the seed's order; a
-- value outside them is 22P02 (the CHECK's was 23514).
CREATE TYPE user_type AS ENUM ('customer', 'partner', 'admin');
COMMENT ON TYPE user_type IS
  'Role of a profile: customer (B2C), partner (B2B reseller account) or admin (platform administrator)';

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
  user_type user_type NOT NULL DEFAULT 'customer',

  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  -- deviation (1.2): after the timestamps, not after user_type. PostgreSQL 15
  -- cannot change the type of a column that generated columns use, so the
  -- update from 1.1 drops these two, converts user_type and adds them again,
  -- at the end of the table; a fresh install has them in the same place.
  is_partner BOOLEAN GENERATED ALWAYS AS (user_type = 'partner') STORED,
  is_admin BOOLEAN GENERATED ALWAYS AS (user_type = 'admin') STORED
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
CREATE TYPE partner_status AS ENUM ('active', 'suspended', 'pending_approval', 'deactivated');
COMMENT ON TYPE partner_status IS
  'State of a partner account: active, suspended, pending_approval (awaiting admin review) or deactivated';

CREATE TABLE partners (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- deviation: nullable, ON DELETE SET NULL (the seed: NOT NULL, CASCADE, which
  -- deleted the partner's earnings and payouts with its account, or failed on
  -- its orders). A deleted account closes the partner and keeps its books
  -- (triggers/account_deletion.cpp); partners_account_link says so.
  user_id UUID UNIQUE REFERENCES auth.users(id) ON DELETE SET NULL,

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
  status partner_status NOT NULL DEFAULT 'active',
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
  allocated_spent_uzs DECIMAL(20,2) NOT NULL DEFAULT 0 CHECK (allocated_spent_uzs >= 0),

  -- A partner without an account is a closed one.
  CONSTRAINT partners_account_link CHECK (user_id IS NOT NULL OR status = 'deactivated')
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
CREATE TYPE package_location_type AS ENUM ('country', 'regional', 'global');
COMMENT ON TYPE package_location_type IS 'Coverage of a package: one country, a region or global';
CREATE TYPE package_duration_unit AS ENUM ('DAY', 'WEEK', 'MONTH', 'YEAR');
COMMENT ON TYPE package_duration_unit IS 'Unit of a package''s duration (eSIMAccess durationUnit)';

CREATE TABLE esim_packages (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  package_code VARCHAR(100) NOT NULL UNIQUE,
  slug VARCHAR(255) UNIQUE,
  name VARCHAR(255) NOT NULL,
  description TEXT,

  -- Coverage
  location_type package_location_type NOT NULL DEFAULT 'country',
  country_codes TEXT[] NOT NULL DEFAULT '{}',
  region VARCHAR(100),

  -- Plan
  data_gb NUMERIC(10,2) CHECK (data_gb >= 0),
  data_volume_bytes BIGINT CHECK (data_volume_bytes >= 0),
  duration INTEGER CHECK (duration > 0),
  duration_unit package_duration_unit NOT NULL DEFAULT 'DAY',
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
CREATE TYPE price_sync_status AS ENUM ('running', 'success', 'partial', 'failed');
COMMENT ON TYPE price_sync_status IS 'Outcome of a catalog/price sync run';

CREATE TABLE price_sync_log (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  finished_at TIMESTAMPTZ,
  status price_sync_status NOT NULL DEFAULT 'running',
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
CREATE TYPE margin_scope AS ENUM ('package', 'country', 'region', 'global');
COMMENT ON TYPE margin_scope IS 'What a margin override applies to: one package, a country, a region or everything';

CREATE TABLE margin_overrides (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  scope margin_scope NOT NULL,
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
CREATE TYPE package_view_source AS ENUM ('shop', 'reseller', 'api');
COMMENT ON TYPE package_view_source IS 'Where a package was viewed: the shop, the reseller app or the API';

CREATE TABLE package_views (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  package_id UUID NOT NULL REFERENCES esim_packages(id) ON DELETE CASCADE,
  user_id UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  session_id VARCHAR(100),
  source package_view_source NOT NULL DEFAULT 'shop',
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
CREATE TYPE package_cache_status AS ENUM ('fresh', 'stale', 'refreshing', 'failed');
COMMENT ON TYPE package_cache_status IS 'State of a listing cache';

CREATE TABLE package_cache_metadata (
  cache_key VARCHAR(100) PRIMARY KEY, -- 'regional', 'global', ...
  last_refreshed_at TIMESTAMPTZ,
  row_count INTEGER NOT NULL DEFAULT 0 CHECK (row_count >= 0),
  ttl_seconds INTEGER NOT NULL DEFAULT 3600 CHECK (ttl_seconds > 0),
  status package_cache_status NOT NULL DEFAULT 'stale',
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
-- deviation (1.2): order_status, payment_status, delivery_method, source_type
-- and end_customer_type are enums (see profiles above).
CREATE TYPE order_status AS ENUM
  ('PENDING', 'PROCESSING', 'ALLOCATED', 'FAILED', 'CANCELLED', 'REFUNDED');
COMMENT ON TYPE order_status IS
  'Lifecycle of an order: PENDING -> PROCESSING -> ALLOCATED, or FAILED, CANCELLED, REFUNDED';
CREATE TYPE payment_status AS ENUM ('unpaid', 'paid', 'refunded', 'failed');
COMMENT ON TYPE payment_status IS 'Payment of an order: unpaid, paid, refunded or failed';
CREATE TYPE delivery_method AS ENUM ('email', 'sms', 'whatsapp', 'manual');
COMMENT ON TYPE delivery_method IS 'How an order''s eSIM reaches its end customer';
CREATE TYPE order_source AS ENUM ('b2c', 'b2b_partner', 'admin');
COMMENT ON TYPE order_source IS
  'Where an order comes from: b2c (a customer''s own), b2b_partner (placed by a partner) or admin';
CREATE TYPE end_customer_type AS ENUM ('b2c', 'b2b_partner_customer');
COMMENT ON TYPE end_customer_type IS
  'Who uses an order''s eSIM: b2c (an auth user) or b2b_partner_customer (a partner_customers row)';

CREATE TABLE orders (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES auth.users(id) ON DELETE SET NULL,
  transaction_id VARCHAR(100),

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
  order_status order_status NOT NULL DEFAULT 'PENDING',
  payment_status payment_status NOT NULL DEFAULT 'unpaid',
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
  source_type order_source NOT NULL DEFAULT 'b2c',
  partner_id UUID REFERENCES partners(id) ON DELETE SET NULL,
  end_customer_id UUID, -- Can be user_id OR partner_customer_id
  end_customer_type end_customer_type,

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
  delivery_method delivery_method NOT NULL DEFAULT 'email',
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
-- transaction_id is the ordering user's own idempotency key (a partner's
-- orders are placed by its user): unique per user, so that trying a key
-- another tenant holds reveals nothing (the seed's column-wide UNIQUE answered
-- 23505 with the key's existence; docs/design.md).
ALTER TABLE orders ADD CONSTRAINT orders_user_transaction_id_key UNIQUE (user_id, transaction_id);
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
CREATE TYPE payout_status AS ENUM ('processing', 'paid', 'failed');
COMMENT ON TYPE payout_status IS 'State of a payout batch: processing, paid or failed';

CREATE TABLE partner_payouts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id UUID NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  amount_usd NUMERIC(15,4) NOT NULL CHECK (amount_usd >= 0),
  amount_uzs NUMERIC(15,2) CHECK (amount_uzs >= 0),
  earnings_count INTEGER NOT NULL DEFAULT 0 CHECK (earnings_count >= 0),
  method VARCHAR(50),
  reference VARCHAR(255),
  status payout_status NOT NULL DEFAULT 'processing',
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
CREATE TYPE earning_status AS ENUM ('pending', 'earned', 'paid', 'cancelled');
COMMENT ON TYPE earning_status IS
  'Lifecycle of a partner earning: pending -> earned (order allocated) -> paid, or cancelled';

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
  status earning_status NOT NULL DEFAULT 'pending',

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
CREATE TYPE order_action AS ENUM
  ('created', 'updated', 'status_changed', 'allocated', 'cancelled', 'refunded', 'deleted');
COMMENT ON TYPE order_action IS 'What an order_action_logs row records was done to the order';

CREATE TABLE order_action_logs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- deliberately no FK: the audit trail outlives a deleted order
  order_id UUID NOT NULL,
  action order_action NOT NULL,
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

-- The row commission_breakdown() returns.
CREATE TYPE commission_breakdown_result AS (
  retail_price numeric, commission_rate numeric, commission_amount numeric,
  partner_pays numeric, partner_savings numeric
);
