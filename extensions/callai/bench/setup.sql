-- The benchmark's data, set-based (INSERT ... SELECT through the triggers, so
-- every maintained figure is true from the start): :stores stores, each with
-- an owner, 20 customers and 20 tracked products with ample stock;
-- :orders confirmed orders and :calls calls spread over the stores. Plus the
-- floor's trigger-less twin tables.
SET client_min_messages = warning;
SELECT set_config('bench.stores', :'stores', false), set_config('bench.orders', :'orders', false),
       set_config('bench.calls', :'calls', false) \gset
INSERT INTO auth.users (id, email)
  SELECT ('ca110000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'bench' || i || '@callai.example'
    FROM generate_series(1, :stores) i;
-- Each owner creates their store (created_by makes them its owner).
INSERT INTO stores (id, name, domain, platform, created_by)
  SELECT ('ca110000-0000-4000-8000-' || lpad(to_hex(1000000 + i), 12, '0'))::uuid, 'Store ' || i,
         's' || i || '.bench.callai.example', 'shopify', ('ca110000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid
    FROM generate_series(1, :stores) i;
CREATE TABLE bench_store (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench_store SELECT i, ('ca110000-0000-4000-8000-' || lpad(to_hex(1000000 + i), 12, '0'))::uuid
  FROM generate_series(1, :stores) i;
INSERT INTO customers (store_id, external_id, first_name)
  SELECT s.id, 'c' || c, 'Customer ' || c FROM bench_store s, generate_series(1, 20) c;
INSERT INTO products (store_id, external_id, title, price, inventory_quantity, inventory_tracked)
  SELECT s.id, 'p' || p, 'Product ' || p, 5 + p, 1000000000, true FROM bench_store s, generate_series(1, 20) p;
-- Orders: n-th order of the whole set is o<n> of store 1 + n % stores.
CREATE TABLE bench_order (n int PRIMARY KEY, id uuid NOT NULL, store_id uuid NOT NULL);
DO $load$
DECLARE
  batch constant int := 100000;
  total constant int := current_setting('bench.orders')::int;
  n_stores constant int := current_setting('bench.stores')::int;
BEGIN
  FOR lo IN 1 .. total BY batch LOOP
    INSERT INTO orders (store_id, external_id, customer_id, total_shipping, status, order_date)
      SELECT s.id, 'o' || i, (SELECT c.id FROM customers c WHERE c.store_id = s.id AND c.external_id = 'c' || (1 + i % 20)),
             4.99, 'confirmed', '2026-01-01'::timestamptz + (i % 300) * interval '1 day' + (i % 1440) * interval '1 minute'
        FROM generate_series(lo, least(lo + batch - 1, total)) i JOIN bench_store s ON s.n = 1 + i % n_stores;
  END LOOP;
END
$load$;
INSERT INTO bench_order SELECT substr(external_id, 2)::int, id, store_id FROM orders;
DO $load$
DECLARE
  batch constant int := 100000;
  total constant int := current_setting('bench.calls')::int;
  n_stores constant int := current_setting('bench.stores')::int;
BEGIN
  FOR lo IN 1 .. total BY batch LOOP
    INSERT INTO calls (store_id, from_phone, to_phone, direction, start_time, end_time, status, intent_detected)
      SELECT s.id, '+1415' || lpad((i % 10000000)::text, 7, '0'), '+18005550000', 'inbound',
             '2026-01-01'::timestamptz + (i % 8000) * interval '1 hour', '2026-01-01'::timestamptz + (i % 8000) * interval '1 hour' + (i % 600) * interval '1 second',
             'completed', (ARRAY['order_status', 'refund', 'product_question'])[1 + i % 3]
        FROM generate_series(lo, least(lo + batch - 1, total)) i JOIN bench_store s ON s.n = 1 + i % n_stores;
  END LOOP;
END
$load$;
-- The floor's twins: the same columns and defaults, no trigger, no policy,
-- no key, index, constraint or foreign key.
CREATE TABLE lines_plain (LIKE order_line_items INCLUDING DEFAULTS);
CREATE TABLE calls_plain (LIKE calls INCLUDING DEFAULTS);
-- What the schema alone costs a line: a twin with the lines' primary key,
-- indexes, CHECKs and foreign keys, and no trigger.
CREATE TABLE lines_keyed (LIKE order_line_items INCLUDING ALL);
ALTER TABLE lines_keyed
  ADD FOREIGN KEY (order_id, store_id) REFERENCES orders (id, store_id) ON DELETE CASCADE,
  ADD FOREIGN KEY (product_id, store_id) REFERENCES products (id, store_id) ON DELETE SET NULL (product_id),
  ADD FOREIGN KEY (variant_id, store_id) REFERENCES product_variants (id, store_id) ON DELETE SET NULL (variant_id);
GRANT SELECT ON bench_store, bench_order TO authenticated, service_role;
-- The load's pending call figures folded, as pg_cron's job would.
SELECT callai_internal.fold_call_figures();
VACUUM ANALYZE;
