-- 1. RLS read through the API path: a partner counts and sums all its orders.
\set p random(1, 1000)
\set v 100000000000 + :p
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-0000-0000-:v', 'role', 'authenticated')::text, true);
SELECT count(*), sum(price_usd) FROM orders;
COMMIT;
