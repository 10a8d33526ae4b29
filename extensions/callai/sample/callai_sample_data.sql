-- =============================================================================
-- callai sample data: one store on Shopify with its team, catalog, a customer,
-- a confirmed order, a phone number and voice agent, an answered call and a
-- chat conversation. Load after CREATE EXTENSION callai, as the project's
-- owner role (the triggers fill totals, stock, customer figures, analytics
-- and the store's default settings; the store's creator becomes its owner).
-- =============================================================================

INSERT INTO auth.users (id, email) VALUES
  ('ca110000-0000-4000-8000-000000000101', 'olivia.owner@callai.example'),
  ('ca110000-0000-4000-8000-000000000102', 'adam.admin@callai.example'),
  ('ca110000-0000-4000-8000-000000000103', 'alex.agent@callai.example');

INSERT INTO stores (id, name, domain, platform, currency_code, status, owner_email, owner_name, created_by) VALUES
  ('ca110000-0000-4000-8000-000000000201', 'Northwind Outfitters', 'northwind-outfitters.callai.example',
   'shopify', 'USD', 'connected', 'olivia.owner@callai.example', 'Olivia Owner', 'ca110000-0000-4000-8000-000000000101');

INSERT INTO store_members (store_id, user_id, role, invited_by) VALUES
  ('ca110000-0000-4000-8000-000000000201', 'ca110000-0000-4000-8000-000000000102', 'admin', 'ca110000-0000-4000-8000-000000000101'),
  ('ca110000-0000-4000-8000-000000000201', 'ca110000-0000-4000-8000-000000000103', 'agent', 'ca110000-0000-4000-8000-000000000101');

INSERT INTO products (id, store_id, external_id, title, price, sku, inventory_quantity, inventory_tracked) VALUES
  ('ca110000-0000-4000-8000-000000000301', 'ca110000-0000-4000-8000-000000000201', 'gid-p-1', 'Trail Jacket', 129.00, 'TJ-1', 25, true),
  ('ca110000-0000-4000-8000-000000000302', 'ca110000-0000-4000-8000-000000000201', 'gid-p-2', 'Wool Socks', 14.50, 'WS-1', 4, true);
INSERT INTO product_variants (id, product_id, external_variant_id, title, price, inventory_quantity, inventory_tracked, options) VALUES
  ('ca110000-0000-4000-8000-000000000311', 'ca110000-0000-4000-8000-000000000301', 'gid-v-1-m', 'Trail Jacket / M', 129.00, 10, true, '{"size": "M"}'),
  ('ca110000-0000-4000-8000-000000000312', 'ca110000-0000-4000-8000-000000000301', 'gid-v-1-l', 'Trail Jacket / L', 134.00, 6, true, '{"size": "L"}');

INSERT INTO customers (id, store_id, external_id, email, phone, first_name, last_name) VALUES
  ('ca110000-0000-4000-8000-000000000401', 'ca110000-0000-4000-8000-000000000201', 'gid-c-1',
   'carla.customer@callai.example', '+14155550101', 'Carla', 'Customer');

INSERT INTO orders (id, store_id, external_id, order_number, customer_id, total_tax, total_shipping, order_date) VALUES
  ('ca110000-0000-4000-8000-000000000501', 'ca110000-0000-4000-8000-000000000201', 'gid-o-1', '#1001',
   'ca110000-0000-4000-8000-000000000401', 11.61, 7.50, '2026-11-20 15:30:00+00');
INSERT INTO order_line_items (id, order_id, product_id, variant_id, title, price, quantity, discount_amount) VALUES
  ('ca110000-0000-4000-8000-000000000511', 'ca110000-0000-4000-8000-000000000501', 'ca110000-0000-4000-8000-000000000301',
   'ca110000-0000-4000-8000-000000000311', 'Trail Jacket / M', 129.00, 1, 0),
  ('ca110000-0000-4000-8000-000000000512', 'ca110000-0000-4000-8000-000000000501', 'ca110000-0000-4000-8000-000000000302',
   NULL, 'Wool Socks', 14.50, 2, 0);
-- Confirming the order reserves its stock and counts it for the customer.
UPDATE orders SET status = 'confirmed', payment_status = 'paid' WHERE id = 'ca110000-0000-4000-8000-000000000501';

INSERT INTO voice_agents (id, store_id, provider, name, external_assistant_id, first_message) VALUES
  ('ca110000-0000-4000-8000-000000000601', 'ca110000-0000-4000-8000-000000000201', 'vapi', 'Nora',
   'asst_callai_nora', 'Hi, this is Nora from Northwind Outfitters. How can I help?');
INSERT INTO store_phone_numbers (id, store_id, phone_number, voice_agent_id, is_primary) VALUES
  ('ca110000-0000-4000-8000-000000000611', 'ca110000-0000-4000-8000-000000000201', '+18005550170',
   'ca110000-0000-4000-8000-000000000601', true);

INSERT INTO calls (id, store_id, provider, provider_call_id, voice_agent_id, phone_number_id, customer_id, order_id,
                   from_phone, to_phone, direction, start_time, end_time, status, intent_detected,
                   quality_score, satisfaction_rating, cost_breakdown) VALUES
  ('ca110000-0000-4000-8000-000000000701', 'ca110000-0000-4000-8000-000000000201', 'vapi', 'callai-sample-call-1',
   'ca110000-0000-4000-8000-000000000601', 'ca110000-0000-4000-8000-000000000611',
   'ca110000-0000-4000-8000-000000000401', 'ca110000-0000-4000-8000-000000000501',
   '+14155550101', '+18005550170', 'inbound', '2026-11-21 10:05:00+00', '2026-11-21 10:07:12+00', 'completed',
   'order_status', 0.90, 5, '{"transport": 0.0120, "stt": 0.0150, "llm": 0.0400, "tts": 0.0250, "vapi": 0.0500}');

INSERT INTO conversations (id, store_id, conversation_key, customer_id, order_id, channel, customer_identifier,
                           customer_name, start_time, last_activity_at, title) VALUES
  ('ca110000-0000-4000-8000-000000000801', 'ca110000-0000-4000-8000-000000000201', 'chat-sample-1',
   'ca110000-0000-4000-8000-000000000401', 'ca110000-0000-4000-8000-000000000501', 'chat',
   'carla.customer@callai.example', 'Carla Customer', '2026-11-21 12:00:00+00', '2026-11-21 12:00:00+00',
   'Where is my jacket?');
INSERT INTO conversation_messages (conversation_id, role, content, "timestamp") VALUES
  ('ca110000-0000-4000-8000-000000000801', 'customer', 'Hi, when will order #1001 ship?', '2026-11-21 12:00:05+00'),
  ('ca110000-0000-4000-8000-000000000801', 'ai_assistant', 'It is confirmed and ships tomorrow.', '2026-11-21 12:00:09+00');
