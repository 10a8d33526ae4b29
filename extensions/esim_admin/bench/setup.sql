-- Benchmark data: :scale transactions over the last 24 months (UTC), 90 %
-- completed, 1 % soft-deleted, 5 % with a processed refund, 2,000 customers,
-- 20 plans, eSIMs for every completed purchase plus stock, 100 promotional
-- codes without a use limit. Loaded with the rules' triggers off
-- (session_replication_role = replica), figures consistent by construction;
-- promotional code uses and the daily sales are set from the rows afterwards.
\set ON_ERROR_STOP 1
CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA extensions;
SET session_replication_role = replica;
INSERT INTO auth.users (id, email, created_at)
  SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'bench' || i || '@t.io', now() - (i % 700) * interval '1 day'
    FROM generate_series(1, 2001) i;
INSERT INTO esim_admin.users (id, email, first_name, last_name, role, created_at)
  SELECT id, email, 'B', 'U', CASE WHEN email = 'bench2001@t.io' THEN 'admin' ELSE 'customer' END::esim_admin.user_role, created_at
    FROM auth.users WHERE email LIKE 'bench%@t.io';
INSERT INTO esim_admin.plans (id, name, validity_days)
  SELECT ('00000000-0000-4000-9000-' || lpad(i::text, 12, '0'))::uuid, 'Plan ' || i, 7 + i FROM generate_series(1, 20) i;
INSERT INTO esim_admin.plan_pricing (plan_id, cost_price, selling_price, markup_percentage, effective_from)
  SELECT id, 4.00, 9.99, 149.75, now() - interval '3 years' FROM esim_admin.plans;
INSERT INTO esim_admin.data_providers (name, api_endpoint, api_key_encrypted) VALUES ('Bench', 'https://p.example', 'enc:v1:none');
INSERT INTO esim_admin.promotional_codes (code, discount_type, discount_value, valid_from, valid_to)
  SELECT 'BENCH' || i, 'percentage', 10, now() - interval '3 years', now() + interval '1 year' FROM generate_series(1, 100) i;

CREATE TEMP TABLE gen AS
  SELECT i, gen_random_uuid() AS id, gen_random_uuid() AS esim_id,
         ('00000000-0000-4000-9000-' || lpad((1 + i % 20)::text, 12, '0'))::uuid AS plan_id,
         ('00000000-0000-4000-8000-' || lpad((1 + i % 2000)::text, 12, '0'))::uuid AS user_id,
         now() - (random() * 730) * interval '1 day' AS at,
         CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'completed' END AS status,
         CASE WHEN i % 3 = 0 THEN (SELECT id FROM esim_admin.promotional_codes WHERE code = 'BENCH' || (1 + i % 100)) END AS promo
    FROM generate_series(1, :scale) i;
INSERT INTO esim_admin.esims (id, iccid, user_id, plan_id, status, activated_at, expires_at, created_at)
  SELECT esim_id, '89' || lpad(i::text, 18, '0'), user_id, plan_id, 'active', at, at + interval '30 days', at
    FROM gen WHERE status = 'completed';
INSERT INTO esim_admin.esims (iccid, plan_id)
  SELECT '88' || lpad(i::text, 18, '0'), ('00000000-0000-4000-9000-' || lpad((1 + i % 20)::text, 12, '0'))::uuid
    FROM generate_series(1, 200000) i;
INSERT INTO esim_admin.transactions (id, user_id, esim_id, plan_id, amount, payment_method, status, promo_code_id,
                                     discount_amount, tax_amount, total_amount, created_at, completed_at, deleted_at)
  SELECT id, user_id, CASE WHEN status = 'completed' THEN esim_id END, plan_id, 9.99, 'credit_card',
         (CASE WHEN status = 'completed' AND i % 20 = 1 THEN 'refunded' ELSE status END)::esim_admin.transaction_status,
         promo, CASE WHEN promo IS NOT NULL THEN 1.00 ELSE 0 END, 0.80,
         9.99 - CASE WHEN promo IS NOT NULL THEN 1.00 ELSE 0 END + 0.80, at,
         CASE WHEN status = 'completed' THEN at + interval '1 minute' END,
         CASE WHEN i % 100 = 7 THEN at + interval '1 day' END
    FROM gen;
INSERT INTO esim_admin.refunds (transaction_id, amount, status, created_at, processed_at)
  SELECT id, 9.99 - CASE WHEN promo IS NOT NULL THEN 1.00 ELSE 0 END + 0.80, 'processed', at + interval '2 days', at + interval '2 days'
    FROM gen WHERE status = 'completed' AND i % 20 = 1;
INSERT INTO esim_admin.data_allocations (esim_id, provider_id, allocated_mb, cost, allocated_at)
  SELECT esim_id, p.id, 1024, 3.10, at FROM gen,
         (SELECT id FROM esim_admin.data_providers LIMIT 1) p WHERE status = 'completed' AND i % 4 = 0;
RESET session_replication_role;
UPDATE esim_admin.promotional_codes p SET used_count = c.n
  FROM (SELECT promo_code_id, count(*)::int AS n FROM esim_admin.transactions
         WHERE promo_code_id IS NOT NULL AND status IN ('pending', 'completed', 'refunded') GROUP BY 1) c
 WHERE p.id = c.promo_code_id;
SELECT esim_admin_internal.rebuild_daily_sales();

-- The floor of the purchase scenario: a twin of transactions (same columns)
-- with no trigger, no foreign key, no check.
CREATE SCHEMA bench;
CREATE TABLE bench.transactions_plain (LIKE esim_admin.transactions INCLUDING DEFAULTS);
ALTER TABLE bench.transactions_plain ADD PRIMARY KEY (id);
-- What the schema alone costs: a twin with the seed's indexes, CHECKs and
-- foreign keys, and no trigger.
CREATE TABLE bench.transactions_keyed (LIKE esim_admin.transactions INCLUDING ALL);
ALTER TABLE bench.transactions_keyed ADD FOREIGN KEY (user_id) REFERENCES esim_admin.users (id),
  ADD FOREIGN KEY (plan_id) REFERENCES esim_admin.plans (id),
  ADD FOREIGN KEY (promo_code_id) REFERENCES esim_admin.promotional_codes (id),
  ADD FOREIGN KEY (esim_id) REFERENCES esim_admin.esims (id);
VACUUM ANALYZE;
