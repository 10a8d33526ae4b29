-- Orders: line and order totals, currency, fulfilment roll-up, status
-- history, stock reserved and restored, customer figures.
BEGIN;
\ir ../../../../test/lib/pgtap_helpers.psql
\ir fixtures/stores.psql
SELECT plan(48);

SELECT test_helpers.become_user(:'admin_a');
INSERT INTO products (store_id, external_id, title, price, inventory_quantity, inventory_tracked)
VALUES (:'store_a', 'widget', 'Widget', 19.99, 10, true) RETURNING id AS widget \gset
INSERT INTO products (store_id, external_id, title, price, inventory_quantity, inventory_tracked)
VALUES (:'store_a', 'last', 'Last one', 5.00, 1, true) RETURNING id AS last_one \gset
INSERT INTO products (store_id, external_id, title, price) VALUES (:'store_a', 'service', 'Gift wrap', 2.50)
RETURNING id AS untracked \gset
INSERT INTO product_variants (product_id, external_variant_id, title, price, inventory_quantity, inventory_tracked)
VALUES (:'widget', 'widget-red', 'Red', 21.00, 4, true) RETURNING id AS red \gset
INSERT INTO customers (store_id, external_id) VALUES (:'store_a', 'alice') RETURNING id AS alice \gset
INSERT INTO customers (store_id, external_id) VALUES (:'store_a', 'bob') RETURNING id AS bob \gset
INSERT INTO orders (store_id, external_id, customer_id, total_tax, total_shipping, total_discounts, order_date)
VALUES (:'store_a', 'o-1', :'alice', 3.20, 4.99, 1.00, '2026-03-01 10:00+00') RETURNING id AS o1 \gset

SELECT is((SELECT (subtotal_price, total_price, currency_code)::text FROM orders WHERE id = :'o1'),
          '(0.00,7.19,USD)', 'an order without lines: subtotal 0, total = tax + shipping - discounts, the store''s currency');
INSERT INTO order_line_items (order_id, product_id, title, price, quantity) VALUES (:'o1', :'widget', 'Widget', 19.99, 3);
INSERT INTO order_line_items (order_id, variant_id, product_id, title, price, quantity, discount_amount)
VALUES (:'o1', :'red', :'widget', 'Widget red', 21.00, 2, 2.00);
SELECT is((SELECT array_agg(total_price ORDER BY total_price)::text FROM order_line_items WHERE order_id = :'o1'),
          '{40.00,59.97}', 'line totals: round(price x quantity, 2) - discount');
SELECT is((SELECT (subtotal_price, total_price)::text FROM orders WHERE id = :'o1'), '(99.97,107.16)',
          'subtotal = sum of lines; total = subtotal + tax + shipping - discounts');
SELECT is((SELECT store_id FROM order_line_items WHERE order_id = :'o1' LIMIT 1), :'store_a'::uuid,
          'a line takes its order''s store');

-- Rounding at the cent: half away from zero.
INSERT INTO orders (store_id, external_id) VALUES (:'store_a', 'o-round') RETURNING id AS oround \gset
INSERT INTO order_line_items (order_id, title, price, quantity) VALUES (:'oround', 'x', 0.01, 1);
SELECT is((SELECT subtotal_price FROM orders WHERE id = :'oround'), 0.01, 'a one-cent line');
UPDATE order_line_items SET price = 0.33, quantity = 3 WHERE order_id = :'oround';
SELECT is((SELECT total_price FROM order_line_items WHERE order_id = :'oround'), 0.99, '0.33 x 3 = 0.99');
SELECT is((SELECT subtotal_price FROM orders WHERE id = :'oround'), 0.99, 'the order follows a line update');
UPDATE orders SET total_tax = 0.005 WHERE id = :'oround';
SELECT is((SELECT (total_tax, total_price)::text FROM orders WHERE id = :'oround'), '(0.01,1.00)',
          'a half cent of tax rounds up (numeric(10,2)) and the total follows');

-- Disagreeing or forbidden values.
SELECT is(test_helpers.outcome(format($$INSERT INTO order_line_items (order_id, title, price, quantity, total_price) VALUES (%L, 'x', 10, 2, 25)$$, :'o1')),
          '22023', 'a line total that disagrees with price x quantity is refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO order_line_items (order_id, title, price, quantity, total_price) VALUES (%L, 'x', 10, 2, 20)$$, :'o1')),
          'ok:1', 'one that agrees is accepted');
SELECT is(test_helpers.outcome(format($$UPDATE orders SET total_price = 1 WHERE id = %L$$, :'o1')),
          '22023', 'an order total that disagrees is refused');
SELECT is(test_helpers.outcome(format($$UPDATE orders SET subtotal_price = 1 WHERE id = %L$$, :'o1')),
          '42501', 'members have no privilege on the subtotal');
SELECT test_helpers.become('none');
SELECT is(test_helpers.outcome(format($$UPDATE orders SET subtotal_price = 1 WHERE id = %L$$, :'o1')),
          '22023', 'the subtotal is the lines'' to say, even for the table''s owner');
SELECT is(test_helpers.outcome(format($$INSERT INTO orders (store_id, external_id, subtotal_price) VALUES (%L, 'o-x', 50)$$, :'store_a')),
          '22023', 'an order cannot start with a subtotal its lines do not make');
SELECT test_helpers.become_user(:'admin_a');
SELECT is(test_helpers.outcome(format($$INSERT INTO orders (store_id, external_id, currency_code) VALUES (%L, 'o-eur', 'EUR')$$, :'store_a')),
          '22023', 'an order in another currency than its store''s is refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO products (store_id, external_id, title, price, currency_code) VALUES (%L, 'p-eur', 'x', 1, 'EUR')$$, :'store_a')),
          '22023', 'so is a product');
SELECT is(test_helpers.outcome(format($$UPDATE orders SET total_discounts = 500 WHERE id = %L$$, :'o1')),
          '23514', 'discounts larger than the order are refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO order_line_items (order_id, title, price, quantity, discount_amount) VALUES (%L, 'x', 1, 1, 2)$$, :'o1')),
          '23514', 'a line discount larger than the line is refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO order_line_items (order_id, title, price, quantity) VALUES (%L, 'x', 1, 0)$$, :'o1')),
          '23514', 'a quantity of 0 is refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO order_line_items (order_id, title, price, quantity) VALUES (%L, 'x', -1, 1)$$, :'o1')),
          '23514', 'a negative price is refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO order_line_items (order_id, store_id, title, price, quantity) VALUES (%L, %L, 'x', 1, 1)$$, :'o1', :'store_b')),
          '42501', 'a line cannot claim another store (policy)');
SELECT test_helpers.become('none');
SELECT is(test_helpers.outcome(format($$INSERT INTO order_line_items (order_id, store_id, title, price, quantity) VALUES (%L, %L, 'x', 1, 1)$$, :'o1', :'store_b')),
          '23503', 'nor for the owner (the composite foreign key)');
SELECT test_helpers.become_user(:'admin_a');

-- Fulfilment roll-up.
UPDATE order_line_items SET fulfilled_quantity = 1 WHERE order_id = :'o1' AND variant_id IS NULL;
SELECT is((SELECT fulfillment_status::text FROM orders WHERE id = :'o1'), 'partial', 'some quantity fulfilled: partial');
SELECT is((SELECT fulfillment_status::text FROM order_line_items WHERE order_id = :'o1' AND variant_id IS NULL), 'partial',
          'the line too');
UPDATE order_line_items SET fulfilled_quantity = quantity WHERE order_id = :'o1';
SELECT is((SELECT fulfillment_status::text FROM orders WHERE id = :'o1'), 'fulfilled', 'every line fulfilled: fulfilled');
SELECT is(test_helpers.outcome(format($$UPDATE order_line_items SET fulfilled_quantity = quantity + 1 WHERE order_id = %L$$, :'o1')),
          '23514', 'fulfilled_quantity above quantity is refused');
UPDATE orders SET fulfillment_status = 'unfulfilled' WHERE id = :'o1';
SELECT is((SELECT fulfillment_status::text FROM orders WHERE id = :'o1'), 'fulfilled', 'a rolled-up status written by hand is rolled up again');
UPDATE order_line_items SET fulfilled_quantity = 0 WHERE order_id = :'o1';

-- Stock: reserved on confirm, restored on cancel.
UPDATE orders SET status = 'confirmed' WHERE id = :'o1';
SELECT is((SELECT inventory_quantity FROM products WHERE id = :'widget'), 7, 'confirming reserves the product''s stock (3 of 10)');
SELECT is((SELECT inventory_quantity FROM product_variants WHERE id = :'red'), 2, 'and the variant''s (2 of 4)');
SELECT is((SELECT availability::text FROM product_variants WHERE id = :'red'), 'low_stock', 'at or below the threshold (5): low_stock');
UPDATE order_line_items SET quantity = 5 WHERE order_id = :'o1' AND variant_id IS NULL;
SELECT is((SELECT inventory_quantity FROM products WHERE id = :'widget'), 5, 'a line edit on a confirmed order moves stock by the difference');
INSERT INTO order_line_items (order_id, product_id, title, price, quantity) VALUES (:'o1', :'untracked', 'Wrap', 2.50, 1);
SELECT is((SELECT inventory_quantity FROM products WHERE id = :'untracked'), 0, 'untracked stock is left alone');
UPDATE orders SET status = 'shipped' WHERE id = :'o1';
SELECT is((SELECT inventory_quantity FROM products WHERE id = :'widget'), 5, 'moving between holding statuses changes nothing');
SELECT isnt((SELECT shipped_date FROM orders WHERE id = :'o1'), NULL, 'shipping stamps shipped_date');
UPDATE orders SET status = 'cancelled' WHERE id = :'o1';
SELECT is((SELECT inventory_quantity FROM products WHERE id = :'widget'), 10, 'cancelling restores the product''s stock');
SELECT is((SELECT (inventory_quantity, availability)::text FROM product_variants WHERE id = :'red'), '(4,low_stock)', 'and the variant''s');
SELECT isnt((SELECT cancelled_date FROM orders WHERE id = :'o1'), NULL, 'cancelling stamps cancelled_date');
SELECT is((SELECT array_agg(coalesce(from_status::text, '-') || '>' || to_status ORDER BY id) FROM order_status_history WHERE order_id = :'o1'),
          '{->pending,pending>confirmed,confirmed>shipped,shipped>cancelled}', 'every status is in the history');
SELECT is((SELECT count(DISTINCT changed_by)::int FROM order_status_history WHERE order_id = :'o1' AND changed_by = :'admin_a'), 1,
          'with who changed it');

INSERT INTO orders (store_id, external_id, customer_id) VALUES (:'store_a', 'o-last', :'bob') RETURNING id AS olast \gset
INSERT INTO order_line_items (order_id, product_id, title, price, quantity) VALUES (:'olast', :'last_one', 'Last', 5, 2);
SELECT is(test_helpers.outcome(format($$UPDATE orders SET status = 'confirmed' WHERE id = %L$$, :'olast')),
          '23514', 'confirming more than the stock is refused');
UPDATE order_line_items SET quantity = 1 WHERE order_id = :'olast';
UPDATE orders SET status = 'confirmed' WHERE id = :'olast';
SELECT is((SELECT (inventory_quantity, availability)::text FROM products WHERE id = :'last_one'), '(0,out_of_stock)', 'the last one: out of stock');
DELETE FROM orders WHERE id = :'olast';
SELECT is((SELECT inventory_quantity FROM products WHERE id = :'last_one'), 1, 'deleting a confirmed order gives its stock back');

-- Customer figures: cancelled and refunded excluded, moves counted on both sides.
INSERT INTO orders (store_id, external_id, customer_id, total_shipping, order_date)
VALUES (:'store_a', 'o-2', :'alice', 10, '2026-03-05 09:00+00') RETURNING id AS o2 \gset
INSERT INTO orders (store_id, external_id, customer_id, total_shipping, order_date, status)
VALUES (:'store_a', 'o-3', :'alice', 20, '2026-03-09 09:00+00', 'refunded') RETURNING id AS o3 \gset
SELECT is((SELECT (total_spent, total_orders, lifetime_value, last_order_date)::text FROM customers WHERE id = :'alice'),
          '(10.00,1,10.00,"2026-03-05 09:00:00+00")', 'alice: only her live order counts');
UPDATE orders SET status = 'delivered' WHERE id = :'o3';
SELECT is((SELECT (total_spent, total_orders, last_order_date)::text FROM customers WHERE id = :'alice'),
          '(30.00,2,"2026-03-09 09:00:00+00")', 'an order back from refunded counts again');
UPDATE orders SET customer_id = :'bob' WHERE id = :'o3';
SELECT is((SELECT (total_spent, total_orders, last_order_date)::text FROM customers WHERE id = :'alice'),
          '(10.00,1,"2026-03-05 09:00:00+00")', 'moving an order away: the old customer loses it, last date recomputed');
SELECT is((SELECT (total_spent, total_orders, last_order_date)::text FROM customers WHERE id = :'bob'),
          '(20.00,1,"2026-03-09 09:00:00+00")', 'the new customer gains it');
DELETE FROM customers WHERE id = :'bob';
SELECT is((SELECT customer_id FROM orders WHERE id = :'o3'), NULL, 'deleting a customer keeps its orders, unlinked');
SELECT test_helpers.become('none');
SELECT is((SELECT count(*)::int FROM reconcile()), 0, 'reconcile() finds every figure true');
SELECT * FROM finish();
ROLLBACK;
