-- Order sync (sync_order): an order with its lines from the platform's
-- payload, skipped when unchanged, applied when changed, refused when its
-- stated totals disagree with its lines; who may call it.
BEGIN;
\ir ../../../../test/lib/pgtap_helpers.psql
\ir fixtures/stores.psql
SELECT plan(20);

SELECT test_helpers.become_user(:'admin_a');
INSERT INTO products (store_id, external_id, title, price, inventory_quantity, inventory_tracked)
VALUES (:'store_a', 'gid-p-1', 'Kettle', 30.00, 10, true) RETURNING id AS kettle \gset
INSERT INTO product_variants (product_id, external_variant_id, title, price, inventory_quantity, inventory_tracked)
VALUES (:'kettle', 'gid-v-1', 'Kettle / Red', 32.00, 5, true) RETURNING id AS kettle_red \gset
INSERT INTO customers (store_id, external_id, first_name) VALUES (:'store_a', 'gid-c-1', 'Ida') RETURNING id AS ida \gset
SELECT test_helpers.become('none');

\set payload '{"order_number": "#5001", "customer_external_id": "gid-c-1", "total_tax": 2.40, "total_shipping": 5.00, "total_discounts": 1.00, "subtotal_price": 92.00, "total_price": 98.40, "status": "confirmed", "order_date": "2026-10-01T10:00:00Z", "line_items": [{"external_id": "li-1", "external_product_id": "gid-p-1", "title": "Kettle", "price": 30.00, "quantity": 1, "total_price": 30.00}, {"external_id": "li-2", "external_product_id": "gid-p-1", "external_variant_id": "gid-v-1", "title": "Kettle / Red", "price": 32.00, "quantity": 2, "discount_amount": 2.00}]}'

SELECT test_helpers.become('service_role');
SELECT is(sync_order(:'store_a', 'gid-o-1', :'payload', 'hash-1'), 'inserted', 'a new order is inserted');
SELECT is((SELECT (order_number, subtotal_price, total_price, status, customer_id = :'ida')::text FROM orders
           WHERE store_id = :'store_a' AND external_id = 'gid-o-1'), '(#5001,92.00,98.40,confirmed,t)',
          'the database computed the totals the payload states and linked the customer');
SELECT is((SELECT array_agg((external_id, product_id = :'kettle', variant_id IS NOT NULL, total_price)::text ORDER BY external_id)
           FROM order_line_items WHERE order_id = (SELECT id FROM orders WHERE store_id = :'store_a' AND external_id = 'gid-o-1')),
          '{"(li-1,t,f,30.00)","(li-2,t,t,62.00)"}', 'its lines, products and variants found by their external ids');
SELECT is((SELECT (p.inventory_quantity, v.inventory_quantity)::text FROM products p, product_variants v
           WHERE p.id = :'kettle' AND v.id = :'kettle_red'), '(9,3)', 'a confirmed order reserved its stock');
SELECT is((SELECT (total_orders, total_spent)::text FROM customers WHERE id = :'ida'), '(1,98.40)', 'and counts for the customer');
SELECT is((SELECT updated_at FROM orders WHERE store_id = :'store_a' AND external_id = 'gid-o-1') = now(), true, 'written in this transaction');
SELECT is(sync_order(:'store_a', 'gid-o-1', :'payload', 'hash-1'), 'unchanged', 'the same hash is skipped');
SELECT is((SELECT count(*)::int FROM order_status_history WHERE order_id = (SELECT id FROM orders WHERE store_id = :'store_a' AND external_id = 'gid-o-1')),
          1, 'nothing was written for it (no new status history)');

-- Changed: one line more, the order cancelled. Lines are replaced, stock comes back.
SELECT is(sync_order(:'store_a', 'gid-o-1',
  (:'payload'::jsonb - 'subtotal_price' - 'total_price') || '{"status": "cancelled", "line_items": [{"external_id": "li-1", "external_product_id": "gid-p-1", "title": "Kettle", "price": 30.00, "quantity": 3}]}',
  'hash-2'), 'updated', 'a changed payload is applied');
SELECT is((SELECT (subtotal_price, total_price, status)::text FROM orders WHERE store_id = :'store_a' AND external_id = 'gid-o-1'),
          '(90.00,96.40,cancelled)', 'new totals from the new lines');
SELECT is((SELECT count(*)::int FROM order_line_items WHERE order_id = (SELECT id FROM orders WHERE store_id = :'store_a' AND external_id = 'gid-o-1')),
          1, 'the lines were replaced');
SELECT is((SELECT (p.inventory_quantity, v.inventory_quantity)::text FROM products p, product_variants v
           WHERE p.id = :'kettle' AND v.id = :'kettle_red'), '(10,5)', 'cancelling gave the stock back');
SELECT is((SELECT (total_orders, total_spent)::text FROM customers WHERE id = :'ida'), '(0,0.00)', 'and took it off the customer');

-- Refused payloads: 22023, nothing written.
SELECT is(test_helpers.outcome(format($$SELECT sync_order(%L, 'gid-o-2', %L, 'h')$$, :'store_a',
          :'payload'::jsonb || '{"total_price": 100.00}')), '22023', 'a stated total that disagrees with the lines is refused');
SELECT is(test_helpers.outcome(format($$SELECT sync_order(%L, 'gid-o-2', %L, 'h')$$, :'store_a',
          :'payload'::jsonb || '{"subtotal_price": 1.00}')), '22023', 'a stated subtotal that disagrees is refused');
SELECT is(test_helpers.outcome(format($$SELECT sync_order(%L, 'gid-o-2', %L, 'h')$$, :'store_a',
          '{"line_items": [{"title": "x", "price": 10, "quantity": 2, "total_price": 25}]}')), '22023',
          'a stated line total that disagrees is refused');
SELECT is(test_helpers.outcome(format($$SELECT sync_order(%L, 'gid-o-2', %L, 'h')$$, :'store_a',
          '{"line_items": {"title": "x"}}')), '22023', 'line_items that is not an array is refused');
SELECT test_helpers.become('none');

-- Who may call it.
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a',
          format($$SELECT sync_order(%L, 'gid-o-3', '{"line_items": []}', 'h')$$, :'store_a')), 'ok:1',
          'an admin of the store syncs its orders');
SELECT is(test_helpers.outcome_as('authenticated', :'owner_b',
          format($$SELECT sync_order(%L, 'gid-o-1', %L, 'hash-3')$$, :'store_a', :'payload')), '42501',
          'another store''s owner cannot');
SELECT is(test_helpers.outcome_as('anon', NULL,
          format($$SELECT sync_order(%L, 'gid-o-4', '{"line_items": []}', 'h')$$, :'store_a')), '42501', 'anon cannot call it');
SELECT finish();
ROLLBACK;
