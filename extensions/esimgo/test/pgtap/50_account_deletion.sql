-- Deleting an account: the books (orders, eSIMs, paid checkout sessions) stay
-- with their user set to NULL and their personal parts erased; what was only
-- the user's (profile, unpaid sessions, assignments) goes; the rows left are
-- visible to admins and the service role only.
BEGIN;
SELECT plan(26);

INSERT INTO auth.users (id, email, raw_app_meta_data, raw_user_meta_data) VALUES
  ('ad000000-0000-4000-8000-000000000001', 'del-carol@example.test', '{}', '{"first_name":"Carol"}'),
  ('ad000000-0000-4000-8000-000000000002', 'del-dave@example.test', '{}', '{}'),
  ('ad000000-0000-4000-8000-0000000000ad', 'del-admin@example.test', '{"role":"ADMIN"}', '{}'),
  ('ad000000-0000-4000-8000-0000000000a2', 'del-admin2@example.test', '{"role":"ADMIN"}', '{}');
INSERT INTO catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, countries, groups, region, provider)
VALUES ('del-maya-xd-7', 7, 4.00, true, '{XD}', '{}', 'DEL Region', 'MAYA');
INSERT INTO data_plans (id, name, countries, region, duration, price)
VALUES ('ad000000-0000-4000-8000-000000000501', 'del-plan', '["XD"]', 'DEL Region', 7, 4.00);

CREATE FUNCTION pg_temp.become(uid text) RETURNS void LANGUAGE sql AS $$
  SELECT set_config('role', 'authenticated', true),
         set_config('request.jwt.claims', json_build_object('sub', uid, 'role', 'authenticated')::text, true);
$$;
CREATE TEMP TABLE del (k text PRIMARY KEY, v jsonb);
GRANT ALL ON del TO anon, authenticated, service_role;

-- Carol: one paid checkout (an order, an eSIM with usage), one open checkout,
-- an assignment by an admin; Dave has an assignment from the same admin.
SELECT pg_temp.become('ad000000-0000-4000-8000-000000000001');
INSERT INTO del SELECT 'paid', create_checkout_session(7, 'XD');
INSERT INTO del SELECT 'open', create_checkout_session(7, 'XD');
SELECT advance_checkout_session((SELECT (v->>'sessionId')::uuid FROM del WHERE k = 'paid'), 'PAYMENT_READY') IS NOT NULL;
RESET role;
SET LOCAL role service_role;
INSERT INTO del SELECT 'order', complete_checkout((SELECT (v->>'sessionId')::uuid FROM del WHERE k = 'paid'), 'pi_del_1');
INSERT INTO esims (id, user_id, order_id, iccid, customer_ref, qr_code_url, activation_code, smdp_address, matching_id)
SELECT 'ad000000-0000-4000-8000-000000000601', 'ad000000-0000-4000-8000-000000000001', (v->>'orderId')::uuid,
       'del-iccid-1', 'carol@example.test', 'https://qr.example/1', 'LPA:1$smdp$XYZ', 'smdp.example', 'XYZ'
FROM del WHERE k = 'order';
INSERT INTO esim_bundles (esim_id, data_plan_id, name, state, used_data, remaining_data)
VALUES ('ad000000-0000-4000-8000-000000000601', 'ad000000-0000-4000-8000-000000000501', 'del-plan', 'ACTIVE', 1000, 5000);
INSERT INTO package_assignments (user_id, data_plan_id, assigned_by) VALUES
  ('ad000000-0000-4000-8000-000000000001', 'del-plan', 'ad000000-0000-4000-8000-0000000000ad'),
  ('ad000000-0000-4000-8000-000000000002', 'del-plan', 'ad000000-0000-4000-8000-0000000000ad');
INSERT INTO trips (name, description, region_id, country_ids, created_by)
VALUES ('del-trip', 'a trip', 'del', '["XD"]', 'ad000000-0000-4000-8000-0000000000ad');
RESET role;

SELECT is((SELECT count(*)::int FROM profiles WHERE id = 'ad000000-0000-4000-8000-000000000001'), 1, 'Carol has a profile');

-- The deletion itself (as GoTrue's admin API does it)
SELECT lives_ok($$DELETE FROM auth.users WHERE id = 'ad000000-0000-4000-8000-000000000001'$$,
                'a customer with orders, eSIMs and sessions can delete their account');

SELECT is((SELECT count(*)::int FROM profiles WHERE id = 'ad000000-0000-4000-8000-000000000001'), 0, 'the profile goes');
SELECT is((SELECT count(*)::int FROM checkout_sessions WHERE id = (SELECT (v->>'sessionId')::uuid FROM del WHERE k = 'open')), 0,
          'the open checkout session goes');
SELECT is((SELECT count(*)::int FROM package_assignments WHERE user_id = 'ad000000-0000-4000-8000-000000000001'), 0,
          'her package assignments go');
SELECT is((SELECT user_id FROM esim_orders WHERE id = (SELECT (v->>'orderId')::uuid FROM del WHERE k = 'order')), NULL,
          'the order stays, without its user');
SELECT is((SELECT total_price FROM esim_orders WHERE id = (SELECT (v->>'orderId')::uuid FROM del WHERE k = 'order')), 19.00::numeric,
          'at its price (the books are intact)');
SELECT is((SELECT row(user_id, state, payment_intent_id, token_hash)::text FROM checkout_sessions
            WHERE id = (SELECT (v->>'sessionId')::uuid FROM del WHERE k = 'paid')),
          row(NULL::uuid, 'PAYMENT_COMPLETED', 'pi_del_1', NULL::text)::text,
          'the paid session stays with its payment intent, its user and token erased');
SELECT is((SELECT row(user_id, iccid, smdp_address, customer_ref, qr_code_url, activation_code, matching_id)::text
             FROM esims WHERE id = 'ad000000-0000-4000-8000-000000000601'),
          row(NULL::uuid, 'del-iccid-1', 'smdp.example', NULL::text, NULL::text, NULL::text, NULL::text)::text,
          'the eSIM keeps its ICCID for the provider; her reference and install codes are erased');
SELECT is((SELECT used_data FROM esim_bundles WHERE esim_id = 'ad000000-0000-4000-8000-000000000601'), 1000::bigint,
          'the usage record stays');

-- Nobody but admins and the service sees the rows left
SELECT pg_temp.become('ad000000-0000-4000-8000-000000000002');
SELECT is_empty($$SELECT * FROM esim_orders WHERE user_id IS NULL$$, 'another customer sees no orphaned order');
SELECT is_empty($$SELECT * FROM esims WHERE user_id IS NULL$$, 'nor eSIM');
SELECT is_empty($$SELECT * FROM esim_bundles WHERE esim_id = 'ad000000-0000-4000-8000-000000000601'$$, 'nor installed bundle');
SELECT is_empty($$SELECT * FROM checkout_sessions WHERE user_id IS NULL$$, 'nor session');
RESET role;
SET LOCAL role anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true) IS NOT NULL;
SELECT throws_ok(format($$SELECT advance_checkout_session(%L, 'EXPIRED', %L)$$,
                        (SELECT v->>'sessionId' FROM del WHERE k = 'paid'), (SELECT v->>'sessionToken' FROM del WHERE k = 'paid')),
                 'P0002', NULL, 'the old token no longer reaches the kept session');
RESET role;
SELECT pg_temp.become('ad000000-0000-4000-8000-0000000000ad');
SELECT is((SELECT count(*)::int FROM esim_orders WHERE id = (SELECT (v->>'orderId')::uuid FROM del WHERE k = 'order')), 1,
          'an admin still sees the order');
SELECT is((SELECT count(*)::int FROM esims WHERE id = 'ad000000-0000-4000-8000-000000000601'), 1, 'and the eSIM');
RESET role;
SET LOCAL role service_role;
SELECT is((SELECT count(*)::int FROM checkout_sessions WHERE id = (SELECT (v->>'sessionId')::uuid FROM del WHERE k = 'paid')), 1,
          'the service sees the kept session');
SELECT is(complete_checkout((SELECT (v->>'sessionId')::uuid FROM del WHERE k = 'paid'), 'pi_del_1')->>'orderId',
          (SELECT v->>'orderId' FROM del WHERE k = 'order'), 'a late repeated webhook still returns the same order');
SELECT throws_ok($$INSERT INTO esims (user_id, order_id, iccid)
                   SELECT 'ad000000-0000-4000-8000-000000000002', (v->>'orderId')::uuid, 'del-iccid-2' FROM del WHERE k = 'order'$$,
                 '23514', NULL, 'an erased order takes no new owner');
SELECT lives_ok($$INSERT INTO esims (user_id, order_id, iccid)
                  SELECT NULL, (v->>'orderId')::uuid, 'del-iccid-3' FROM del WHERE k = 'order'$$,
                'a late eSIM of that order is kept without an owner');
INSERT INTO esim_orders (user_id, reference, total_price)
  VALUES ('ad000000-0000-4000-8000-000000000002', 'del-live-order', 4.00);
SELECT throws_ok($$INSERT INTO esims (user_id, order_id, iccid)
                   SELECT NULL, id, 'del-iccid-4' FROM esim_orders WHERE reference = 'del-live-order'$$,
                 '23514', NULL, 'an eSIM of a live customer''s order needs that customer');
RESET role;

-- An admin who leaves takes neither the assignments they made nor the trips
SELECT lives_ok($$DELETE FROM auth.users WHERE id = 'ad000000-0000-4000-8000-0000000000ad'$$, 'an admin can delete their account');
SELECT is((SELECT assigned_by FROM package_assignments WHERE user_id = 'ad000000-0000-4000-8000-000000000002'), NULL,
          'Dave''s assignment stays, its assigner erased');
SELECT is((SELECT created_by FROM trips WHERE name = 'del-trip'), NULL, 'the trip stays (shop content), its author erased');

-- A customer with nothing but a profile and an unpaid session
SELECT pg_temp.become('ad000000-0000-4000-8000-000000000002');
INSERT INTO del SELECT 'dave', create_checkout_session(7, 'XD');
RESET role;
DELETE FROM auth.users WHERE id = 'ad000000-0000-4000-8000-000000000002';
SELECT is((SELECT count(*)::int FROM checkout_sessions WHERE id = (SELECT (v->>'sessionId')::uuid FROM del WHERE k = 'dave')), 0,
          'a deleted customer''s unpaid session leaves nothing behind');

SELECT * FROM finish();
ROLLBACK;
