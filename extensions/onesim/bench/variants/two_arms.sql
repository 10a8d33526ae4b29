-- Two arms: the partner's and the (empty) admin range.
\set p random(1, 1000)
\set v 100000000000 + :p
BEGIN;
SET LOCAL ROLE postgres;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-0000-0000-:v', 'role', 'authenticated')::text, true);
SELECT count(*), sum(price_usd) FROM orders WHERE partner_id = '00000000-0000-0000-0001-:v' OR created_at BETWEEN 'infinity' AND '-infinity';
COMMIT;
