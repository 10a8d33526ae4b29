-- Row Level Security and privileges as PostgREST callers meet them: anon, a
-- customer, another customer, an admin (role ADMIN in app metadata) and the
-- service role. Profiles come from auth.users on sign-up.
BEGIN;
SELECT plan(26);

INSERT INTO auth.users (id, email, raw_app_meta_data, raw_user_meta_data, phone) VALUES
  ('a0000000-0000-0000-0000-00000000000a', 'alice@example.test', '{}', '{"first_name":"Alice","last_name":"A"}', '+10000000001'),
  ('b0000000-0000-0000-0000-00000000000b', 'bob@example.test', '{}', '{"first_name":"Bob","role":"ADMIN"}', NULL),
  ('c0000000-0000-0000-0000-00000000000c', 'carol@example.test', '{"role":"ADMIN"}', '{}', NULL);

SELECT is((SELECT first_name || ' ' || last_name || ' ' || phone FROM profiles WHERE id = 'a0000000-0000-0000-0000-00000000000a'),
          'Alice A +10000000001', 'a sign-up creates the profile from user metadata and phone');

INSERT INTO esim_orders (id, user_id, reference, total_price) VALUES
  ('0a000000-0000-0000-0000-000000000001', 'a0000000-0000-0000-0000-00000000000a', 'rls-order-a', 10.00),
  ('0b000000-0000-0000-0000-000000000001', 'b0000000-0000-0000-0000-00000000000b', 'rls-order-b', 20.00);
INSERT INTO esims (user_id, order_id, iccid) VALUES
  ('a0000000-0000-0000-0000-00000000000a', '0a000000-0000-0000-0000-000000000001', 'rls-iccid-a');
INSERT INTO catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, countries, provider)
VALUES ('rls-bundle', 7, 3.00, true, '{XR}', 'MAYA');

CREATE FUNCTION pg_temp.become(uid text) RETURNS void LANGUAGE sql AS $$
  SELECT set_config('role', CASE WHEN uid IS NULL THEN 'anon' ELSE 'authenticated' END, true),
         set_config('request.jwt.claims',
                    CASE WHEN uid IS NULL THEN '{"role":"anon"}' ELSE json_build_object('sub', uid, 'role', 'authenticated')::text END, true);
$$;

-- anon
SELECT pg_temp.become(NULL);
SELECT ok((SELECT count(*) FROM catalog_bundles WHERE esim_go_name = 'rls-bundle') = 1, 'anon reads the catalog');
SELECT ok((SELECT count(*) FROM pricing_blocks) >= 8, 'anon reads the pricing blocks');
SELECT is(calculate_price(7, 'XR')->>'finalPrice', '18.00', 'anon can price a request (3 + 15 MAYA 7)');
SELECT throws_ok($$SELECT * FROM esim_orders$$, '42501', NULL, 'anon cannot read orders');
SELECT throws_ok($$SELECT * FROM profiles$$, '42501', NULL, 'anon cannot read profiles');
SELECT throws_ok($$UPDATE catalog_bundles SET price = 0$$, '42501', NULL, 'anon cannot write the catalog');
SELECT throws_ok($$UPDATE pricing_blocks SET priority = 1$$, '42501', NULL, 'anon cannot rewrite rules');
SELECT throws_ok($$SELECT * FROM price_catalog()$$, '42501', NULL, 'anon cannot run a whole-catalog pricing');
RESET role;

-- a customer
SELECT pg_temp.become('a0000000-0000-0000-0000-00000000000a');
SELECT is((SELECT array_agg(reference::text) FROM esim_orders), ARRAY['rls-order-a'], 'a customer sees only their own orders');
SELECT is((SELECT count(*)::int FROM esims), 1, 'and their own eSIMs');
SELECT is((SELECT count(*)::int FROM profiles), 1, 'and their own profile');
SELECT lives_ok($$UPDATE profiles SET first_name = 'Alicia' WHERE id = 'a0000000-0000-0000-0000-00000000000a'$$, 'a customer edits their name');
SELECT throws_ok($$UPDATE profiles SET id = gen_random_uuid()$$, '42501', NULL, 'but not their id');
SELECT is_empty($$UPDATE esim_orders SET total_price = 0, status = 'COMPLETED' RETURNING id$$, 'a customer cannot set a price or status of their order');
SELECT throws_ok($$INSERT INTO esim_orders (user_id, reference, total_price) VALUES ('a0000000-0000-0000-0000-00000000000a', 'mine', 0)$$,
                 '42501', NULL, 'nor create an order at a price of their choosing');
SELECT throws_ok($$INSERT INTO pricing_blocks (name, category, event_type, conditions) VALUES ('x', 'custom', 'set-base-price', '{"all":[]}')$$,
                 '42501', NULL, 'a customer cannot add a pricing block');
SELECT is_empty($$UPDATE catalog_bundles SET price = 0 RETURNING id$$, 'nor change a catalog price');
SELECT is_empty($$SELECT * FROM catalog_sync_jobs$$, 'sync jobs are hidden from customers');
RESET role;

-- the other customer, who put role ADMIN in their own user metadata
SELECT pg_temp.become('b0000000-0000-0000-0000-00000000000b');
SELECT is((SELECT array_agg(reference::text) FROM esim_orders), ARRAY['rls-order-b'], 'another customer sees only theirs');
SELECT is((SELECT count(*)::int FROM esims), 0, 'and none of the first customer''s eSIMs');
SELECT throws_ok($$INSERT INTO pricing_blocks (name, category, event_type, conditions) VALUES ('x', 'custom', 'set-base-price', '{"all":[]}')$$,
                 '42501', NULL, 'user metadata saying ADMIN grants nothing');
RESET role;

-- an admin (app metadata)
SELECT pg_temp.become('c0000000-0000-0000-0000-00000000000c');
SELECT ok((SELECT count(*) FROM esim_orders WHERE reference LIKE 'rls-order-%') = 2, 'an admin sees every order');
SELECT lives_ok($$INSERT INTO high_demand_countries (country_id) VALUES ('XR')$$, 'an admin flags a high-demand country');
SELECT lives_ok($$UPDATE esim_orders SET status = 'COMPLETED' WHERE reference = 'rls-order-a'$$, 'an admin sets an order status');
RESET role;

-- the service role
SET LOCAL role service_role;
SELECT ok((SELECT count(*) FROM profiles WHERE id IN ('a0000000-0000-0000-0000-00000000000a', 'b0000000-0000-0000-0000-00000000000b')) = 2,
          'the service role sees every profile');
RESET role;

SELECT * FROM finish();
ROLLBACK;
