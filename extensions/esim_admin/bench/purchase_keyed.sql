-- The same purchase as a plain INSERT into a twin of transactions that keeps
-- the seed's indexes, CHECKs and foreign keys but runs no trigger and no
-- check of the caller, the price or the code (the client sends the figures).
\set who random(1, 2000)
\set plan random(1, 20)
\set code random(1, 100)
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-4000-8000-' || lpad(:who::text, 12, '0'))::text, true);
INSERT INTO bench.transactions_keyed (id, user_id, plan_id, amount, payment_method, status, discount_amount, total_amount, promo_code_id)
  VALUES (gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(:who::text, 12, '0'))::uuid,
          ('00000000-0000-4000-9000-' || lpad(:plan::text, 12, '0'))::uuid, 9.99, 'credit_card', 'pending', 1.00, 8.99,
          (SELECT id FROM esim_admin.promotional_codes WHERE code = 'BENCH' || :code))
  RETURNING total_amount;
COMMIT;
