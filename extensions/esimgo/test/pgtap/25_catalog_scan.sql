-- price_catalog reads the catalog by a heap scan (stored arrays, the price's
-- stored digits as cents); calculate_price reads it through SQL. Both must
-- see the same rows and the same costs, whatever the stored form: prices at
-- numeric(10,2)'s edges and with fewer decimals, NULL array elements, long
-- group names, a NULL provider, rows that cannot price.
BEGIN;
SELECT plan(6);

INSERT INTO catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, data_amount_mb, countries, groups, region, provider) VALUES
  ('scan-0',    7, 0,           true,  NULL, '{SA}', '{}', 'Scan Region', 'MAYA'),
  ('scan-1c',   7, 0.01,        true,  NULL, '{SB}', '{}', 'Scan Region', 'MAYA'),
  ('scan-int',  7, 100,         true,  NULL, '{SC}', '{}', 'Scan Region', 'MAYA'),
  ('scan-1dec', 7, 12.5,        true,  NULL, '{SD}', '{}', 'Scan Region', 'MAYA'),
  ('scan-big',  7, 12345678.90, true,  NULL, '{SE}', '{}', 'Scan Region', 'MAYA'),
  ('scan-max',  7, 99999900.00, true,  NULL, '{SF}', '{}', 'Scan Region', 'MAYA'),
  ('scan-w',    7, 10000.01,    true,  NULL, '{SG}', '{}', 'Scan Region', 'MAYA'),
  ('scan-null', 7, 3.30,        true,  NULL, ARRAY['SH', NULL, 'SI'], ARRAY[NULL, 'Scan Group'], NULL, NULL),
  ('scan-long', 3, 2.20,        true,  NULL, '{SJ}', ARRAY[repeat('Long Group Name ', 12)], 'Scan Region', 'ESIM_GO'),
  ('scan-ltd',  7, 1.00,        false, 1024, '{SK}', '{}', 'Scan Region', 'MAYA'),
  ('scan-nop',  7, NULL,        true,  NULL, '{SL}', '{}', 'Scan Region', 'MAYA');

CREATE TEMP TABLE scanned AS
  SELECT * FROM price_catalog(NULL, ARRAY[3, 7]) WHERE esim_go_name LIKE 'scan-%';

SELECT is((SELECT count(*)::int FROM scanned s JOIN catalog_bundles b USING (esim_go_name) WHERE s.cost <> b.price), 0,
          'every cost is the stored price');
SELECT is((SELECT string_agg(DISTINCT country, ',' ORDER BY country) FROM scanned WHERE country LIKE 'S_'),
          'SA,SB,SC,SD,SE,SF,SG,SH,SI,SJ', 'the countries of the rows able to price, NULL elements skipped');
SELECT is((SELECT string_agg(DISTINCT coalesce(bundle_group, '-'), ',' ORDER BY coalesce(bundle_group, '-'))
             FROM scanned WHERE country IN ('SH', 'SJ')),
          'Long Group Name Long Group Name Long Group Name Long Group Name Long Group Name Long Group Name Long Group Name Long Group Name Long Group Name Long Group Name Long Group Name Long Group Name ,Scan Group',
          'groups read from the stored arrays (a NULL element skipped, a long name whole)');
SELECT is((SELECT count(*)::int FROM scanned WHERE esim_go_name IN ('scan-ltd', 'scan-nop')), 0,
          'limited bundles and bundles without a price are not offered');
SELECT is((SELECT count(*)::int FROM scanned s
            WHERE s.country IS NOT NULL
              AND s.final_price IS DISTINCT FROM (calculate_price(s.requested_days, s.country, NULL, s.bundle_group) ->> 'finalPrice')::numeric),
          0, 'price_catalog and calculate_price (read through SQL) agree on every country price');
SELECT is((SELECT count(*)::int FROM scanned s
            WHERE s.region = 'Scan Region'
              AND s.final_price IS DISTINCT FROM (calculate_price(s.requested_days, NULL, s.region, s.bundle_group) ->> 'finalPrice')::numeric),
          0, 'and on every region price');

SELECT * FROM finish();
ROLLBACK;
