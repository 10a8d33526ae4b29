-- The RPC API (sql/onesim/60_api.sql): every function as the right caller
-- (row returned, figures checked by hand and against the reconcile oracle),
-- as the wrong caller (42501 or not found, nothing written) and with bad
-- input (proper SQLSTATE). The full B2B story runs in order: a partner
-- registers, an admin approves it, it creates customers and a group, orders
-- for the group, the provider allocates, the dashboard shows the earnings, an
-- admin pays out, a refund after the payout claws back, the next payout nets
-- it out.
BEGIN;
SELECT plan(142);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_a', 'user_b', 'user_p', 'user_ad', 'user_c', 'user_no_profile', 'partner_b',
                       'partner_p', 'customer_b1', 'group_b1', 'partner_unknown', 'order_unknown');

-- --------------------------------------------------------------- fixtures
-- a1: will register as partner A; b1: partner B (active, 7.50 %); p1: partner
-- P (pending); ad: admin; c1: customer; n1: a user without a profile.
INSERT INTO auth.users (id, email) VALUES
  (pg_temp.id('user_a'), 'a@agency.test'),
  (pg_temp.id('user_b'), 'b@agency.test'),
  (pg_temp.id('user_p'), 'p@agency.test'),
  (pg_temp.id('user_ad'), 'admin@onesim.test'),
  (pg_temp.id('user_c'), 'c@shop.test'),
  (pg_temp.id('user_no_profile'), 'n@shop.test');
INSERT INTO profiles (id, user_type, first_name, last_name, email) VALUES
  (pg_temp.id('user_b'), 'partner', 'Bek', 'B', 'b@agency.test'),
  (pg_temp.id('user_p'), 'partner', 'Pulat', 'P', 'p@agency.test'),
  (pg_temp.id('user_ad'), 'admin', 'Ada', 'Admin', 'admin@onesim.test'),
  (pg_temp.id('user_c'), 'customer', 'Charos', 'C', 'c@shop.test');
INSERT INTO partners (id, user_id, company_name, business_email, custom_commission_rate, status) VALUES
  (pg_temp.id('partner_b'), pg_temp.id('user_b'), 'Agency B', 'b@agency.test', 7.50, 'active'),
  (pg_temp.id('partner_p'), pg_temp.id('user_p'), 'Agency P', 'p@agency.test', NULL, 'pending_approval');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email) VALUES
  (pg_temp.id('customer_b1'), pg_temp.id('partner_b'), 'Bobur', 'Aliyev', 'bobur@example.com');
INSERT INTO customer_groups (id, partner_id, name) VALUES
  (pg_temp.id('group_b1'), pg_temp.id('partner_b'), 'Dubai');
-- The packages sell at the prices given here: no margin or exchange rate the
-- database already holds applies inside the transaction.
UPDATE margin_overrides SET is_active = false WHERE is_active;
DELETE FROM exchange_rates;
INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd, price_uzs, is_active) VALUES
  ('API-TR-5GB', 'Turkey 5GB', 19.00, 19.00, 240000, true),
  ('API-OLD', 'Retired', 5.00, 5.00, 63000, false);

CREATE SCHEMA api_test;
GRANT USAGE ON SCHEMA api_test TO PUBLIC;
-- Impersonates a caller the PostgREST way (role + JWT claims), or goes back
-- to the superuser.
CREATE FUNCTION api_test.become(who text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  sub text := CASE who
    WHEN 'partner_a' THEN pg_temp.id('user_a')
    WHEN 'partner_b' THEN pg_temp.id('user_b')
    WHEN 'partner_p' THEN pg_temp.id('user_p')
    WHEN 'admin' THEN pg_temp.id('user_ad')
    WHEN 'customer' THEN pg_temp.id('user_c')
    WHEN 'no_profile' THEN pg_temp.id('user_no_profile')
  END;
BEGIN
  PERFORM set_config('role', 'none', true);
  CASE
    WHEN who = 'superuser' THEN PERFORM set_config('request.jwt.claims', '', true);
    WHEN who = 'anon' THEN
      PERFORM set_config('request.jwt.claims', '{"role":"anon"}', true);
      PERFORM set_config('role', 'anon', true);
    WHEN who = 'service' THEN
      PERFORM set_config('request.jwt.claims', '{"role":"service_role"}', true);
      PERFORM set_config('role', 'service_role', true);
    WHEN sub IS NOT NULL THEN
      PERFORM set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', sub), true);
      PERFORM set_config('role', 'authenticated', true);
    ELSE RAISE EXCEPTION 'unknown identity %', who;
  END CASE;
END
$$;
GRANT EXECUTE ON FUNCTION api_test.become(text) TO PUBLIC;

CREATE TEMP VIEW drift AS SELECT * FROM onesim_internal.reconcile();
-- Remembered ids (the superuser writes them; everyone reads them).
CREATE TEMP TABLE ids (name text PRIMARY KEY, id uuid);
GRANT SELECT, INSERT ON ids TO PUBLIC;
CREATE FUNCTION api_test.id(n text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM ids WHERE name = n $$;
GRANT EXECUTE ON FUNCTION api_test.id(text) TO PUBLIC;

-- ----------------------------------------------------------- declarations
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND NOT p.prosecdef
              AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql')
              AND p.proconfig = '{"search_path=pg_catalog, pg_temp"}'
              AND p.proname IN ('quote_package', 'place_b2c_order', 'place_b2b_order',
                                'bulk_order_for_group', 'add_group_members', 'remove_group_members',
                                'record_allocation', 'cancel_order', 'refund_order',
                                'run_partner_payout', 'partner_dashboard', 'register_partner',
                                'set_partner_status')),
          13, 'all 13 API functions are SECURITY INVOKER SQL with a pinned search_path');
SELECT is((SELECT count(*)::int FROM pg_proc p
            WHERE p.pronamespace = 'onesim_internal'::regnamespace AND p.prosecdef
              AND p.proconfig = '{"search_path=pg_catalog, pg_temp"}'
              AND p.proname IN ('api_quote_package', 'api_place_b2c_order', 'api_place_b2b_order',
                                'api_bulk_order_for_group', 'api_add_group_members', 'api_remove_group_members',
                                'api_record_allocation', 'api_cancel_order', 'api_refund_order',
                                'api_run_partner_payout', 'api_partner_dashboard', 'api_register_partner',
                                'api_set_partner_status')
              AND EXISTS (SELECT 1 FROM pg_proc api WHERE api.pronamespace = 'public'::regnamespace
                             AND 'api_' || api.proname = p.proname
                             AND api.prosrc LIKE '%onesim_internal.' || p.proname || '(%')),
          13, 'each calls its SECURITY DEFINER step onesim_internal.api_<name>, search_path pinned');
SELECT is((SELECT string_agg(proname || '=' || provolatile::text, ',' ORDER BY proname) FROM pg_proc
            WHERE proname IN ('quote_package', 'partner_dashboard')),
          'partner_dashboard=v,quote_package=s',
          'quotes are STABLE; the dashboard writes the figures it reads first, so it is VOLATILE');
SELECT is((SELECT count(*)::int FROM pg_proc p, aclexplode(p.proacl) a
            WHERE p.proname IN ('quote_package', 'place_b2c_order', 'place_b2b_order',
                                'bulk_order_for_group', 'add_group_members', 'remove_group_members',
                                'record_allocation', 'cancel_order', 'refund_order',
                                'run_partner_payout', 'partner_dashboard', 'register_partner',
                                'set_partner_status')
              AND a.grantee = 0), 0, 'no API function is executable by PUBLIC');
SELECT ok(has_function_privilege('anon', 'quote_package(text, text)', 'EXECUTE')
          AND NOT has_function_privilege('anon', 'place_b2c_order(text, text)', 'EXECUTE')
          AND NOT has_function_privilege('authenticated', 'record_allocation(uuid, text, text, text, text, text, text)', 'EXECUTE')
          AND has_function_privilege('service_role', 'record_allocation(uuid, text, text, text, text, text, text)', 'EXECUTE'),
          'anon may only quote; only the service role may record allocations');

-- ------------------------------------------------------------------ quotes
SELECT api_test.become('anon');
SELECT results_eq($$SELECT * FROM quote_package('API-TR-5GB')$$,
  $$VALUES ('API-TR-5GB'::text, 'Turkey 5GB'::text, 19.0000::numeric, 0::numeric, 0.0000::numeric, 19.0000::numeric, 'USD'::text)$$,
  'anon: retail price, no discount');
SELECT throws_ok($$SELECT * FROM quote_package('NOPE')$$, 'P0002', NULL, 'unknown package: P0002');
SELECT throws_ok($$SELECT * FROM quote_package('API-OLD')$$, 'P0002', NULL, 'inactive package: P0002');
SELECT throws_ok($$SELECT * FROM quote_package(NULL)$$, '22004', NULL, 'NULL package: 22004');
SELECT throws_ok($$SELECT * FROM quote_package('API-TR-5GB', 'EUR')$$, '22023', NULL, 'unknown currency: 22023');
SELECT throws_ok($$SELECT * FROM place_b2c_order('API-TR-5GB')$$, '42501', NULL, 'anon cannot place an order');
SELECT throws_ok($$SELECT * FROM register_partner('X', 'x@x.uz')$$, '42501', NULL, 'anon cannot register a partner');
SELECT api_test.become('customer');
SELECT results_eq($$SELECT retail_price, commission_amount, you_pay FROM quote_package('API-TR-5GB', 'UZS')$$,
  $$VALUES (240000.00::numeric, 0.00::numeric, 240000.00::numeric)$$, 'customer: retail UZS price');
SELECT api_test.become('partner_b');
SELECT results_eq($$SELECT commission_rate, commission_amount, you_pay FROM quote_package('API-TR-5GB')$$,
  $$VALUES (7.50::numeric, 1.4250::numeric, 17.5750::numeric)$$, 'active partner B: 7.50 % of 19.00 = 1.4250');
SELECT results_eq($$SELECT commission_amount, you_pay, currency FROM quote_package('API-TR-5GB', 'UZS')$$,
  $$VALUES (18000.00::numeric, 222000.00::numeric, 'UZS'::text)$$, 'partner B in UZS: 18000.00 off');
SELECT api_test.become('partner_p');
SELECT results_eq($$SELECT commission_rate, commission_amount FROM quote_package('API-TR-5GB')$$,
  $$VALUES (0::numeric, 0.0000::numeric)$$, 'a pending partner gets the retail price');

-- ------------------------------------------------------ partner onboarding
SELECT api_test.become('partner_a');
SELECT throws_ok($$SELECT * FROM register_partner(NULL, 'a@agency.test')$$, '22004', NULL, 'NULL company_name: 22004');
SELECT throws_ok($$SELECT * FROM register_partner('Agency A', 'not-an-email')$$, '22023', NULL, 'bad business_email: 22023');
SELECT throws_ok($$SELECT * FROM register_partner('  ', 'a@agency.test')$$, '22023', NULL, 'blank company_name: 22023');
SELECT results_eq($$SELECT company_name::text, status::text, verified, total_orders FROM register_partner('Agency A', 'a@agency.test', 'travel_agency')$$,
  $$VALUES ('Agency A', 'pending_approval', false, 0)$$, 'register_partner: a pending_approval partner');
SELECT api_test.become('superuser');
INSERT INTO ids SELECT 'A', id FROM partners WHERE user_id = pg_temp.id('user_a');
SELECT is((SELECT user_type::text FROM profiles WHERE id = pg_temp.id('user_a')), 'partner',
  'register_partner: the profile is created as a partner''s');
SELECT api_test.become('partner_a');
SELECT throws_ok($$SELECT * FROM register_partner('Agency A2', 'a@agency.test')$$, '55000', NULL, 'a second registration: 55000');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB')$$, '42501', NULL, 'a pending partner cannot order');
SELECT throws_ok($$SELECT * FROM set_partner_status(api_test.id('A'), 'active')$$, '42501', NULL, 'a partner cannot approve itself');
SELECT api_test.become('customer');
SELECT throws_ok($$SELECT * FROM set_partner_status(api_test.id('A'), 'active')$$, '42501', NULL, 'a customer cannot approve');
SELECT api_test.become('admin');
SELECT throws_ok($$SELECT * FROM register_partner('Admin Co', 'admin@onesim.test')$$, '55000', NULL, 'an admin cannot become a partner');
SELECT throws_ok($$SELECT * FROM set_partner_status(api_test.id('A'), 'approved')$$, '22023', NULL, 'unknown status: 22023');
SELECT throws_ok($$SELECT * FROM set_partner_status(api_test.id('A'), 'active', 150)$$, '22023', NULL, 'rate 150: 22023');
SELECT throws_ok($$SELECT * FROM set_partner_status(NULL, 'active')$$, '22004', NULL, 'NULL partner_id: 22004');
SELECT throws_ok($$SELECT * FROM set_partner_status(pg_temp.id('partner_unknown'), 'active')$$, 'P0002', NULL, 'unknown partner: P0002');
SELECT results_eq($$SELECT status::text, verified, verified_at IS NOT NULL, custom_commission_rate, effective_commission_rate
                     FROM set_partner_status(api_test.id('A'), 'active', 6)$$,
  $$VALUES ('active', true, true, 6.00::numeric, 6.00::numeric)$$, 'admin approves A at 6 %: active and verified');

-- ------------------------------------------------------- B2B orders of A
-- 6 % of 19.00 = 1.1400 USD; of 240000 = 14400.00 UZS.
SELECT api_test.become('partner_a');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB', new_customer => '[1, 2]')$$, '22023', NULL, 'new_customer not an object: 22023');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB', new_customer => '{"first_name":"A","last_name":"K"}')$$, '22023', NULL, 'new_customer without email: 22023');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB', new_customer => '{"first_name":"A","last_name":"K","email":"a@x.uz","vip":"1"}')$$, '22023', NULL, 'new_customer with an unknown key: 22023');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB', new_customer => '{"first_name":"A","last_name":"K","email":"nope"}')$$, '22023', NULL, 'new_customer with a bad email: 22023');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB', new_customer => '{"first_name":"A", "last_name"')$$, '22P02', NULL, 'malformed JSON: 22P02');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB', pg_temp.id('customer_b1'))$$, '23503', NULL, 'partner B''s customer: 23503');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB', customer_group_id => pg_temp.id('group_b1'))$$, '23503', NULL, 'partner B''s group: 23503');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB', pg_temp.id('customer_b1'), '{"first_name":"A","last_name":"K","email":"a@x.uz"}')$$, '22023', NULL, 'customer_id and new_customer: 22023');
SELECT throws_ok($$SELECT * FROM place_b2b_order('NOPE', new_customer => '{"first_name":"Aziza","last_name":"Karimova","email":"aziza@example.com"}')$$, 'P0002', NULL, 'unknown package: P0002');
SELECT throws_ok($$SELECT * FROM place_b2b_order(NULL)$$, '22004', NULL, 'NULL package: 22004');
SELECT api_test.become('superuser');
SELECT is((SELECT count(*)::int FROM partner_customers WHERE partner_id = api_test.id('A')), 0, 'failed calls created no customer');
SELECT results_eq($$SELECT total_orders, pending_earnings FROM partners WHERE id = api_test.id('A')$$,
  $$VALUES (0, 0.0000::numeric)$$, 'failed calls placed no order');

SELECT api_test.become('partner_a');
SELECT results_eq(
  $$SELECT source_type::text, partner_id = api_test.id('A'), user_id, commission_rate, commission_amount_usd,
           commission_amount_uzs, paid_amount_usd, customer_email::text, end_customer_type::text, order_status::text
      FROM place_b2b_order('API-TR-5GB', new_customer => '{"first_name":"Aziza","last_name":"Karimova","email":"aziza@example.com","phone":"+998901111111"}',
                           transaction_id => 'tx-a-1')$$,
  $$VALUES ('b2b_partner', true, pg_temp.id('user_a'), 6.00::numeric, 1.1400::numeric,
            14400.00::numeric, 17.8600::numeric, 'aziza@example.com', 'b2b_partner_customer', 'PENDING')$$,
  'B2B order for a new customer: commission by the trigger at 6 %');
SELECT api_test.become('superuser');
INSERT INTO ids SELECT 'aziza', id FROM partner_customers WHERE partner_id = api_test.id('A');
INSERT INTO ids SELECT 'o1', id FROM orders WHERE transaction_id = 'tx-a-1';
SELECT is((SELECT end_customer_id FROM orders WHERE id = api_test.id('o1')), api_test.id('aziza'), 'the order names the new customer');
SELECT api_test.become('partner_a');
SELECT is((SELECT end_customer_id FROM place_b2b_order('API-TR-5GB', new_customer => '{"first_name":"Aziza","last_name":"K.","email":"AZIZA@Example.com"}', transaction_id => 'tx-a-2')),
  api_test.id('aziza'), 'the same email (any case) reuses the customer');
SELECT results_eq($$SELECT end_customer_id IS NULL, customer_group_id IS NULL, commission_amount_usd FROM place_b2b_order('API-TR-5GB', transaction_id => 'tx-a-3')$$,
  $$VALUES (true, true, 1.1400::numeric)$$, 'an unassigned order');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB', transaction_id => 'tx-a-3')$$, '23505', NULL, 'a duplicate transaction_id: 23505');
-- Customers and a group through the tables (RLS lets the partner write its own).
INSERT INTO partner_customers (partner_id, first_name, last_name, email) VALUES
  (api_test.id('A'), 'Jahongir', 'Xasanov', 'jahongir@example.com'),
  (api_test.id('A'), 'Dilnoza', 'Rahimova', 'dilnoza@example.com');
INSERT INTO customer_groups (partner_id, name) VALUES (api_test.id('A'), 'Antalya');
SELECT api_test.become('superuser');
INSERT INTO ids SELECT lower(first_name), id FROM partner_customers WHERE partner_id = api_test.id('A') AND first_name <> 'Aziza';
INSERT INTO ids SELECT 'grp', id FROM customer_groups WHERE partner_id = api_test.id('A');
SELECT api_test.become('partner_a');
SELECT is((SELECT customer_group_id FROM place_b2b_order('API-TR-5GB', api_test.id('jahongir'), customer_group_id => api_test.id('grp'), transaction_id => 'tx-a-4')),
  api_test.id('grp'), 'an order for an existing customer in a group');
SELECT api_test.become('superuser');
SELECT results_eq($$SELECT total_orders, total_customers, pending_earnings FROM partners WHERE id = api_test.id('A')$$,
  $$VALUES (4, 3, 4.5600::numeric)$$, 'A: 4 orders, 3 customers, 4 x 1.14 pending');
SELECT is((SELECT count(*)::int FROM drift), 0, 'reconcile: no drift after the orders');

-- ------------------------------------------------------------ group members
SELECT api_test.become('partner_a');
SELECT is(add_group_members(api_test.id('grp'),
            ARRAY[api_test.id('aziza'), api_test.id('jahongir'), api_test.id('dilnoza'),
                  api_test.id('dilnoza')]), 3, 'add_group_members: 3 added (duplicates once)');
SELECT is(add_group_members(api_test.id('grp'), ARRAY[api_test.id('aziza')]), 0, 'already a member: 0 added');
SELECT throws_ok($$SELECT add_group_members(api_test.id('grp'),
                     ARRAY[pg_temp.id('customer_b1'), api_test.id('aziza')])$$,
  '23503', NULL, 'a customer of partner B in the list: 23503');
SELECT throws_ok($$SELECT add_group_members(api_test.id('grp'), NULL)$$, '22004', NULL, 'NULL list: 22004');
SELECT throws_ok($$SELECT add_group_members(api_test.id('grp'), ARRAY[NULL::uuid])$$, '22004', NULL, 'NULL in the list: 22004');
SELECT throws_ok($$SELECT add_group_members(pg_temp.id('group_b1'), ARRAY[api_test.id('aziza')])$$, 'P0002', NULL, 'partner B''s group: not found');
SELECT is(remove_group_members(api_test.id('grp'), ARRAY[api_test.id('dilnoza')]), 1, 'remove_group_members: 1 removed');
SELECT is(remove_group_members(api_test.id('grp'), ARRAY[api_test.id('dilnoza')]), 0, 'not a member: 0 removed');
SELECT api_test.become('partner_b');
SELECT throws_ok($$SELECT remove_group_members(api_test.id('grp'), ARRAY[api_test.id('jahongir')])$$, 'P0002', NULL, 'B cannot touch A''s group');
SELECT throws_ok($$SELECT * FROM bulk_order_for_group(api_test.id('grp'), 'API-TR-5GB')$$, 'P0002', NULL, 'B cannot order for A''s group');
SELECT api_test.become('customer');
SELECT throws_ok($$SELECT add_group_members(api_test.id('grp'), ARRAY[api_test.id('aziza')])$$, '42501', NULL, 'a customer cannot manage groups');
SELECT api_test.become('admin');
SELECT is(add_group_members(api_test.id('grp'), ARRAY[api_test.id('dilnoza')]), 1, 'an admin adds a member back');
SELECT api_test.become('superuser');
SELECT is((SELECT group_size FROM customer_groups WHERE id = api_test.id('grp')), 3, 'group_size = 3');

-- ------------------------------------------------------------- bulk orders
SELECT api_test.become('partner_p');
SELECT throws_ok($$SELECT * FROM bulk_order_for_group(api_test.id('grp'), 'API-TR-5GB')$$, '42501', NULL, 'a pending partner cannot bulk-order');
SELECT api_test.become('partner_a');
SELECT throws_ok($$SELECT * FROM bulk_order_for_group(api_test.id('grp'), 'API-OLD')$$, 'P0002', NULL, 'bulk order of an inactive package: P0002');
SELECT throws_ok($$SELECT * FROM bulk_order_for_group(NULL, 'API-TR-5GB')$$, '22004', NULL, 'NULL group: 22004');
SELECT results_eq(
  $$SELECT count(*)::int, count(DISTINCT end_customer_id)::int, bool_and(customer_group_id = api_test.id('grp')),
           sum(commission_amount_usd), sum(paid_amount_usd)
      FROM bulk_order_for_group(api_test.id('grp'), 'API-TR-5GB')$$,
  $$VALUES (3, 3, true, 3.4200::numeric, 53.5800::numeric)$$, 'bulk order: one order per member, commission by the trigger');
SELECT api_test.become('superuser');
INSERT INTO ids SELECT 'g' || row_number() OVER (ORDER BY end_customer_id), id FROM orders
 WHERE customer_group_id = api_test.id('grp') AND transaction_id IS NULL;
SELECT results_eq($$SELECT total_orders, pending_earnings, total_earnings, balance FROM partners WHERE id = api_test.id('A')$$,
  $$VALUES (7, 7.9800::numeric, 0.0000::numeric, 0.0000::numeric)$$, 'A: 7 orders, 7 x 1.14 pending');
SELECT results_eq($$SELECT total_orders, total_spent FROM partner_customers WHERE id = api_test.id('aziza')$$,
  $$VALUES (3, 57.0000::numeric)$$, 'Aziza: 3 orders, 57.00 spent');
SELECT is((SELECT count(*)::int FROM drift), 0, 'reconcile: no drift after the bulk order');

-- ---------------------------------------------------------- allocations
SELECT api_test.become('partner_a');
SELECT throws_ok($$SELECT * FROM record_allocation(api_test.id('g1'), '8901')$$, '42501', NULL, 'a partner cannot record an allocation');
SELECT api_test.become('admin');
SELECT throws_ok($$SELECT * FROM record_allocation(api_test.id('g1'), '8901')$$, '42501', NULL, 'an admin (authenticated) cannot either');
SELECT api_test.become('service');
SELECT results_eq($$SELECT order_status::text, iccid::text, qr_code_url, allocated_at IS NOT NULL FROM record_allocation(api_test.id('g1'), '8901', 'https://qr/1', 'LPA:1$x$y')$$,
  $$VALUES ('ALLOCATED', '8901', 'https://qr/1', true)$$, 'service: order allocated');
SELECT results_eq($$SELECT order_status::text, iccid::text, qr_code_url FROM record_allocation(api_test.id('g1'), '8901')$$,
  $$VALUES ('ALLOCATED', '8901', 'https://qr/1')$$, 'the same ICCID again: idempotent');
SELECT throws_ok($$SELECT * FROM record_allocation(api_test.id('g1'), '8999')$$, '55000', NULL, 'another ICCID: 55000');
SELECT throws_ok($$SELECT * FROM record_allocation(api_test.id('g2'), '8901')$$, '23505', NULL, 'an ICCID already used: 23505');
SELECT throws_ok($$SELECT * FROM record_allocation(api_test.id('g2'), NULL)$$, '22004', NULL, 'NULL iccid: 22004');
SELECT throws_ok($$SELECT * FROM record_allocation(pg_temp.id('order_unknown'), '8977')$$, 'P0002', NULL, 'unknown order: P0002');
SELECT is((SELECT order_status::text FROM record_allocation(api_test.id('g2'), '8902')), 'ALLOCATED', 'g2 allocated');
SELECT is((SELECT order_status::text FROM record_allocation(api_test.id('g3'), '8903')), 'ALLOCATED', 'g3 allocated');
SELECT is((SELECT order_status::text FROM record_allocation(api_test.id('o1'), '8904')), 'ALLOCATED', 'o1 allocated');
SELECT api_test.become('superuser');
SELECT results_eq($$SELECT pending_earnings, total_earnings, balance FROM partners WHERE id = api_test.id('A')$$,
  $$VALUES (3.4200::numeric, 4.5600::numeric, 4.5600::numeric)$$, 'A: 4 earned (4.56), 3 pending (3.42)');
SELECT is((SELECT count(*)::int FROM partner_earnings WHERE partner_id = api_test.id('A') AND status = 'earned'), 4, '4 earnings earned');

-- ------------------------------------------------------------- B2C, cancel
SELECT api_test.become('no_profile');
SELECT throws_ok($$SELECT * FROM place_b2c_order('API-TR-5GB')$$, '42501', NULL, 'a user without a profile cannot order');
SELECT api_test.become('customer');
SELECT throws_ok($$SELECT * FROM place_b2c_order('API-OLD')$$, 'P0002', NULL, 'inactive package: P0002');
SELECT results_eq(
  $$SELECT source_type::text, user_id, end_customer_id, price_usd, price_uzs, paid_amount_usd, commission_applicable,
           commission_amount_usd, customer_email::text
      FROM place_b2c_order('API-TR-5GB', 'tx-c-1')$$,
  $$VALUES ('b2c', pg_temp.id('user_c'), pg_temp.id('user_c'),
            19.0000::numeric, 240000.00::numeric, 19.0000::numeric, false, NULL::numeric, 'c@shop.test')$$,
  'B2C order at the current price, no commission');
SELECT api_test.become('superuser');
INSERT INTO ids SELECT 'c1', id FROM orders WHERE transaction_id = 'tx-c-1';
INSERT INTO ids SELECT 'o3', id FROM orders WHERE transaction_id = 'tx-a-3';
INSERT INTO ids SELECT 'o2', id FROM orders WHERE transaction_id = 'tx-a-2';
INSERT INTO ids SELECT 'o4', id FROM orders WHERE transaction_id = 'tx-a-4';
SELECT api_test.become('partner_b');
SELECT throws_ok($$SELECT * FROM cancel_order(api_test.id('o3'))$$, 'P0002', NULL, 'B cannot cancel A''s order: not found');
SELECT throws_ok($$SELECT * FROM cancel_order(api_test.id('c1'))$$, 'P0002', NULL, 'B cannot cancel a customer''s order');
SELECT api_test.become('anon');
SELECT throws_ok($$SELECT * FROM cancel_order(api_test.id('c1'))$$, '42501', NULL, 'anon cannot cancel');
SELECT api_test.become('partner_a');
SELECT throws_ok($$SELECT * FROM cancel_order(api_test.id('c1'))$$, 'P0002', NULL, 'A cannot cancel a customer''s B2C order');
SELECT throws_ok($$SELECT * FROM cancel_order(api_test.id('g1'))$$, '55000', NULL, 'the owner cannot cancel an allocated order');
SELECT throws_ok($$SELECT * FROM refund_order(api_test.id('g1'))$$, '42501', NULL, 'a partner cannot refund');
SELECT results_eq($$SELECT order_status::text, cancel_reason, cancelled_at IS NOT NULL FROM cancel_order(api_test.id('o3'), 'changed plans')$$,
  $$VALUES ('CANCELLED', 'changed plans', true)$$, 'A cancels its pending unassigned order');
SELECT is((SELECT order_status::text FROM cancel_order(api_test.id('o3'))), 'CANCELLED', 'cancelling again: idempotent');
SELECT api_test.become('customer');
SELECT throws_ok($$SELECT * FROM cancel_order(api_test.id('o2'))$$, 'P0002', NULL, 'a customer cannot cancel a partner''s order');
SELECT is((SELECT order_status::text FROM cancel_order(api_test.id('c1'))), 'CANCELLED', 'the customer cancels its own order');
SELECT throws_ok($$SELECT * FROM cancel_order(NULL)$$, '22004', NULL, 'NULL order_id: 22004');
SELECT api_test.become('service');
SELECT throws_ok($$SELECT * FROM record_allocation(api_test.id('o3'), '8905')$$, '55000', NULL, 'a cancelled order cannot be allocated');
SELECT api_test.become('superuser');
SELECT results_eq($$SELECT pending_earnings, total_earnings, balance FROM partners WHERE id = api_test.id('A')$$,
  $$VALUES (2.2800::numeric, 4.5600::numeric, 4.5600::numeric)$$, 'A: the cancelled order no longer pending');
SELECT is((SELECT status::text FROM partner_earnings WHERE order_id = api_test.id('o3')), 'cancelled', 'its earning is cancelled');

-- --------------------------------------------------------------- dashboard
SELECT api_test.become('partner_a');
SELECT results_eq(
  $$SELECT company_name::text, total_orders, active_orders, pending_orders, total_spent_usd, total_earnings,
           pending_earnings, balance, total_customers, total_groups FROM partner_dashboard()$$,
  $$VALUES ('Agency A', 7::bigint, 4::bigint, 2::bigint, 76.0000::numeric, 4.5600::numeric, 2.2800::numeric,
            4.5600::numeric, 3::bigint, 1::bigint)$$,
  'partner A''s dashboard');
SELECT is((SELECT partner_id FROM partner_dashboard(api_test.id('A'))), api_test.id('A'), 'A may name itself');
SELECT api_test.become('partner_b');
SELECT throws_ok($$SELECT * FROM partner_dashboard(api_test.id('A'))$$, 'P0002', NULL, 'B cannot read A''s dashboard');
SELECT api_test.become('customer');
SELECT throws_ok($$SELECT * FROM partner_dashboard()$$, '42501', NULL, 'a customer has no dashboard');
SELECT api_test.become('anon');
SELECT throws_ok($$SELECT * FROM partner_dashboard()$$, '42501', NULL, 'anon has no dashboard');
SELECT api_test.become('admin');
SELECT is((SELECT balance FROM partner_dashboard(api_test.id('A'))), 4.5600::numeric, 'an admin reads A''s dashboard');
SELECT throws_ok($$SELECT * FROM partner_dashboard()$$, '22004', NULL, 'an admin must name the partner');

-- ---------------------------------------------------------------- payouts
SELECT api_test.become('partner_a');
SELECT throws_ok($$SELECT * FROM run_partner_payout(api_test.id('A'), 'bank')$$, '42501', NULL, 'a partner cannot pay itself');
SELECT api_test.become('admin');
SELECT throws_ok($$SELECT * FROM run_partner_payout(api_test.id('A'), 'bank', minimum_amount => -1)$$, '22023', NULL, 'negative minimum: 22023');
SELECT throws_ok($$SELECT * FROM run_partner_payout(api_test.id('A'), NULL)$$, '22004', NULL, 'NULL method: 22004');
SELECT throws_ok($$SELECT * FROM run_partner_payout(api_test.id('A'), 'bank', minimum_amount => NULL)$$, '22004', NULL, 'NULL minimum: 22004');
SELECT throws_ok($$SELECT * FROM run_partner_payout(api_test.id('A'), 'bank', minimum_amount => 10)$$, '55000', NULL, 'balance below the minimum: 55000');
SELECT throws_ok($$SELECT * FROM run_partner_payout(pg_temp.id('partner_unknown'), 'bank')$$, 'P0002', NULL, 'unknown partner: P0002');
SELECT throws_ok($$SELECT * FROM run_partner_payout(pg_temp.id('partner_b'), 'bank')$$, '55000', NULL, 'B has nothing to pay: 55000');
SELECT api_test.become('superuser');
SELECT is((SELECT count(*)::int FROM partner_payouts
            WHERE partner_id IN (api_test.id('A'), pg_temp.id('partner_b'))), 0,
          'refused payouts wrote nothing');
SELECT api_test.become('admin');
SELECT results_eq(
  $$SELECT amount_usd, earnings_count, status::text, method::text, reference::text, created_by, paid_at IS NOT NULL
      FROM run_partner_payout(api_test.id('A'), 'bank', 'PO-1', 1)$$,
  $$VALUES (4.5600::numeric, 4, 'paid', 'bank', 'PO-1', pg_temp.id('user_ad'), true)$$,
  'payout 1: 4 earnings, 4.56');
SELECT api_test.become('superuser');
INSERT INTO ids SELECT 'p1', id FROM partner_payouts WHERE reference = 'PO-1';
SELECT results_eq($$SELECT pending_earnings, total_earnings, balance FROM partners WHERE id = api_test.id('A')$$,
  $$VALUES (2.2800::numeric, 4.5600::numeric, 0.0000::numeric)$$, 'after payout 1: balance 0, lifetime total kept');
SELECT results_eq($$SELECT count(*)::int, bool_and(paid_out), bool_and(paid_at IS NOT NULL), bool_and(payout_id = api_test.id('p1'))
                     FROM partner_earnings WHERE partner_id = api_test.id('A') AND status = 'paid'$$,
  $$VALUES (4, true, true, true)$$, 'the 4 earnings are paid by payout 1');
SELECT is((SELECT count(*)::int FROM drift), 0, 'reconcile: no drift after payout 1');
SELECT api_test.become('service');
SELECT throws_ok($$SELECT * FROM run_partner_payout(api_test.id('A'), 'bank')$$, '55000', NULL, 'nothing left to pay: 55000');

-- ------------------------------------------ refund after payout: clawback
SELECT api_test.become('customer');
SELECT throws_ok($$SELECT * FROM refund_order(api_test.id('c1'))$$, '42501', NULL, 'a customer cannot refund');
SELECT api_test.become('admin');
SELECT throws_ok($$SELECT * FROM refund_order(pg_temp.id('order_unknown'))$$, 'P0002', NULL, 'refund of an unknown order: P0002');
SELECT results_eq($$SELECT order_status::text, payment_status::text, refunded_at IS NOT NULL, cancel_reason FROM refund_order(api_test.id('g1'), 'eSIM did not work')$$,
  $$VALUES ('REFUNDED', 'refunded', true, 'eSIM did not work')$$, 'admin refunds an allocated, paid-out order');
SELECT is((SELECT order_status::text FROM refund_order(api_test.id('g1'))), 'REFUNDED', 'refunding again: idempotent');
SELECT api_test.become('superuser');
SELECT results_eq($$SELECT pending_earnings, total_earnings, balance FROM partners WHERE id = api_test.id('A')$$,
  $$VALUES (2.2800::numeric, 3.4200::numeric, -1.1400::numeric)$$, 'clawback: balance -1.14');
SELECT results_eq($$SELECT status::text, paid_out FROM partner_earnings WHERE order_id = api_test.id('g1')$$,
  $$VALUES ('cancelled', true)$$, 'the refunded earning is cancelled, still marked paid out');
SELECT is((SELECT count(*)::int FROM drift), 0, 'reconcile: no drift after the clawback');
SELECT api_test.become('admin');
SELECT throws_ok($$SELECT * FROM run_partner_payout(api_test.id('A'), 'bank')$$, '55000', NULL, 'a negative balance is not paid: 55000');

-- Two more allocations (2 x 1.14) make the balance 1.14; payout 2 nets the clawback.
SELECT api_test.become('service');
SELECT is((SELECT order_status::text FROM record_allocation(api_test.id('o2'), '8906')), 'ALLOCATED', 'o2 allocated');
SELECT is((SELECT order_status::text FROM record_allocation(api_test.id('o4'), '8907')), 'ALLOCATED', 'o4 allocated');
SELECT api_test.become('superuser');
SELECT results_eq($$SELECT pending_earnings, total_earnings, balance FROM partners WHERE id = api_test.id('A')$$,
  $$VALUES (0.0000::numeric, 5.7000::numeric, 1.1400::numeric)$$, 'A: 2.28 earned minus the 1.14 clawback');
SELECT api_test.become('service');
SELECT results_eq($$SELECT amount_usd, earnings_count, status::text, created_by FROM run_partner_payout(api_test.id('A'), 'bank', 'PO-2')$$,
  $$VALUES (1.1400::numeric, 3, 'paid', NULL::uuid)$$, 'payout 2 (service): 2 earnings and 1 clawback, net 1.14');
SELECT api_test.become('superuser');
INSERT INTO ids SELECT 'p2', id FROM partner_payouts WHERE reference = 'PO-2';
SELECT results_eq($$SELECT pending_earnings, total_earnings, balance FROM partners WHERE id = api_test.id('A')$$,
  $$VALUES (0.0000::numeric, 5.7000::numeric, 0.0000::numeric)$$, 'after payout 2: balance 0');
SELECT results_eq($$SELECT status::text, paid_out, payout_id = api_test.id('p2') FROM partner_earnings WHERE order_id = api_test.id('g1')$$,
  $$VALUES ('cancelled', false, true)$$, 'the clawback is settled by payout 2');
SELECT is((SELECT count(*)::int FROM partner_earnings WHERE payout_id = api_test.id('p2')), 3, 'payout 2 names its 3 earnings');
SELECT is((SELECT count(*)::int FROM drift), 0, 'reconcile: no drift at the end');
SELECT api_test.become('partner_a');
SELECT results_eq($$SELECT balance, total_earnings FROM partner_dashboard()$$,
  $$VALUES (0.0000::numeric, 5.7000::numeric)$$, 'the dashboard agrees');
SELECT is((SELECT count(*)::int FROM partner_payouts), 2, 'A sees its 2 payouts (RLS)');

-- ----------------------------------------------- an admin suspends A
SELECT api_test.become('admin');
SELECT is((SELECT status::text FROM set_partner_status(api_test.id('A'), 'suspended')), 'suspended', 'admin suspends A');
SELECT api_test.become('partner_a');
SELECT throws_ok($$SELECT * FROM place_b2b_order('API-TR-5GB', api_test.id('aziza'))$$, '42501', NULL, 'a suspended partner cannot order');
SELECT results_eq($$SELECT commission_amount FROM quote_package('API-TR-5GB')$$, $$VALUES (0.0000::numeric)$$,
  'a suspended partner is quoted the retail price');

SELECT api_test.become('superuser');
SELECT * FROM finish();
ROLLBACK;
