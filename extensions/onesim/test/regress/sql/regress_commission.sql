-- Commission calculation through SQL: the seed's examples, rounding at the
-- currency scale, and every kind of bad input with its SQLSTATE.
\set VERBOSITY default
SELECT calculate_commission(15.00, 5);
SELECT * FROM commission_breakdown(15.00, 5);
SELECT * FROM commission_breakdown(19.00, 5.00, 'USD');
SELECT * FROM commission_breakdown(240000, 5.00, 'UZS');
-- half a minor unit rounds away from zero
SELECT calculate_commission(0.0010, 5) AS usd_half_unit,
       calculate_commission(0.0009, 5) AS usd_below_half,
       calculate_commission(0.10, 5, 'UZS') AS uzs_half_unit;
-- boundaries
SELECT calculate_commission(0, 5) AS zero_price,
       calculate_commission(19, 0) AS zero_rate,
       calculate_commission(19, 100) AS full_rate,
       calculate_commission(999999.9999, 100) AS largest_price;
-- what calculate_commission returns always fits orders.commission_amount_usd
SELECT calculate_commission(999999.9999, 99.99)::numeric(10,4);

-- SQLSTATEs are asserted in test/pgtap/01_commission.sql; here the messages.
SELECT calculate_commission(19, -1);
SELECT calculate_commission(19, 100.5);
SELECT calculate_commission(19, 5.125);
SELECT calculate_commission(-19, 5);
SELECT calculate_commission(19.00001, 5);
SELECT calculate_commission(19.001, 5, 'UZS');
SELECT calculate_commission('NaN', 5);
SELECT calculate_commission(19, 'Infinity');
SELECT calculate_commission(1e40, 5);
SELECT calculate_commission(NULL, 5);
SELECT calculate_commission(19, NULL);
SELECT calculate_commission(19, 5, NULL);
SELECT calculate_commission(19, 5, 'EUR');
SELECT calculate_commission(19, 5, '');
