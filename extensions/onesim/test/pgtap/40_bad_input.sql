-- Bad input through SQL: every API function and the commission functions
-- called with NULLs, empty strings, malformed text and JSON ('{', '[]', '"x"'),
-- NaN / Infinity / huge / negative / over-precise numerics, unknown and other
-- tenants' ids, and malformed or missing JWT claims, each as the caller
-- PostgREST would set up (SET LOCAL ROLE + request.jwt.claims).
--
-- Each call must end in its proper SQLSTATE (never XX000 internal_error,
-- never a crash: the same backend answers every call), and nothing may be
-- left behind: row counts of every table of the extension (and auth.users)
-- are the same at the end as at the start, and reconcile() is empty. The few
-- inputs the API accepts are listed with what they do ('ok': wrote nothing,
-- 'ok, wrote': wrote rows; each call is rolled back after it is measured).
BEGIN;

-- --------------------------------------------------------------- fixtures
-- Partner B (active) and partner B2 (active, another tenant) with a customer
-- and a group each; an order of B2; an admin; a user without a profile. Ids
-- are generated as the file runs (fixtures/test_ids.psql); the *_unknown ones
-- exist nowhere.
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_b', 'user_b2', 'user_ad', 'user_no_profile', 'user_unknown', 'partner_b',
                       'partner_b2', 'partner_unknown', 'customer_b', 'customer_b2', 'customer_unknown',
                       'group_b', 'group_b2', 'order_b2', 'order_unknown');
INSERT INTO auth.users (id, email) VALUES
  (pg_temp.id('user_b'), 'b@agency.test'),
  (pg_temp.id('user_b2'), 'b2@agency.test'),
  (pg_temp.id('user_ad'), 'admin@onesim.test'),
  (pg_temp.id('user_no_profile'), 'n@shop.test');
INSERT INTO profiles (id, user_type, first_name, last_name, email) VALUES
  (pg_temp.id('user_b'), 'partner', 'Bek', 'B', 'b@agency.test'),
  (pg_temp.id('user_b2'), 'partner', 'Bo', 'B', 'b2@agency.test'),
  (pg_temp.id('user_ad'), 'admin', 'Ada', 'Admin', 'admin@onesim.test');
INSERT INTO partners (id, user_id, company_name, business_email, custom_commission_rate, status) VALUES
  (pg_temp.id('partner_b'), pg_temp.id('user_b'), 'Agency B', 'b@agency.test', 7.50, 'active'),
  (pg_temp.id('partner_b2'), pg_temp.id('user_b2'), 'Agency B2', 'b2@agency.test', 5, 'active');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email) VALUES
  (pg_temp.id('customer_b'), pg_temp.id('partner_b'), 'Bobur', 'Aliyev', 'bobur@example.com'),
  (pg_temp.id('customer_b2'), pg_temp.id('partner_b2'), 'Other', 'Tenant', 'o@example.com');
INSERT INTO customer_groups (id, partner_id, name) VALUES
  (pg_temp.id('group_b'), pg_temp.id('partner_b'), 'Dubai'),
  (pg_temp.id('group_b2'), pg_temp.id('partner_b2'), 'Other');
INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd, price_uzs, is_active) VALUES
  ('BAD-TR-5GB', 'Turkey 5GB', 19.00, 19.00, 240000, true);
INSERT INTO orders (id, package_code, price_usd, price_uzs, source_type, partner_id, end_customer_id, end_customer_type)
  VALUES (pg_temp.id('order_b2'), 'BAD-TR-5GB', 19, 240000, 'b2b_partner',
          pg_temp.id('partner_b2'), pg_temp.id('customer_b2'), 'b2b_partner_customer');


-- ---------------------------------------------------------------- helpers
CREATE SCHEMA bad;
GRANT USAGE ON SCHEMA bad TO PUBLIC;
-- Row counts of every table of the extension and auth.users, read as the
-- superuser whoever calls.
CREATE FUNCTION bad.snapshot() RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE t regclass; n bigint; out text := '';
BEGIN
  FOR t IN SELECT c.oid::regclass FROM pg_class c
             JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
             JOIN pg_extension e ON e.oid = d.refobjid AND e.extname IN ('onesim', 'supabase_platform')
            WHERE c.relkind = 'r'
           UNION SELECT 'auth.users'::regclass ORDER BY 1 LOOP
    EXECUTE format('SELECT count(*) FROM %s', t) INTO n;
    out := out || format('%s=%s ', t, n);
  END LOOP;
  RETURN out;
END $$;
GRANT EXECUTE ON FUNCTION bad.snapshot() TO PUBLIC;
-- Runs sql as who, the PostgREST way (role + request.jwt.claims; 'raw' takes
-- the claims text as given), in a subtransaction that is always rolled back.
-- Returns the SQLSTATE of the error, or 'ok' ('ok, wrote' if row counts moved).
CREATE FUNCTION bad.state(who text, sql text, raw_claims text DEFAULT NULL) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; before text := bad.snapshot();
BEGIN
  BEGIN
    PERFORM set_config('request.jwt.claims', coalesce(raw_claims, CASE who
      WHEN 'partner' THEN format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_b'))
      WHEN 'admin' THEN format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_ad'))
      WHEN 'no_profile' THEN format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_no_profile'))
      WHEN 'service' THEN '{"role":"service_role"}'
      WHEN 'anon' THEN '{"role":"anon"}'
      ELSE '' END), true);
    PERFORM set_config('role', CASE who WHEN 'service' THEN 'service_role' WHEN 'anon' THEN 'anon'
                                        WHEN 'superuser' THEN 'none' ELSE 'authenticated' END, true);
    EXECUTE sql;
    PERFORM set_config('role', 'none', true);
    st := CASE WHEN bad.snapshot() = before THEN 'ok' ELSE 'ok, wrote' END;
    RAISE EXCEPTION USING ERRCODE = 'ZZ999';  -- roll the call back
  EXCEPTION
    WHEN SQLSTATE 'ZZ999' THEN NULL;
    WHEN OTHERS THEN st := SQLSTATE;
  END;
  PERFORM set_config('role', 'none', true);
  PERFORM set_config('request.jwt.claims', '', true);
  RETURN st;
END $$;
GRANT EXECUTE ON FUNCTION bad.state(text, text, text) TO PUBLIC;

-- ------------------------------------------------------------------ cases
-- (who, sql, claims as raw text for who = 'raw', expected SQLSTATE or
-- 'ok' / 'ok, wrote' for the inputs the API accepts)
CREATE TEMP TABLE cases (n serial, who text, sql text, raw text, expected text);
INSERT INTO cases (who, sql, raw, expected) VALUES
 ('anon', $$SELECT * FROM quote_package(NULL)$$, NULL, '22004'),
 ('anon', $$SELECT * FROM quote_package('')$$, NULL, '22023'),
 ('anon', $$SELECT * FROM quote_package('BAD-TR-5GB', NULL)$$, NULL, '22004'),
 ('anon', $$SELECT * FROM quote_package('BAD-TR-5GB', '')$$, NULL, '22023'),
 ('anon', $$SELECT * FROM quote_package('BAD-TR-5GB', 'usd')$$, NULL, '22023'),
 ('anon', $$SELECT * FROM quote_package('BAD-TR-5GB', 'EUR')$$, NULL, '22023'),
 ('anon', $$SELECT * FROM quote_package('NOPE')$$, NULL, 'P0002'),
 ('anon', $$SELECT * FROM quote_package(repeat('x', 100000))$$, NULL, 'P0002'),
 ('anon', $$SELECT * FROM quote_package(E'BAD\\x01')$$, NULL, 'P0002'),
 ('partner', $$SELECT place_b2c_order(NULL)$$, NULL, '22004'),
 ('partner', $$SELECT place_b2c_order('')$$, NULL, '22023'),
 ('no_profile', $$SELECT place_b2c_order('BAD-TR-5GB')$$, NULL, '42501'),
 ('partner', $$SELECT place_b2b_order(NULL)$$, NULL, '22004'),
 ('partner', $$SELECT place_b2b_order('')$$, NULL, '22023'),
 ('partner', $$SELECT place_b2b_order('NOPE', pg_temp.id('customer_b'))$$, NULL, 'P0002'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b2'))$$, NULL, '23503'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_unknown'))$$, NULL, '23503'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, NULL, pg_temp.id('group_b2'))$$, NULL, '23503'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'), '{"first_name":"a","last_name":"b","email":"x@y.z"}')$$, NULL, '22023'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, '[]')$$, NULL, '22023'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, '"x"')$$, NULL, '22023'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, 'null')$$, NULL, '22023'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, '{}')$$, NULL, '22023'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, '{"first_name":1,"last_name":[],"email":{}}')$$, NULL, '22023'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, '{"first_name":"a","last_name":"b","email":null}')$$, NULL, '22023'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, '{"first_name":"a","last_name":"b","email":"nope"}')$$, NULL, '22023'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, jsonb_build_object('first_name',repeat('a',1000),'last_name','b','email','a@b.c'))$$, NULL, '22001'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, '{"first_name":"a","last_name":"b","email":"a@b.c","phone":12}')$$, NULL, '22023'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, '{"first_name":"a","last_name":"b","email":"a\u0000@b.c"}')$$, NULL, '22P05'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'), transaction_id => repeat('t', 500))$$, NULL, '22001'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'), transaction_id => '')$$, NULL, 'ok, wrote'),  -- an empty transaction_id is accepted (and then unique: a second '' is 23505)
 ('partner', $$SELECT bulk_order_for_group(NULL, 'BAD-TR-5GB')$$, NULL, '22004'),
 ('partner', $$SELECT bulk_order_for_group(pg_temp.id('group_b'), NULL)$$, NULL, '22004'),
 ('partner', $$SELECT bulk_order_for_group(pg_temp.id('group_b2'), 'BAD-TR-5GB')$$, NULL, 'P0002'),
 ('partner', $$SELECT bulk_order_for_group(pg_temp.id('group_b'), 'NOPE')$$, NULL, 'P0002'),
 ('partner', $$SELECT add_group_members(NULL, ARRAY[pg_temp.id('customer_b')])$$, NULL, '22004'),
 ('partner', $$SELECT add_group_members(pg_temp.id('group_b'), NULL)$$, NULL, '22004'),
 ('partner', $$SELECT add_group_members(pg_temp.id('group_b'), '{}')$$, NULL, 'ok'),  -- an empty customer list adds nobody
 ('partner', $$SELECT add_group_members(pg_temp.id('group_b'), ARRAY[NULL]::uuid[])$$, NULL, '22004'),
 ('partner', $$SELECT add_group_members(pg_temp.id('group_b'), ARRAY[[pg_temp.id('customer_b')]])$$, NULL, 'ok, wrote'),  -- a 2-D array is read as its elements
 ('partner', $$SELECT add_group_members(pg_temp.id('group_b'), ARRAY[pg_temp.id('customer_b2')])$$, NULL, '23503'),
 ('partner', $$SELECT add_group_members(pg_temp.id('group_b2'), ARRAY[pg_temp.id('customer_b')])$$, NULL, 'P0002'),
 ('partner', $$SELECT add_group_members(pg_temp.id('group_b'), ARRAY[pg_temp.id('customer_b'), pg_temp.id('customer_unknown')])$$, NULL, '23503'),
 ('partner', $$SELECT remove_group_members(NULL, NULL)$$, NULL, '22004'),
 ('partner', $$SELECT remove_group_members(pg_temp.id('group_b2'), ARRAY[pg_temp.id('customer_b2')])$$, NULL, 'P0002'),
 ('partner', $$SELECT remove_group_members(pg_temp.id('group_b'), ARRAY[NULL]::uuid[])$$, NULL, '22004'),
 ('service', $$SELECT record_allocation(NULL, 'icc')$$, NULL, '22004'),
 ('service', $$SELECT record_allocation(pg_temp.id('order_b2'), NULL)$$, NULL, '22004'),
 ('service', $$SELECT record_allocation(pg_temp.id('order_b2'), '')$$, NULL, '22023'),
 ('service', $$SELECT record_allocation(pg_temp.id('order_b2'), repeat('9', 33))$$, NULL, '22001'),
 ('service', $$SELECT record_allocation(pg_temp.id('order_unknown'), 'icc')$$, NULL, 'P0002'),
 ('partner', $$SELECT record_allocation(pg_temp.id('order_b2'), 'icc')$$, NULL, '42501'),
 ('partner', $$SELECT cancel_order(NULL)$$, NULL, '22004'),
 ('partner', $$SELECT cancel_order(pg_temp.id('order_b2'))$$, NULL, 'P0002'),
 ('anon', $$SELECT cancel_order(pg_temp.id('order_b2'))$$, NULL, '42501'),
 ('partner', $$SELECT refund_order(pg_temp.id('order_b2'))$$, NULL, '42501'),
 ('service', $$SELECT refund_order(NULL)$$, NULL, '22004'),
 ('service', $$SELECT refund_order(pg_temp.id('order_unknown'))$$, NULL, 'P0002'),
 ('service', $$SELECT run_partner_payout(NULL, 'bank')$$, NULL, '22004'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_b'), NULL)$$, NULL, '22004'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_b'), '')$$, NULL, '22023'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_b'), 'bank', NULL, NULL)$$, NULL, '22004'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_b'), 'bank', NULL, 'NaN')$$, NULL, '22023'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_b'), 'bank', NULL, 'Infinity')$$, NULL, '22023'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_b'), 'bank', NULL, '-Infinity')$$, NULL, '22023'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_b'), 'bank', NULL, -1)$$, NULL, '22023'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_b'), 'bank', NULL, 1e100)$$, NULL, '22003'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_b'), 'bank', NULL, 1e-100)$$, NULL, '22003'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_unknown'), 'bank')$$, NULL, 'P0002'),
 ('service', $$SELECT run_partner_payout(pg_temp.id('partner_b'), repeat('m', 100))$$, NULL, '55000'),
 ('partner', $$SELECT run_partner_payout(pg_temp.id('partner_b'), 'bank')$$, NULL, '42501'),
 ('partner', $$SELECT partner_dashboard(pg_temp.id('partner_b2'))$$, NULL, 'P0002'),
 ('service', $$SELECT partner_dashboard(NULL)$$, NULL, '22004'),
 ('service', $$SELECT partner_dashboard(pg_temp.id('partner_unknown'))$$, NULL, 'P0002'),
 ('anon', $$SELECT partner_dashboard()$$, NULL, '42501'),
 ('no_profile', $$SELECT register_partner(NULL, 'a@b.c')$$, NULL, '22004'),
 ('no_profile', $$SELECT register_partner('', 'a@b.c')$$, NULL, '22023'),
 ('no_profile', $$SELECT register_partner('Co', NULL)$$, NULL, '22004'),
 ('no_profile', $$SELECT register_partner('Co', 'not an email')$$, NULL, '22023'),
 ('no_profile', $$SELECT register_partner(repeat('c', 1000), 'a@b.c')$$, NULL, '22001'),
 ('no_profile', $$SELECT register_partner('Co', 'a@b.c', company_type => 'spaceship')$$, NULL, 'ok, wrote'),  -- company_type is free text
 ('anon', $$SELECT register_partner('Co', 'a@b.c')$$, NULL, '42501'),
 ('partner', $$SELECT register_partner('Co', 'a@b.c')$$, NULL, '55000'),
 ('admin', $$SELECT set_partner_status(NULL, 'active')$$, NULL, '22004'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_b'), NULL)$$, NULL, '22004'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_b'), 'bogus')$$, NULL, '22023'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_b'), '')$$, NULL, '22023'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_b'), 'active', 'NaN')$$, NULL, '22023'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_b'), 'active', 'Infinity')$$, NULL, '22023'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_b'), 'active', -1)$$, NULL, '22023'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_b'), 'active', 100.01)$$, NULL, '22023'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_b'), 'active', 5.555)$$, NULL, '22023'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_b'), 'active', 1e100)$$, NULL, '22003'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_unknown'), 'active')$$, NULL, 'P0002'),
 ('partner', $$SELECT set_partner_status(pg_temp.id('partner_b'), 'active', 50)$$, NULL, '42501'),
 ('anon', $$SELECT calculate_commission(NULL, 5)$$, NULL, '22004'),
 ('anon', $$SELECT calculate_commission(15, NULL)$$, NULL, '22004'),
 ('anon', $$SELECT calculate_commission(15, 5, NULL)$$, NULL, '22004'),
 ('anon', $$SELECT calculate_commission(15, 5, '')$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission(15, 5, 'usd')$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission('NaN', 5)$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission(15, 'NaN')$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission('Infinity', 5)$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission('-Infinity', 5)$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission(15, 'Infinity')$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission(-15, 5)$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission(15, -5)$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission(15, 100.01)$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission(15, 5.555)$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission(15.00001, 5)$$, NULL, '22023'),
 ('anon', $$SELECT calculate_commission(1e100, 5)$$, NULL, '22003'),
 ('anon', $$SELECT calculate_commission(1e37, 5)$$, NULL, '22003'),
 ('anon', $$SELECT calculate_commission(1e-100, 5)$$, NULL, '22003'),
 ('anon', $$SELECT calculate_commission(99999999999999999999999999999999999999, 100)$$, NULL, '22003'),
 ('anon', $$SELECT calculate_commission(15.00, 5, 'UZS')$$, NULL, 'ok'),
 ('anon', $$SELECT commission_breakdown(NULL, NULL, NULL)$$, NULL, '22004'),
 ('anon', $$SELECT commission_breakdown('NaN', 'NaN')$$, NULL, '22023'),
 ('anon', $$SELECT commission_breakdown(1e100, 100)$$, NULL, '22003'),
 ('anon', $$SELECT commission_breakdown(15, 5, 'XXX')$$, NULL, '22023'),
 ('anon', $$SELECT onesim_internal.reconcile()$$, NULL, '42501'),
 ('service', $$SELECT onesim_internal.reconcile(NULL)$$, NULL, '22004'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, '{', '22P02'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, '[]', '42501'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, '"x"', '42501'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, 'null', '42501'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, '{}', '42501'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, '{"sub":"not-a-uuid","role":"authenticated"}', '22P02'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, '{"sub":123,"role":"authenticated"}', '22P02'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, '{"sub":null,"role":"authenticated"}', '42501'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_unknown')), '42501'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, format('{"sub":"%s"}', pg_temp.id('user_b')), 'ok, wrote'),  -- claims without a role: the database role decides
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, format('{"sub":"%s","role":"service_role"}', pg_temp.id('user_b')), 'ok, wrote'),  -- a role claim does not override the database role (authenticated)
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, format('{"sub":"%s","role":["authenticated"]}', pg_temp.id('user_b')), 'ok, wrote'),  -- a malformed role claim does not matter either
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, format('{"sub":"%s","sub":"%s","role":"authenticated"}', pg_temp.id('user_b'), pg_temp.id('user_b2')), '23503'),
 ('raw', $$SELECT run_partner_payout(pg_temp.id('partner_b'), 'bank')$$, format('{"sub":"%s","role":"service_role"}', pg_temp.id('user_b')), '42501'),
 ('raw', $$SELECT cancel_order(pg_temp.id('order_b2'))$$, '{', '22P02'),
 ('raw', $$SELECT partner_dashboard()$$, '{"sub":""}', '22P02'),
 ('raw', $$SELECT * FROM quote_package('BAD-TR-5GB')$$, '{', '22P02'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', NULL, '{')$$, NULL, '22P02'),
 ('partner', $$SELECT place_b2b_order('BAD-TR-5GB', 'not-a-uuid')$$, NULL, '22P02'),
 ('partner', $$SELECT cancel_order('')$$, NULL, '22P02'),
 ('service', $$SELECT record_allocation('{}', 'icc')$$, NULL, '22P02'),
 ('partner', $$SELECT add_group_members(pg_temp.id('group_b'), '{not-a-uuid}')$$, NULL, '22P02'),
 ('admin', $$SELECT set_partner_status(pg_temp.id('partner_b'), 'active', 'abc')$$, NULL, '22P02'),
 ('anon', $$SELECT calculate_commission('', 5)$$, NULL, '22P02'),
 ('anon', $$SELECT calculate_commission(15, 5, repeat('U', 100000))$$, NULL, '22023'),
 ('anon', $$SELECT commission_breakdown(-0.0, 0)$$, NULL, 'ok'),
 ('anon', $$SELECT commission_breakdown(0.0001, 100)$$, NULL, 'ok'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, '', '42501'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, repeat('[', 100000), '54001'),
 ('raw', $$SELECT place_b2b_order('BAD-TR-5GB', pg_temp.id('customer_b'))$$, format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_ad')), '42501'),
 ('raw', $$SELECT partner_dashboard()$$, format('{"sub":"%s","role":"authenticated","exp":"NaN"}', pg_temp.id('user_b')), 'ok');

CREATE TEMP TABLE start AS SELECT pg_backend_pid() AS pid, bad.snapshot() AS rows;

SELECT plan((SELECT count(*)::int FROM cases) + 4);

SELECT is(bad.state(who, sql, raw), expected,
          format('%s as %s%s', left(regexp_replace(sql, '\s+', ' ', 'g'), 120), who,
                 CASE WHEN who = 'raw' THEN format(' with claims %s', left(raw, 60)) ELSE '' END))
  FROM cases ORDER BY n;

SELECT is((SELECT count(*)::int FROM cases WHERE bad.state(who, sql, raw) IN ('XX000', 'XX001', 'XX002')), 0,
          'no call ends in an internal error');
SELECT is(pg_backend_pid(), (SELECT pid FROM start), 'the same backend answered every call');
SELECT is(bad.snapshot(), (SELECT rows FROM start), 'row counts of every table unchanged');
SELECT is_empty('SELECT * FROM onesim_internal.reconcile()', 'reconcile() is empty afterwards');

SELECT * FROM finish();
ROLLBACK;
