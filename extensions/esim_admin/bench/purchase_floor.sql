-- The same purchase as a plain INSERT with no check (the client sends the figures).
\set who random(1, 2000)
\set plan random(1, 20)
\set code random(1, 100)
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-4000-8000-' || lpad(:who::text, 12, '0'))::text, true);
INSERT INTO bench.transactions_plain (id, user_id, plan_id, amount, payment_method, status, discount_amount, total_amount)
  VALUES (gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(:who::text, 12, '0'))::uuid,
          ('00000000-0000-4000-9000-' || lpad(:plan::text, 12, '0'))::uuid, 9.99, 'credit_card', 'pending', 1.00, 8.99)
  RETURNING total_amount;
COMMIT;
