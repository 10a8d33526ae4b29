-- The stress world: one store (every client works on it, so its orders,
-- products, analytics buckets and conversations are hot), 12 tracked products
-- with 40 units each (fewer than the clients' confirmed lines want, so stock
-- runs out and confirms are refused), 20 customers, 150 pending orders with a
-- line each, 10 conversations, and a helper that runs a statement and keeps
-- going past the refusals the rules are meant to give, logging their SQLSTATE.
CREATE SCHEMA stress;
CREATE TABLE stress.refusals (sqlstate text NOT NULL, message text NOT NULL);
CREATE TABLE stress.initial_stock (product_id uuid PRIMARY KEY, quantity integer NOT NULL);
CREATE FUNCTION stress.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION
  WHEN check_violation OR object_not_in_prerequisite_state OR invalid_parameter_value THEN
    INSERT INTO stress.refusals VALUES (SQLSTATE, SQLERRM);
    RETURN SQLSTATE;
END $$;
INSERT INTO auth.users (id, email) VALUES ('ca110000-0000-4000-8000-00000000f001', 'stress.owner@callai.example');
SELECT set_config('request.jwt.claims', '{"sub": "ca110000-0000-4000-8000-00000000f001", "role": "authenticated"}', false);
INSERT INTO callai.stores (id, name, domain, platform)
  VALUES ('ca110000-0000-4000-8000-00000000f100', 'Stress store', 'stress.callai.example', 'shopify');
INSERT INTO callai.products (store_id, external_id, title, price, inventory_quantity, inventory_tracked)
  SELECT 'ca110000-0000-4000-8000-00000000f100', 'p' || i, 'Product ' || i, 5 + i * 1.25, 40, true
    FROM generate_series(1, 12) i;
INSERT INTO stress.initial_stock SELECT id, inventory_quantity FROM callai.products;
INSERT INTO callai.customers (store_id, external_id, first_name)
  SELECT 'ca110000-0000-4000-8000-00000000f100', 'c' || i, 'Customer ' || i FROM generate_series(1, 20) i;
INSERT INTO callai.orders (store_id, external_id, customer_id, total_shipping, order_date)
  SELECT 'ca110000-0000-4000-8000-00000000f100', 'o' || i,
         (SELECT id FROM callai.customers WHERE external_id = 'c' || (1 + i % 20)), 4.99,
         '2026-11-01'::timestamptz + i * interval '1 hour'
    FROM generate_series(1, 150) i;
INSERT INTO callai.order_line_items (order_id, product_id, title, price, quantity)
  SELECT o.id, p.id, p.title, p.price, 1 + (o.order_date::date - '2026-11-01')::int % 3
    FROM callai.orders o JOIN callai.products p ON p.external_id = 'p' || (1 + extract(hour FROM o.order_date)::int % 12);
INSERT INTO callai.conversations (store_id, conversation_key, channel)
  SELECT 'ca110000-0000-4000-8000-00000000f100', 'k' || i, 'chat' FROM generate_series(1, 10) i;
SELECT set_config('request.jwt.claims', '', false);
