-- calculate_price / price_catalog over the shipped default strategy, bad
-- input with its SQLSTATEs, rule validation naming the bad node, and the
-- kept strategies following rule changes inside one transaction.
BEGIN;
SELECT plan(34);

-- A catalog of our own, in countries no real row uses; Ukraine's rows of a
-- database that holds data step aside (rolled back at the end).
DELETE FROM catalog_bundles WHERE countries @> ARRAY['UA'];
INSERT INTO catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, countries, groups, region, provider) VALUES
  ('t-maya-xa-7', 7, 12.34, true, '{XA}', '{}', 'Test Region', 'MAYA'),
  ('t-esim-xa-7', 7, 5.00, true, '{XA}', '{Standard Unlimited Lite}', 'Test Region', 'ESIM_GO'),
  ('t-esim-xa-10', 10, 10.00, true, '{XA}', '{Standard Unlimited Lite}', 'Test Region', 'ESIM_GO'),
  ('t-esim-xb-20', 20, 1.00, true, '{XB}', '{Standard Unlimited Lite}', 'Test Region', 'ESIM_GO'),
  ('t-esim-ua-30', 30, 98.93, true, '{UA}', '{Standard Unlimited Lite}', 'Test Region', 'ESIM_GO'),
  ('t-esim-xa-30', 30, 30.00, true, '{XA}', '{Standard Unlimited Lite}', 'Test Region', 'ESIM_GO');
INSERT INTO catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, data_amount_mb, countries, groups, region, provider)
VALUES ('t-limited-xa-3', 3, 1.00, false, 1000, '{XA}', '{}', 'Test Region', 'ESIM_GO');

-- MAYA preferred over a cheaper eSIM Go bundle: 12.34 + 15 (MAYA 7) = 27.34 -> 27
SELECT is(calculate_price(7, 'XA')->>'finalPrice', '27.00', 'MAYA 7 days: cost + MAYA markup, rounded to the dollar');
SELECT is(calculate_price(7, 'XA')#>>'{selectedBundle,esim_go_name}', 't-maya-xa-7', 'the preferred provider wins over a lower cost');
-- 8 days -> the 10-day bundle of the same country (not the 20-day one elsewhere)
SELECT is(calculate_price(8, 'XA', bundle_group => 'Standard Unlimited Lite')#>>'{selectedBundle,esim_go_name}', 't-esim-xa-10', 'the shortest longer duration within the scope');
SELECT is(calculate_price(8, 'XA', bundle_group => 'Standard Unlimited Lite')->>'finalPrice', '24.00', '10 + 15 - 1.00 unused days = 24');
SELECT is(calculate_price(8, 'XA')->>'unusedDays', '2', 'unusedDays');
SELECT is(calculate_price(8, 'XA')->>'discountValue', '1.00', 'discountValue is the unused-days discount');
SELECT is(calculate_price(8, 'XA')->>'discountPerDay', '0.50', 'discountPerDay');
-- UA: fixed 25 after the profit floor; the loss shows
SELECT is(calculate_price(30, 'UA')->>'finalPrice', '25.00', 'UA sells at the fixed price');
SELECT is(calculate_price(30, 'UA')->>'netProfit', '-73.93', 'and the breakdown shows the loss');
SELECT is((SELECT sum((r->>'impact')::numeric) FROM jsonb_array_elements(calculate_price(30, 'UA')->'appliedRules') r),
          25.00 - 98.93, 'applied rules add up to finalPrice - cost');
SELECT is(calculate_price(15, region => 'Test Region', bundle_group => 'Standard Unlimited Lite')#>>'{selectedBundle,esim_go_name}',
          't-esim-xb-20', 'a region scope');
-- limited bundles never price
SELECT is(calculate_price(2, 'XA')#>>'{selectedBundle,esim_go_name}', 't-maya-xa-7', 'limited bundles are not offered');

-- bad input
SELECT throws_ok($$SELECT calculate_price(31, 'XA')$$, 'P0002', 'no bundle for 31 days in country XA', 'no bundle: P0002 naming the request');
SELECT throws_ok($$SELECT calculate_price(0, 'XA')$$, '22023', NULL, 'days below 1');
SELECT throws_ok($$SELECT calculate_price(366, 'XA')$$, '22023', NULL, 'days above 365');
SELECT throws_ok($$SELECT calculate_price(NULL)$$, '22004', NULL, 'NULL days');
SELECT throws_ok($$SELECT calculate_price(7, 'XA', payment_method => 'CASH')$$, '22023', NULL, 'unknown payment method');
SELECT throws_ok($$SELECT calculate_price(7, 'XA', strategy_id => gen_random_uuid())$$, 'P0002', NULL, 'unknown strategy');

-- rules are validated when written, naming the node
SELECT throws_like($$INSERT INTO pricing_blocks (name, category, event_type, conditions, params)
  VALUES ('bad op', 'custom', 'apply-markup', '{"all":[{"fact":"country","operator":"sameAs","value":"FR"}]}', '{"value":1}')$$,
  '%conditions.all[0].operator%', 'an unknown operator is refused at its node');
SELECT throws_ok($$INSERT INTO pricing_blocks (name, category, event_type, conditions, params)
  VALUES ('bad op', 'custom', 'apply-markup', '{"all":[{"fact":"country","operator":"sameAs","value":"FR"}]}', '{"value":1}')$$,
  '22023', NULL, 'with SQLSTATE 22023');
SELECT throws_ok($$INSERT INTO pricing_blocks (name, category, event_type, conditions, params)
  VALUES ('bad pct', 'discount', 'apply-discount', '{"all":[]}', '{"actions":{"type":"APPLY_DISCOUNT_PERCENTAGE","value":120}}')$$,
  '23514', NULL, 'a percentage over 100: 23514');
SELECT throws_like($$UPDATE strategy_blocks SET config_overrides = '{"value": 1.5}'
  WHERE strategy_id = 'def00000-0000-0000-0000-000000000001' AND priority = 90$$,
  '%apply-markup takes either markupMatrix or value%', 'overrides are validated merged with the block params');
SELECT throws_ok($$INSERT INTO strategy_blocks (strategy_id, block_id, priority)
  SELECT 'def00000-0000-0000-0000-000000000001', id, 99 FROM pricing_blocks WHERE name = 'Payment Processing Fees'$$,
  '23505', NULL, 'two blocks of one strategy cannot share a priority');

-- the kept strategy follows a rule change in the same transaction
UPDATE pricing_blocks SET params = '{"value": 3}' WHERE id = 'c3d4e5f6-7890-12cd-ef01-123456789012';
SELECT is(calculate_price(7, 'XA', bundle_group => 'Standard Unlimited Lite', strategy_id => NULL)->>'finalPrice', '27.00',
          'MAYA still first (its markup clears a 3.00 floor)');
UPDATE strategy_blocks SET is_enabled = false
  WHERE strategy_id = 'def00000-0000-0000-0000-000000000001' AND priority = 100;
SELECT is(calculate_price(7, 'XA', bundle_group => 'Standard Unlimited Lite')#>>'{selectedBundle,esim_go_name}', 't-esim-xa-7',
          'without the provider-selection block, the cheapest bundle wins');
SELECT is(calculate_price(7, 'XA', bundle_group => 'Standard Unlimited Lite')->>'finalPrice', '17.00',
          '5 + 12 (ESIM_GO Lite 7) = 17');

-- price_catalog agrees with calculate_price row by row
SELECT is_empty($$
  SELECT p.country, p.bundle_group, p.requested_days FROM price_catalog(days => '{1,7,8,15,30}') p
  WHERE p.country IN ('XA', 'XB', 'UA')
    AND p.final_price <> (calculate_price(p.requested_days, p.country, NULL, p.bundle_group)->>'finalPrice')::numeric$$,
  'price_catalog and calculate_price agree');
SELECT is((SELECT count(*)::int FROM price_catalog(days => '{8}') WHERE country = 'XA'), 1,
          'XA offers 8 days in its one group');
SELECT throws_ok($$SELECT * FROM price_catalog(days => '{0}')$$, '22023', NULL, 'price_catalog refuses days outside 1..365');

-- upstream's export form: underscore spellings, free-text categories
CREATE TEMP TABLE imported AS
SELECT import_pricing_block('{"name":"Region rounding","category":"ROUNDING","priority":5,"event_type":"apply_region_rounding","conditions":{"all":[]},"params":{"actions":{"value":0.99}}}') AS region_id,
       import_pricing_block('{"name":"Old style","action":{"type":"SELECT_PROVIDER","params":{"preferredProvider":"ESIM_GO"}},"conditions":{"all":[]}}') AS old_id;
SELECT is((SELECT event_type::text || ' ' || category::text FROM pricing_blocks WHERE id = (SELECT region_id FROM imported)),
          'apply-region-rounding region_rounding', 'import_pricing_block stores one spelling and a block_type');
SELECT is((SELECT event_type::text FROM pricing_blocks WHERE id = (SELECT old_id FROM imported)),
          'select-provider', 'and reads the seed-era action form');
SELECT throws_ok($$SELECT import_pricing_block('{"name":"x","event_type":"apply_magic","conditions":{"all":[]}}')$$,
                 '22023', NULL, 'an unknown event type: 22023');
SELECT throws_like($$SELECT import_pricing_block('{"name":"x","event_type":"apply_markup","conditions":{"all":[{"fact":"country"}]},"params":{"value":1}}')$$,
                 '%conditions.all[0]%', 'a bad condition is named');

-- updated_at is kept by the trigger, created_at cannot be rewritten
UPDATE catalog_bundles SET price = 12.35, created_at = '2000-01-01', updated_at = '2000-01-01' WHERE esim_go_name = 't-maya-xa-7';
SELECT ok((SELECT updated_at = now() AND created_at > '2000-01-02' FROM catalog_bundles WHERE esim_go_name = 't-maya-xa-7'),
          'updated_at = now(), created_at kept');

SELECT * FROM finish();
ROLLBACK;
