BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-4000-8000-000000002001')::text, true);
SET LOCAL ROLE authenticated;
SELECT esim_admin.dashboard();
COMMIT;
