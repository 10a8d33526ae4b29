-- ---------------------------------------------------------------------------
-- Row Level Security and privileges. One permissive policy per role and action;
-- the service role bypasses RLS. Nothing is granted to PUBLIC.
-- ---------------------------------------------------------------------------

ALTER TABLE @extschema@.profiles ENABLE ROW LEVEL SECURITY;
-- Installed into a schema of its own, the API reaches it only with USAGE.
GRANT USAGE ON SCHEMA @extschema@ TO anon, authenticated, service_role;

REVOKE ALL ON @extschema@.profiles FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.profiles TO service_role;
ALTER TABLE @extschema@.data_plans ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.data_plans FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.data_plans TO service_role;
ALTER TABLE @extschema@.esim_orders ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.esim_orders FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.esim_orders TO service_role;
ALTER TABLE @extschema@.esims ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.esims FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.esims TO service_role;
ALTER TABLE @extschema@.esim_bundles ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.esim_bundles FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.esim_bundles TO service_role;
ALTER TABLE @extschema@.package_assignments ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.package_assignments FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.package_assignments TO service_role;
ALTER TABLE @extschema@.pricing_rules ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.pricing_rules FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.pricing_rules TO service_role;
ALTER TABLE @extschema@.pricing_blocks ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.pricing_blocks FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.pricing_blocks TO service_role;
ALTER TABLE @extschema@.pricing_strategies ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.pricing_strategies FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.pricing_strategies TO service_role;
ALTER TABLE @extschema@.strategy_blocks ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.strategy_blocks FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.strategy_blocks TO service_role;
ALTER TABLE @extschema@.high_demand_countries ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.high_demand_countries FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.high_demand_countries TO service_role;
ALTER TABLE @extschema@.catalog_bundles ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.catalog_bundles FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.catalog_bundles TO service_role;
ALTER TABLE @extschema@.catalog_metadata ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.catalog_metadata FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.catalog_metadata TO service_role;
ALTER TABLE @extschema@.catalog_sync_jobs ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.catalog_sync_jobs FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.catalog_sync_jobs TO service_role;
ALTER TABLE @extschema@.checkout_sessions ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.checkout_sessions FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.checkout_sessions TO service_role;
ALTER TABLE @extschema@.trips ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.trips FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.trips TO service_role;

-- Catalog and pricing data: readable by everyone, written by admins (and the service).
GRANT SELECT ON @extschema@.data_plans TO anon, authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.data_plans TO authenticated;
CREATE POLICY data_plans_read ON @extschema@.data_plans FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY data_plans_admin_insert ON @extschema@.data_plans FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY data_plans_admin_update ON @extschema@.data_plans FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY data_plans_admin_delete ON @extschema@.data_plans FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
GRANT SELECT ON @extschema@.pricing_rules TO anon, authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.pricing_rules TO authenticated;
CREATE POLICY pricing_rules_read ON @extschema@.pricing_rules FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY pricing_rules_admin_insert ON @extschema@.pricing_rules FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY pricing_rules_admin_update ON @extschema@.pricing_rules FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY pricing_rules_admin_delete ON @extschema@.pricing_rules FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
GRANT SELECT ON @extschema@.pricing_blocks TO anon, authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.pricing_blocks TO authenticated;
CREATE POLICY pricing_blocks_read ON @extschema@.pricing_blocks FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY pricing_blocks_admin_insert ON @extschema@.pricing_blocks FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY pricing_blocks_admin_update ON @extschema@.pricing_blocks FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY pricing_blocks_admin_delete ON @extschema@.pricing_blocks FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
GRANT SELECT ON @extschema@.pricing_strategies TO anon, authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.pricing_strategies TO authenticated;
CREATE POLICY pricing_strategies_read ON @extschema@.pricing_strategies FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY pricing_strategies_admin_insert ON @extschema@.pricing_strategies FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY pricing_strategies_admin_update ON @extschema@.pricing_strategies FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY pricing_strategies_admin_delete ON @extschema@.pricing_strategies FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
GRANT SELECT ON @extschema@.strategy_blocks TO anon, authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.strategy_blocks TO authenticated;
CREATE POLICY strategy_blocks_read ON @extschema@.strategy_blocks FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY strategy_blocks_admin_insert ON @extschema@.strategy_blocks FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY strategy_blocks_admin_update ON @extschema@.strategy_blocks FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY strategy_blocks_admin_delete ON @extschema@.strategy_blocks FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
GRANT SELECT ON @extschema@.high_demand_countries TO anon, authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.high_demand_countries TO authenticated;
CREATE POLICY high_demand_countries_read ON @extschema@.high_demand_countries FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY high_demand_countries_admin_insert ON @extschema@.high_demand_countries FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY high_demand_countries_admin_update ON @extschema@.high_demand_countries FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY high_demand_countries_admin_delete ON @extschema@.high_demand_countries FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
GRANT SELECT ON @extschema@.catalog_bundles TO anon, authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.catalog_bundles TO authenticated;
CREATE POLICY catalog_bundles_read ON @extschema@.catalog_bundles FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY catalog_bundles_admin_insert ON @extschema@.catalog_bundles FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY catalog_bundles_admin_update ON @extschema@.catalog_bundles FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY catalog_bundles_admin_delete ON @extschema@.catalog_bundles FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
GRANT SELECT ON @extschema@.catalog_metadata TO anon, authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.catalog_metadata TO authenticated;
CREATE POLICY catalog_metadata_read ON @extschema@.catalog_metadata FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY catalog_metadata_admin_insert ON @extschema@.catalog_metadata FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY catalog_metadata_admin_update ON @extschema@.catalog_metadata FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY catalog_metadata_admin_delete ON @extschema@.catalog_metadata FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
GRANT SELECT ON @extschema@.trips TO anon, authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.trips TO authenticated;
CREATE POLICY trips_read ON @extschema@.trips FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY trips_admin_insert ON @extschema@.trips FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY trips_admin_update ON @extschema@.trips FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY trips_admin_delete ON @extschema@.trips FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));

-- Profiles: the user's own (names and phone only), admins all.
GRANT SELECT, UPDATE (first_name, last_name, phone) ON @extschema@.profiles TO authenticated;
CREATE POLICY profiles_read ON @extschema@.profiles FOR SELECT TO authenticated
  USING (id = (SELECT auth.uid()) OR (SELECT esimgo_internal.is_admin()));
CREATE POLICY profiles_update ON @extschema@.profiles FOR UPDATE TO authenticated
  USING (id = (SELECT auth.uid()) OR (SELECT esimgo_internal.is_admin()))
  WITH CHECK (id = (SELECT auth.uid()) OR (SELECT esimgo_internal.is_admin()));

-- Orders, eSIMs, installed bundles, checkout sessions: customers read their
-- own; money, status and usage are written by checkout (esimgo_internal), the
-- service role and admins only.
GRANT SELECT ON @extschema@.esim_orders, @extschema@.esims, @extschema@.esim_bundles,
  @extschema@.checkout_sessions, @extschema@.package_assignments TO authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.esim_orders, @extschema@.esims,
  @extschema@.package_assignments TO authenticated;
-- usage (used_data, remaining_data) is the service role's alone
GRANT INSERT (esim_id, data_plan_id, name, state, start_date, end_date),
  UPDATE (name, state, start_date, end_date), DELETE ON @extschema@.esim_bundles TO authenticated;
CREATE POLICY esim_orders_read ON @extschema@.esim_orders FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()) OR (SELECT esimgo_internal.is_admin()));
CREATE POLICY esims_read ON @extschema@.esims FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()) OR (SELECT esimgo_internal.is_admin()));
CREATE POLICY esim_bundles_read ON @extschema@.esim_bundles FOR SELECT TO authenticated
  USING ((SELECT esimgo_internal.is_admin()) OR esim_id IN (SELECT e.id FROM @extschema@.esims e WHERE e.user_id = (SELECT auth.uid())));
CREATE POLICY checkout_sessions_read ON @extschema@.checkout_sessions FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()) OR (SELECT esimgo_internal.is_admin()));
CREATE POLICY package_assignments_read ON @extschema@.package_assignments FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()) OR (SELECT esimgo_internal.is_admin()));
CREATE POLICY esim_orders_admin_insert ON @extschema@.esim_orders FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY esim_orders_admin_update ON @extschema@.esim_orders FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY esim_orders_admin_delete ON @extschema@.esim_orders FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
CREATE POLICY esims_admin_insert ON @extschema@.esims FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY esims_admin_update ON @extschema@.esims FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY esims_admin_delete ON @extschema@.esims FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
CREATE POLICY esim_bundles_admin_insert ON @extschema@.esim_bundles FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY esim_bundles_admin_update ON @extschema@.esim_bundles FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY esim_bundles_admin_delete ON @extschema@.esim_bundles FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));
CREATE POLICY package_assignments_admin_insert ON @extschema@.package_assignments FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY package_assignments_admin_update ON @extschema@.package_assignments FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY package_assignments_admin_delete ON @extschema@.package_assignments FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));

-- Sync jobs: admins and the service.
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.catalog_sync_jobs TO authenticated;
CREATE POLICY catalog_sync_jobs_admin_read ON @extschema@.catalog_sync_jobs FOR SELECT TO authenticated USING ((SELECT esimgo_internal.is_admin()));
CREATE POLICY catalog_sync_jobs_admin_insert ON @extschema@.catalog_sync_jobs FOR INSERT TO authenticated WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY catalog_sync_jobs_admin_update ON @extschema@.catalog_sync_jobs FOR UPDATE TO authenticated USING ((SELECT esimgo_internal.is_admin())) WITH CHECK ((SELECT esimgo_internal.is_admin()));
CREATE POLICY catalog_sync_jobs_admin_delete ON @extschema@.catalog_sync_jobs FOR DELETE TO authenticated USING ((SELECT esimgo_internal.is_admin()));

GRANT USAGE ON TYPE @extschema@.block_type, @extschema@.event_type TO anon, authenticated, service_role;

