-- Orders, commission and the earnings lifecycle; partner and customer figures
-- checked against hand-computed values and against the reconcile oracle.
BEGIN;
SELECT plan(74);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_a', 'user_b', 'user_c', 'user_d', 'partner_a', 'partner_b', 'partner_d',
                       'customer_a1', 'customer_a2', 'customer_b1', 'group_a1', 'group_b1', 'order_1',
                       'order_2', 'order_3', 'order_4', 'partner_unknown');

-- Fixtures: partners A (default 5 %) and B (custom 7.50 %), a suspended
-- partner S, a B2C customer, customers and groups of A and B.
INSERT INTO auth.users (id, email) VALUES
  (pg_temp.id('user_a'), 'a@agency.test'),
  (pg_temp.id('user_b'), 'b@agency.test'),
  (pg_temp.id('user_c'), 'c@shop.test'),
  (pg_temp.id('user_d'), 's@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email, custom_commission_rate, status) VALUES
  (pg_temp.id('partner_a'), pg_temp.id('user_a'), 'Agency A', 'a@agency.test', NULL, 'active'),
  (pg_temp.id('partner_b'), pg_temp.id('user_b'), 'Agency B', 'b@agency.test', 7.50, 'active'),
  (pg_temp.id('partner_d'), pg_temp.id('user_d'), 'Agency S', 's@agency.test', NULL, 'suspended');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email, phone) VALUES
  (pg_temp.id('customer_a1'), pg_temp.id('partner_a'), 'Aziza', 'Karimova', 'aziza@example.com', '+998901111111'),
  (pg_temp.id('customer_a2'), pg_temp.id('partner_a'), 'Jahongir', 'Xasanov', 'jahongir@example.com', NULL),
  (pg_temp.id('customer_b1'), pg_temp.id('partner_b'), 'Bobur', 'Aliyev', 'bobur@example.com', NULL);
INSERT INTO customer_groups (id, partner_id, name) VALUES
  (pg_temp.id('group_a1'), pg_temp.id('partner_a'), 'Antalya'),
  (pg_temp.id('group_b1'), pg_temp.id('partner_b'), 'Dubai');

CREATE TEMP VIEW pa AS SELECT * FROM partners WHERE id = pg_temp.id('partner_a');
CREATE TEMP VIEW pb AS SELECT * FROM partners WHERE id = pg_temp.id('partner_b');
CREATE TEMP VIEW drift AS SELECT * FROM onesim_internal.reconcile();

-- 1. A B2B order: the database sets rate and amounts; client values are ignored.
INSERT INTO orders (id, user_id, source_type, partner_id, end_customer_id, package_code,
                    price_usd, price_uzs, commission_applicable, commission_rate,
                    commission_amount_usd, commission_amount_uzs, paid_amount_usd)
VALUES (pg_temp.id('order_1'), pg_temp.id('user_a'),
        'b2b_partner', pg_temp.id('partner_a'), pg_temp.id('customer_a1'),
        'TR-5GB', 19.00, 240000, false, 99, 999, 999, 0);
SELECT results_eq(
  $$SELECT commission_applicable, commission_rate, commission_amount_usd, commission_amount_uzs,
           paid_amount_usd, paid_amount_uzs, end_customer_type
      FROM orders WHERE id = pg_temp.id('order_1')$$,
  $$VALUES (true, 5.00::numeric, 0.9500::numeric, 12000.00::numeric, 18.0500::numeric,
            228000.00::numeric, 'b2b_partner_customer'::end_customer_type)$$,
  'B2B order: rate from the partner, amounts computed, client values overwritten');
SELECT results_eq(
  $$SELECT customer_first_name, customer_last_name, customer_email, customer_phone
      FROM orders WHERE id = pg_temp.id('order_1')$$,
  $$VALUES ('Aziza'::varchar, 'Karimova'::varchar, 'aziza@example.com'::varchar, '+998901111111'::varchar)$$,
  'customer details are copied from the partner customer');
SELECT results_eq($$SELECT status, commission_amount_usd, earned_at IS NULL FROM partner_earnings
                     WHERE order_id = pg_temp.id('order_1')$$,
  $$VALUES ('pending'::earning_status, 0.9500::numeric, true)$$, 'a new order has a pending earning');
SELECT results_eq($$SELECT total_orders, pending_earnings, total_earnings, balance, last_order_at IS NOT NULL FROM pa$$,
  $$VALUES (1, 0.9500::numeric, 0.0000::numeric, 0.0000::numeric, true)$$, 'partner A: 1 order, 0.95 pending');
SELECT results_eq($$SELECT total_orders, total_spent FROM partner_customers WHERE id = pg_temp.id('customer_a1')$$,
  $$VALUES (1, 19.0000::numeric)$$, 'Aziza: 1 order, 19.00 spent');

-- 2. Allocation earns; a repeated allocation changes nothing.
UPDATE orders SET order_status = 'ALLOCATED', iccid = '8901000000000000001' WHERE id = pg_temp.id('order_1');
SELECT results_eq($$SELECT status, earned_at IS NOT NULL FROM partner_earnings WHERE order_id = pg_temp.id('order_1')$$,
  $$VALUES ('earned'::earning_status, true)$$, 'allocation: pending -> earned');
SELECT results_eq($$SELECT pending_earnings, total_earnings, balance FROM pa$$,
  $$VALUES (0.0000::numeric, 0.9500::numeric, 0.9500::numeric)$$, 'partner A: 0.95 earned, in balance');
SELECT isnt((SELECT allocated_at FROM orders WHERE id = pg_temp.id('order_1')), NULL, 'allocated_at is stamped');
UPDATE orders SET order_status = 'ALLOCATED', qr_code_url = 'https://qr' WHERE id = pg_temp.id('order_1');
SELECT is((SELECT count(*)::int FROM partner_earnings WHERE order_id = pg_temp.id('order_1')), 1, 're-allocation: still exactly one earning');
SELECT results_eq($$SELECT total_earnings, balance FROM pa$$, $$VALUES (0.9500::numeric, 0.9500::numeric)$$, 're-allocation: totals unchanged');

-- 3. Commission cannot be tampered with on update.
UPDATE orders SET commission_amount_usd = 500, commission_rate = 50, commission_applicable = false, paid_amount_usd = 0
 WHERE id = pg_temp.id('order_1');
SELECT results_eq($$SELECT commission_applicable, commission_rate, commission_amount_usd, paid_amount_usd FROM orders WHERE id = pg_temp.id('order_1')$$,
  $$VALUES (true, 5.00::numeric, 0.9500::numeric, 18.0500::numeric)$$, 'commission columns keep their purchase-time values');
-- A later change of the partner's rate does not rewrite history.
UPDATE partners SET custom_commission_rate = 10 WHERE id = pg_temp.id('partner_a');
UPDATE orders SET notes = 'vip' WHERE id = pg_temp.id('order_1');
SELECT is((SELECT commission_amount_usd FROM orders WHERE id = pg_temp.id('order_1')), 0.9500, 'rate change: existing order keeps its commission');
UPDATE partners SET custom_commission_rate = NULL WHERE id = pg_temp.id('partner_a');

-- 4. Payout, then refund: the commission is clawed back.
UPDATE partner_earnings SET status = 'paid', paid_out = true, paid_at = now() WHERE order_id = pg_temp.id('order_1');
SELECT results_eq($$SELECT total_earnings, balance FROM pa$$, $$VALUES (0.9500::numeric, 0.0000::numeric)$$, 'paid: lifetime total kept, balance settled');
UPDATE orders SET order_status = 'REFUNDED' WHERE id = pg_temp.id('order_1');
SELECT results_eq($$SELECT status, paid_out, cancelled_at IS NOT NULL FROM partner_earnings WHERE order_id = pg_temp.id('order_1')$$,
  $$VALUES ('cancelled'::earning_status, true, true)$$, 'refund after payout: earning cancelled, paid_out kept');
SELECT results_eq($$SELECT total_earnings, balance, pending_earnings FROM pa$$,
  $$VALUES (0.0000::numeric, -0.9500::numeric, 0.0000::numeric)$$, 'refund after payout: taken back, balance owes 0.95');
SELECT is((SELECT total_spent FROM partner_customers WHERE id = pg_temp.id('customer_a1')), 0.0000, 'refunded order no longer counts as spent');
SELECT is((SELECT total_orders FROM partner_customers WHERE id = pg_temp.id('customer_a1')), 1, 'but it is still an order');
SELECT isnt((SELECT refunded_at FROM orders WHERE id = pg_temp.id('order_1')), NULL, 'refunded_at is stamped');
-- Re-allocation after a clawback undoes the clawback, and nothing more.
UPDATE orders SET order_status = 'ALLOCATED' WHERE id = pg_temp.id('order_1');
SELECT results_eq($$SELECT status FROM partner_earnings WHERE order_id = pg_temp.id('order_1')$$,
  $$VALUES ('paid'::earning_status)$$, 're-allocated after clawback: paid again, not earned twice');
SELECT results_eq($$SELECT total_earnings, balance FROM pa$$, $$VALUES (0.9500::numeric, 0.0000::numeric)$$, 'balance back to 0');

-- 5. Cancel before allocation; reopen.
INSERT INTO orders (id, user_id, source_type, partner_id, end_customer_id, package_code, price_usd)
VALUES (pg_temp.id('order_2'), pg_temp.id('user_a'), 'b2b_partner',
        pg_temp.id('partner_a'), pg_temp.id('customer_a2'), 'TR-5GB', 10.00);
SELECT is((SELECT pending_earnings FROM pa), 0.5000, 'second order pending 0.50');
UPDATE orders SET order_status = 'CANCELLED' WHERE id = pg_temp.id('order_2');
SELECT is((SELECT status FROM partner_earnings WHERE order_id = pg_temp.id('order_2')), 'cancelled', 'cancelled before allocation');
SELECT results_eq($$SELECT pending_earnings, balance FROM pa$$, $$VALUES (0.0000::numeric, 0.0000::numeric)$$, 'nothing pending, nothing owed');
UPDATE orders SET order_status = 'PENDING' WHERE id = pg_temp.id('order_2');
SELECT results_eq($$SELECT status, cancelled_at FROM partner_earnings WHERE order_id = pg_temp.id('order_2')$$,
  $$VALUES ('pending'::earning_status, NULL::timestamptz)$$, 'reopened: pending again');
-- Allocation from FAILED (an earlier provider failure) earns too.
UPDATE orders SET order_status = 'FAILED' WHERE id = pg_temp.id('order_2');
UPDATE orders SET order_status = 'ALLOCATED' WHERE id = pg_temp.id('order_2');
SELECT is((SELECT status FROM partner_earnings WHERE order_id = pg_temp.id('order_2')), 'earned', 'FAILED -> ALLOCATED earns');

-- 6. A price edit recomputes the commission and the earning follows.
UPDATE orders SET price_usd = 20.00 WHERE id = pg_temp.id('order_2');
SELECT results_eq($$SELECT o.commission_amount_usd, e.commission_amount_usd, e.order_amount_usd FROM orders o JOIN partner_earnings e ON e.order_id = o.id WHERE o.id = pg_temp.id('order_2')$$,
  $$VALUES (1.0000::numeric, 1.0000::numeric, 20.0000::numeric)$$, 'price edit: commission 1.00, earning follows');
SELECT is((SELECT total_earnings FROM pa), 1.9500, 'partner total follows the price edit');

-- 7. Moving an order to partner B moves its figures and re-rates it.
UPDATE orders SET partner_id = pg_temp.id('partner_b'), end_customer_id = pg_temp.id('customer_b1'),
                  customer_first_name = NULL
 WHERE id = pg_temp.id('order_2');
SELECT results_eq($$SELECT commission_rate, commission_amount_usd, customer_first_name FROM orders WHERE id = pg_temp.id('order_2')$$,
  $$VALUES (7.50::numeric, 1.5000::numeric, 'Bobur'::varchar)$$, 'moved to B: B''s rate, B''s customer');
SELECT results_eq($$SELECT partner_id, commission_amount_usd FROM partner_earnings WHERE order_id = pg_temp.id('order_2')$$,
  $$VALUES (pg_temp.id('partner_b'), 1.5000::numeric)$$, 'the earning moved with it');
SELECT results_eq($$SELECT total_orders, total_earnings FROM pa$$, $$VALUES (1, 0.9500::numeric)$$, 'A lost the order and its earning');
SELECT results_eq($$SELECT total_orders, total_earnings, balance FROM pb$$, $$VALUES (1, 1.5000::numeric, 1.5000::numeric)$$, 'B gained both');
SELECT results_eq($$SELECT total_orders, total_spent, last_order_at FROM partner_customers WHERE id = pg_temp.id('customer_a2')$$,
  $$VALUES (0, 0.0000::numeric, NULL::timestamptz)$$, 'Jahongir lost the order; last_order_at recounted');
SELECT is((SELECT total_orders FROM partner_customers WHERE id = pg_temp.id('customer_b1')), 1, 'Bobur gained it');

-- 8. Validation, with SQLSTATEs; nothing half-written.
SELECT throws_ok($$INSERT INTO orders (user_id, source_type, partner_id, end_customer_id, package_code, price_usd)
  VALUES (pg_temp.id('user_a'), 'b2b_partner', pg_temp.id('partner_a'), pg_temp.id('customer_b1'), 'X', 5)$$,
  '23503', NULL, 'another partner''s customer is refused');
SELECT throws_ok($$INSERT INTO orders (user_id, source_type, partner_id, customer_group_id, package_code, price_usd)
  VALUES (pg_temp.id('user_a'), 'b2b_partner', pg_temp.id('partner_a'), pg_temp.id('group_b1'), 'X', 5)$$,
  '23503', NULL, 'another partner''s group is refused');
SELECT throws_ok($$INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
  VALUES (pg_temp.id('user_c'), 'b2c', pg_temp.id('partner_a'), 'X', 5)$$,
  '23514', 'a b2c order cannot name a partner', 'b2c with a partner is refused');
SELECT throws_ok($$INSERT INTO orders (user_id, source_type, package_code, price_usd)
  VALUES (pg_temp.id('user_a'), 'b2b_partner', 'X', 5)$$,
  '23502', 'a b2b_partner order needs partner_id', 'b2b without a partner is refused');
SELECT throws_ok($$INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
  VALUES (pg_temp.id('user_d'), 'b2b_partner', pg_temp.id('partner_d'), 'X', 5)$$,
  '55000', NULL, 'a suspended partner cannot order');
SELECT throws_ok($$INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
  VALUES (pg_temp.id('user_a'), 'b2b_partner', pg_temp.id('partner_unknown'), 'X', 5)$$,
  '23503', NULL, 'an unknown partner is refused');
SELECT throws_ok($$INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
  VALUES (pg_temp.id('user_a'), 'b2b_partner', pg_temp.id('partner_a'), 'X', 'NaN')$$,
  '22023', NULL, 'a NaN price is refused');
SELECT throws_ok($$INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
  VALUES (pg_temp.id('user_a'), 'b2b_partner', pg_temp.id('partner_a'), 'X', -1)$$,
  '22023', NULL, 'a negative price is refused');
-- order_status is an enum (1.2): a value outside it is malformed input, 22P02
SELECT throws_ok($$UPDATE orders SET order_status = 'LOST' WHERE id = pg_temp.id('order_2')$$,
  '22P02', NULL, 'an unknown status is refused');
SELECT throws_ok($$UPDATE orders SET order_status = 'allocated' WHERE id = pg_temp.id('order_2')$$,
  '22P02', NULL, 'a status in the wrong case is refused');
SELECT throws_ok($$INSERT INTO orders (user_id, source_type, end_customer_type, package_code, price_usd)
  VALUES (pg_temp.id('user_c'), 'admin', 'b2b_partner_customer', 'X', 5)$$,
  '23514', NULL, 'a partner customer needs a partner');
SELECT is((SELECT count(*)::int FROM orders WHERE user_id IN (pg_temp.id('user_a'),
             pg_temp.id('user_b'), pg_temp.id('user_c'),
             pg_temp.id('user_d'))), 2, 'failed statements left no order behind');
SELECT is_empty('SELECT * FROM drift', 'no drift after the hand-checked story');

-- 9. B2C and admin orders carry no commission.
INSERT INTO orders (id, user_id, source_type, package_code, price_usd, price_uzs, commission_applicable, commission_rate)
VALUES (pg_temp.id('order_3'), pg_temp.id('user_c'), 'b2c', 'TR-5GB', 19.00, 240000, true, 5);
SELECT results_eq($$SELECT commission_applicable, commission_rate, paid_amount_usd, end_customer_type, end_customer_id FROM orders WHERE id = pg_temp.id('order_3')$$,
  $$VALUES (false, NULL::numeric, 19.0000::numeric, 'b2c'::end_customer_type, pg_temp.id('user_c'))$$,
  'B2C: no commission, end customer is the buyer');
SELECT is((SELECT count(*)::int FROM partner_earnings WHERE order_id = pg_temp.id('order_3')), 0, 'B2C: no earning');
INSERT INTO orders (id, user_id, source_type, partner_id, package_code, price_usd, order_status)
VALUES (pg_temp.id('order_4'), pg_temp.id('user_c'), 'admin', pg_temp.id('partner_a'), 'TR-5GB', 30.00, 'ALLOCATED');
SELECT results_eq($$SELECT status, commission_amount_usd FROM partner_earnings WHERE order_id = pg_temp.id('order_4')$$,
  $$VALUES ('earned'::earning_status, 1.5000::numeric)$$, 'admin order for a partner, inserted allocated: earned at once');
-- A partner order turned into a plain admin order loses its commission.
UPDATE orders SET partner_id = NULL WHERE id = pg_temp.id('order_4');
SELECT results_eq($$SELECT status FROM partner_earnings WHERE order_id = pg_temp.id('order_4')$$,
  $$VALUES ('cancelled'::earning_status)$$, 'partner removed: earning cancelled');
SELECT is_empty('SELECT * FROM drift', 'no drift after partner removal');

-- 10. Deleting orders: figures drop, earnings go.
DELETE FROM orders WHERE id = pg_temp.id('order_2');
SELECT results_eq($$SELECT total_orders, total_earnings, balance FROM pb$$, $$VALUES (0, 0.0000::numeric, 0.0000::numeric)$$, 'delete: B back to zero');
SELECT is_empty('SELECT * FROM drift', 'no drift after delete');

-- 11. Bulk statements across partners, customers and statuses.
-- (The audit trail the database holds already, for 12b.)
SELECT count(*) FILTER (WHERE action = 'allocated' AND old_status = 'PENDING') AS allocated_logs_before,
       count(*) FILTER (WHERE action = 'created') AS created_logs_before
  FROM order_action_logs \gset
INSERT INTO orders (user_id, source_type, partner_id, end_customer_id, package_code, price_usd, price_uzs, order_status)
SELECT pg_temp.id('user_a'), 'b2b_partner',
       CASE WHEN i % 3 = 0 THEN pg_temp.id('partner_b') ELSE pg_temp.id('partner_a') END,
       CASE WHEN i % 3 = 0 THEN pg_temp.id('customer_b1')
            WHEN i % 3 = 1 THEN pg_temp.id('customer_a1') ELSE NULL END,
       'BULK', (i % 97) + 0.99, ((i % 97) + 1) * 12650,
       (ARRAY['PENDING','PROCESSING','ALLOCATED','FAILED','CANCELLED','REFUNDED']::order_status[])[1 + i % 6]
  FROM generate_series(1, 3000) AS i;
SELECT is((SELECT count(*)::int FROM partner_earnings e JOIN orders o ON o.id = e.order_id WHERE o.package_code = 'BULK'), 1500,
  'bulk insert: an earning for every live commissionable order, none for dead ones');
SELECT is_empty('SELECT * FROM drift', 'no drift after a bulk insert of 3000 orders');
UPDATE orders SET order_status = CASE order_status WHEN 'PENDING' THEN 'ALLOCATED' WHEN 'ALLOCATED' THEN 'REFUNDED'
                                   WHEN 'CANCELLED' THEN 'PROCESSING' ELSE order_status END
 WHERE package_code = 'BULK';
SELECT is_empty('SELECT * FROM drift', 'no drift after a bulk status change');
UPDATE orders SET partner_id = CASE WHEN partner_id = pg_temp.id('partner_a') THEN pg_temp.id('partner_b')
                                    ELSE pg_temp.id('partner_a') END,
                  end_customer_id = NULL, customer_group_id = NULL
 WHERE package_code = 'BULK' AND random() < 0.5;
SELECT is_empty('SELECT * FROM drift', 'no drift after bulk moves between partners');
SELECT is((SELECT count(*)::int FROM orders o WHERE o.commission_applicable AND NOT EXISTS (SELECT 1 FROM partner_earnings e WHERE e.order_id = o.id)
            AND o.order_status NOT IN ('FAILED','CANCELLED','REFUNDED')), 0, 'every live partner order has its earning');
DELETE FROM orders WHERE package_code = 'BULK' AND random() < 0.5;
SELECT is_empty('SELECT * FROM drift', 'no drift after a bulk delete');

-- 12b. The audit trail: one log row per order and event, with the actor.
SELECT is((SELECT count(*)::int FROM order_action_logs WHERE action = 'allocated' AND old_status = 'PENDING')
            - :allocated_logs_before, 500,
          'the bulk allocation of 500 pending orders left 500 log rows (kept after the orders were deleted)');
SELECT is((SELECT count(*)::int FROM order_action_logs WHERE action = 'created') - :created_logs_before, 0,
          'creating an order writes no log row: the order row records it');
SELECT results_eq($$SELECT action, old_status, new_status, changed_fields -> 'order_status' ->> 'new'
                      FROM order_action_logs WHERE order_id = pg_temp.id('order_1')
                       AND action IN ('allocated', 'refunded') ORDER BY created_at, action$$,
  $$VALUES ('allocated'::order_action, 'PENDING'::varchar, 'ALLOCATED'::varchar, 'ALLOCATED'),
           ('allocated', 'REFUNDED', 'ALLOCATED', 'ALLOCATED'),
           ('refunded', 'ALLOCATED', 'REFUNDED', 'REFUNDED')$$,
  'status changes are logged as their action, old and new status included');
SELECT ok(NOT EXISTS (SELECT 1 FROM order_action_logs WHERE action = 'updated' AND changed_fields ? 'updated_at'),
          'bookkeeping columns are not logged as changes');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_a')), true);
SELECT lives_ok($$SELECT onesim_internal.current_user_id()$$, 'partner A acts');
RESET ROLE;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_a')), true);
UPDATE orders SET notes = 'audited' WHERE id = pg_temp.id('order_1');
SELECT results_eq($$SELECT action, actor_user_id, actor_role, changed_fields -> 'notes' ->> 'new' FROM order_action_logs
                     WHERE order_id = pg_temp.id('order_1') AND changed_fields -> 'notes' ->> 'new' = 'audited'$$,
  $$VALUES ('updated'::order_action, pg_temp.id('user_a'), 'authenticated'::varchar, 'audited')$$,
  'the actor comes from the JWT claims');
SELECT set_config('request.jwt.claims', '', true);
CREATE TEMP TABLE last_state AS SELECT to_jsonb(o) AS row FROM orders o WHERE id = pg_temp.id('order_3');
DELETE FROM orders WHERE id = pg_temp.id('order_3');
SELECT results_eq($$SELECT action::text, changed_fields -> 'deleted' FROM order_action_logs
                     WHERE order_id = pg_temp.id('order_3') AND action = 'deleted'$$,
  $$SELECT 'deleted', row FROM last_state$$, 'a deleted order leaves its last state in the trail');

-- 12. Randomised statement sequences against the oracle.
CREATE TEMP TABLE seq_drift (step int, entity text, figure text);
DO $$
DECLARE
  statuses order_status[] := ARRAY['PENDING','PROCESSING','ALLOCATED','FAILED','CANCELLED','REFUNDED'];
  partners uuid[] := ARRAY[pg_temp.id('partner_a'), pg_temp.id('partner_b')]::uuid[];
BEGIN
  PERFORM setseed(0.42);
  FOR step IN 1..60 LOOP
    CASE (random() * 5)::int
      WHEN 0 THEN
        INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd, price_uzs, order_status)
        SELECT pg_temp.id('user_a'), 'b2b_partner', partners[1 + (random())::int], 'RND',
               round((random() * 50)::numeric, 4),
               CASE WHEN random() < 0.8 THEN round((random() * 600000)::numeric, 2) END,
               statuses[1 + (random() * 5)::int]
          FROM generate_series(1, 1 + (random() * 20)::int);
      WHEN 1 THEN
        UPDATE orders SET order_status = statuses[1 + (random() * 5)::int] WHERE random() < 0.3;
      WHEN 2 THEN
        UPDATE orders SET price_usd = round((random() * 50)::numeric, 4),
                          price_uzs = CASE WHEN random() < 0.8 THEN round((random() * 600000)::numeric, 2) END
         WHERE random() < 0.2;
      WHEN 3 THEN
        UPDATE orders SET partner_id = partners[1 + (random())::int], end_customer_id = NULL, customer_group_id = NULL
         WHERE source_type = 'b2b_partner' AND random() < 0.2;
      WHEN 4 THEN
        DELETE FROM orders WHERE package_code = 'RND' AND random() < 0.1;
      ELSE
        UPDATE partner_earnings SET status = 'paid', paid_out = true, paid_at = now()
         WHERE status = 'earned' AND random() < 0.5;
    END CASE;
    INSERT INTO seq_drift SELECT step, entity, figure FROM onesim_internal.reconcile();
  END LOOP;
END $$;
SELECT is_empty('SELECT * FROM seq_drift', 'no drift after any of 60 random statements');

-- 13. TRUNCATE leaves no drift; repair fixes tampering.
UPDATE partners SET total_orders = total_orders + 7 WHERE id = pg_temp.id('partner_a');
SELECT is((SELECT count(*)::int FROM onesim_internal.reconcile()), 1, 'reconcile reports a tampered counter');
SELECT is((SELECT count(*)::int FROM onesim_internal.reconcile(true)), 1, 'reconcile(true) reports and repairs it');
SELECT is_empty('SELECT * FROM drift', 'repaired');
UPDATE partners SET allocated_orders = allocated_orders + 1, pending_orders = pending_orders + 2,
                    allocated_spent_usd = allocated_spent_usd + 0.0001, allocated_spent_uzs = allocated_spent_uzs + 0.01
 WHERE id = pg_temp.id('partner_b');
SELECT is((SELECT array_agg(figure ORDER BY figure)::text FROM onesim_internal.reconcile(true)),
  '{allocated_orders,allocated_spent_usd,allocated_spent_uzs,pending_orders}',
  'reconcile reports and repairs every dashboard figure');
SELECT is_empty('SELECT * FROM drift', 'dashboard figures repaired');
TRUNCATE orders CASCADE;
SELECT results_eq($$SELECT total_orders, total_earnings, pending_earnings, balance, last_order_at,
                            allocated_orders, pending_orders, allocated_spent_usd, allocated_spent_uzs FROM pa$$,
  $$VALUES (0, 0.0000::numeric, 0.0000::numeric, 0.0000::numeric, NULL::timestamptz, 0, 0, 0.0000::numeric, 0.00::numeric)$$,
  'TRUNCATE: partner figures back to zero');
SELECT is_empty('SELECT * FROM drift', 'no drift after TRUNCATE');

SELECT * FROM finish();
ROLLBACK;
