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
ALTER TABLE @extschema@.partners ADD CONSTRAINT partners_account_link
  CHECK (user_id IS NOT NULL OR status = 'deactivated');

-- reconcile() is the service role's too (30_orders.sql).
GRANT EXECUTE ON FUNCTION onesim_internal.reconcile(boolean) TO service_role;

-- commission_breakdown() returns a named composite instead of OUT parameters
-- (20_commission.rerun.sql defines it again below).
DROP FUNCTION @extschema@.commission_breakdown(numeric, numeric, text);
CREATE TYPE @extschema@.commission_breakdown_result AS (
  retail_price numeric, commission_rate numeric, commission_amount numeric,
  partner_pays numeric, partner_savings numeric
);

-- orders.order_status, payment_status and delivery_method: enums instead of
-- VARCHAR(20) with a CHECK (10_tables.sql). v_orders_complete selects o.*, so
-- it depends on the columns: it is dropped around the change and created
-- again from its own definition (which uses none of them in an expression).
CREATE TYPE @extschema@.order_status AS ENUM
  ('PENDING', 'PROCESSING', 'ALLOCATED', 'FAILED', 'CANCELLED', 'REFUNDED');
COMMENT ON TYPE @extschema@.order_status IS
  'Lifecycle of an order: PENDING -> PROCESSING -> ALLOCATED, or FAILED, CANCELLED, REFUNDED';
CREATE TYPE @extschema@.payment_status AS ENUM ('unpaid', 'paid', 'refunded', 'failed');
COMMENT ON TYPE @extschema@.payment_status IS 'Payment of an order: unpaid, paid, refunded or failed';
CREATE TYPE @extschema@.delivery_method AS ENUM ('email', 'sms', 'whatsapp', 'manual');
COMMENT ON TYPE @extschema@.delivery_method IS 'How an order''s eSIM reaches its end customer';
DO $order_enums$
DECLARE
  view_sql text := pg_catalog.pg_get_viewdef('@extschema@.v_orders_complete'::pg_catalog.regclass);
  view_comment text := pg_catalog.obj_description('@extschema@.v_orders_complete'::pg_catalog.regclass, 'pg_class');
BEGIN
  DROP VIEW @extschema@.v_orders_complete;
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
  EXECUTE 'CREATE VIEW @extschema@.v_orders_complete WITH (security_invoker = true) AS ' || view_sql;
  EXECUTE pg_catalog.format('COMMENT ON VIEW @extschema@.v_orders_complete IS %L', view_comment);
END
$order_enums$;
REVOKE ALL ON @extschema@.v_orders_complete FROM PUBLIC, anon, authenticated;
GRANT SELECT ON @extschema@.v_orders_complete TO authenticated, service_role;

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
