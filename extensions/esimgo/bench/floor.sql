-- The floor: a scan of the catalog that computes cost + a fixed markup for
-- as many prices as price_catalog returns (:prices), in SQL.
SELECT count(*), sum(p) FROM (
  SELECT cb.price + 1.50 AS p
  FROM public.catalog_bundles cb CROSS JOIN generate_series(1, 30) d
  WHERE cb.is_unlimited AND cb.price IS NOT NULL
  LIMIT :prices) s;
