-- =============================================================================
-- esim_admin sample data: a small panel in use, loaded by the project's owner
-- after CREATE EXTENSION esim_admin (the rules' triggers run on every row).
-- Two plans with prices in force and eSIM stock, a provider with a pool, a
-- promotional code, a customer with a completed purchase (an eSIM assigned),
-- a support ticket, settings and a published article.
-- =============================================================================

-- The panel's people sign up through Supabase Auth; the sign-up trigger
-- makes their panel users.
INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES
  ('ea000000-0000-4000-8000-000000000001', 'ops@esim-admin.example', '{"first_name": "Olga", "last_name": "Ops"}'),
  ('ea000000-0000-4000-8000-000000000002', 'traveller@esim-admin.example', '{"first_name": "Tom", "last_name": "Traveller"}');
UPDATE users SET role = 'admin' WHERE id = 'ea000000-0000-4000-8000-000000000001';

INSERT INTO plans (id, name, description, validity_days, data_limit_mb) VALUES
  ('ea000000-0000-4000-9000-000000000001', 'Europe 10GB', '10 GB across 30 European countries', 30, 10240),
  ('ea000000-0000-4000-9000-000000000002', 'World 3GB', '3 GB in 120 countries', 15, 3072);
INSERT INTO plan_pricing (plan_id, cost_price, selling_price, effective_from) VALUES
  ('ea000000-0000-4000-9000-000000000001', 9.00, 15.99, now() - interval '10 days'),
  ('ea000000-0000-4000-9000-000000000002', 6.50, 11.49, now() - interval '10 days');
INSERT INTO esims (iccid, plan_id)
  SELECT '8944' || lpad(i::text, 15, '0'), CASE WHEN i % 2 = 0 THEN 'ea000000-0000-4000-9000-000000000001'
                                                ELSE 'ea000000-0000-4000-9000-000000000002' END::uuid
    FROM generate_series(1, 10) i;
INSERT INTO promotional_codes (id, code, discount_type, discount_value, max_uses, valid_from, valid_to) VALUES
  ('ea000000-0000-4000-a000-000000000001', 'SUMMER15', 'percentage', 15, 500, now() - interval '10 days', now() + interval '80 days');

-- The traveller bought the Europe plan with the code; the payment webhook
-- completed it (an eSIM of the plan assigned and activated).
INSERT INTO transactions (id, user_id, plan_id, amount, payment_method, promo_code_id, discount_amount, total_amount)
  VALUES ('ea000000-0000-4000-b000-000000000001', 'ea000000-0000-4000-8000-000000000002',
          'ea000000-0000-4000-9000-000000000001', 15.99, 'credit_card', 'ea000000-0000-4000-a000-000000000001', 2.40, 13.59);
UPDATE transactions SET status = 'completed', payment_gateway = 'stripe', gateway_transaction_id = 'pi_sample_1'
 WHERE id = 'ea000000-0000-4000-b000-000000000001';

INSERT INTO support_tickets (id, user_id, subject, description) VALUES
  ('ea000000-0000-4000-c000-000000000001', 'ea000000-0000-4000-8000-000000000002', 'Activation', 'How do I install the eSIM?');
INSERT INTO knowledge_base (title, slug, content, is_published) VALUES
  ('Installing your eSIM', 'installing-your-esim', 'Scan the QR code from Settings > Mobile data > Add eSIM.', true);
INSERT INTO system_settings (key, value, data_type, is_public) VALUES
  ('support.email', 'help@esim-admin.example', 'string', true);
