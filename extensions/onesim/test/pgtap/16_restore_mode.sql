-- Restore mode (platform/restore_mode.cpp): rows a restore inserts load as
-- dumped, and nothing else does. A session is taken for a restore only with
-- all of pg_dump's settings (row_security = off, check_function_bodies = off,
-- search_path = '' by set_config) and a role that bypasses row level security
-- (onesim.restore_mode = auto: a project owner restoring a dump), or with
-- onesim.restore_mode = on, which only a superuser can set
-- (test/pgtap_superuser/restore_mode_setting.sql). Statements issued by
-- OneSIM's own functions (the API, the earnings an UPDATE creates) never load
-- as dumped. UPDATE and DELETE always maintain the figures. The pgTAP
-- database runs with onesim.partner_figures = immediate.
BEGIN;
SELECT plan(32);
-- The restore-mode WARNING (once per backend) is checked by
-- test/backup-restore.sh; here it would only clutter the output.
SET LOCAL client_min_messages = error;

\ir fixtures/restore_mode.psql
SELECT pg_temp.new_ids('customer_r2');

SELECT results_eq('SELECT * FROM pr', $$VALUES (0, 0.0000::numeric, 0.0000::numeric, 1)$$,
  'partner R: no orders, one customer');

-- ------------------------------------ part of the preamble: triggers run
SELECT rm_test.session('off', 'off', 'public');   -- a search_path of its own
SELECT rm_test.insert_order(1);
SELECT rm_test.normal();
SELECT is(rm_test.commission(1), 1.0000, 'row_security and check_function_bodies off, search_path set: commission recomputed');
SELECT is(rm_test.earnings(1), 1, '... and the earning created');
SELECT results_eq('SELECT total_orders, pending_earnings FROM pr', $$VALUES (1, 1.0000::numeric)$$, '... and the figures moved');

SELECT rm_test.session('on', 'off', '');          -- row level security on
SELECT rm_test.insert_order(2);
SELECT rm_test.normal();
SELECT is(rm_test.commission(2), 1.0000, 'row_security on: commission recomputed');
SELECT results_eq('SELECT total_orders, pending_earnings FROM pr', $$VALUES (2, 2.0000::numeric)$$, '... and the figures moved');

SELECT rm_test.session('off', 'on', '');          -- function bodies checked
SELECT rm_test.insert_order(3);
SELECT rm_test.normal();
SELECT is(rm_test.commission(3), 1.0000, 'check_function_bodies on: commission recomputed');
SELECT results_eq('SELECT total_orders, pending_earnings FROM pr', $$VALUES (3, 3.0000::numeric)$$, '... and the figures moved');

SELECT rm_test.session('off', 'off', 'public');
SET LOCAL search_path = '';                       -- SET writes "" (an empty name), not pg_dump's ''
SELECT rm_test.insert_order(4);
SELECT rm_test.normal();
SELECT is(rm_test.commission(4), 1.0000, 'SET search_path = '''' (not set_config): commission recomputed');
SELECT results_eq('SELECT total_orders, pending_earnings FROM pr', $$VALUES (4, 4.0000::numeric)$$, '... and the figures moved');
SELECT is_empty('SELECT * FROM drift', 'every figure reconciles');

-- ------------------------------------------ the full preamble: as dumped
SELECT rm_test.session('off', 'off', '');
SELECT rm_test.insert_order(5);
INSERT INTO public.partner_earnings (partner_id, order_id, order_amount_usd, commission_rate, commission_amount_usd, status)
VALUES (pg_temp.id('partner_r'), pg_temp.id('order_5'), 20.00, 12.00, 2.4000, 'pending');
INSERT INTO public.partner_customers (id, partner_id, first_name, last_name, email) VALUES
  (pg_temp.id('customer_r2'), pg_temp.id('partner_r'), 'Jasur', 'J', 'j@example.com');
INSERT INTO public.customer_group_members (group_id, customer_id) VALUES
  (pg_temp.id('group_r'), pg_temp.id('customer_r'));
INSERT INTO public.esim_packages (package_code, name, provider_price_usd, margin_percent, price_usd, price_uzs)
VALUES ('RM-AE-1GB', 'UAE 1GB', 4.00, 33.00, 7.7700, 99999.00);
SELECT rm_test.normal();
SELECT results_eq($$SELECT commission_rate, commission_amount_usd, commission_amount_uzs, paid_amount_usd, paid_amount_uzs
                      FROM orders WHERE id = pg_temp.id('order_5')$$,
  $$VALUES (12.00::numeric, 2.4000::numeric, 30000.00::numeric, 17.6000::numeric, 220000.00::numeric)$$,
  'full preamble: the order keeps the commission it was given');
SELECT is((SELECT count(*)::int FROM partner_earnings WHERE order_id = pg_temp.id('order_5')), 1,
  '... no earning is created: only the dumped one exists');
SELECT results_eq('SELECT * FROM pr', $$VALUES (4, 4.0000::numeric, 0.0000::numeric, 1)$$,
  '... partner figures do not move for the order, the earning or the customer');
SELECT is((SELECT group_size FROM customer_groups WHERE id = pg_temp.id('group_r')), 0,
  '... the group size does not move');
SELECT results_eq($$SELECT margin_percent, price_usd, price_uzs FROM esim_packages WHERE package_code = 'RM-AE-1GB'$$,
  $$VALUES (33.00::numeric, 7.7700::numeric, 99999.00::numeric)$$, '... the package keeps its prices');
-- A restore brings the figures with the rows; here they were not, so reconcile
-- lists them. Repair, and go on from exact figures.
SELECT isnt_empty('SELECT * FROM drift', 'the figures the rows imply were not added (a dump carries them)');
SELECT lives_ok('SELECT onesim_internal.reconcile(true)', 'repaired');
SELECT results_eq('SELECT * FROM pr', $$VALUES (5, 6.4000::numeric, 0.0000::numeric, 2)$$, 'partner R after the repair');

-- ------------------- UPDATE and DELETE in a restore-like session still count
SELECT rm_test.session('off', 'off', '');
UPDATE public.orders SET order_status = 'ALLOCATED' WHERE id = pg_temp.id('order_1');
DELETE FROM public.orders WHERE id = pg_temp.id('order_2');
DELETE FROM public.customer_group_members WHERE customer_id = pg_temp.id('customer_r');
SELECT rm_test.normal();
SELECT results_eq('SELECT * FROM pr', $$VALUES (4, 4.4000::numeric, 1.0000::numeric, 2)$$,
  'full preamble: an allocation earns, a deletion uncounts');
SELECT is((SELECT group_size FROM customer_groups WHERE id = pg_temp.id('group_r')), 0,
  '... a member removed: group size 1 -> 0');
-- An order loaded without its earning, then allocated in the same session: the
-- earning the UPDATE creates is OneSIM's own insert, and is counted.
SELECT rm_test.session('off', 'off', '');
SELECT rm_test.insert_order(6);
UPDATE public.orders SET order_status = 'ALLOCATED' WHERE id = pg_temp.id('order_6');
SELECT rm_test.normal();
SELECT is(rm_test.earnings(6), 1, 'an allocation in a restore session creates the missing earning');
SELECT results_eq('SELECT total_orders, total_earnings FROM pr', $$VALUES (4, 3.4000::numeric)$$,
  '... and counts it (the order itself loaded as dumped: not counted)');
SELECT lives_ok('SELECT onesim_internal.reconcile(true)', 'repaired');

-- onesim.restore_mode = off and = on: only a superuser can set them
-- (PGC_SUSET), so test/pgtap_superuser/restore_mode_setting.sql checks them.
-- That the API roles cannot set it is checked here.
SELECT rm_test.become('partner');
SELECT throws_ok('SET onesim.restore_mode = on', '42501', NULL, 'authenticated cannot SET onesim.restore_mode');
SELECT throws_ok($$SELECT set_config('onesim.restore_mode', 'off', true)$$, '42501', NULL,
  'authenticated cannot set_config onesim.restore_mode');
SELECT rm_test.become('anon');
SELECT throws_ok('SET onesim.restore_mode = on', '42501', NULL, 'anon cannot SET onesim.restore_mode');
SELECT rm_test.become('superuser');

-- ------------------------------ an API role with the preamble: no way round
SELECT rm_test.become('partner');
SELECT rm_test.session('off', 'off', '');
-- (pgTAP needs its search_path: the statements run through a catcher and
-- their SQLSTATEs are checked afterwards.)
CREATE TEMP TABLE refused AS
  SELECT 'orders' AS tbl, rm_test.sqlstate_of($$INSERT INTO public.orders (user_id, source_type, partner_id, package_code, price_usd)
           VALUES (pg_temp.id('user_r'), 'b2b_partner', pg_temp.id('partner_r'), 'RM-TR-5GB', 20.00)$$) AS state
  UNION ALL
  SELECT 'partner_customers', rm_test.sqlstate_of($$INSERT INTO public.partner_customers (partner_id, first_name, last_name, email)
           VALUES (pg_temp.id('partner_r'), 'X', 'Y', 'x@example.com')$$)
  UNION ALL
  SELECT 'customer_group_members', rm_test.sqlstate_of($$INSERT INTO public.customer_group_members (group_id, customer_id)
           VALUES (pg_temp.id('group_r'), pg_temp.id('customer_r2'))$$);
-- Through the API the triggers run: the function pins its own search_path.
CREATE TEMP TABLE api_order AS
  SELECT * FROM public.place_b2b_order('RM-TR-5GB', pg_temp.id('customer_r'));
CREATE TEMP TABLE api_members AS
  SELECT public.add_group_members(pg_temp.id('group_r'), ARRAY[pg_temp.id('customer_r2')]) AS added;
SELECT rm_test.normal();
SELECT rm_test.become('superuser');
SELECT results_eq('SELECT tbl, state FROM refused ORDER BY tbl',
  $$VALUES ('customer_group_members', '42501'), ('orders', '42501'), ('partner_customers', '42501')$$,
  'authenticated, full preamble: direct INSERTs are refused by row level security (42501)');
SELECT results_eq('SELECT commission_rate, commission_amount_usd FROM api_order',
  $$VALUES (5.00::numeric, 0.9500::numeric)$$, 'authenticated, full preamble, place_b2b_order: commission computed');
SELECT is((SELECT count(*)::int FROM partner_earnings WHERE order_id = (SELECT id FROM api_order)), 1,
  '... the earning created');
SELECT results_eq($$SELECT (SELECT added FROM api_members), group_size FROM customer_groups WHERE id = pg_temp.id('group_r')$$,
  $$VALUES (1, 1)$$, '... add_group_members adds the member and counts it');
SELECT is_empty('SELECT * FROM drift', '... and every figure reconciles');

SELECT * FROM finish();
ROLLBACK;
