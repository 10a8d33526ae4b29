-- 1b. Floor: the same query as the superuser with an explicit partner filter
-- (same statements, so the same round trips).
\set p random(1, 1000)
BEGIN;
SET LOCAL ROLE postgres;
SELECT set_config('request.jwt.claims', json_build_object('sub', bench.uid(0, :p), 'role', 'authenticated')::text, true);
SELECT count(*), sum(commission_amount_usd) FROM partner_earnings WHERE partner_id = bench.uid(1, :p);
COMMIT;
