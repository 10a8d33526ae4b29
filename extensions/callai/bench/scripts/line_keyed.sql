-- The same insert into a twin with the lines' primary key, indexes, CHECKs
-- and foreign keys but no trigger, the total given: what the schema alone costs.
\set o random(1, :orders)
\set p random(1, 20)
INSERT INTO lines_keyed (order_id, store_id, product_id, title, price, quantity, total_price)
SELECT b.id, b.store_id, p.id, p.title, p.price, 2, p.price * 2 FROM bench_order b JOIN products p ON p.store_id = b.store_id AND p.external_id = 'p' || :p
 WHERE b.n = :o;
