-- Commission calculation: results, SQLSTATEs of bad input, and how the
-- functions are declared (volatility, strictness, parallel safety).
BEGIN;
SELECT plan(24);

SELECT is(calculate_commission(15.00, 5), 0.7500, 'seed example: $15.00 at 5% -> $0.75');
SELECT is(calculate_commission(19.00, 5.00), 0.9500, 'sample order: $19.00 at 5% -> $0.95');
SELECT is(calculate_commission(240000, 5, 'UZS'), 12000.00, 'UZS at 2 decimals');
SELECT is((SELECT partner_pays FROM commission_breakdown(15.00, 5)), 14.2500, 'partner pays retail minus commission');
SELECT is((SELECT partner_savings FROM commission_breakdown(15.00, 5)), 0.7500, 'savings equal the commission');
SELECT is(scale(calculate_commission(19, 5)), 4, 'USD amounts carry 4 decimals');
SELECT is(scale(calculate_commission(19, 5, 'UZS')), 2, 'UZS amounts carry 2 decimals');
SELECT is(calculate_commission(0.0010, 5), 0.0001, 'half a unit rounds away from zero');
SELECT is(calculate_commission(0.0009, 5), 0.0000, 'below half a unit rounds down');
SELECT is(
  (SELECT count(*)::int FROM generate_series(0, 2000) AS c,
          LATERAL commission_breakdown(c / 100.0, (c % 101)::numeric) b
    WHERE b.commission_amount + b.partner_pays <> b.retail_price
       OR b.commission_amount <> round(c / 100.0 * (c % 101) / 100, 4)), 0,
  'matches round(price * rate / 100, 4) and the parts add up, over 2001 prices and rates');

SELECT throws_ok('SELECT calculate_commission(19, -0.01)', '22023', NULL, 'negative rate');
SELECT throws_ok('SELECT calculate_commission(19, 100.01)', '22023', NULL, 'rate over 100');
SELECT throws_ok('SELECT calculate_commission(19, 5.001)', '22023', NULL, 'rate with 3 decimals');
SELECT throws_ok('SELECT calculate_commission(-0.01, 5)', '22023', NULL, 'negative price');
SELECT throws_ok('SELECT calculate_commission(''NaN'', 5)', '22023', NULL, 'NaN price');
SELECT throws_ok('SELECT calculate_commission(19, ''-Infinity'')', '22023', NULL, 'infinite rate');
SELECT throws_ok('SELECT calculate_commission(1e38, 5)', '22003', NULL, 'price beyond 38 digits');
SELECT throws_ok('SELECT calculate_commission(NULL, 5)', '22004', 'retail_price must not be null', 'NULL price');
SELECT throws_ok('SELECT calculate_commission(19, 5, ''EUR'')', '22023', 'unsupported currency "EUR"', 'unknown currency');
SELECT throws_ok('SELECT commission_breakdown(19, NULL)', '22004', 'commission_rate must not be null', 'NULL rate');

SELECT is((SELECT provolatile FROM pg_proc WHERE oid = 'calculate_commission(numeric,numeric,text)'::regprocedure), 'i', 'calculate_commission is IMMUTABLE');
SELECT is((SELECT proparallel FROM pg_proc WHERE oid = 'calculate_commission(numeric,numeric,text)'::regprocedure), 's', 'calculate_commission is PARALLEL SAFE');
SELECT is((SELECT proisstrict FROM pg_proc WHERE oid = 'calculate_commission(numeric,numeric,text)'::regprocedure), false, 'not STRICT: NULL is an error, not a silent NULL');
SELECT is((SELECT provolatile FROM pg_proc WHERE oid = 'commission_breakdown(numeric,numeric,text)'::regprocedure), 'i', 'commission_breakdown is IMMUTABLE');

SELECT * FROM finish();
ROLLBACK;
