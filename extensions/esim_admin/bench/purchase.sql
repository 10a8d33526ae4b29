-- A customer buys at the price in force with one of 100 promotional codes.
\set who random(1, 2000)
\set plan random(1, 20)
\set code random(1, 100)
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-4000-8000-' || lpad(:who::text, 12, '0'))::text, true);
SET LOCAL ROLE authenticated;
SELECT total_amount FROM esim_admin.purchase(('00000000-0000-4000-9000-' || lpad(:plan::text, 12, '0'))::uuid, 'credit_card', 'BENCH' || :code);
COMMIT;
