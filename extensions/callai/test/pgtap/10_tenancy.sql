-- Stores, members, roles and invitations; RLS per role and per store.
BEGIN;
\ir ../../../../test/lib/pgtap_helpers.psql
\ir fixtures/stores.psql
SELECT plan(47);

-- A new store: its creator is its owner, it has upstream's twelve settings.
SELECT is((SELECT role::text FROM store_members WHERE store_id = :'store_a' AND user_id = :'owner_a'), 'owner',
          'the creator of a store is its owner');
SELECT is((SELECT count(*)::int FROM settings WHERE store_id = :'store_a'), 12, 'twelve default settings');
SELECT is((SELECT value FROM settings WHERE store_id = :'store_a' AND category = 'ai' AND key = 'temperature'),
          '0.7'::jsonb, 'ai.temperature is 0.7');
SELECT is((SELECT value FROM settings WHERE store_id = :'store_a' AND category = 'voice' AND key = 'greeting_message'),
          '"Hello! Thank you for calling. How can I help you today?"'::jsonb, 'voice.greeting_message');
SELECT is(test_helpers.outcome_as('anon', NULL,
  $$INSERT INTO stores (name, domain, platform) VALUES ('x', 'anon-store.example.com', 'custom')$$), '42501',
  'anon cannot create a store');
SELECT is(test_helpers.outcome_as('authenticated', :'outsider',
  format($$INSERT INTO stores (name, domain, platform, created_by) VALUES ('x', 'forged.example.com', 'custom', %L)$$, :'owner_a')),
  '42501', 'created_by cannot be forged');

-- Store isolation: a member of A sees nothing of B, an outsider nothing at all.
INSERT INTO customers (store_id, external_id, phone) VALUES (:'store_a', 'ca', '+14155550101'), (:'store_b', 'cb', '+14155550102');
INSERT INTO products (store_id, external_id, title, price) VALUES (:'store_a', 'pa', 'A thing', 10), (:'store_b', 'pb', 'B thing', 10);
INSERT INTO orders (store_id, external_id) VALUES (:'store_a', 'oa'), (:'store_b', 'ob');
INSERT INTO calls (store_id, from_phone, to_phone, direction) VALUES
  (:'store_a', '+14155550101', '+18005550100', 'inbound'), (:'store_b', '+14155550102', '+18005550200', 'inbound');
INSERT INTO conversations (store_id, channel) VALUES (:'store_a', 'voice'), (:'store_b', 'chat');

CREATE TEMP TABLE visible (who text, tbl text, n int) ON COMMIT DROP;
GRANT ALL ON visible TO PUBLIC;
SELECT test_helpers.become_user(:'viewer_a');
INSERT INTO visible SELECT 'viewer_a', t, n FROM (VALUES
  ('stores', (SELECT count(*) FROM stores)), ('settings', (SELECT count(*) FROM settings)),
  ('store_members', (SELECT count(*) FROM store_members)), ('customers', (SELECT count(*) FROM customers)),
  ('products', (SELECT count(*) FROM products)), ('orders', (SELECT count(*) FROM orders)),
  ('order_status_history', (SELECT count(*) FROM order_status_history)), ('calls', (SELECT count(*) FROM calls)),
  ('call_analytics', (SELECT count(*) FROM call_analytics)), ('conversations', (SELECT count(*) FROM conversations))) v(t, n);
INSERT INTO visible SELECT 'viewer_a_sees_b', 'any', (SELECT count(*) FROM stores WHERE id = :'store_b')
  + (SELECT count(*) FROM orders WHERE store_id = :'store_b') + (SELECT count(*) FROM calls WHERE store_id = :'store_b')
  + (SELECT count(*) FROM settings WHERE store_id = :'store_b') + (SELECT count(*) FROM customers WHERE store_id = :'store_b');
SELECT test_helpers.become_user(:'outsider');
INSERT INTO visible SELECT 'outsider', 'all', (SELECT count(*) FROM stores) + (SELECT count(*) FROM orders)
  + (SELECT count(*) FROM calls) + (SELECT count(*) FROM store_members) + (SELECT count(*) FROM settings WHERE store_id IS NOT NULL);
SELECT test_helpers.become('none');
SELECT results_eq($$SELECT tbl, n FROM visible WHERE who = 'viewer_a' ORDER BY tbl$$,
  $$VALUES ('call_analytics', 1), ('calls', 1), ('conversations', 1), ('customers', 1), ('order_status_history', 1),
           ('orders', 1), ('products', 1), ('settings', 12), ('store_members', 4), ('stores', 1)$$,
  'a viewer of A sees A''s rows, and only them');
SELECT is((SELECT n FROM visible WHERE who = 'viewer_a_sees_b'), 0, 'a member of A sees nothing of B');
SELECT is((SELECT n FROM visible WHERE who = 'outsider'), 0, 'a user of no store sees nothing');
SELECT is(test_helpers.outcome_as('anon', NULL, 'SELECT * FROM orders'), '42501', 'anon cannot read orders');

-- Writes by role.
SELECT is(test_helpers.outcome_as('authenticated', :'viewer_a',
  format($$INSERT INTO products (store_id, external_id, title, price) VALUES (%L, 'v', 'v', 1)$$, :'store_a')),
  '42501', 'a viewer cannot add products');
SELECT is(test_helpers.outcome_as('authenticated', :'agent_a',
  format($$INSERT INTO products (store_id, external_id, title, price) VALUES (%L, 'g', 'g', 1)$$, :'store_a')),
  '42501', 'an agent cannot add products');
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a',
  format($$INSERT INTO products (store_id, external_id, title, price) VALUES (%L, 'd', 'd', 1)$$, :'store_a')),
  'ok:1', 'an admin adds products');
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a',
  format($$INSERT INTO products (store_id, external_id, title, price) VALUES (%L, 'd', 'd', 1)$$, :'store_b')),
  '42501', 'an admin of A cannot add products to B');
SELECT is(test_helpers.outcome_as('authenticated', :'agent_a',
  $$UPDATE orders SET internal_notes = 'called back'$$), 'ok:1', 'an agent updates its store''s orders');
SELECT is(test_helpers.outcome_as('authenticated', :'agent_a',
  format($$INSERT INTO orders (store_id, external_id) VALUES (%L, 'agent-order')$$, :'store_a')),
  '42501', 'an agent cannot create orders');
SELECT is(test_helpers.outcome_as('authenticated', :'agent_a',
  format($$INSERT INTO conversations (store_id, channel) VALUES (%L, 'chat')$$, :'store_a')),
  'ok:1', 'an agent opens conversations');
SELECT is(test_helpers.outcome_as('authenticated', :'viewer_a',
  format($$INSERT INTO conversations (store_id, channel) VALUES (%L, 'chat')$$, :'store_a')),
  '42501', 'a viewer cannot open conversations');
SELECT is(test_helpers.outcome_as('authenticated', :'agent_a',
  format($$INSERT INTO calls (store_id, from_phone, to_phone, direction) VALUES (%L, '+14155550101', '+18005550100', 'inbound')$$, :'store_a')),
  '42501', 'members do not write calls: the voice backend does');
SELECT is(test_helpers.outcome_as('service_role', NULL,
  format($$INSERT INTO calls (store_id, from_phone, to_phone, direction) VALUES (%L, '+14155550101', '+18005550100', 'inbound')$$, :'store_a')),
  'ok:1', 'the service role writes calls');
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a',
  $$UPDATE customers SET total_spent = 1000$$), '42501', 'nobody writes customer figures');
SELECT is(test_helpers.outcome_as('service_role', NULL,
  $$UPDATE customers SET total_orders = 7$$), '42501', 'not even the service role');
SELECT is(test_helpers.outcome_as('service_role', NULL,
  $$UPDATE call_analytics SET total_calls = 7$$), '55000', 'call analytics are a view nobody writes...');
SELECT is(test_helpers.outcome_as('service_role', NULL,
  $$UPDATE callai_internal.call_analytics_folded SET total_calls = 7$$), '42501',
  '...and the figures under it are written by the database only');
SELECT is(test_helpers.outcome_as('service_role', NULL,
  $$INSERT INTO callai_internal.call_analytics_pending (store_id, date_period, hour_period, total_calls, inbound_calls,
    outbound_calls, answered_calls, missed_calls, dropped_calls, ai_resolved_calls, escalated_calls, duration_seconds_sum,
    duration_samples, quality_score_sum, quality_samples, satisfaction_sum, satisfaction_samples, intents, intent_calls)
    SELECT id, '2026-01-01', 0, 7, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '{}', '{}' FROM stores$$), '42501',
  'nobody adds pending call figures but the database');
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a',
  $$INSERT INTO settings (store_id, category, key, value) SELECT id, 'security', 'pin', '"1234"' FROM stores$$),
  '42501', 'security settings are the owners''');
SELECT is(test_helpers.outcome_as('authenticated', :'owner_a',
  $$INSERT INTO settings (store_id, category, key, value) SELECT id, 'security', 'pin', '"1234"' FROM stores$$),
  'ok:1', 'an owner writes security settings');
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a',
  $$SELECT * FROM store_usage_periods$$), 'ok:0', 'usage is readable...');
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a', 'DELETE FROM stores'), 'ok:0',
  'an admin cannot delete the store');

-- Membership rules.
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a',
  format($$INSERT INTO store_members (store_id, user_id, role) VALUES (%L, %L, 'agent')$$, :'store_a', :'outsider')),
  'ok:1', 'an admin adds an agent');
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a',
  format($$INSERT INTO store_members (store_id, user_id, role) VALUES (%L, %L, 'owner')$$, :'store_a', :'outsider')),
  '42501', 'an admin cannot make an owner');
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a',
  format($$UPDATE store_members SET role = 'owner' WHERE user_id = %L$$, :'admin_a')),
  'ok:0', 'an admin cannot promote itself (its own row is not one it manages)');
SELECT is(test_helpers.outcome_as('authenticated', :'agent_a',
  format($$UPDATE store_members SET role = 'admin' WHERE user_id = %L$$, :'agent_a')),
  'ok:0', 'an agent cannot change roles (no row it may update)');
SELECT is(test_helpers.outcome_as('authenticated', :'owner_a',
  format($$UPDATE store_members SET role = 'admin' WHERE user_id = %L$$, :'owner_a')),
  '55000', 'the last owner cannot demote itself');
SELECT is(test_helpers.outcome_as('authenticated', :'owner_a',
  format($$DELETE FROM store_members WHERE user_id = %L$$, :'owner_a')),
  '55000', 'the last owner cannot leave');
SELECT is(test_helpers.outcome_as('service_role', NULL,
  format($$DELETE FROM store_members WHERE store_id = %L AND role = 'owner'$$, :'store_a')),
  '55000', 'nobody removes a store''s last owner');
SELECT is(test_helpers.outcome_as('authenticated', :'owner_a',
  format($$UPDATE store_members SET role = 'owner' WHERE user_id = %L; UPDATE store_members SET role = 'viewer' WHERE user_id = %L$$,
         :'admin_a', :'owner_a')),
  'ok:1', 'ownership passes on: promote another owner, then step down');
SELECT is(test_helpers.outcome_as('authenticated', :'viewer_a',
  format($$DELETE FROM store_members WHERE user_id = %L$$, :'viewer_a')), 'ok:1', 'a member may leave');
SELECT is(test_helpers.outcome_as('authenticated', :'owner_b',
  format($$DELETE FROM stores WHERE id = %L$$, :'store_b')), 'ok:1', 'an owner deletes its store, members and all');

-- Invitations.
SELECT test_helpers.become_user(:'admin_a');
INSERT INTO store_invitations (store_id, role) VALUES (:'store_a', 'agent') RETURNING token AS open_token \gset
SELECT test_helpers.become('none');
INSERT INTO store_invitations (store_id, role, email) VALUES (:'store_a', 'viewer', 'someone-else@example.com')
RETURNING token AS addressed_token \gset
INSERT INTO store_invitations (store_id, role, expires_at) VALUES (:'store_a', 'viewer', now() - interval '1 minute')
RETURNING token AS expired_token \gset
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a',
  format($$INSERT INTO store_invitations (store_id, role) VALUES (%L, 'admin')$$, :'store_a')),
  '42501', 'an admin cannot invite an admin');
SELECT is(test_helpers.outcome_as('authenticated', :'outsider',
  $$SELECT * FROM store_invitations$$), 'ok:0', 'invitations are hidden from outsiders');
SELECT is(test_helpers.outcome_as('authenticated', :'outsider',
  format($$SELECT accept_store_invitation(%L)$$, :'expired_token')), '55000', 'an expired invitation is refused');
SELECT is(test_helpers.outcome_as('authenticated', :'outsider',
  format($$SELECT accept_store_invitation(%L)$$, :'addressed_token')), '42501', 'an invitation for another address is refused');
SELECT is(test_helpers.outcome_as('authenticated', :'outsider', $$SELECT accept_store_invitation('nope')$$),
  'P0002', 'an unknown token is refused');
SELECT test_helpers.become_user(:'outsider');
SELECT is(accept_store_invitation(:'open_token'), :'store_a'::uuid, 'accepting joins the store');
SELECT is((SELECT role::text FROM store_members WHERE user_id = :'outsider' AND store_id = :'store_a'), 'agent',
          'with the invitation''s role');
SELECT test_helpers.become('none');
SELECT is(test_helpers.outcome_as('authenticated', :'agent_a',
  format($$SELECT accept_store_invitation(%L)$$, :'open_token')), '55000', 'an invitation is used once');
SELECT * FROM finish();
ROLLBACK;
