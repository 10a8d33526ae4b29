-- Restore mode (platform/restore_mode.cpp): rows a restore inserts load as
-- dumped, and nothing else does. A session is taken for a restore only with
-- all of pg_dump's settings (row_security = off, check_function_bodies = off,
-- search_path = '' by set_config) and a role that bypasses row level security
-- (onesim.restore_mode = auto), or with onesim.restore_mode = on, which only a
-- superuser can set. Statements issued by OneSIM's own functions (the API, the
-- earnings an UPDATE creates) never load as dumped. UPDATE and DELETE always
-- maintain the figures. The pgTAP database runs with
-- onesim.partner_figures = immediate.
BEGIN;
SELECT plan(40);
-- The restore-mode WARNING (once per backend) is checked by
-- test/backup-restore.sh; here it would only clutter the output.
SET LOCAL client_min_messages = error;

-- Fixtures: partner R (default 5 %, active) with a customer and a group, a
-- package, and a B2C user.
INSERT INTO auth.users (id, email) VALUES
  ('00000000-0000-4000-8000-0000000016a1', 'r@agency.test'),
  ('00000000-0000-4000-8000-0000000016c1', 'c@shop.test');
INSERT INTO profiles (id, user_type, first_name, last_name, email) VALUES
  ('00000000-0000-4000-8000-0000000016a1', 'partner', 'Rustam', 'R', 'r@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email, status) VALUES
  ('10000000-0000-4000-8000-0000000016a1', '00000000-0000-4000-8000-0000000016a1', 'Agency R', 'r@agency.test', 'active');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email) VALUES
  ('20000000-0000-4000-8000-0000000016a1', '10000000-0000-4000-8000-0000000016a1', 'Dilnoza', 'D', 'd@example.com');
INSERT INTO customer_groups (id, partner_id, name) VALUES
  ('30000000-0000-4000-8000-0000000016a1', '10000000-0000-4000-8000-0000000016a1', 'Istanbul');
INSERT INTO esim_packages (id, package_code, name, provider_price_usd, price_usd, price_uzs) VALUES
  ('50000000-0000-4000-8000-0000000016a1', 'RM-TR-5GB', 'Turkey 5GB', 19.00, 19.00, 240000);

CREATE SCHEMA rm_test;
GRANT USAGE ON SCHEMA rm_test TO PUBLIC;
-- Sets the three settings of pg_dump's preamble for the rest of the
-- transaction: row_security, check_function_bodies, search_path (by
-- set_config, as pg_dump writes it). rm_test.normal() puts them back.
CREATE FUNCTION rm_test.session(row_security text, check_function_bodies text, search_path text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_catalog.set_config('row_security', row_security, true);
  PERFORM pg_catalog.set_config('check_function_bodies', check_function_bodies, true);
  PERFORM pg_catalog.set_config('search_path', search_path, true);
END
$$;
CREATE FUNCTION rm_test.normal() RETURNS void LANGUAGE sql AS $$
  SELECT rm_test.session('on', 'on', '"$user", public')
$$;
-- Impersonates the partner the PostgREST way, or goes back to the superuser.
CREATE FUNCTION rm_test.become(who text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_catalog.set_config('role', 'none', true);
  CASE who
    WHEN 'superuser' THEN PERFORM pg_catalog.set_config('request.jwt.claims', '', true);
    WHEN 'partner' THEN
      PERFORM pg_catalog.set_config('request.jwt.claims',
        '{"sub":"00000000-0000-4000-8000-0000000016a1","role":"authenticated"}', true);
      PERFORM pg_catalog.set_config('role', 'authenticated', true);
    WHEN 'anon' THEN
      PERFORM pg_catalog.set_config('request.jwt.claims', '{"role":"anon"}', true);
      PERFORM pg_catalog.set_config('role', 'anon', true);
  END CASE;
END
$$;
-- The SQLSTATE a statement raises ('00000' when it succeeds).
CREATE FUNCTION rm_test.sqlstate_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN '00000';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END
$$;
GRANT EXECUTE ON FUNCTION rm_test.session(text, text, text), rm_test.normal(), rm_test.become(text),
  rm_test.sqlstate_of(text) TO PUBLIC;

-- A B2B order of partner R with client-chosen (wrong) commission values; the
-- triggers overwrite them (5 % of 20.00 = 1.0000) unless the row loads as dumped.
CREATE FUNCTION rm_test.insert_order(n int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO public.orders (id, user_id, source_type, partner_id, end_customer_id, end_customer_type,
                             package_code, price_usd, price_uzs, commission_applicable, commission_rate,
                             commission_amount_usd, commission_amount_uzs, paid_amount_usd, paid_amount_uzs)
  VALUES (('40000000-0000-4000-8000-0000000016' || lpad(n::text, 2, '0'))::uuid,
          '00000000-0000-4000-8000-0000000016a1', 'b2b_partner', '10000000-0000-4000-8000-0000000016a1',
          '20000000-0000-4000-8000-0000000016a1', 'b2b_partner_customer', 'RM-TR-5GB', 20.00, 250000,
          true, 12.00, 2.4000, 30000.00, 17.6000, 220000.00)
$$;
CREATE FUNCTION rm_test.commission(n int) RETURNS numeric LANGUAGE sql AS $$
  SELECT commission_amount_usd FROM public.orders
   WHERE id = ('40000000-0000-4000-8000-0000000016' || lpad(n::text, 2, '0'))::uuid
$$;
CREATE FUNCTION rm_test.earnings(n int) RETURNS int LANGUAGE sql AS $$
  SELECT count(*)::int FROM public.partner_earnings
   WHERE order_id = ('40000000-0000-4000-8000-0000000016' || lpad(n::text, 2, '0'))::uuid
$$;
CREATE TEMP VIEW pr AS
  SELECT total_orders, pending_earnings, total_earnings, total_customers
    FROM partners WHERE id = '10000000-0000-4000-8000-0000000016a1';
CREATE TEMP VIEW drift AS SELECT * FROM onesim_internal.reconcile();

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
VALUES ('10000000-0000-4000-8000-0000000016a1', '40000000-0000-4000-8000-000000001605', 20.00, 12.00, 2.4000, 'pending');
INSERT INTO public.partner_customers (id, partner_id, first_name, last_name, email) VALUES
  ('20000000-0000-4000-8000-0000000016a2', '10000000-0000-4000-8000-0000000016a1', 'Jasur', 'J', 'j@example.com');
INSERT INTO public.customer_group_members (group_id, customer_id) VALUES
  ('30000000-0000-4000-8000-0000000016a1', '20000000-0000-4000-8000-0000000016a1');
INSERT INTO public.esim_packages (package_code, name, provider_price_usd, margin_percent, price_usd, price_uzs)
VALUES ('RM-AE-1GB', 'UAE 1GB', 4.00, 33.00, 7.7700, 99999.00);
SELECT rm_test.normal();
SELECT results_eq($$SELECT commission_rate, commission_amount_usd, commission_amount_uzs, paid_amount_usd, paid_amount_uzs
                      FROM orders WHERE id = '40000000-0000-4000-8000-000000001605'$$,
  $$VALUES (12.00::numeric, 2.4000::numeric, 30000.00::numeric, 17.6000::numeric, 220000.00::numeric)$$,
  'full preamble: the order keeps the commission it was given');
SELECT is((SELECT count(*)::int FROM partner_earnings WHERE order_id = '40000000-0000-4000-8000-000000001605'), 1,
  '... no earning is created: only the dumped one exists');
SELECT results_eq('SELECT * FROM pr', $$VALUES (4, 4.0000::numeric, 0.0000::numeric, 1)$$,
  '... partner figures do not move for the order, the earning or the customer');
SELECT is((SELECT group_size FROM customer_groups WHERE id = '30000000-0000-4000-8000-0000000016a1'), 0,
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
UPDATE public.orders SET order_status = 'ALLOCATED' WHERE id = '40000000-0000-4000-8000-000000001601';
DELETE FROM public.orders WHERE id = '40000000-0000-4000-8000-000000001602';
DELETE FROM public.customer_group_members WHERE customer_id = '20000000-0000-4000-8000-0000000016a1';
SELECT rm_test.normal();
SELECT results_eq('SELECT * FROM pr', $$VALUES (4, 4.4000::numeric, 1.0000::numeric, 2)$$,
  'full preamble: an allocation earns, a deletion uncounts');
SELECT is((SELECT group_size FROM customer_groups WHERE id = '30000000-0000-4000-8000-0000000016a1'), 0,
  '... a member removed: group size 1 -> 0');
-- An order loaded without its earning, then allocated in the same session: the
-- earning the UPDATE creates is OneSIM's own insert, and is counted.
SELECT rm_test.session('off', 'off', '');
SELECT rm_test.insert_order(6);
UPDATE public.orders SET order_status = 'ALLOCATED' WHERE id = '40000000-0000-4000-8000-000000001606';
SELECT rm_test.normal();
SELECT is(rm_test.earnings(6), 1, 'an allocation in a restore session creates the missing earning');
SELECT results_eq('SELECT total_orders, total_earnings FROM pr', $$VALUES (4, 3.4000::numeric)$$,
  '... and counts it (the order itself loaded as dumped: not counted)');
SELECT lives_ok('SELECT onesim_internal.reconcile(true)', 'repaired');

-- ------------------------------------------------------ onesim.restore_mode
SET LOCAL onesim.restore_mode = off;
SELECT rm_test.session('off', 'off', '');
SELECT rm_test.insert_order(7);
SELECT rm_test.normal();
SELECT is(rm_test.commission(7), 1.0000, 'restore_mode = off, full preamble: commission recomputed');
SELECT is(rm_test.earnings(7), 1, '... and the earning created');
SELECT is_empty('SELECT * FROM drift', '... and every figure reconciles');

SET LOCAL onesim.restore_mode = on;
SELECT rm_test.insert_order(8);                    -- an ordinary session
SELECT is(rm_test.commission(8), 2.4000, 'restore_mode = on, no preamble: the order keeps its commission');
SELECT is(rm_test.earnings(8), 0, '... and no earning is created');
SELECT results_eq('SELECT total_orders FROM pr', $$VALUES (6)$$, '... and the partner figures do not move');
UPDATE orders SET order_status = 'ALLOCATED' WHERE id = '40000000-0000-4000-8000-000000001608';
SELECT is(rm_test.earnings(8), 1, 'restore_mode = on: an allocation still creates the earning');
SELECT lives_ok('SELECT onesim_internal.reconcile(true)', 'repaired');
SET LOCAL onesim.restore_mode = auto;

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
           VALUES ('00000000-0000-4000-8000-0000000016a1', 'b2b_partner', '10000000-0000-4000-8000-0000000016a1', 'RM-TR-5GB', 20.00)$$) AS state
  UNION ALL
  SELECT 'partner_customers', rm_test.sqlstate_of($$INSERT INTO public.partner_customers (partner_id, first_name, last_name, email)
           VALUES ('10000000-0000-4000-8000-0000000016a1', 'X', 'Y', 'x@example.com')$$)
  UNION ALL
  SELECT 'customer_group_members', rm_test.sqlstate_of($$INSERT INTO public.customer_group_members (group_id, customer_id)
           VALUES ('30000000-0000-4000-8000-0000000016a1', '20000000-0000-4000-8000-0000000016a2')$$);
-- Through the API the triggers run: the function pins its own search_path.
CREATE TEMP TABLE api_order AS
  SELECT * FROM public.place_b2b_order('RM-TR-5GB', '20000000-0000-4000-8000-0000000016a1'::uuid);
CREATE TEMP TABLE api_members AS
  SELECT public.add_group_members('30000000-0000-4000-8000-0000000016a1', ARRAY['20000000-0000-4000-8000-0000000016a2'::uuid]) AS added;
SELECT rm_test.normal();
SELECT rm_test.become('superuser');
SELECT results_eq('SELECT tbl, state FROM refused ORDER BY tbl',
  $$VALUES ('customer_group_members', '42501'), ('orders', '42501'), ('partner_customers', '42501')$$,
  'authenticated, full preamble: direct INSERTs are refused by row level security (42501)');
SELECT results_eq('SELECT commission_rate, commission_amount_usd FROM api_order',
  $$VALUES (5.00::numeric, 0.9500::numeric)$$, 'authenticated, full preamble, place_b2b_order: commission computed');
SELECT is((SELECT count(*)::int FROM partner_earnings WHERE order_id = (SELECT id FROM api_order)), 1,
  '... the earning created');
SELECT results_eq($$SELECT (SELECT added FROM api_members), group_size FROM customer_groups WHERE id = '30000000-0000-4000-8000-0000000016a1'$$,
  $$VALUES (1, 1)$$, '... add_group_members adds the member and counts it');
SELECT is_empty('SELECT * FROM drift', '... and every figure reconciles');

SELECT * FROM finish();
ROLLBACK;
