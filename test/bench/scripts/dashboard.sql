-- 5. A partner opens its dashboard through the API path.
\set p random(:plo, :phi)
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', json_build_object('sub', bench.uid(0, :p), 'role', 'authenticated')::text, true);
SELECT * FROM v_partner_dashboard_stats WHERE partner_id = bench.uid(1, :p);
COMMIT;
