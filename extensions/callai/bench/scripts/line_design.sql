-- A line added to a confirmed order: line total, order subtotal and total,
-- stock reserved, customer figures moved (triggers).
\set o random(1, :orders)
\set p random(1, 20)
INSERT INTO order_line_items (order_id, store_id, product_id, title, price, quantity)
SELECT b.id, b.store_id, p.id, p.title, p.price, 2 FROM bench_order b JOIN products p ON p.store_id = b.store_id AND p.external_id = 'p' || :p
 WHERE b.n = :o;
