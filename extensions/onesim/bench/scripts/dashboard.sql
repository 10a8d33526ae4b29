-- 5. A partner opens its dashboard through the API path.
\set p random(:plo, :phi)
\set v 100000000000 + :p
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-0000-0000-:v', 'role', 'authenticated')::text, true);
SELECT * FROM v_partner_dashboard_stats WHERE partner_id = '00000000-0000-0000-0001-:v';
COMMIT;
