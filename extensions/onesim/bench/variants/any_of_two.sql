-- One arm as = ANY of two ids (the partner's and one no order has).
\set p random(1, 1000)
\set v 100000000000 + :p
BEGIN;
SET LOCAL ROLE postgres;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-0000-0000-:v', 'role', 'authenticated')::text, true);
SELECT count(*), sum(price_usd) FROM orders WHERE partner_id = ANY (ARRAY['00000000-0000-0000-0001-:v', '00000000-0000-0000-0000-000000000000']::uuid[]);
COMMIT;
