-- A client's order reads its package once: the API leaves the pricing to
-- the orders trigger (which must read the catalog anyway, a client's price
-- being money it does not own) instead of checking the package first and
-- joining it into the INSERT as well. Counted with the transaction's own
-- table statistics: the reads of esim_packages an order costs are the
-- trigger's one and the foreign key check of orders.package_id.
BEGIN;
SELECT plan(5);
\ir fixtures/rls_fixtures.psql
\ir ../../../../test/lib/pgtap_helpers.psql

CREATE TEMP TABLE package_reads (at text PRIMARY KEY, n bigint);
CREATE FUNCTION pg_temp.note_reads(at text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO package_reads
  SELECT at, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables
   WHERE relid = 'esim_packages'::regclass
$$;
CREATE FUNCTION pg_temp.reads_between(a text, b text) RETURNS bigint LANGUAGE sql AS $$
  SELECT (SELECT n FROM package_reads WHERE at = b) - (SELECT n FROM package_reads WHERE at = a)
$$;

CREATE TEMP TABLE catalog_price AS SELECT price_usd, name FROM esim_packages WHERE package_code = 'PKG-ACTIVE';
GRANT SELECT ON catalog_price TO authenticated;
SELECT pg_temp.note_reads('before b2c');
SELECT test_helpers.become_user(pg_temp.id('user_c'));
SELECT is((SELECT price_usd FROM place_b2c_order('PKG-ACTIVE', 'READS-B2C')), (SELECT price_usd FROM catalog_price),
          'a customer''s order is priced from the catalog');
SELECT test_helpers.become('none');
SELECT pg_temp.note_reads('after b2c');
SELECT is(pg_temp.reads_between('before b2c', 'after b2c'), 2::bigint,
          'place_b2c_order: the package is read by the pricing trigger and by the foreign key check, nothing else');

SELECT pg_temp.note_reads('before b2b');
SELECT test_helpers.become_user(pg_temp.id('user_a'));
SELECT is((SELECT row(price_usd, package_name)::text FROM place_b2b_order('PKG-ACTIVE', transaction_id => 'READS-B2B')),
          (SELECT row(price_usd, name)::text FROM catalog_price), 'a partner''s order is priced from the catalog');
SELECT test_helpers.become('none');
SELECT pg_temp.note_reads('after b2b');
SELECT is(pg_temp.reads_between('before b2b', 'after b2b'), 2::bigint,
          'place_b2b_order: the same two reads');

-- A package not on sale is still refused with P0002.
SELECT is(test_helpers.outcome_as('authenticated', pg_temp.id('user_c'),
            $$SELECT place_b2c_order('PKG-RETIRED')$$), 'P0002', 'a retired package: P0002');

SELECT * FROM finish();
ROLLBACK;
