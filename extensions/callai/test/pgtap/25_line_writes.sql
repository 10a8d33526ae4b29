-- What a line written keeps in other rows (the order's subtotal, total and
-- fulfilment, the customer's figures, stock and availability), written below
-- SQL while every trigger of those tables is the extension's, and through
-- SQL once the project adds a trigger of its own, which then fires: both
-- ways give the same figures. The fulfilment of lines added follows from the
-- order's own status except for an unfulfilled order gaining a fulfilled
-- line, where its lines are read.
BEGIN;
\ir ../../../../test/lib/pgtap_helpers.psql
\ir fixtures/stores.psql
SELECT plan(21);

SELECT test_helpers.become_user(:'admin_a');
INSERT INTO products (store_id, external_id, title, price, inventory_quantity, inventory_tracked)
VALUES (:'store_a', 'lw-widget', 'Widget', 10.00, 20, true) RETURNING id AS widget \gset
INSERT INTO customers (store_id, external_id) VALUES (:'store_a', 'lw-carol') RETURNING id AS carol \gset
INSERT INTO orders (store_id, external_id, customer_id, total_shipping, status, order_date)
VALUES (:'store_a', 'lw-1', :'carol', 5, 'confirmed', '2026-04-01 10:00+00') RETURNING id AS o1 \gset

-- Below SQL (no trigger but the extension's).
INSERT INTO order_line_items (order_id, product_id, title, price, quantity) VALUES (:'o1', :'widget', 'Widget', 10.00, 2);
SELECT is((SELECT (subtotal_price, total_price, fulfillment_status)::text FROM orders WHERE id = :'o1'),
          '(20.00,25.00,unfulfilled)', 'a line added: subtotal, total and fulfilment of its order');
SELECT is((SELECT (total_spent, lifetime_value, total_orders)::text FROM customers WHERE id = :'carol'),
          '(25.00,25.00,1)', 'the customer''s figures follow the order''s total');
SELECT is((SELECT (inventory_quantity, availability)::text FROM products WHERE id = :'widget'), '(18,in_stock)',
          'a confirmed order''s new line reserves its stock');
INSERT INTO order_line_items (order_id, product_id, title, price, quantity)
VALUES (:'o1', :'widget', 'Widget', 10.00, 1), (:'o1', :'widget', 'Widget', 10.00, 3);
SELECT is((SELECT (subtotal_price, total_price)::text FROM orders WHERE id = :'o1'), '(60.00,65.00)',
          'two lines in one statement');
SELECT is((SELECT inventory_quantity FROM products WHERE id = :'widget'), 14, 'reserve both');

-- The fulfilment of lines added.
UPDATE order_line_items SET fulfilled_quantity = quantity WHERE order_id = :'o1';
SELECT is((SELECT fulfillment_status::text FROM orders WHERE id = :'o1'), 'fulfilled', 'every line fulfilled');
INSERT INTO order_line_items (order_id, title, price, quantity, fulfilled_quantity) VALUES (:'o1', 'done', 1, 1, 1);
SELECT is((SELECT fulfillment_status::text FROM orders WHERE id = :'o1'), 'fulfilled', 'a fulfilled order gaining a fulfilled line stays fulfilled');
INSERT INTO order_line_items (order_id, title, price, quantity) VALUES (:'o1', 'open', 1, 1);
SELECT is((SELECT fulfillment_status::text FROM orders WHERE id = :'o1'), 'partial', 'gaining an open line: partial');
INSERT INTO order_line_items (order_id, title, price, quantity, fulfilled_quantity) VALUES (:'o1', 'done', 1, 1, 1);
SELECT is((SELECT fulfillment_status::text FROM orders WHERE id = :'o1'), 'partial', 'a partial order stays partial');
INSERT INTO orders (store_id, external_id) VALUES (:'store_a', 'lw-2') RETURNING id AS o2 \gset
INSERT INTO order_line_items (order_id, title, price, quantity, fulfilled_quantity) VALUES (:'o2', 'done', 1, 2, 2);
SELECT is((SELECT fulfillment_status::text FROM orders WHERE id = :'o2'), 'fulfilled', 'an order without lines gaining a fulfilled line: fulfilled');
INSERT INTO orders (store_id, external_id) VALUES (:'store_a', 'lw-3') RETURNING id AS o3 \gset
INSERT INTO order_line_items (order_id, title, price, quantity) VALUES (:'o3', 'open', 1, 2);
INSERT INTO order_line_items (order_id, title, price, quantity, fulfilled_quantity) VALUES (:'o3', 'done', 1, 2, 2);
SELECT is((SELECT fulfillment_status::text FROM orders WHERE id = :'o3'), 'partial', 'an unfulfilled order with lines gaining a fulfilled line: partial');
UPDATE orders SET fulfillment_status = 'restocked' WHERE id = :'o3';
INSERT INTO order_line_items (order_id, title, price, quantity) VALUES (:'o3', 'open', 1, 1);
SELECT is((SELECT (subtotal_price, fulfillment_status)::text FROM orders WHERE id = :'o3'), '(5.00,restocked)',
          'a status set by people is kept, the subtotal moves');

-- The store's low-stock threshold, read for each product written.
SELECT test_helpers.become_user(:'owner_a');
INSERT INTO settings (store_id, category, key, value) VALUES (:'store_a', 'general', 'low_stock_threshold', '13');
SELECT test_helpers.become_user(:'admin_a');
INSERT INTO order_line_items (order_id, product_id, title, price, quantity) VALUES (:'o1', :'widget', 'Widget', 10.00, 1);
SELECT is((SELECT (inventory_quantity, availability)::text FROM products WHERE id = :'widget'), '(13,low_stock)',
          'at or below the store''s threshold (13): low_stock');
SELECT test_helpers.become_user(:'owner_a');
UPDATE settings SET value = '"12"' WHERE store_id = :'store_a' AND category = 'general' AND key = 'low_stock_threshold';
SELECT test_helpers.become_user(:'admin_a');
UPDATE products SET inventory_quantity = 6 WHERE id = :'widget';
SELECT is((SELECT availability::text FROM products WHERE id = :'widget'), 'in_stock', 'a threshold that is not a number: the default 5');

-- The project's own triggers: the same figures through SQL, and they fire.
SELECT test_helpers.become('none');
CREATE TABLE public.lw_seen (tab text, n int);
CREATE FUNCTION public.lw_count() RETURNS trigger LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  INSERT INTO public.lw_seen VALUES (TG_TABLE_NAME, 1);
  RETURN NEW;
END $$;
CREATE TRIGGER lw_count AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION public.lw_count();
CREATE TRIGGER lw_count AFTER UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION public.lw_count();
CREATE TRIGGER lw_count AFTER UPDATE ON products FOR EACH ROW EXECUTE FUNCTION public.lw_count();
GRANT INSERT ON public.lw_seen TO authenticated;
SELECT test_helpers.become_user(:'admin_a');
INSERT INTO order_line_items (order_id, product_id, title, price, quantity) VALUES (:'o1', :'widget', 'Widget', 10.00, 2);
SELECT is((SELECT (subtotal_price, total_price)::text FROM orders WHERE id = :'o1'), '(93.00,98.00)',
          'through SQL: the order''s subtotal and total');
SELECT is((SELECT (total_spent, total_orders)::text FROM customers WHERE id = :'carol'), '(98.00,1)',
          'the customer''s figures');
SELECT is((SELECT inventory_quantity FROM products WHERE id = :'widget'), 4, 'the stock');
SELECT test_helpers.become('none');
SELECT is((SELECT array_agg(tab ORDER BY tab)::text FROM public.lw_seen), '{customers,orders,products}',
          'and the project''s triggers fired on the order, the customer and the product');
SELECT is(test_helpers.outcome(format($$INSERT INTO order_line_items (order_id, product_id, title, price, quantity) VALUES (%L, %L, 'x', 1, 5)$$, :'o1', :'widget')),
          '23514', 'through SQL too, a line wanting more than the stock is refused');
DROP TRIGGER lw_count ON orders;
ALTER TABLE orders DISABLE TRIGGER touch_updated_at;
INSERT INTO order_line_items (order_id, title, price, quantity) VALUES (:'o1', 'wrap', 2.00, 1);
SELECT is((SELECT (subtotal_price, total_price)::text FROM orders WHERE id = :'o1'), '(95.00,100.00)',
          'with one of the extension''s triggers disabled, through SQL as well');
SELECT is((SELECT count(*)::int FROM reconcile()), 0, 'reconcile() finds every figure true');
SELECT * FROM finish();
ROLLBACK;
