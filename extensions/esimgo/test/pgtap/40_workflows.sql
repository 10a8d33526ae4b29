-- Checkout sessions and catalog sync jobs through their API, as the callers
-- PostgREST would send: an anonymous buyer with a token, a customer, another
-- customer, the service role (payment webhook, sync worker), an admin.
BEGIN;
SELECT plan(39);

INSERT INTO auth.users (id, email, raw_app_meta_data) VALUES
  ('a1000000-0000-0000-0000-00000000000a', 'wf-alice@example.test', '{}'),
  ('b1000000-0000-0000-0000-00000000000b', 'wf-bob@example.test', '{}'),
  ('c1000000-0000-0000-0000-00000000000c', 'wf-admin@example.test', '{"role":"ADMIN"}');
INSERT INTO catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, countries, groups, region, provider)
VALUES ('wf-maya-xw-7', 7, 4.00, true, '{XW}', '{}', 'WF Region', 'MAYA');

CREATE FUNCTION pg_temp.become(uid text) RETURNS void LANGUAGE sql AS $$
  SELECT set_config('role', CASE WHEN uid IS NULL THEN 'anon' ELSE 'authenticated' END, true),
         set_config('request.jwt.claims',
                    CASE WHEN uid IS NULL THEN '{"role":"anon"}' ELSE json_build_object('sub', uid, 'role', 'authenticated')::text END, true);
$$;
CREATE TEMP TABLE wf (k text PRIMARY KEY, v jsonb);
GRANT ALL ON wf TO anon, authenticated, service_role;

-- An anonymous checkout
SELECT pg_temp.become(NULL);
INSERT INTO wf SELECT 'anon', create_checkout_session(7, 'XW');
SELECT is((SELECT v->>'state' FROM wf WHERE k = 'anon'), 'INITIALIZED', 'an anonymous session starts INITIALIZED');
SELECT is((SELECT v#>>'{pricing,finalPrice}' FROM wf WHERE k = 'anon'), '19.00', 'priced by the engine: 4 + 15 (MAYA 7)');
SELECT is((SELECT v#>>'{planSnapshot,price}' FROM wf WHERE k = 'anon'), '19.00', 'the plan snapshot carries the price');
SELECT is((SELECT length(v->>'sessionToken') FROM wf WHERE k = 'anon'), 64, 'the token is returned once');
SELECT throws_ok($$SELECT * FROM checkout_sessions$$, '42501', NULL, 'anon cannot list sessions');
SELECT throws_ok(format($$SELECT advance_checkout_session(%L, 'DELIVERY_SET')$$, (SELECT v->>'sessionId' FROM wf WHERE k = 'anon')),
                 'P0002', NULL, 'without its token an anonymous session is not found');
SELECT throws_ok(format($$SELECT advance_checkout_session(%L, 'DELIVERY_SET', 'wrong')$$, (SELECT v->>'sessionId' FROM wf WHERE k = 'anon')),
                 'P0002', NULL, 'nor with another token');
SELECT throws_ok(format($$SELECT advance_checkout_session(%L, 'DELIVERY_SET', %L)$$,
                        (SELECT v->>'sessionId' FROM wf WHERE k = 'anon'), (SELECT v->>'sessionToken' FROM wf WHERE k = 'anon')),
                 '42501', NULL, 'with its token, going on past sign-in needs a user');
SELECT is(advance_checkout_session((SELECT (v->>'sessionId')::uuid FROM wf WHERE k = 'anon'), 'EXPIRED',
                                   (SELECT v->>'sessionToken' FROM wf WHERE k = 'anon'))->>'state',
          'EXPIRED', 'the token holder can abandon it');
SELECT throws_ok($$SELECT create_checkout_session(7)$$, '22023', NULL, 'a checkout needs a country or region');
SELECT throws_ok($$SELECT create_checkout_session(7, 'NOWHERE')$$, 'P0002', NULL, 'no bundle: P0002');
RESET role;

-- A customer's checkout, paid twice by the webhook
SELECT pg_temp.become('a1000000-0000-0000-0000-00000000000a');
INSERT INTO wf SELECT 'alice', create_checkout_session(7, 'XW');
SELECT is((SELECT v->>'state' FROM wf WHERE k = 'alice'), 'AUTHENTICATED', 'a signed-in customer starts AUTHENTICATED');
SELECT is(advance_checkout_session((SELECT (v->>'sessionId')::uuid FROM wf WHERE k = 'alice'), 'DELIVERY_SET')->>'state',
          'DELIVERY_SET', 'the owner moves it on');
SELECT throws_ok(format($$SELECT advance_checkout_session(%L, 'AUTHENTICATED')$$, (SELECT v->>'sessionId' FROM wf WHERE k = 'alice')),
                 '23514', NULL, 'no step backwards');
SELECT throws_ok(format($$SELECT advance_checkout_session(%L, 'PAYMENT_PROCESSING')$$, (SELECT v->>'sessionId' FROM wf WHERE k = 'alice')),
                 '42501', NULL, 'payment states are not the client''s');
SELECT throws_ok(format($$SELECT advance_checkout_session(%L, 'NOT_A_STATE')$$, (SELECT v->>'sessionId' FROM wf WHERE k = 'alice')),
                 '22023', NULL, 'an unknown state: 22023');
SELECT is(advance_checkout_session((SELECT (v->>'sessionId')::uuid FROM wf WHERE k = 'alice'), 'PAYMENT_READY')->>'state',
          'PAYMENT_READY', 'ready to pay');
SELECT throws_ok($$UPDATE checkout_sessions SET pricing = '{"finalPrice": 0}'$$, '42501', NULL, 'the client cannot rewrite the price');
SELECT throws_ok(format($$SELECT complete_checkout(%L, 'pi_1')$$, (SELECT v->>'sessionId' FROM wf WHERE k = 'alice')),
                 '42501', NULL, 'only the service completes a payment');
RESET role;

SELECT pg_temp.become('b1000000-0000-0000-0000-00000000000b');
SELECT throws_ok(format($$SELECT advance_checkout_session(%L, 'EXPIRED')$$, (SELECT v->>'sessionId' FROM wf WHERE k = 'alice')),
                 'P0002', NULL, 'another customer cannot reach it');
SELECT is_empty($$SELECT * FROM checkout_sessions$$, 'nor see it');
RESET role;

SET LOCAL role service_role;
INSERT INTO wf SELECT 'paid1', complete_checkout((SELECT (v->>'sessionId')::uuid FROM wf WHERE k = 'alice'), 'pi_1');
INSERT INTO wf SELECT 'paid2', complete_checkout((SELECT (v->>'sessionId')::uuid FROM wf WHERE k = 'alice'), 'pi_1');
SELECT is((SELECT v->>'orderId' FROM wf WHERE k = 'paid2'), (SELECT v->>'orderId' FROM wf WHERE k = 'paid1'),
          'a repeated webhook returns the same order');
SELECT is((SELECT (v->>'alreadyCompleted')::boolean FROM wf WHERE k = 'paid2'), true, 'and says so');
SELECT is((SELECT count(*)::int FROM esim_orders WHERE reference = 'order_' || (SELECT v->>'sessionId' FROM wf WHERE k = 'alice')), 1,
          'one order, never two');
SELECT is((SELECT total_price FROM esim_orders WHERE id = (SELECT (v->>'orderId')::uuid FROM wf WHERE k = 'paid1')), 19.00::numeric,
          'at the session''s price');
SELECT is((SELECT state FROM checkout_sessions WHERE id = (SELECT (v->>'sessionId')::uuid FROM wf WHERE k = 'alice'))::text,
          'PAYMENT_COMPLETED', 'the session is completed');
SELECT throws_ok(format($$SELECT fail_checkout_payment(%L)$$, (SELECT v->>'sessionId' FROM wf WHERE k = 'alice')),
                 '23514', NULL, 'a completed session cannot fail');
SELECT throws_ok(format($$UPDATE esim_orders SET status = 'REFUNDED' WHERE id = %L$$, (SELECT v->>'orderId' FROM wf WHERE k = 'paid1')),
                 '23514', NULL, 'an order cannot jump from PROCESSING to REFUNDED');
SELECT throws_ok(format($$INSERT INTO esims (user_id, order_id, iccid) VALUES ('b1000000-0000-0000-0000-00000000000b', %L, 'wf-iccid')$$,
                        (SELECT v->>'orderId' FROM wf WHERE k = 'paid1')),
                 '23514', NULL, 'an eSIM belongs to its order''s user');
RESET role;

-- Sync jobs
SELECT pg_temp.become('a1000000-0000-0000-0000-00000000000a');
SELECT throws_ok($$SELECT create_sync_job('FULL_SYNC')$$, '42501', NULL, 'customers cannot start syncs');
RESET role;
SELECT pg_temp.become('c1000000-0000-0000-0000-00000000000c');
UPDATE catalog_sync_jobs SET status = 'cancelled' WHERE job_type = 'GROUP_SYNC' AND bundle_group = 'WF Group' AND status = 'pending';
INSERT INTO wf SELECT 'job1', to_jsonb(create_sync_job('GROUP_SYNC', 'WF Group'));
SELECT throws_like($$SELECT create_sync_job('GROUP_SYNC', 'WF Group')$$, '%already pending%', 'one active job per key');
INSERT INTO wf SELECT 'job2', to_jsonb(create_sync_job('GROUP_SYNC', 'WF Group', force => true));
SELECT is((SELECT status FROM catalog_sync_jobs WHERE id = (SELECT (v#>>'{}')::uuid FROM wf WHERE k = 'job1'))::text, 'cancelled',
          'force cancels the pending one');
SELECT is(set_sync_job_status((SELECT (v#>>'{}')::uuid FROM wf WHERE k = 'job2'), 'running'), 'running', 'the job runs');
INSERT INTO catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, countries, groups, region, provider)
VALUES ('wf-old', 7, 2.00, true, '{XW}', '{WF Group}', 'WF Region', 'ESIM_GO'),
       ('wf-gone', 7, 2.00, true, '{XW}', '{WF Group}', 'WF Region', 'ESIM_GO'),
       ('wf-same', 3, 2.00, true, '{XW}', '{WF Group}', 'WF Region', 'ESIM_GO');
INSERT INTO wf SELECT 'sync', sync_catalog((SELECT (v#>>'{}')::uuid FROM wf WHERE k = 'job2'), $$[
  {"name":"wf-old","groups":["WF-Group"],"countries":[{"iso":"XW","region":"WF Region"}],"dataAmount":-1,"duration":7,"price":2.5},
  {"name":"wf-same","groups":["WF Group"],"countries":[{"iso":"XW","region":"WF Region"}],"dataAmount":-1,"duration":3,"price":2.0},
  {"name":"wf-new","groups":["WF Group"],"countries":["XW"],"region":"WF Region","dataAmount":-1,"duration":10,"price":3},
  {"name":"wf-free","groups":["WF Group"],"countries":["XW"],"duration":1,"price":0}]$$);
SELECT is((SELECT v - 'priceChanges' FROM wf WHERE k = 'sync'),
          '{"processed":4,"added":1,"updated":2,"unchanged":0,"removed":1,"skipped":1}'::jsonb,
          'sync_catalog counts what it did (wf-same gains its readable amount: updated)');
SELECT is((SELECT v->'priceChanges' FROM wf WHERE k = 'sync'),
          '[{"esim_go_name":"wf-old","old":2.00,"new":2.50}]'::jsonb, 'and records the price change');
SELECT is((SELECT groups FROM catalog_bundles WHERE esim_go_name = 'wf-old'), ARRAY['WF Group'], 'groups lose their hyphens');
INSERT INTO wf SELECT 'sync2', sync_catalog((SELECT (v#>>'{}')::uuid FROM wf WHERE k = 'job2'), $$[
  {"name":"wf-old","groups":["WF-Group"],"countries":[{"iso":"XW","region":"WF Region"}],"dataAmount":-1,"duration":7,"price":2.5},
  {"name":"wf-same","groups":["WF Group"],"countries":[{"iso":"XW","region":"WF Region"}],"dataAmount":-1,"duration":3,"price":2.0},
  {"name":"wf-new","groups":["WF Group"],"countries":["XW"],"region":"WF Region","dataAmount":-1,"duration":10,"price":3},
  {"name":"wf-free","groups":["WF Group"],"countries":["XW"],"duration":1,"price":0}]$$);
SELECT is((SELECT v FROM wf WHERE k = 'sync2'),
          '{"processed":4,"added":0,"updated":0,"unchanged":3,"removed":0,"skipped":1,"priceChanges":[]}'::jsonb,
          'the same payload again changes nothing');
SELECT is((SELECT total_bundles FROM catalog_metadata), (SELECT count(*)::int FROM catalog_bundles), 'catalog_metadata stays true');
SELECT throws_ok(format($$SELECT set_sync_job_status(%L, 'pending')$$, (SELECT v#>>'{}' FROM wf WHERE k = 'job2')),
                 '23514', NULL, 'a running job cannot go back to pending');
RESET role;

SELECT * FROM finish();
ROLLBACK;
