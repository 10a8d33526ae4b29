-- =============================================================================
-- esimgo sample data (seed 000): a small catalog, plans, trips and three users.
--
-- Loaded after CREATE EXTENSION esimgo by the project's owner (table owner,
-- BYPASSRLS), with the extension's schema first on search_path. Every id
-- starts e5900000-0000-4000-8000- and every e-mail ends @esimgo.example.
-- The pricing rules are the ones the extension ships (the default strategy);
-- demo.sql adds a promotion through the API.
-- =============================================================================

-- Two customers and a back-office admin. Their profiles come from the
-- sign-up trigger (names from the user metadata, as upstream's handle_new_user).
INSERT INTO auth.users (id, email, phone, raw_app_meta_data, raw_user_meta_data, created_at) VALUES
  ('e5900000-0000-4000-8000-000000000001', 'dana@esimgo.example', '+972500000101', '{}',
   '{"first_name":"Dana","last_name":"Levi"}', '2026-11-01 09:00:00+00'),
  ('e5900000-0000-4000-8000-000000000002', 'noa@esimgo.example', NULL, '{}',
   '{"first_name":"Noa","last_name":"Cohen"}', '2026-11-02 09:00:00+00'),
  ('e5900000-0000-4000-8000-0000000000ad', 'admin@esimgo.example', NULL, '{"role":"ADMIN"}',
   '{"first_name":"Back","last_name":"Office"}', '2026-10-01 09:00:00+00');

-- The provider catalog as the sync workers leave it: eSIM Go bundles in the
-- unlimited groups (groups without hyphens), MAYA bundles without groups.
-- Greece and Israel by country, Europe as a region; UA has the shipped fixed price.
INSERT INTO catalog_bundles (id, esim_go_name, description, validity_in_days, is_unlimited, data_amount_mb,
                             data_amount_readable, price, currency, groups, countries, region, speed, provider) VALUES
  ('e5900000-0000-4000-8000-000000000101', 'esim_UL_1D_GR_V2', 'Greece unlimited lite 1 day', 1, true, NULL, 'Unlimited', 1.20, 'USD',
   '{Standard Unlimited Lite}', '{GR}', 'Europe', '{4G}', 'ESIM_GO'),
  ('e5900000-0000-4000-8000-000000000102', 'esim_UL_7D_GR_V2', 'Greece unlimited lite 7 days', 7, true, NULL, 'Unlimited', 6.30, 'USD',
   '{Standard Unlimited Lite}', '{GR}', 'Europe', '{4G}', 'ESIM_GO'),
  ('e5900000-0000-4000-8000-000000000103', 'esim_UL_15D_GR_V2', 'Greece unlimited lite 15 days', 15, true, NULL, 'Unlimited', 11.50, 'USD',
   '{Standard Unlimited Lite}', '{GR}', 'Europe', '{4G}', 'ESIM_GO'),
  ('e5900000-0000-4000-8000-000000000104', 'esim_UE_7D_GR_V2', 'Greece unlimited essential 7 days', 7, true, NULL, 'Unlimited', 8.10, 'USD',
   '{Standard Unlimited Essential}', '{GR}', 'Europe', '{4G,5G}', 'ESIM_GO'),
  ('e5900000-0000-4000-8000-000000000105', 'esim_UL_7D_IL_V2', 'Israel unlimited lite 7 days', 7, true, NULL, 'Unlimited', 5.40, 'USD',
   '{Standard Unlimited Lite}', '{IL}', 'Middle East', '{4G}', 'ESIM_GO'),
  ('e5900000-0000-4000-8000-000000000106', 'esim_UL_30D_IL_V2', 'Israel unlimited lite 30 days', 30, true, NULL, 'Unlimited', 17.90, 'USD',
   '{Standard Unlimited Lite}', '{IL}', 'Middle East', '{4G}', 'ESIM_GO'),
  ('e5900000-0000-4000-8000-000000000107', 'maya_IL_10D', 'Israel MAYA 10 days', 10, true, NULL, 'Unlimited', 7.00, 'USD',
   '{}', '{IL}', 'Middle East', '{4G,5G}', 'MAYA'),
  ('e5900000-0000-4000-8000-000000000108', 'esim_UL_10D_EU_V2', 'Europe unlimited lite 10 days', 10, true, NULL, 'Unlimited', 14.00, 'USD',
   '{Standard Unlimited Lite}', '{FR,DE,IT,ES,GR}', 'Europe', '{4G}', 'ESIM_GO'),
  ('e5900000-0000-4000-8000-000000000109', 'esim_UL_7D_UA_V2', 'Ukraine unlimited lite 7 days', 7, true, NULL, 'Unlimited', 9.00, 'USD',
   '{Standard Unlimited Lite}', '{UA}', 'Europe', '{4G}', 'ESIM_GO'),
  ('e5900000-0000-4000-8000-000000000110', 'esim_5GB_30D_GR_V2', 'Greece 5 GB 30 days (not unlimited: never chosen by the engine)', 30, false, 5120, '5 GB', 7.50, 'USD',
   '{Standard Fixed}', '{GR}', 'Europe', '{4G}', 'ESIM_GO');

-- Plans eSIMs get installed from (esim_bundles.data_plan_id).
INSERT INTO data_plans (id, name, description, countries, region, duration, price, is_unlimited, bundle_group) VALUES
  ('e5900000-0000-4000-8000-000000000201', 'esim_UL_7D_GR_V2', 'Greece unlimited lite, 7 days', '["GR"]', 'Europe', 7, 6.30, true, 'Standard Unlimited Lite'),
  ('e5900000-0000-4000-8000-000000000202', 'maya_IL_10D', 'Israel MAYA, 10 days', '["IL"]', 'Middle East', 10, 7.00, true, NULL);

-- Curated destinations for the web app, and a country the rules can treat as in demand.
INSERT INTO trips (id, name, description, region_id, country_ids, bundle_name, title, created_by) VALUES
  ('e5900000-0000-4000-8000-000000000301', 'Greek islands', 'Athens, Santorini and Crete', 'europe', '["GR"]',
   'esim_UL_7D_GR_V2', 'A week in Greece', 'e5900000-0000-4000-8000-0000000000ad'),
  ('e5900000-0000-4000-8000-000000000302', 'Grand European tour', 'Paris, Berlin, Rome and Madrid', 'europe', '["FR","DE","IT","ES"]',
   'esim_UL_10D_EU_V2', 'Ten days across Europe', 'e5900000-0000-4000-8000-0000000000ad');
INSERT INTO high_demand_countries (id, country_id, created_by) VALUES
  ('e5900000-0000-4000-8000-000000000401', 'GR', 'e5900000-0000-4000-8000-0000000000ad');
