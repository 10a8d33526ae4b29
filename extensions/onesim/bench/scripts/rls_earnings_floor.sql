-- 1b. Floor: the same query as the superuser with an explicit partner filter
-- (same statements, so the same round trips).
\set p random(1, 1000)
\set v 100000000000 + :p
BEGIN;
SET LOCAL ROLE postgres;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-0000-0000-:v', 'role', 'authenticated')::text, true);
SELECT count(*), sum(commission_amount_usd) FROM partner_earnings WHERE partner_id = '00000000-0000-0000-0001-:v';
COMMIT;
