-- Catalog pricing: price_usd = provider x (1 + margin/100) at 4 dp with the
-- most specific active margin override; price_uzs from the rate in force;
-- every price change logged.
BEGIN;
SELECT plan(22);

-- Start from a known set of overrides and rates.
DELETE FROM margin_overrides;
DELETE FROM exchange_rates;
INSERT INTO exchange_rates (base_currency, quote_currency, rate, effective_at) VALUES
  ('USD', 'UZS', 12650.0000, now() - interval '1 day'),
  ('USD', 'UZS', 99999.0000, now() + interval '1 day');  -- not in force yet

CREATE FUNCTION pg_temp.pkg(code text, provider numeric, countries text[], region text DEFAULT NULL)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO esim_packages (package_code, name, country_codes, region, provider_price_usd, price_usd)
  VALUES (code, code, countries, region, provider, 0)
$$;
CREATE FUNCTION pg_temp.price(code text) RETURNS numeric LANGUAGE sql AS
  $$ SELECT price_usd FROM esim_packages WHERE package_code = code $$;
CREATE FUNCTION pg_temp.margin(code text) RETURNS numeric LANGUAGE sql AS
  $$ SELECT margin_percent FROM esim_packages WHERE package_code = code $$;

-- no override at all: margin 0
SELECT pg_temp.pkg('T_NONE', 10.0000, '{TR}');
SELECT is(pg_temp.margin('T_NONE'), 0.00, 'no override: margin 0');
SELECT is(pg_temp.price('T_NONE'), 10.0000, 'no override: retail = provider');

INSERT INTO margin_overrides (scope, margin_percent) VALUES ('global', 25.00);
INSERT INTO margin_overrides (scope, region, margin_percent) VALUES ('region', 'Europe', 20.00);
INSERT INTO margin_overrides (scope, country_code, margin_percent) VALUES ('country', 'TR', 15.00);
INSERT INTO margin_overrides (scope, package_code, margin_percent) VALUES ('package', 'T_PKG', 10.00);
INSERT INTO margin_overrides (scope, package_code, margin_percent, is_active) VALUES ('package', 'T_GLOBAL', 99.00, false);

SELECT pg_temp.pkg('T_PKG', 15.2000, '{TR}');
SELECT pg_temp.pkg('T_COUNTRY', 15.2000, '{TR}');
SELECT pg_temp.pkg('T_REGION', 15.2000, '{TR,DE}', 'Europe');
SELECT pg_temp.pkg('T_GLOBAL', 15.2000, '{US}');
SELECT pg_temp.pkg('T_MULTI', 15.2000, '{TR,US}');
SELECT pg_temp.pkg('T_HALF', 0.0001, '{XX}', 'Nowhere');

SELECT is(pg_temp.margin('T_PKG'), 10.00, 'package scope wins');
SELECT is(pg_temp.price('T_PKG'), 16.7200, 'package scope: 15.20 x 1.10');
SELECT is(pg_temp.margin('T_COUNTRY'), 15.00, 'country scope for a single-country package');
SELECT is(pg_temp.price('T_COUNTRY'), 17.4800, 'country scope: 15.20 x 1.15');
SELECT is(pg_temp.margin('T_REGION'), 20.00, 'region scope');
SELECT is(pg_temp.price('T_REGION'), 18.2400, 'region scope: 15.20 x 1.20');
SELECT is(pg_temp.margin('T_GLOBAL'), 25.00, 'global scope (inactive package override ignored)');
SELECT is(pg_temp.price('T_GLOBAL'), 19.0000, 'global scope: 15.20 x 1.25 = the sample''s 19.00');
SELECT is(pg_temp.margin('T_MULTI'), 25.00, 'a multi-country package does not take a country margin');
SELECT is(pg_temp.price('T_HALF'), 0.0001, '0.0001 x 1.25 = 0.000125 rounds to 0.0001');
SELECT is((SELECT price_uzs FROM esim_packages WHERE package_code = 'T_GLOBAL'), 240350.00,
          'UZS: 19.00 x the rate in force (12650), 2 dp');
SELECT is_empty($$SELECT 1 FROM esim_packages
                   WHERE package_code LIKE 'T\_%'
                     AND price_usd <> round(provider_price_usd * (1 + margin_percent / 100), 4)$$,
                'every price equals round(provider x (1 + margin/100), 4)');

-- updates: recomputed when the provider price changes, logged
UPDATE esim_packages SET provider_price_usd = 16.0000 WHERE package_code = 'T_GLOBAL';
SELECT is(pg_temp.price('T_GLOBAL'), 20.0000, 'provider price change recomputes the retail price');
SELECT results_eq(
  $$SELECT old_provider_price_usd, new_provider_price_usd, old_price_usd, new_price_usd,
           old_price_uzs, new_price_uzs, change_reason::text
      FROM package_price_changes WHERE package_code = 'T_GLOBAL'$$,
  $$VALUES (15.2000::numeric, 16.0000::numeric, 19.0000::numeric, 20.0000::numeric,
            240350.00::numeric, 253000.00::numeric, 'provider_sync')$$,
  'the change is logged with old and new prices');

UPDATE esim_packages SET is_popular = true WHERE package_code LIKE 'T\_%';
SELECT is((SELECT count(*)::int FROM package_price_changes WHERE package_code LIKE 'T\_%'), 1,
          'an update not touching prices logs nothing');

UPDATE esim_packages SET price_usd = 21.5000 WHERE package_code = 'T_GLOBAL';
SELECT is(pg_temp.price('T_GLOBAL'), 21.5000, 'a manual retail price stands while the provider price is unchanged');
SELECT is((SELECT change_reason::text FROM package_price_changes WHERE package_code = 'T_GLOBAL'
            ORDER BY changed_at DESC, new_price_usd DESC LIMIT 1), 'manual', 'and is logged as manual');

-- a bulk update logs one row per changed package
UPDATE esim_packages SET provider_price_usd = provider_price_usd + 1 WHERE package_code LIKE 'T\_%';
SELECT is((SELECT count(*)::int FROM package_price_changes WHERE change_reason = 'provider_sync'),
          1 + (SELECT count(*)::int FROM esim_packages WHERE package_code LIKE 'T\_%'),
          'a bulk provider price update logs every package');

-- region change re-prices
UPDATE esim_packages SET region = 'Europe', country_codes = '{DE,FR}' WHERE package_code = 'T_MULTI';
SELECT is(pg_temp.margin('T_MULTI'), 20.00, 'changing the region re-prices the package');

-- no rate in force: price_uzs left as given
DELETE FROM exchange_rates;
INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd, price_uzs)
VALUES ('T_NORATE', 'T_NORATE', 8.0000, 0, 123.45);
SELECT is((SELECT price_uzs FROM esim_packages WHERE package_code = 'T_NORATE'), 123.45,
          'without a rate, price_uzs is left as given');

SELECT * FROM finish();
ROLLBACK;
