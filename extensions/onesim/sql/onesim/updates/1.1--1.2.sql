-- OneSIM update from 1.1 to 1.2 (ALTER EXTENSION onesim UPDATE TO '1.2').
-- The build appends every sql/onesim/NN_*.rerun.sql part to this file: the
-- API's functions (60_api.rerun.sql) are defined there once, for the install
-- and for this update alike. What follows here are the changes a rerun part
-- cannot make.
\echo Use "ALTER EXTENSION onesim UPDATE TO '1.2'" to load this file. \quit

-- orders.transaction_id: unique per ordering user instead of across every
-- tenant (a partner trying another tenant's key got 23505 naming it).
ALTER TABLE @extschema@.orders DROP CONSTRAINT orders_transaction_id_key;
ALTER TABLE @extschema@.orders ADD CONSTRAINT orders_user_transaction_id_key UNIQUE (user_id, transaction_id);

-- partners.user_id: a deleted account closes the partner and keeps its books
-- (36_account_deletion.rerun.sql) instead of deleting its earnings and
-- payouts with it (CASCADE) or failing on its orders.
ALTER TABLE @extschema@.partners ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE @extschema@.partners DROP CONSTRAINT partners_user_id_fkey;
ALTER TABLE @extschema@.partners ADD CONSTRAINT partners_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE SET NULL;
-- partners_account_link (a partner without an account is deactivated) is
-- added below, once partners.status is an enum.

-- reconcile() is the service role's too (30_orders.sql).
GRANT EXECUTE ON FUNCTION onesim_internal.reconcile(boolean) TO service_role;

-- commission_breakdown() returns a named composite instead of OUT parameters
-- (20_commission.rerun.sql defines it again below).
DROP FUNCTION @extschema@.commission_breakdown(numeric, numeric, text);
CREATE TYPE @extschema@.commission_breakdown_result AS (
  retail_price numeric, commission_rate numeric, commission_amount numeric,
  partner_pays numeric, partner_savings numeric
);

-- Columns with a fixed set of values become enums instead of VARCHAR with a
-- CHECK (10_tables.sql), converted in place. v_orders_complete selects o.*
-- and reads source_type, end_customer_type and the earning's status: it is
-- dropped here and 50_views.rerun.sql, appended to this file, creates it again.
DROP VIEW @extschema@.v_orders_complete;

-- orders.order_status, payment_status and delivery_method.
CREATE TYPE @extschema@.order_status AS ENUM
  ('PENDING', 'PROCESSING', 'ALLOCATED', 'FAILED', 'CANCELLED', 'REFUNDED');
COMMENT ON TYPE @extschema@.order_status IS
  'Lifecycle of an order: PENDING -> PROCESSING -> ALLOCATED, or FAILED, CANCELLED, REFUNDED';
CREATE TYPE @extschema@.payment_status AS ENUM ('unpaid', 'paid', 'refunded', 'failed');
COMMENT ON TYPE @extschema@.payment_status IS 'Payment of an order: unpaid, paid, refunded or failed';
CREATE TYPE @extschema@.delivery_method AS ENUM ('email', 'sms', 'whatsapp', 'manual');
COMMENT ON TYPE @extschema@.delivery_method IS 'How an order''s eSIM reaches its end customer';
ALTER TABLE @extschema@.orders
  DROP CONSTRAINT orders_order_status_check,
  DROP CONSTRAINT orders_payment_status_check,
  DROP CONSTRAINT orders_delivery_method_check,
  ALTER COLUMN order_status DROP DEFAULT,
  ALTER COLUMN payment_status DROP DEFAULT,
  ALTER COLUMN delivery_method DROP DEFAULT,
  ALTER COLUMN order_status TYPE @extschema@.order_status
    USING order_status::text::@extschema@.order_status,
  ALTER COLUMN payment_status TYPE @extschema@.payment_status
    USING payment_status::text::@extschema@.payment_status,
  ALTER COLUMN delivery_method TYPE @extschema@.delivery_method
    USING delivery_method::text::@extschema@.delivery_method,
  ALTER COLUMN order_status SET DEFAULT 'PENDING',
  ALTER COLUMN payment_status SET DEFAULT 'unpaid',
  ALTER COLUMN delivery_method SET DEFAULT 'email';

-- The other columns with a fixed set of values that nothing else depends on
-- (no view, policy or other constraint): enums the same way.
CREATE TYPE @extschema@.package_location_type AS ENUM ('country', 'regional', 'global');
COMMENT ON TYPE @extschema@.package_location_type IS 'Coverage of a package: one country, a region or global';
CREATE TYPE @extschema@.package_duration_unit AS ENUM ('DAY', 'WEEK', 'MONTH', 'YEAR');
COMMENT ON TYPE @extschema@.package_duration_unit IS 'Unit of a package''s duration (eSIMAccess durationUnit)';
CREATE TYPE @extschema@.price_sync_status AS ENUM ('running', 'success', 'partial', 'failed');
COMMENT ON TYPE @extschema@.price_sync_status IS 'Outcome of a catalog/price sync run';
CREATE TYPE @extschema@.package_view_source AS ENUM ('shop', 'reseller', 'api');
COMMENT ON TYPE @extschema@.package_view_source IS 'Where a package was viewed: the shop, the reseller app or the API';
CREATE TYPE @extschema@.payout_status AS ENUM ('processing', 'paid', 'failed');
COMMENT ON TYPE @extschema@.payout_status IS 'State of a payout batch: processing, paid or failed';

ALTER TABLE @extschema@.esim_packages
  DROP CONSTRAINT esim_packages_location_type_check,
  DROP CONSTRAINT esim_packages_duration_unit_check,
  ALTER COLUMN location_type DROP DEFAULT,
  ALTER COLUMN duration_unit DROP DEFAULT,
  ALTER COLUMN location_type TYPE @extschema@.package_location_type
    USING location_type::text::@extschema@.package_location_type,
  ALTER COLUMN duration_unit TYPE @extschema@.package_duration_unit
    USING duration_unit::text::@extschema@.package_duration_unit,
  ALTER COLUMN location_type SET DEFAULT 'country',
  ALTER COLUMN duration_unit SET DEFAULT 'DAY';
ALTER TABLE @extschema@.price_sync_log
  DROP CONSTRAINT price_sync_log_status_check,
  ALTER COLUMN status DROP DEFAULT,
  ALTER COLUMN status TYPE @extschema@.price_sync_status USING status::text::@extschema@.price_sync_status,
  ALTER COLUMN status SET DEFAULT 'running';
ALTER TABLE @extschema@.package_views
  DROP CONSTRAINT package_views_source_check,
  ALTER COLUMN source DROP DEFAULT,
  ALTER COLUMN source TYPE @extschema@.package_view_source USING source::text::@extschema@.package_view_source,
  ALTER COLUMN source SET DEFAULT 'shop';
ALTER TABLE @extschema@.partner_payouts
  DROP CONSTRAINT partner_payouts_status_check,
  ALTER COLUMN status DROP DEFAULT,
  ALTER COLUMN status TYPE @extschema@.payout_status USING status::text::@extschema@.payout_status,
  ALTER COLUMN status SET DEFAULT 'processing';

-- margin_overrides.scope and package_cache_metadata.status: a constraint, four
-- partial indexes and two policies use them; they are dropped around the
-- change and created again as 10_tables.sql and 40_security.sql define them
-- (rebuilt in place, the indexes' predicates would compare scope::text, which
-- is not immutable for an enum).
CREATE TYPE @extschema@.margin_scope AS ENUM ('package', 'country', 'region', 'global');
COMMENT ON TYPE @extschema@.margin_scope IS 'What a margin override applies to: one package, a country, a region or everything';
CREATE TYPE @extschema@.package_cache_status AS ENUM ('fresh', 'stale', 'refreshing', 'failed');
COMMENT ON TYPE @extschema@.package_cache_status IS 'State of a listing cache';

DROP INDEX @extschema@.uq_margin_overrides_active_package, @extschema@.uq_margin_overrides_active_country,
  @extschema@.uq_margin_overrides_active_region, @extschema@.uq_margin_overrides_active_global;
ALTER TABLE @extschema@.margin_overrides
  DROP CONSTRAINT margin_overrides_scope_check,
  DROP CONSTRAINT margin_overrides_scope_target,
  ALTER COLUMN scope TYPE @extschema@.margin_scope USING scope::text::@extschema@.margin_scope,
  ADD CONSTRAINT margin_overrides_scope_target CHECK (
       (scope = 'package' AND package_code IS NOT NULL AND country_code IS NULL AND region IS NULL)
    OR (scope = 'country' AND package_code IS NULL AND country_code IS NOT NULL AND region IS NULL)
    OR (scope = 'region'  AND package_code IS NULL AND country_code IS NULL AND region IS NOT NULL)
    OR (scope = 'global'  AND package_code IS NULL AND country_code IS NULL AND region IS NULL)
  );
CREATE UNIQUE INDEX uq_margin_overrides_active_package ON @extschema@.margin_overrides(package_code)
  WHERE is_active AND scope = 'package';
CREATE UNIQUE INDEX uq_margin_overrides_active_country ON @extschema@.margin_overrides(country_code)
  WHERE is_active AND scope = 'country';
CREATE UNIQUE INDEX uq_margin_overrides_active_region ON @extschema@.margin_overrides(region)
  WHERE is_active AND scope = 'region';
CREATE UNIQUE INDEX uq_margin_overrides_active_global ON @extschema@.margin_overrides(scope)
  WHERE is_active AND scope = 'global';

DROP POLICY package_cache_metadata_select_anon ON @extschema@.package_cache_metadata;
DROP POLICY package_cache_metadata_select ON @extschema@.package_cache_metadata;
ALTER TABLE @extschema@.package_cache_metadata
  DROP CONSTRAINT package_cache_metadata_status_check,
  ALTER COLUMN status DROP DEFAULT,
  ALTER COLUMN status TYPE @extschema@.package_cache_status USING status::text::@extschema@.package_cache_status,
  ALTER COLUMN status SET DEFAULT 'stale';
CREATE POLICY package_cache_metadata_select_anon ON @extschema@.package_cache_metadata FOR SELECT TO anon
  USING (status <> 'failed');
CREATE POLICY package_cache_metadata_select ON @extschema@.package_cache_metadata FOR SELECT TO authenticated
  USING (status <> 'failed' OR (SELECT onesim_internal.is_admin()));

-- The six columns that policies, constraints, indexes, a trigger condition,
-- generated columns and the view use: each dependent object is dropped
-- around the change and created again as 10_tables.sql and 40_security.sql
-- define it (rebuilt in place, a partial index's predicate would compare
-- status::text, which is not immutable for an enum, and the constraints
-- would keep comparing text).
CREATE TYPE @extschema@.user_type AS ENUM ('customer', 'partner', 'admin');
COMMENT ON TYPE @extschema@.user_type IS
  'Role of a profile: customer (B2C), partner (B2B reseller account) or admin (platform administrator)';
CREATE TYPE @extschema@.partner_status AS ENUM ('active', 'suspended', 'pending_approval', 'deactivated');
COMMENT ON TYPE @extschema@.partner_status IS
  'State of a partner account: active, suspended, pending_approval (awaiting admin review) or deactivated';
CREATE TYPE @extschema@.order_source AS ENUM ('b2c', 'b2b_partner', 'admin');
COMMENT ON TYPE @extschema@.order_source IS
  'Where an order comes from: b2c (a customer''s own), b2b_partner (placed by a partner) or admin';
CREATE TYPE @extschema@.end_customer_type AS ENUM ('b2c', 'b2b_partner_customer');
COMMENT ON TYPE @extschema@.end_customer_type IS
  'Who uses an order''s eSIM: b2c (an auth user) or b2b_partner_customer (a partner_customers row)';
CREATE TYPE @extschema@.earning_status AS ENUM ('pending', 'earned', 'paid', 'cancelled');
COMMENT ON TYPE @extschema@.earning_status IS
  'Lifecycle of a partner earning: pending -> earned (order allocated) -> paid, or cancelled';
CREATE TYPE @extschema@.order_action AS ENUM
  ('created', 'updated', 'status_changed', 'allocated', 'cancelled', 'refunded', 'deleted');
COMMENT ON TYPE @extschema@.order_action IS 'What an order_action_logs row records was done to the order';

-- profiles.user_type: PostgreSQL 15 cannot change the type of a column that
-- generated columns use, so is_partner and is_admin (and the index on
-- is_partner) are dropped and added again, computed anew from user_type, at
-- the end of the table (where 10_tables.sql puts them). The guard trigger's
-- condition reads user_type.
DROP TRIGGER trg_profiles_guard_user_type ON @extschema@.profiles;
ALTER TABLE @extschema@.profiles DROP COLUMN is_partner, DROP COLUMN is_admin;
ALTER TABLE @extschema@.profiles
  DROP CONSTRAINT profiles_user_type_check,
  ALTER COLUMN user_type DROP DEFAULT,
  ALTER COLUMN user_type TYPE @extschema@.user_type USING user_type::text::@extschema@.user_type,
  ALTER COLUMN user_type SET DEFAULT 'customer';
ALTER TABLE @extschema@.profiles
  ADD COLUMN is_partner BOOLEAN GENERATED ALWAYS AS (user_type = 'partner') STORED,
  ADD COLUMN is_admin BOOLEAN GENERATED ALWAYS AS (user_type = 'admin') STORED;
CREATE INDEX idx_profiles_partners ON @extschema@.profiles(is_partner) WHERE is_partner = TRUE;
CREATE TRIGGER trg_profiles_guard_user_type
  BEFORE UPDATE ON @extschema@.profiles
  FOR EACH ROW
  WHEN (OLD.user_type IS DISTINCT FROM NEW.user_type)
  EXECUTE FUNCTION onesim_internal.profiles_guard_user_type();

-- partners.status: the insert policy, the partial index and the account link.
DROP POLICY partners_insert ON @extschema@.partners;
DROP INDEX @extschema@.idx_partners_status;
ALTER TABLE @extschema@.partners
  DROP CONSTRAINT partners_status_check,
  ALTER COLUMN status DROP DEFAULT,
  ALTER COLUMN status TYPE @extschema@.partner_status USING status::text::@extschema@.partner_status,
  ALTER COLUMN status SET DEFAULT 'active',
  ADD CONSTRAINT partners_account_link CHECK (user_id IS NOT NULL OR status = 'deactivated');
CREATE INDEX idx_partners_status ON @extschema@.partners(status) WHERE status = 'active';
CREATE POLICY partners_insert ON @extschema@.partners FOR INSERT TO authenticated
  WITH CHECK ((user_id = (SELECT onesim_internal.current_user_id()) AND status = 'pending_approval')
              OR (SELECT onesim_internal.is_admin()));

-- orders.source_type and end_customer_type: the insert policy. (The
-- account-deletion trigger, whose condition reads source_type, is new in 1.2:
-- 36_account_deletion.rerun.sql, appended to this file, creates it after.)
DROP POLICY orders_insert ON @extschema@.orders;
ALTER TABLE @extschema@.orders
  DROP CONSTRAINT orders_source_type_check,
  DROP CONSTRAINT orders_end_customer_type_check,
  ALTER COLUMN source_type DROP DEFAULT,
  ALTER COLUMN source_type TYPE @extschema@.order_source USING source_type::text::@extschema@.order_source,
  ALTER COLUMN source_type SET DEFAULT 'b2c',
  ALTER COLUMN end_customer_type TYPE @extschema@.end_customer_type
    USING end_customer_type::text::@extschema@.end_customer_type;
CREATE POLICY orders_insert ON @extschema@.orders FOR INSERT TO authenticated
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
          OR end_customer_id IN (SELECT c.id FROM @extschema@.partner_customers c
                                 WHERE c.partner_id = (SELECT onesim_internal.current_partner_id())))
     AND (customer_group_id IS NULL
          OR customer_group_id IN (SELECT g.id FROM @extschema@.customer_groups g
                                   WHERE g.partner_id = (SELECT onesim_internal.current_partner_id()))))
    OR (SELECT onesim_internal.is_admin()));

-- partner_earnings.status: the lifecycle timestamps' constraints.
ALTER TABLE @extschema@.partner_earnings
  DROP CONSTRAINT partner_earnings_status_check,
  DROP CONSTRAINT partner_earnings_earned_at_set,
  DROP CONSTRAINT partner_earnings_paid_at_set,
  DROP CONSTRAINT partner_earnings_cancelled_at_set,
  ALTER COLUMN status DROP DEFAULT,
  ALTER COLUMN status TYPE @extschema@.earning_status USING status::text::@extschema@.earning_status,
  ALTER COLUMN status SET DEFAULT 'pending',
  ADD CONSTRAINT partner_earnings_earned_at_set
    CHECK (status NOT IN ('earned', 'paid') OR earned_at IS NOT NULL),
  ADD CONSTRAINT partner_earnings_paid_at_set
    CHECK (status <> 'paid' OR paid_at IS NOT NULL),
  ADD CONSTRAINT partner_earnings_cancelled_at_set
    CHECK (status <> 'cancelled' OR cancelled_at IS NOT NULL);

-- order_action_logs.action: nothing else uses it.
ALTER TABLE @extschema@.order_action_logs
  DROP CONSTRAINT order_action_logs_action_check,
  ALTER COLUMN action TYPE @extschema@.order_action USING action::text::@extschema@.order_action;
