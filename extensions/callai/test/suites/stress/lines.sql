-- A line added to, changed on or removed from a random order (a held order's
-- edit moves stock: it may be refused for want of it).
\set o random(1, 150)
\set p random(1, 12)
\set q random(1, 4)
\set what random(1, 3)
SELECT stress.try(CASE :what
  WHEN 1 THEN format($$INSERT INTO callai.order_line_items (order_id, product_id, title, price, quantity)
                       SELECT o.id, p.id, p.title, p.price, %s FROM callai.orders o, callai.products p
                        WHERE o.external_id = 'o%s' AND p.external_id = 'p%s'$$, :q, :o, :p)
  WHEN 2 THEN format($$UPDATE callai.order_line_items SET quantity = %s
                        WHERE id = (SELECT l.id FROM callai.order_line_items l JOIN callai.orders o ON o.id = l.order_id
                                     WHERE o.external_id = 'o%s' ORDER BY l.id LIMIT 1)$$, :q, :o)
  ELSE format($$DELETE FROM callai.order_line_items
                 WHERE id = (SELECT l.id FROM callai.order_line_items l JOIN callai.orders o ON o.id = l.order_id
                              WHERE o.external_id = 'o%s' ORDER BY l.id DESC LIMIT 1)
                   AND (SELECT count(*) FROM callai.order_line_items l JOIN callai.orders o ON o.id = l.order_id
                         WHERE o.external_id = 'o%s') > 1$$, :o, :o)
  END);
