-- eSIM Go end to end, the way the apps run it: each step is one API request
-- (one transaction, the JWT claims and SET LOCAL ROLE, as PostgREST does),
-- calling the extension's functions. Runs after sample/esimgo_sample_data.sql.
\pset footer off
\set ON_ERROR_STOP on
\set dana_claims '{"sub":"e5900000-0000-4000-8000-000000000001","role":"authenticated"}'
\set noa_claims '{"sub":"e5900000-0000-4000-8000-000000000002","role":"authenticated"}'
\set admin_claims '{"sub":"e5900000-0000-4000-8000-0000000000ad","role":"authenticated"}'
\set anon_claims '{"role":"anon"}'
RESET ROLE;

\echo '== Installed: eSIM Go on PostgreSQL 15 with the Supabase auth surface'
SELECT extname, extversion FROM pg_extension WHERE extname = 'esimgo';

\echo '== 1. The catalog a visitor browses (anon): Greece, and the coverage'
BEGIN;
SELECT set_config('request.jwt.claims', :'anon_claims', true) \gset ignored_
SET LOCAL ROLE anon;
SELECT country_code, esim_go_name, validity_in_days, price, groups, provider
  FROM bundles_by_country WHERE country_code = 'GR' ORDER BY validity_in_days, esim_go_name;
SELECT total_bundles, countries, regions, groups, unlimited_bundles, min_price, max_price FROM get_bundle_coverage_stats();
COMMIT;

\echo '== 2. A visitor prices 7 days in Greece: the shipped rules at work (cost, markup, rounding)'
BEGIN;
SELECT set_config('request.jwt.claims', :'anon_claims', true) \gset ignored_
SET LOCAL ROLE anon;
SELECT p->>'finalPrice' AS final_price, p->>'cost' AS cost, p->>'markup' AS markup, p#>>'{selectedBundle,esim_go_name}' AS bundle,
       (SELECT string_agg(r->>'name' || ' ' || (r->>'impact'), ', ') FROM jsonb_array_elements(p->'appliedRules') r) AS applied_rules
  FROM calculate_price(7, 'GR', bundle_group => 'Standard Unlimited Lite') p;
\echo '   ... and 8 days in Israel: the 10-day MAYA bundle, half the daily cost back for the 2 unused days'
SELECT p->>'finalPrice' AS final_price, p->>'cost' AS cost, p->>'discountValue' AS unused_days_discount,
       p#>>'{selectedBundle,esim_go_name}' AS bundle, p#>>'{selectedBundle,provider}' AS provider
  FROM calculate_price(8, 'IL') p;
COMMIT;

\echo '== 3. The back office adds a promotion: 10 % off in high-demand countries (Greece is one)'
BEGIN;
SELECT set_config('request.jwt.claims', :'admin_claims', true) \gset ignored_
SET LOCAL ROLE authenticated;
INSERT INTO pricing_blocks (id, name, description, category, event_type, priority, conditions, params)
VALUES ('e5900000-0000-4000-8000-000000000501', 'High-demand promotion', '10 % off where travellers go most',
        'discount', 'apply-discount', 85,
        '{"all":[{"fact":"isHighDemandCountry","operator":"equal","value":true}]}',
        '{"actions":{"type":"APPLY_DISCOUNT_PERCENTAGE","value":10}}');
INSERT INTO strategy_blocks (strategy_id, block_id, priority)
VALUES ('def00000-0000-0000-0000-000000000001', 'e5900000-0000-4000-8000-000000000501', 85);
SELECT b.name, sb.priority, b.event_type FROM strategy_blocks sb JOIN pricing_blocks b ON b.id = sb.block_id
 WHERE sb.strategy_id = 'def00000-0000-0000-0000-000000000001' ORDER BY sb.priority DESC;
\echo '   A rule with a bad node is refused when written, naming the node:'
DO $$
BEGIN
  INSERT INTO pricing_blocks (name, category, event_type, conditions, params)
  VALUES ('Typo', 'discount', 'apply-discount',
          '{"all":[{"fact":"country","operator":"sameAs","value":"GR"}]}',
          '{"actions":{"type":"APPLY_DISCOUNT_PERCENTAGE","value":5}}');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'refused (SQLSTATE %): %', SQLSTATE, SQLERRM;
END $$;
COMMIT;

\echo '== 4. The repricing job (admin): every (country or region, group, days) priced in one call'
BEGIN;
SELECT set_config('request.jwt.claims', :'admin_claims', true) \gset ignored_
SET LOCAL ROLE authenticated;
SELECT coalesce(country, region) AS scope, bundle_group, requested_days AS days, esim_go_name, cost, final_price,
       markup, discount_value
  FROM price_catalog(days => ARRAY[1, 7, 10])
 WHERE coalesce(country, region) IN ('GR', 'IL', 'UA', 'Europe')
 ORDER BY scope, bundle_group NULLS FIRST, days;
SELECT count(*) AS prices_for_days_1_to_30 FROM price_catalog();
COMMIT;

\echo '== 5. A catalog sync (admin triggers it, the sync worker runs it as the service role)'
BEGIN;
SELECT set_config('request.jwt.claims', :'admin_claims', true) \gset ignored_
SET LOCAL ROLE authenticated;
SELECT create_sync_job('GROUP_SYNC', 'Standard Unlimited Plus', priority => 'high', force => true) AS job_id \gset
\echo '   A second trigger for the same group while it is pending is refused:'
DO $$
BEGIN
  PERFORM create_sync_job('GROUP_SYNC', 'Standard Unlimited Plus');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'refused (SQLSTATE %): %', SQLSTATE, SQLERRM;
END $$;
COMMIT;
BEGIN;
SET LOCAL ROLE service_role;
SELECT set_sync_job_status(:'job_id', 'running') AS job_status;
\echo '   First payload: three new bundles'
SELECT r - 'priceChanges' AS counts FROM sync_catalog(:'job_id', $$[
  {"name":"esim_UP_7D_GR_V2","groups":["Standard-Unlimited-Plus"],"countries":[{"iso":"GR","region":"Europe"}],"dataAmount":-1,"duration":7,"price":9.40},
  {"name":"esim_UP_7D_IL_V2","groups":["Standard-Unlimited-Plus"],"countries":[{"iso":"IL","region":"Middle East"}],"dataAmount":-1,"duration":7,"price":8.20},
  {"name":"esim_UP_15D_IL_V2","groups":["Standard-Unlimited-Plus"],"countries":[{"iso":"IL","region":"Middle East"}],"dataAmount":-1,"duration":15,"price":14.60}
]$$) r;
\echo '   Next payload: one price moves, one is the same, one is gone, one is new'
SELECT r - 'priceChanges' AS counts, r->'priceChanges' AS price_changes FROM sync_catalog(:'job_id', $$[
  {"name":"esim_UP_7D_GR_V2","groups":["Standard-Unlimited-Plus"],"countries":[{"iso":"GR","region":"Europe"}],"dataAmount":-1,"duration":7,"price":9.90},
  {"name":"esim_UP_7D_IL_V2","groups":["Standard-Unlimited-Plus"],"countries":[{"iso":"IL","region":"Middle East"}],"dataAmount":-1,"duration":7,"price":8.20},
  {"name":"esim_UP_30D_GR_V2","groups":["Standard-Unlimited-Plus"],"countries":[{"iso":"GR","region":"Europe"}],"dataAmount":-1,"duration":30,"price":24.00}
]$$) r;
SELECT set_sync_job_status(:'job_id', 'completed') AS job_status;
SELECT job_type, bundle_group, status, bundles_processed, bundles_added, bundles_updated
  FROM catalog_sync_jobs WHERE id = :'job_id';
SELECT m.total_bundles, (SELECT count(*) FROM catalog_bundles) AS catalog_rows, m.bundle_groups
  FROM catalog_metadata m;
COMMIT;

\echo '== 6. Checkout: an anonymous visitor opens a session; the price is fixed by the engine'
BEGIN;
SELECT set_config('request.jwt.claims', :'anon_claims', true) \gset ignored_
SET LOCAL ROLE anon;
SELECT s->>'sessionId' AS session_id, s->>'sessionToken' AS session_token, s->>'state' AS state,
       s#>>'{pricing,finalPrice}' AS final_price, s#>>'{planSnapshot,name}' AS plan
  FROM create_checkout_session(7, 'GR', bundle_group => 'Standard Unlimited Lite') s \gset
SELECT :'state' AS state, :'final_price' AS price_with_promotion, :'plan' AS plan;
COMMIT;

\echo '== 7. Dana signs in and takes the session on with its token; another visitor without it cannot'
BEGIN;
SELECT set_config('request.jwt.claims', :'anon_claims', true) \gset ignored_
SET LOCAL ROLE anon;
SELECT set_config('esimgo_demo.session_id', :'session_id', true) \gset ignored_
DO $$
BEGIN
  PERFORM advance_checkout_session(current_setting('esimgo_demo.session_id')::uuid, 'EXPIRED');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'refused (SQLSTATE %): %', SQLSTATE, SQLERRM;
END $$;
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims', :'dana_claims', true) \gset ignored_
SET LOCAL ROLE authenticated;
SELECT advance_checkout_session(:'session_id', 'AUTHENTICATED', :'session_token')->>'state' AS state;
SELECT advance_checkout_session(:'session_id', 'DELIVERY_SET')->>'state' AS state;
SELECT advance_checkout_session(:'session_id', 'PAYMENT_READY')->>'state' AS state;
\echo '   The client cannot rewrite the price:'
DO $$
BEGIN
  UPDATE checkout_sessions SET pricing = '{"finalPrice": 1}';
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'refused (SQLSTATE %): %', SQLSTATE, SQLERRM;
END $$;
COMMIT;

\echo '== 8. The payment webhook (service role) completes it, and again: the same order, never two'
BEGIN;
SET LOCAL ROLE service_role;
SELECT r->>'orderId' AS order_id, r->>'alreadyCompleted' AS already_completed
  FROM complete_checkout(:'session_id', 'pi_esimgo_demo_1') r \gset
SELECT :'already_completed' AS first_webhook_already_completed;
COMMIT;
BEGIN;
SET LOCAL ROLE service_role;
SELECT r->>'orderId' = :'order_id' AS same_order, r->>'alreadyCompleted' AS already_completed
  FROM complete_checkout(:'session_id', 'pi_esimgo_demo_1') r;
SELECT count(*) AS orders_for_the_session FROM esim_orders WHERE reference = 'order_' || :'session_id';
COMMIT;

\echo '== 9. The provider delivers the eSIM; usage comes in (service role)'
BEGIN;
SET LOCAL ROLE service_role;
INSERT INTO esims (id, user_id, order_id, iccid, status, last_action, action_date, smdp_address, activation_code)
SELECT 'e5900000-0000-4000-8000-000000000601', o.user_id, o.id, '8997205900000000601', 'ASSIGNED', 'ASSIGNED', now(),
       'smdp.esimgo.example', 'LPA:1$smdp.esimgo.example$E590-0601'
  FROM esim_orders o WHERE o.id = :'order_id';
INSERT INTO esim_bundles (id, esim_id, data_plan_id, name, state, used_data, remaining_data, start_date, end_date)
VALUES ('e5900000-0000-4000-8000-000000000701', 'e5900000-0000-4000-8000-000000000601',
        'e5900000-0000-4000-8000-000000000201', 'esim_UL_7D_GR_V2', 'ACTIVE', 0, NULL, now(), now() + interval '7 days');
UPDATE esims SET status = 'ACTIVE', last_action = 'INSTALLED', action_date = now()
 WHERE id = 'e5900000-0000-4000-8000-000000000601';
UPDATE esim_bundles SET used_data = 734003200 WHERE id = 'e5900000-0000-4000-8000-000000000701';
UPDATE esim_orders SET status = 'COMPLETED', esim_go_order_ref = 'EG-E590-0001' WHERE id = :'order_id';
COMMIT;
\echo '   A customer cannot write usage (column privileges):'
BEGIN;
SELECT set_config('request.jwt.claims', :'dana_claims', true) \gset ignored_
SET LOCAL ROLE authenticated;
DO $$
BEGIN
  UPDATE esim_bundles SET used_data = 0 WHERE id = 'e5900000-0000-4000-8000-000000000701';
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'refused (SQLSTATE %): %', SQLSTATE, SQLERRM;
END $$;
COMMIT;

\echo '== 10. Dana reads her orders, eSIMs and active bundle; Noa sees none of them'
BEGIN;
SELECT set_config('request.jwt.claims', :'dana_claims', true) \gset ignored_
SET LOCAL ROLE authenticated;
SELECT reference = 'order_' || :'session_id' AS from_her_session, status, total_price, plan_data->>'name' AS plan
  FROM esim_orders ORDER BY created_at;
SELECT iccid, status, last_action FROM esims;
SELECT name, state, esim_status, used_data, remaining_data, region FROM active_bundles;
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims', :'noa_claims', true) \gset ignored_
SET LOCAL ROLE authenticated;
SELECT (SELECT count(*) FROM esim_orders) AS orders_noa_sees, (SELECT count(*) FROM esims) AS esims_noa_sees,
       (SELECT count(*) FROM checkout_sessions) AS sessions_noa_sees;
COMMIT;

\echo '== 11. Bad input gets a clear error with its SQLSTATE'
BEGIN;
SELECT set_config('request.jwt.claims', :'anon_claims', true) \gset ignored_
SET LOCAL ROLE anon;
DO $$
BEGIN
  PERFORM calculate_price(0, 'GR');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'refused (SQLSTATE %): %', SQLSTATE, SQLERRM;
END $$;
DO $$
BEGIN
  PERFORM calculate_price(31, 'GR');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'refused (SQLSTATE %): %', SQLSTATE, SQLERRM;
END $$;
DO $$
BEGIN
  PERFORM create_checkout_session(7, 'GR', payment_method => 'CASH');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'refused (SQLSTATE %): %', SQLSTATE, SQLERRM;
END $$;
COMMIT;
