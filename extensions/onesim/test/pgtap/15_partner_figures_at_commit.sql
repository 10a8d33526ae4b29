-- onesim.partner_figures = at_commit (the default): a transaction's partner
-- figures are collected and written just before commit, or when flushed;
-- a rolled-back subtransaction's share is discarded.
BEGIN;
SELECT plan(14);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_e1', 'partner_e1');
SET LOCAL onesim.partner_figures = at_commit;

INSERT INTO auth.users (id, email) VALUES (pg_temp.id('user_e1'), 'e1@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  (pg_temp.id('partner_e1'), pg_temp.id('user_e1'), 'Deferred', 'e1@agency.test');
CREATE TEMP VIEW pe AS SELECT total_orders, pending_earnings, total_earnings, balance
  FROM partners WHERE id = pg_temp.id('partner_e1');

INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
SELECT pg_temp.id('user_e1'), 'b2b_partner', pg_temp.id('partner_e1'), 'AC', 10
  FROM generate_series(1, 3);
SELECT results_eq('SELECT * FROM pe', $$VALUES (0, 0.0000::numeric, 0.0000::numeric, 0.0000::numeric)$$,
  'figures are not written yet: the partner row is not locked by this transaction');
SELECT is((SELECT count(*)::int FROM partner_earnings WHERE partner_id = pg_temp.id('partner_e1')), 3,
  'earnings are written at once');

SELECT onesim_internal.flush_partner_figures();
SELECT results_eq('SELECT * FROM pe', $$VALUES (3, 1.5000::numeric, 0.0000::numeric, 0.0000::numeric)$$,
  'flushed: 3 orders, 1.50 pending');
SELECT onesim_internal.flush_partner_figures();
SELECT results_eq('SELECT * FROM pe', $$VALUES (3, 1.5000::numeric, 0.0000::numeric, 0.0000::numeric)$$,
  'a second flush writes nothing twice');

-- A savepoint rolled back takes its deltas with it.
SAVEPOINT s1;
INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
VALUES (pg_temp.id('user_e1'), 'b2b_partner', pg_temp.id('partner_e1'), 'AC', 100);
ROLLBACK TO SAVEPOINT s1;
SELECT onesim_internal.flush_partner_figures();
SELECT results_eq('SELECT * FROM pe', $$VALUES (3, 1.5000::numeric, 0.0000::numeric, 0.0000::numeric)$$,
  'rolled-back savepoint: its order is not counted');

-- A released savepoint keeps them; nested levels merge.
SAVEPOINT s2;
UPDATE orders SET order_status = 'ALLOCATED' WHERE partner_id = pg_temp.id('partner_e1');
SAVEPOINT s3;
INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
VALUES (pg_temp.id('user_e1'), 'b2b_partner', pg_temp.id('partner_e1'), 'AC', 20);
RELEASE SAVEPOINT s3;
SAVEPOINT s4;
DELETE FROM orders WHERE partner_id = pg_temp.id('partner_e1') AND price_usd = 20;
ROLLBACK TO SAVEPOINT s4;
RELEASE SAVEPOINT s2;
SELECT results_eq('SELECT * FROM pe', $$VALUES (3, 1.5000::numeric, 0.0000::numeric, 0.0000::numeric)$$,
  'still pending before the flush');
SELECT is_empty('SELECT * FROM onesim_internal.reconcile()', 'reconcile flushes first: no drift');
SELECT results_eq('SELECT * FROM pe', $$VALUES (4, 1.0000::numeric, 1.5000::numeric, 1.5000::numeric)$$,
  'released savepoints kept: 4 orders, 3 earned, 1 pending');
SELECT results_eq($$SELECT allocated_orders, pending_orders, allocated_spent_usd FROM partners
                    WHERE id = pg_temp.id('partner_e1')$$,
  $$VALUES (3, 1, 30.0000::numeric)$$, 'dashboard figures follow the same deltas: 3 allocated, 1 pending');

-- An exception block is a subtransaction too.
DO $$
BEGIN
  INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
  VALUES (pg_temp.id('user_e1'), 'b2b_partner', pg_temp.id('partner_e1'), 'AC', 40);
  RAISE EXCEPTION 'undo';
EXCEPTION WHEN raise_exception THEN NULL;
END $$;
SELECT is_empty('SELECT * FROM onesim_internal.reconcile()', 'a failed exception block leaves no drift');
SELECT is((SELECT total_orders FROM pe), 4, 'and its order is not counted');

-- The dashboard and payouts see the transaction's own orders.
INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
VALUES (pg_temp.id('user_e1'), 'b2b_partner', pg_temp.id('partner_e1'), 'AC', 30);
SELECT is((SELECT total_orders FROM partner_dashboard(pg_temp.id('partner_e1'))), 5::bigint,
  'partner_dashboard flushes first');
SELECT is((SELECT row(active_orders, pending_orders, total_spent_usd)::text
             FROM partner_dashboard(pg_temp.id('partner_e1'))), '(3,2,30.0000)',
  'the dashboard reads the flushed per-status figures');
SELECT is((SELECT amount_usd FROM run_partner_payout(pg_temp.id('partner_e1'), 'bank_transfer')), 1.5000,
  'a payout pays the flushed balance');

SELECT * FROM finish();
ROLLBACK;
