-- CallAI's workflows, the way the apps run them: each step is one API request
-- (one transaction, the JWT claims and SET LOCAL ROLE, as PostgREST does).
\pset footer off
\set ON_ERROR_STOP on
\set owner 'ca110000-0000-4000-8000-000000001001'
\set admin 'ca110000-0000-4000-8000-000000001002'
\set agent 'ca110000-0000-4000-8000-000000001003'

\echo '== Sign-up: the shop owner and two colleagues'
INSERT INTO auth.users (id, email) VALUES
  (:'owner', 'dana.owner@callai.example'), (:'admin', 'eli.admin@callai.example'), (:'agent', 'fay.agent@callai.example');

\echo '== The owner creates the store: they become its owner and the store gets its default settings'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'owner', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO stores (name, domain, platform) VALUES
  ('Harbor Coffee Co.', 'harbor-coffee.callai.example', 'shopify') RETURNING id AS store \gset
SELECT name, currency_code, status FROM stores WHERE id = :'store';
SELECT m.role, (SELECT count(*) FROM settings s WHERE s.store_id = :'store') AS default_settings
  FROM store_members m WHERE m.store_id = :'store' AND m.user_id = :'owner';
\echo '   ... and invites an admin and an agent'
INSERT INTO store_invitations (store_id, role, email) VALUES (:'store', 'admin', 'eli.admin@callai.example')
  RETURNING token AS admin_token \gset
INSERT INTO store_invitations (store_id, role, email) VALUES (:'store', 'agent', 'fay.agent@callai.example')
  RETURNING token AS agent_token \gset
SELECT role, email, expires_at > now() + interval '6 days' AS valid_a_week FROM store_invitations WHERE store_id = :'store' ORDER BY role;
COMMIT;

\echo '== Each accepts their invitation (RPC accept_store_invitation)'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'admin', 'role', 'authenticated', 'email', 'eli.admin@callai.example')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT accept_store_invitation(:'admin_token') = :'store' AS joined;
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'agent', 'role', 'authenticated', 'email', 'fay.agent@callai.example')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT accept_store_invitation(:'agent_token') = :'store' AS joined;
COMMIT;
SELECT u.email, m.role FROM store_members m JOIN auth.users u ON u.id = m.user_id WHERE m.store_id = :'store' ORDER BY m.role;

\echo '== The admin stocks the catalog: products, variants, a phone number and the voice agent'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'admin', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO products (store_id, external_id, title, price, inventory_quantity, inventory_tracked) VALUES
  (:'store', 'demo-beans', 'House Blend Beans 1kg', 24.90, 3, true) RETURNING id AS beans \gset
INSERT INTO products (store_id, external_id, title, price, inventory_quantity, inventory_tracked) VALUES
  (:'store', 'demo-mug', 'Harbor Mug', 12.00, 40, true) RETURNING id AS mug \gset
INSERT INTO product_variants (product_id, external_variant_id, title, price, inventory_quantity, inventory_tracked) VALUES
  (:'mug', 'demo-mug-blue', 'Harbor Mug / Blue', 13.50, 8, true) RETURNING id AS mug_blue \gset
INSERT INTO voice_agents (store_id, provider, name, external_assistant_id, first_message) VALUES
  (:'store', 'vapi', 'Milo', 'asst_callai_demo_milo', 'Harbor Coffee, this is Milo.') RETURNING id AS milo \gset
INSERT INTO store_phone_numbers (store_id, phone_number, voice_agent_id, is_primary) VALUES
  (:'store', '+18005550190', :'milo', true);
SELECT title, price, inventory_quantity, availability FROM products WHERE store_id = :'store' ORDER BY title;
COMMIT;

\echo '== The agent records a customer'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'agent', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO customers (store_id, external_id, phone, first_name, last_name, email) VALUES
  (:'store', 'demo-cust-1', '+14155550190', 'Gus', 'Guest', 'gus.guest@callai.example') RETURNING id AS gus \gset
COMMIT;

\echo '== The admin enters an order with lines: line totals, subtotal and total are kept by the database'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'admin', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO orders (store_id, external_id, order_number, customer_id, total_tax, total_shipping, total_discounts) VALUES
  (:'store', 'demo-order-1', '#H-1001', :'gus', 4.20, 5.00, 2.00) RETURNING id AS order1 \gset
INSERT INTO order_line_items (order_id, product_id, title, price, quantity) VALUES
  (:'order1', :'beans', 'House Blend Beans 1kg', 24.90, 3);
INSERT INTO order_line_items (order_id, product_id, variant_id, title, price, quantity, discount_amount) VALUES
  (:'order1', :'mug', :'mug_blue',
   'Harbor Mug / Blue', 13.50, 2, 1.00);
SELECT title, price, quantity, discount_amount, total_price FROM order_line_items
 WHERE order_id = :'order1' ORDER BY title;
SELECT order_number, subtotal_price, total_tax, total_shipping, total_discounts, total_price, status
  FROM orders WHERE id = :'order1';
COMMIT;

\echo '== Confirming the order reserves its stock (the beans sell out) and counts it for the customer'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'admin', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
UPDATE orders SET status = 'confirmed' WHERE id = :'order1';
SELECT title, inventory_quantity, availability FROM products WHERE store_id = :'store' ORDER BY title;
SELECT title, inventory_quantity, availability FROM product_variants WHERE store_id = :'store';
SELECT first_name, total_orders, total_spent, last_order_date IS NOT NULL AS has_last_order
  FROM customers WHERE id = :'gus';
COMMIT;

\echo '== The rules at work: a second order for beans cannot be confirmed (no stock left), a made-up total is refused'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'admin', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO orders (store_id, external_id, order_number, customer_id) VALUES
  (:'store', 'demo-order-2', '#H-1002', :'gus') RETURNING id AS order2 \gset
SELECT set_config('callai_demo.order1', :'order1', true), set_config('callai_demo.order2', :'order2', true) \gset
INSERT INTO order_line_items (order_id, product_id, title, price, quantity) VALUES
  (:'order2', :'beans', 'House Blend Beans 1kg', 24.90, 1);
DO $refused$
BEGIN
  BEGIN
    UPDATE orders SET status = 'confirmed' WHERE id = current_setting('callai_demo.order2')::uuid;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'confirming #H-1002 refused: SQLSTATE % (%)', SQLSTATE, SQLERRM;
  END;
  BEGIN
    UPDATE orders SET total_price = 1.00 WHERE id = current_setting('callai_demo.order1')::uuid;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'a total of 1.00 on #H-1001 refused: SQLSTATE % (%)', SQLSTATE, SQLERRM;
  END;
END
$refused$;
SELECT order_number, status, total_price FROM orders WHERE store_id = :'store' ORDER BY order_number;
COMMIT;

\echo '== Cancelling #H-1001 gives its stock back and takes it off the customer''s figures'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'admin', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
UPDATE orders SET status = 'cancelled' WHERE id = :'order1';
SELECT title, inventory_quantity, availability FROM products WHERE store_id = :'store' ORDER BY title;
SELECT first_name, total_orders, total_spent FROM customers WHERE id = :'gus';
SELECT from_status, to_status, source, changed_by = :'admin' AS by_the_admin FROM order_status_history WHERE order_id = :'order1' ORDER BY id;
COMMIT;

\echo '== An inbound call: the voice backend (service role) routes it by the called number'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('role', 'service_role')::text, true) \gset
SET LOCAL ROLE service_role;
SELECT r #>> '{voice_agent,name}' AS voice_agent, r #>> '{customer,first_name}' AS caller,
       jsonb_array_length(r -> 'recent_orders') AS recent_orders
  FROM route_inbound_call('+1 (800) 555-0190', '+1 415 555 0190') AS r;
INSERT INTO calls (id, store_id, provider, provider_call_id, voice_agent_id, customer_id, from_phone, to_phone, direction,
                   start_time, status)
VALUES ('ca110000-0000-4000-8000-000000006001', :'store', 'vapi', 'callai-demo-call-1', :'milo',
        :'gus', '+14155550190', '+18005550190', 'inbound', '2026-12-01 09:10:00+00', 'answered');
COMMIT;

\echo '== The call ends (service role): duration, billed minutes and cost from its breakdown'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('role', 'service_role')::text, true) \gset
SET LOCAL ROLE service_role;
UPDATE calls SET status = 'completed', end_time = '2026-12-01 09:12:35+00', intent_detected = 'order_status',
                 quality_score = 0.85, satisfaction_rating = 4,
                 cost_breakdown = '{"transport": 0.0110, "stt": 0.0140, "llm": 0.0385, "tts": 0.0210, "vapi": 0.0500,
                                    "llmPromptTokens": 1800, "llmCompletionTokens": 240}'
 WHERE id = 'ca110000-0000-4000-8000-000000006001';
INSERT INTO calls (store_id, provider, provider_call_id, from_phone, to_phone, direction, start_time, status)
VALUES (:'store', 'vapi', 'callai-demo-call-2', '+14155550191', '+18005550190', 'inbound', '2026-12-01 09:40:00+00', 'no_answer');
SELECT provider_call_id, status, duration_seconds, billable_seconds, cost_usd, llm_prompt_tokens
  FROM calls WHERE store_id = :'store' ORDER BY provider_call_id;
COMMIT;

\echo '== The dashboard (a member): analytics per store, UTC day and hour, and the month''s usage'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'agent', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT date_period, hour_period, total_calls, answered_calls, missed_calls, average_call_duration,
       average_satisfaction_rating, ai_resolution_rate, top_intents
  FROM call_analytics WHERE store_id = :'store' ORDER BY date_period, hour_period;
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'owner', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT period_start, calls, billable_seconds, cost_usd FROM store_usage_periods WHERE store_id = :'store';
COMMIT;

\echo '== A chat conversation (the agent): message indexes and counts kept'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'agent', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO conversations (store_id, conversation_key, customer_id, channel, customer_name, title) VALUES
  (:'store', 'demo-chat-1', :'gus', 'chat', 'Gus Guest', 'Beans back in stock?') RETURNING id AS chat \gset
INSERT INTO conversation_messages (conversation_id, role, content) VALUES
  (:'chat', 'customer', 'Are the house blend beans back?'),
  (:'chat', 'ai_assistant', 'Yes, three bags are in stock again.');
INSERT INTO conversation_messages (conversation_id, role, content) VALUES
  (:'chat', 'customer', 'Great, thanks!');
SELECT message_index, role, content FROM conversation_messages
 WHERE conversation_id = :'chat' ORDER BY message_index;
SELECT title, message_count, status FROM conversations WHERE id = :'chat';
COMMIT;

\echo '== Store sync (service role): upserts on (store, external id); an unchanged payload is skipped'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('role', 'service_role')::text, true) \gset
SET LOCAL ROLE service_role;
SELECT sync_customer(:'store', 'demo-cust-2', '{"first_name": "Hana", "phone": "+14155550192"}', 'h1') AS first_sync,
       sync_customer(:'store', 'demo-cust-2', '{"first_name": "Hana", "phone": "+14155550192"}', 'h1') AS same_payload;
SELECT sync_customer(:'store', 'demo-cust-2', '{"first_name": "Hana", "last_name": "Hill", "phone": "+14155550192"}', 'h2') AS changed_payload;
SELECT first_name, last_name, sync_hash FROM customers WHERE store_id = :'store' AND external_id = 'demo-cust-2';
COMMIT;

\echo '== Order sync (service role): an order with its lines from the platform; its stated totals must match its lines'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('role', 'service_role')::text, true) \gset
SET LOCAL ROLE service_role;
\set synced '{"order_number": "#H-1003", "customer_external_id": "demo-cust-1", "total_shipping": 5.00, "subtotal_price": 36.00, "total_price": 41.00, "line_items": [{"external_product_id": "demo-mug", "title": "Harbor Mug", "price": 12.00, "quantity": 3}]}'
SELECT sync_order(:'store', 'demo-order-3', :'synced', 's1') AS first_sync,
       sync_order(:'store', 'demo-order-3', :'synced', 's1') AS same_payload;
SELECT order_number, subtotal_price, total_price FROM orders WHERE store_id = :'store' AND external_id = 'demo-order-3';
SELECT set_config('callai_demo.store', :'store', true) \gset
DO $refused$
BEGIN
  PERFORM sync_order(current_setting('callai_demo.store')::uuid, 'demo-order-4',
    '{"total_price": 99.00, "line_items": [{"title": "Harbor Mug", "price": 12.00, "quantity": 1}]}', 's1');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'payload refused: SQLSTATE % (%)', SQLSTATE, SQLERRM;
END
$refused$;
COMMIT;

\echo '== Another store''s owner sees none of it'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', 'ca110000-0000-4000-8000-000000000101', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT (SELECT count(*) FROM orders WHERE store_id = :'store') AS orders_seen,
       (SELECT count(*) FROM calls WHERE store_id = :'store') AS calls_seen;
COMMIT;

\echo '== reconcile() (service role): every maintained figure recomputed from the rows, no drift'
BEGIN;
SET LOCAL ROLE service_role;
SELECT count(*) AS drifting_figures FROM reconcile();
COMMIT;
