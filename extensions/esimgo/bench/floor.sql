-- The floor: what any design that prices the catalog must do, in SQL. Every
-- row price_catalog reads (every row that can price, all of them) is read and
-- priced at cost + a fixed markup, and as many prices as price_catalog returns
-- (:prices, cost + the markup over the rows and days) are produced.
SELECT every_row.rows, every_row.total, out.prices, out.total
FROM (SELECT count(*) AS rows, sum(cb.price + 1.50) AS total
        FROM public.catalog_bundles cb
       WHERE cb.is_unlimited AND cb.validity_in_days IS NOT NULL AND cb.price IS NOT NULL) every_row,
     (SELECT count(*) AS prices, sum(p) AS total FROM (
        SELECT cb.price + 1.50 AS p
          FROM public.catalog_bundles cb CROSS JOIN generate_series(1, 30) d
         WHERE cb.is_unlimited AND cb.validity_in_days IS NOT NULL AND cb.price IS NOT NULL
         LIMIT :prices) s) out;
