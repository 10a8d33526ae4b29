-- price_catalog keeps the catalog rows it read per backend: every change of
-- this transaction, and a change rolled back to a savepoint, must show in
-- the next run as if the catalog were read afresh (calculate_price reads it
-- through SQL every time).
BEGIN;
SELECT plan(8);

INSERT INTO catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, countries, groups, region, provider) VALUES
  ('kept-a', 7, 4.00, true, '{KA}', '{}', 'Kept Region', 'MAYA'),
  ('kept-b', 7, 6.00, true, '{KA,KB}', '{Kept Group}', 'Kept Region', 'ESIM_GO');

CREATE FUNCTION pg_temp.kept(out text) LANGUAGE sql AS $$
  SELECT string_agg(concat_ws(':', coalesce(country, region), coalesce(bundle_group, '-'), esim_go_name, cost, final_price), ',' ORDER BY 1)
  FROM price_catalog(NULL, ARRAY[7]) WHERE country IN ('KA', 'KB') OR region = 'Kept Region' $$;

SELECT is(pg_temp.kept(), 'KA:Kept Group:kept-a:4.00:19.00,KB:Kept Group:kept-b:6.00:8.00,Kept Region:Kept Group:kept-a:4.00:19.00',
          'the rows as inserted');
SELECT is(pg_temp.kept(), 'KA:Kept Group:kept-a:4.00:19.00,KB:Kept Group:kept-b:6.00:8.00,Kept Region:Kept Group:kept-a:4.00:19.00',
          'the same rows again');

UPDATE catalog_bundles SET price = 7.00 WHERE esim_go_name = 'kept-b';
SELECT is(pg_temp.kept(), 'KA:Kept Group:kept-a:4.00:19.00,KB:Kept Group:kept-b:7.00:9.00,Kept Region:Kept Group:kept-a:4.00:19.00',
          'an update of this transaction');

SAVEPOINT before_delete;
DELETE FROM catalog_bundles WHERE esim_go_name = 'kept-a';
SELECT is(pg_temp.kept(), 'KA:Kept Group:kept-b:7.00:9.00,KB:Kept Group:kept-b:7.00:9.00,Kept Region:Kept Group:kept-b:7.00:9.00',
          'a deletion in a savepoint');
ROLLBACK TO SAVEPOINT before_delete;
SELECT is(pg_temp.kept(), 'KA:Kept Group:kept-a:4.00:19.00,KB:Kept Group:kept-b:7.00:9.00,Kept Region:Kept Group:kept-a:4.00:19.00',
          'the deletion rolled back to the savepoint');

UPDATE catalog_bundles SET price = price WHERE esim_go_name = 'kept-a';
SELECT is(pg_temp.kept(), 'KA:Kept Group:kept-a:4.00:19.00,KB:Kept Group:kept-b:7.00:9.00,Kept Region:Kept Group:kept-a:4.00:19.00',
          'an update writing the same values');

UPDATE catalog_bundles SET is_unlimited = false, data_amount_mb = 1024 WHERE esim_go_name = 'kept-a';
SELECT is(pg_temp.kept(), 'KA:Kept Group:kept-b:7.00:9.00,KB:Kept Group:kept-b:7.00:9.00,Kept Region:Kept Group:kept-b:7.00:9.00',
          'a row that can no longer price');

SELECT is((SELECT count(*)::int FROM price_catalog(NULL, ARRAY[7]) s
            WHERE s.country IS NOT NULL
              AND s.final_price IS DISTINCT FROM (calculate_price(7, s.country, NULL, s.bundle_group) ->> 'finalPrice')::numeric),
          0, 'after the changes, price_catalog and calculate_price agree on every country price');

SELECT * FROM finish();
ROLLBACK;
