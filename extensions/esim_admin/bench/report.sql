-- The monthly revenue report of last month, through the extension (an admin).
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-4000-8000-000000002001')::text, true);
SET LOCAL ROLE authenticated;
SELECT total_revenue, transaction_count FROM esim_admin.generate_revenue_report('monthly', (now() - interval '1 month')::date);
COMMIT;
