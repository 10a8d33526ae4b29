-- Purchases, promotional codes, totals, the transaction status machine,
-- eSIM assignment, refunds, plan prices and markups.
BEGIN;
SELECT plan(36);
\ir fixtures/world.psql

-- A purchase at the price in force, with the code redeemed.
SELECT test_helpers.become_user(:'cust_b');
SELECT id AS tx_b, amount, discount_amount, total_amount, status::text AS status
  FROM purchase(:'plan', 'paypal', :'promo_code') \gset
SELECT test_helpers.become('none');
SELECT is(:'amount'::numeric, 12.00, 'the amount is the selling price in force');
SELECT is(:'discount_amount'::numeric, 3.00, '25 % of 12.00 is 3.00');
SELECT is(:'total_amount'::numeric, 9.00, 'total = amount - discount + tax');
SELECT is(:'status'::text, 'pending', 'a purchase starts pending');
SELECT is((SELECT used_count FROM promotional_codes WHERE id = :'promo'), 1, 'the code''s use is counted');

-- Client-sent figures do not stick.
SELECT is(test_helpers.outcome(format('UPDATE transactions SET amount = 1 WHERE id = %L', :'tx_b')), '55000',
          'the amount of a recorded transaction cannot change');
SELECT is(test_helpers.outcome(format('UPDATE transactions SET status = ''refunded'' WHERE id = %L', :'tx_b')), '55000',
          'pending -> refunded is refused (refunds do that)');
INSERT INTO transactions (user_id, plan_id, amount, tax_amount, discount_amount, payment_method, total_amount, status)
  VALUES (:'cust_b', :'plan', 20.00, 1.55, 0.50, 'bank_transfer', 999, 'pending') RETURNING id AS tx_manual, total_amount AS manual_total \gset
SELECT is(:'manual_total'::numeric, 21.05, 'total_amount is computed (20.00 - 0.50 + 1.55), whatever was sent');
SELECT is(test_helpers.outcome(format(
  'INSERT INTO transactions (user_id, plan_id, amount, discount_amount, payment_method, total_amount) VALUES (%L, %L, 5, 6, ''paypal'', 0)', :'cust_b', :'plan')),
  '23514', 'a discount above the amount is refused');
SELECT is(test_helpers.outcome(format(
  'INSERT INTO transactions (user_id, plan_id, amount, payment_method, total_amount, status) VALUES (%L, %L, 5, ''paypal'', 0, ''refunded'')', :'cust_b', :'plan')),
  '55000', 'a transaction is not born refunded');

-- Completion assigns an eSIM of the plan, exactly once.
UPDATE transactions SET status = 'completed' WHERE id = :'tx_b';
SELECT isnt((SELECT esim_id FROM transactions WHERE id = :'tx_b'), NULL, 'completing assigns an eSIM');
SELECT is((SELECT e.user_id FROM esims e JOIN transactions t ON t.esim_id = e.id WHERE t.id = :'tx_b'), :'cust_b'::uuid,
          'to the buyer');
SELECT is((SELECT e.status::text FROM esims e JOIN transactions t ON t.esim_id = e.id WHERE t.id = :'tx_b'), 'active',
          'and activates it');
SELECT is((SELECT e.expires_at - e.activated_at FROM esims e JOIN transactions t ON t.esim_id = e.id WHERE t.id = :'tx_b'),
          interval '30 days', 'expires_at = activated_at + the plan''s validity');
SELECT isnt((SELECT completed_at FROM transactions WHERE id = :'tx_b'), NULL, 'completed_at is set');
SELECT is(test_helpers.outcome(format('UPDATE transactions SET status = ''pending'' WHERE id = %L', :'tx_b')), '55000',
          'completed -> pending is refused');
SELECT is(test_helpers.outcome(format('UPDATE transactions SET esim_id = %L WHERE id = %L', :'esim_a', :'tx_b')), '55000',
          'the assigned eSIM cannot change');
SELECT is(test_helpers.outcome(format('UPDATE transactions SET status = ''completed'' WHERE id = %L', :'tx_manual')), 'ok:1',
          'a second purchase takes the next eSIM');
UPDATE transactions SET status = 'completed' WHERE id = :'tx_manual';
INSERT INTO transactions (user_id, plan_id, amount, payment_method, total_amount) VALUES (:'cust_b', :'plan', 1, 'paypal', 0)
  RETURNING id AS tx_nostock \gset
SELECT is(test_helpers.outcome(format('UPDATE transactions SET status = ''completed'' WHERE id = %L', :'tx_nostock')), '55000',
          'no eSIM in stock: the purchase cannot complete');
SELECT is(test_helpers.outcome(format('UPDATE transactions SET status = ''cancelled'' WHERE id = %L', :'tx_nostock')), 'ok:1',
          'pending -> cancelled');

-- Promotional codes: exhausted, window, plans.
SELECT test_helpers.become_user(:'cust_a');
SELECT is(test_helpers.outcome(format('SELECT * FROM purchase(%L, ''paypal'', %L)', :'plan', :'promo_code')), 'ok:1',
          'the code''s second (last) use');
SELECT * FROM purchase(:'plan', 'paypal', :'promo_code');
SELECT is(test_helpers.outcome(format('SELECT * FROM purchase(%L, ''paypal'', %L)', :'plan', :'promo_code')), '55000',
          'a third use is refused');
SELECT test_helpers.become('none');
SELECT is((SELECT used_count FROM promotional_codes WHERE id = :'promo'),
          (SELECT count(*)::int FROM transactions WHERE promo_code_id = :'promo' AND status IN ('pending', 'completed', 'refunded')),
          'used_count equals the transactions holding a use');
UPDATE transactions SET status = 'failed' WHERE promo_code_id = :'promo' AND status = 'pending';
SELECT is((SELECT used_count FROM promotional_codes WHERE id = :'promo'), 1, 'a failed purchase gives its use back');
INSERT INTO promotional_codes (code, discount_type, discount_value, valid_from, valid_to, applicable_plans)
  VALUES ('ONLY' || substr(md5(random()::text), 1, 6), 'fixed_amount', 50, now() - interval '1 day', now() + interval '1 day',
          jsonb_build_array(:'plan2')) RETURNING code AS only_code \gset
INSERT INTO promotional_codes (code, discount_type, discount_value, valid_from, valid_to)
  VALUES ('LATE' || substr(md5(random()::text), 1, 6), 'fixed_amount', 50, now() + interval '1 day', now() + interval '2 days')
  RETURNING code AS late_code \gset
SELECT test_helpers.become_user(:'cust_a');
SELECT is(test_helpers.outcome(format('SELECT * FROM purchase(%L, ''paypal'', %L)', :'plan', :'only_code')), '55000',
          'a code for other plans is refused');
SELECT is(test_helpers.outcome(format('SELECT * FROM purchase(%L, ''paypal'', %L)', :'plan', :'late_code')), '55000',
          'a code before its window is refused');
SELECT test_helpers.become('none');
UPDATE promotional_codes SET applicable_plans = NULL WHERE code = :'only_code';
SELECT test_helpers.become_user(:'cust_a');
SELECT is((SELECT total_amount FROM purchase(:'plan', 'paypal', :'only_code')), 0.00,
          'a fixed discount above the price makes the total zero, never negative');
SELECT test_helpers.become('none');

-- Refunds.
SELECT is(test_helpers.outcome(format('INSERT INTO refunds (transaction_id, amount) VALUES (%L, 9.01)', :'tx_b')), '55000',
          'a refund above the total is refused');
INSERT INTO refunds (transaction_id, amount, status) VALUES (:'tx_b', 4.00, 'processed');
SELECT is((SELECT status::text FROM transactions WHERE id = :'tx_b'), 'completed', 'a partial refund leaves it completed');
INSERT INTO refunds (transaction_id, amount, status) VALUES (:'tx_b', 5.00, 'pending') RETURNING id AS refund2 \gset
UPDATE refunds SET status = 'processed' WHERE id = :'refund2';
SELECT is((SELECT status::text FROM transactions WHERE id = :'tx_b'), 'refunded', 'a full refund marks the transaction refunded');
SELECT is((SELECT count(*)::int FROM audit_log WHERE table_name = 'refunds'
             AND row_id IN (SELECT id FROM refunds WHERE transaction_id = :'tx_b')), 3, 'each refund and its processing is audited');

-- Prices.
SELECT is(test_helpers.outcome(format(
  'INSERT INTO plan_pricing (plan_id, cost_price, selling_price, markup_percentage, effective_from) VALUES (%L, 3, 4, 33.34, ''2030-01-01'')', :'plan2')),
  '23514', 'a markup that does not match cost and selling price is refused');
SELECT is(test_helpers.outcome(format(
  'INSERT INTO plan_pricing (plan_id, cost_price, selling_price, effective_from) VALUES (%L, 3, 4, now())', :'plan')),
  '23P01', 'a second price in force for the same plan and region is refused');

-- Provider pools.
INSERT INTO data_providers (name, api_endpoint, api_key_encrypted, available_data_gb, priority)
  VALUES ('Pool', 'https://pool.example', 'k', 1.00, 2) RETURNING id AS pool \gset
INSERT INTO data_allocations (esim_id, provider_id, allocated_mb, cost) VALUES (:'esim_a', :'pool', 1000, 1);
SELECT is(test_helpers.outcome(format('INSERT INTO data_allocations (esim_id, provider_id, allocated_mb, cost) VALUES (%L, %L, 24, 1)', :'esim_a', :'pool')),
          'ok:1', 'allocations up to the pool''s 1 GB (1024 MB) go through');
SELECT is(test_helpers.outcome(format('INSERT INTO data_allocations (esim_id, provider_id, allocated_mb, cost) VALUES (%L, %L, 24.01, 1)', :'esim_a', :'pool')),
          '55000', 'one beyond it is refused');
SELECT is((SELECT name::text FROM provider_failover WHERE id = :'pool'), 'Pool', 'active providers are listed in failover order');

SELECT * FROM finish();
ROLLBACK;
