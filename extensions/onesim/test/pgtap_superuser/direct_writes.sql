-- Rows written below SQL (src/pg/direct_write.hpp): the partner and customer
-- figures flushed at commit and the earnings of new orders. They must come
-- out exactly as the UPDATE and INSERT statements they replace would write
-- them: defaults, constraints (also ones added later), overflow errors, the
-- transaction's own earlier changes; and a trigger a user adds to those
-- tables must still fire (the statements are then used again).
--
-- Runs as the superuser: it counts the trigger functions' calls
-- (track_functions, a superuser-only setting) and backdates rows with the
-- triggers off (session_replication_role, superuser-only too).
BEGIN;
SELECT plan(37);
\ir ../pgtap/fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_d1', 'partner_d1', 'customer_d1');
-- Figures written at flush (the rest of the suite runs in immediate mode).
SET LOCAL onesim.partner_figures = at_commit;

INSERT INTO auth.users (id, email) VALUES (pg_temp.id('user_d1'), 'd1@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  (pg_temp.id('partner_d1'), pg_temp.id('user_d1'), 'Direct', 'd1@agency.test');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email) VALUES
  (pg_temp.id('customer_d1'), pg_temp.id('partner_d1'), 'Dina', 'Direct', 'dina@direct.test');
CREATE TEMP VIEW partner_figures AS
  SELECT total_orders, pending_earnings, allocated_orders, pending_orders, last_order_at IS NOT NULL AS has_last
    FROM partners WHERE id = pg_temp.id('partner_d1');
CREATE TEMP VIEW customer_figures AS
  SELECT total_orders, total_spent, last_order_at IS NOT NULL AS has_last
    FROM partner_customers WHERE id = pg_temp.id('customer_d1');
-- One B2B order of $price for the customer.
CREATE FUNCTION pg_temp.order_for_customer(price numeric) RETURNS uuid LANGUAGE sql AS $$
  INSERT INTO orders (user_id, source_type, partner_id, end_customer_id, end_customer_type, package_code, price_usd)
  VALUES (pg_temp.id('user_d1'), 'b2b_partner', pg_temp.id('partner_d1'),
          pg_temp.id('customer_d1'), 'b2b_partner_customer', 'DW', price)
  RETURNING id $$;

-- Which of the extension's trigger functions run (pg_stat_xact_user_functions).
SET LOCAL track_functions = 'all';
CREATE TEMP VIEW trigger_calls AS
  SELECT f.proname, coalesce(s.calls, 0)::int AS calls
    FROM pg_proc f LEFT JOIN pg_stat_xact_user_functions s ON s.funcid = f.oid
   WHERE f.pronamespace = 'onesim_internal'::regnamespace
     AND f.proname IN ('orders_after_change', 'earnings_after_change', 'touch_updated_at', 'lock_partner_before_customer');

-- What the statements would have written.
SELECT pg_temp.order_for_customer(10) AS first_order \gset
-- Calls of earnings_after_change, lock_partner_before_customer, orders_after_change, touch_updated_at:
SELECT is(ARRAY(SELECT calls FROM trigger_calls ORDER BY proname), ARRAY[0, 0, 1, 0],
  'the earning was written below SQL: its statement trigger did not run');
SELECT results_eq(format(
  $$SELECT status, paid_out, earned_at IS NULL, cancelled_at IS NULL, payout_id IS NULL, created_at = now(),
           updated_at = now(), id IS NOT NULL, order_amount_usd, commission_rate, commission_amount_usd
      FROM partner_earnings WHERE order_id = %L$$, :'first_order'),
  $$VALUES ('pending'::earning_status, false, true, true, true, true, true, true, 10.0000::numeric, 5.00::numeric, 0.5000::numeric)$$,
  'the new order''s earning: given columns from the order, the others their defaults');
-- Backdated (no trigger fires in replica mode), to see the figures write stamp them.
SET LOCAL session_replication_role = replica;
UPDATE partners SET updated_at = '2000-01-01' WHERE id = pg_temp.id('partner_d1');
UPDATE partner_customers SET updated_at = '2000-01-01' WHERE id = pg_temp.id('customer_d1');
SET LOCAL session_replication_role = origin;
SELECT onesim_internal.flush_partner_figures();
SELECT results_eq('SELECT * FROM partner_figures', $$VALUES (1, 0.5000::numeric, 0, 1, true)$$,
  'partner figures flushed: 1 order, 0.50 pending');
SELECT results_eq('SELECT * FROM customer_figures', $$VALUES (1, 10.0000::numeric, true)$$,
  'customer figures flushed: 1 order, 10.00 spent');
SELECT is(ARRAY(SELECT calls FROM trigger_calls ORDER BY proname), ARRAY[0, 0, 1, 0],
  'the figures write evaluated the rows'' BEFORE UPDATE triggers'' WHEN conditions: no customer-edit lock, and no updated_at trigger (the write stamps it)');
SELECT results_eq($$SELECT (SELECT updated_at FROM partners WHERE id = pg_temp.id('partner_d1')),
                           (SELECT updated_at FROM partner_customers WHERE id = pg_temp.id('customer_d1'))$$,
  'SELECT now(), now()', 'the figures write set updated_at = now() on both rows, as the trigger would have');

-- The transaction's own earlier change of the row is kept.
UPDATE partners SET company_name = 'Direct Renamed' WHERE id = pg_temp.id('partner_d1');
SELECT pg_temp.order_for_customer(10);
SELECT onesim_internal.flush_partner_figures();
SELECT results_eq($$SELECT company_name::text, total_orders FROM partners WHERE id = pg_temp.id('partner_d1')$$,
  $$VALUES ('Direct Renamed', 2)$$, 'a rename earlier in the transaction survives the figures write');

-- A CHECK constraint added after the first writes (the kept checks are dropped and rebuilt).
ALTER TABLE partners ADD CONSTRAINT partners_direct_cap CHECK (total_orders < 3);
SELECT pg_temp.order_for_customer(10);
SELECT throws_ok('SELECT onesim_internal.flush_partner_figures()', '23514',
  'new row for relation "partners" violates check constraint "partners_direct_cap"',
  'a CHECK added later is enforced on the figures write');
ALTER TABLE partners DROP CONSTRAINT partners_direct_cap;
SELECT lives_ok('SELECT onesim_internal.flush_partner_figures()', 'dropped again: the pending figures are written');
SELECT results_eq('SELECT total_orders FROM partner_figures', 'VALUES (3)', 'the failed write was not lost');

-- A CHECK calling a user's function (not kept: built for each write).
CREATE FUNCTION public.direct_spent_cap(spent numeric) RETURNS boolean LANGUAGE plpgsql IMMUTABLE
  AS $$ BEGIN RETURN spent < 50; END $$;
ALTER TABLE partner_customers ADD CONSTRAINT partner_customers_direct_cap CHECK (public.direct_spent_cap(total_spent));
SELECT pg_temp.order_for_customer(15);
SELECT lives_ok('SELECT onesim_internal.flush_partner_figures()', 'a user-function CHECK that holds: written');
SELECT results_eq('SELECT total_orders, total_spent FROM customer_figures', $$VALUES (4, 45.0000::numeric)$$,
  'customer figures with the user-function CHECK in place');
SELECT pg_temp.order_for_customer(15);
SELECT throws_ok('SELECT onesim_internal.flush_partner_figures()', '23514',
  'new row for relation "partner_customers" violates check constraint "partner_customers_direct_cap"',
  'a user-function CHECK that fails stops the write');
ALTER TABLE partner_customers DROP CONSTRAINT partner_customers_direct_cap;
DROP FUNCTION public.direct_spent_cap(numeric);
SELECT onesim_internal.flush_partner_figures();

-- Overflow, as the assignment `column = column + delta` raises it.
SET LOCAL session_replication_role = replica;
UPDATE partners SET total_orders = 2147483647 WHERE id = pg_temp.id('partner_d1');
SET LOCAL session_replication_role = origin;
SELECT pg_temp.order_for_customer(10);
SELECT throws_ok('SELECT onesim_internal.flush_partner_figures()', '22003', 'integer out of range',
  'integer figure overflow: 22003');
SET LOCAL session_replication_role = replica;
UPDATE partners SET total_orders = 5, pending_earnings = 99999999999.9000 WHERE id = pg_temp.id('partner_d1');
SET LOCAL session_replication_role = origin;
SELECT throws_ok('SELECT onesim_internal.flush_partner_figures()', '22003', 'numeric field overflow',
  'numeric figure beyond the column''s precision: 22003');
SET LOCAL session_replication_role = replica;
UPDATE partners SET pending_earnings = 3.0000 WHERE id = pg_temp.id('partner_d1');
SET LOCAL session_replication_role = origin;
SELECT lives_ok('SELECT onesim_internal.flush_partner_figures()', 'back in range: written');
SELECT results_eq('SELECT total_orders, pending_earnings FROM partner_figures', $$VALUES (6, 3.5000::numeric)$$,
  'the figures pending through both failures are written once');

-- A user's trigger on partners: it fires on the figures write (through the UPDATE statement).
CREATE TEMP TABLE direct_log (tbl text, total int);
CREATE FUNCTION public.direct_log_partner() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN INSERT INTO direct_log VALUES (TG_TABLE_NAME, NEW.total_orders); RETURN NEW; END $$;
CREATE TRIGGER direct_log AFTER UPDATE ON partners FOR EACH ROW EXECUTE FUNCTION public.direct_log_partner();
SELECT pg_temp.order_for_customer(10);
SELECT onesim_internal.flush_partner_figures();
SELECT results_eq('SELECT tbl, total FROM direct_log', $$VALUES ('partners', 7)$$,
  'a user''s AFTER UPDATE trigger on partners sees the figures write');
DROP TRIGGER direct_log ON partners;
SELECT pg_temp.order_for_customer(10);
SELECT onesim_internal.flush_partner_figures();
SELECT results_eq('SELECT total_orders FROM partner_figures', 'VALUES (8)', 'trigger dropped: written directly again');
SELECT is((SELECT count(*)::int FROM direct_log), 1, 'the dropped trigger no longer fires');

-- A user's trigger on partner_earnings: it fires for the new order's earning.
CREATE FUNCTION public.direct_log_earning() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN INSERT INTO direct_log VALUES (TG_TABLE_NAME, NULL); RETURN NEW; END $$;
CREATE TRIGGER direct_log AFTER INSERT ON partner_earnings FOR EACH ROW EXECUTE FUNCTION public.direct_log_earning();
SELECT pg_temp.order_for_customer(10);
SELECT is((SELECT count(*)::int FROM direct_log WHERE tbl = 'partner_earnings'), 1,
  'a user''s AFTER INSERT trigger on partner_earnings sees the new earning');
DROP TRIGGER direct_log ON partner_earnings;
DROP FUNCTION public.direct_log_partner();
DROP FUNCTION public.direct_log_earning();

-- An administrator disables one of the extension's triggers on
-- partner_earnings: the statements run, and honour it (the earning's
-- figures are not recorded, as for any trigger disabled by hand).
ALTER TABLE partner_earnings DISABLE TRIGGER trg_partner_earnings_after_insert;
SELECT onesim_internal.flush_partner_figures();
SELECT pending_earnings AS pending_before FROM partners WHERE id = pg_temp.id('partner_d1') \gset
SELECT pg_temp.order_for_customer(10);
SELECT onesim_internal.flush_partner_figures();
SELECT is((SELECT pending_earnings FROM partners WHERE id = pg_temp.id('partner_d1')), :pending_before,
  'a disabled earnings trigger is honoured: the new earning is not counted');
ALTER TABLE partner_earnings ENABLE TRIGGER trg_partner_earnings_after_insert;
SELECT is((SELECT count(*)::int FROM onesim_internal.reconcile(true) WHERE figure = 'pending_earnings'), 1,
  'reconcile(true) finds and repairs the figure the disabled trigger left behind');

-- A default changed after the first writes.
ALTER TABLE partner_earnings ALTER COLUMN payout_method SET DEFAULT 'bank_transfer';
SELECT pg_temp.order_for_customer(10) AS later_order \gset
SELECT is((SELECT payout_method::text FROM partner_earnings WHERE order_id = :'later_order'), 'bank_transfer',
  'a column default set later is used');
ALTER TABLE partner_earnings ALTER COLUMN payout_method DROP DEFAULT;

-- Many orders in one statement: one earning each, figures once.
INSERT INTO orders (user_id, source_type, partner_id, end_customer_id, end_customer_type, package_code, price_usd)
SELECT pg_temp.id('user_d1'), 'b2b_partner', pg_temp.id('partner_d1'),
       pg_temp.id('customer_d1'), 'b2b_partner_customer', 'DW', 1
  FROM generate_series(1, 200);
SELECT is((SELECT count(*)::int FROM partner_earnings WHERE partner_id = pg_temp.id('partner_d1')), 211,
  'a 200-order statement: 200 more earnings');
SELECT is((SELECT count(DISTINCT id)::int FROM partner_earnings WHERE partner_id = pg_temp.id('partner_d1')), 211,
  'each with its own id');
SELECT onesim_internal.flush_partner_figures();
SELECT results_eq('SELECT total_orders, pending_orders FROM partner_figures', 'VALUES (211, 211)',
  'partner figures count them all');

-- An earning that breaks a constraint (added after the first earnings) is
-- not written, and takes its order with it.
ALTER TABLE partner_earnings ADD CONSTRAINT partner_earnings_direct_cap CHECK (commission_amount_usd < 100);
SELECT throws_ok($$SELECT pg_temp.order_for_customer(5000)$$, '23514',
  'new row for relation "partner_earnings" violates check constraint "partner_earnings_direct_cap"',
  'an order whose earning breaks a CHECK fails whole');
SELECT is((SELECT count(*)::int FROM orders WHERE partner_id = pg_temp.id('partner_d1')), 211,
  'and its order is not there either');
ALTER TABLE partner_earnings DROP CONSTRAINT partner_earnings_direct_cap;
-- The earning follows its order's updates below SQL too.
SELECT calls AS earnings_trigger_calls FROM trigger_calls WHERE proname = 'earnings_after_change' \gset
UPDATE orders SET order_status = 'ALLOCATED' WHERE id = :'first_order';
SELECT results_eq(format($$SELECT status::text, earned_at = now(), cancelled_at IS NULL, updated_at = now()
                             FROM partner_earnings WHERE order_id = %L$$, :'first_order'),
  $$VALUES ('earned', true, true, true)$$, 'allocated: the earning is earned, earned_at stamped');
UPDATE orders SET order_status = 'CANCELLED' WHERE id = :'first_order';
SELECT results_eq(format($$SELECT status::text, earned_at IS NOT NULL, cancelled_at = now()
                             FROM partner_earnings WHERE order_id = %L$$, :'first_order'),
  $$VALUES ('cancelled', true, true)$$, 'cancelled: the earning is cancelled, earned_at kept as history');
SELECT is((SELECT calls FROM trigger_calls WHERE proname = 'earnings_after_change'), :earnings_trigger_calls,
  'both earning updates were written below SQL: the earnings'' statement trigger did not run');
SELECT onesim_internal.flush_partner_figures();
SELECT results_eq($$SELECT total_earnings, allocated_orders FROM partners WHERE id = pg_temp.id('partner_d1')$$,
  $$VALUES (0.0000::numeric, 0)$$, 'earned, then taken back: the partner''s total is back to 0');

SELECT is_empty('SELECT * FROM onesim_internal.reconcile()', 'every figure equals what the rows say');

-- Columns are found by name, and the numbers are remembered per backend
-- (pg::cached_attnum): a column renamed and another added under its old name
-- must be written, not the renamed one the remembered number points to.
SELECT pg_temp.order_for_customer(10);  -- the numbers are remembered now
SELECT onesim_internal.flush_partner_figures();
SELECT total_orders AS orders_before, total_spent AS spent_before
  FROM partner_customers WHERE id = pg_temp.id('customer_d1') \gset
ALTER TABLE partner_customers RENAME COLUMN total_spent TO total_spent_before;
ALTER TABLE partner_customers ADD COLUMN total_spent DECIMAL(15,4) NOT NULL DEFAULT 0;
ALTER TABLE partner_earnings RENAME COLUMN order_amount_usd TO order_amount_usd_before;
ALTER TABLE partner_earnings ALTER COLUMN order_amount_usd_before DROP NOT NULL;
ALTER TABLE partner_earnings ADD COLUMN order_amount_usd DECIMAL(10,4);
SELECT pg_temp.order_for_customer(7) AS renamed_order \gset
SELECT onesim_internal.flush_partner_figures();
SELECT results_eq($$SELECT total_spent, total_orders FROM partner_customers WHERE id = pg_temp.id('customer_d1')$$,
  format('VALUES (7.0000::numeric, %s)', :orders_before + 1),
  'after a rename, the customer''s figures go to the column now named total_spent');
SELECT is((SELECT total_spent_before FROM partner_customers WHERE id = pg_temp.id('customer_d1')),
  :'spent_before'::numeric, 'and the renamed column is left alone');
SELECT results_eq(format($$SELECT order_amount_usd, order_amount_usd_before FROM partner_earnings WHERE order_id = %L$$,
                         :'renamed_order'),
  $$VALUES (7.0000::numeric, NULL::numeric)$$, 'the new earning''s amount is in the column now named order_amount_usd');

SELECT * FROM finish();
ROLLBACK;
