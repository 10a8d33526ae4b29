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
