-- The same statements with the explicit store filter, as a role without RLS
-- (service_role bypasses it), so both run the same number of statements.
\set s random(1, :stores)
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', 'ca110000-0000-4000-8000-' || lpad(to_hex(:s), 12, '0'), 'role', 'authenticated')::text, true);
SET LOCAL ROLE service_role;
SELECT id, order_number, status, total_price, order_date FROM orders
 WHERE store_id = (SELECT id FROM bench_store WHERE n = :s) ORDER BY order_date DESC LIMIT 20;
COMMIT;
