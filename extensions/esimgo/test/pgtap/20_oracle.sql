-- Prices of the default strategy on a generated catalog, against an
-- independent oracle written in SQL from the spec's algorithm (section 2.7 as
-- corrected by section 4): bundle choice within the scope (exact duration,
-- else the shortest longer one; MAYA, then ESIM_GO, then cost, then name),
-- the markup matrix by <provider>-<group>, <provider>, <group>, half the
-- daily cost back per unused day (rounded half away from zero to the cent),
-- the 1.50 profit floor, rounding half up to the dollar, Ukraine at 25.
BEGIN;
SELECT plan(14);

SELECT setseed(0.4242);
INSERT INTO catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, data_amount_mb, countries, groups, region, provider)
SELECT 'oracle-' || i,
       (ARRAY[1, 3, 5, 7, 10, 15, 20, 30])[1 + floor(random() * 8)::int],
       round((random() * 120)::numeric, 2),
       unlimited, CASE WHEN unlimited THEN NULL ELSE 1024 END,
       (SELECT coalesce(array_agg(c), ARRAY['Q1']) FROM unnest(ARRAY['Q1','Q2','Q3','Q4','Q5','Q6','UA']) c WHERE random() < 0.3 + 0 * i),
       CASE WHEN maya THEN '{}'::text[]
            ELSE ARRAY[(ARRAY['Standard Unlimited Lite','Standard Unlimited Essential','Standard Unlimited Plus','Hajj Promo'])[1 + floor(random() * 4)::int]] END,
       'Oracle ' || (ARRAY['North','South','East'])[1 + floor(random() * 3)::int],
       CASE WHEN maya THEN 'MAYA' ELSE 'ESIM_GO' END
FROM (SELECT i, random() < 0.35 AS maya, random() < 0.9 AS unlimited FROM generate_series(1, 1500) i) g;

CREATE TEMP TABLE markup_matrix (key text, days int, amount numeric) ON COMMIT DROP;
INSERT INTO markup_matrix
SELECT k, d, a FROM (VALUES ('Standard Unlimited Lite'), ('Standard Unlimited Essential'),
                            ('ESIM_GO-Standard Unlimited Lite'), ('ESIM_GO-Standard Unlimited Essential')) keys(k),
  (VALUES (1, 3), (3, 5), (5, 9), (7, 12), (10, 15), (15, 17), (30, 20)) m(d, a)
UNION ALL
SELECT k, d, a FROM (VALUES ('Standard Unlimited Plus'), ('ESIM_GO-Standard Unlimited Plus')) keys(k),
  (VALUES (1, 4), (3, 6), (5, 10), (7, 13), (10, 16), (15, 18), (30, 21)) m(d, a)
UNION ALL
SELECT 'MAYA', d, a FROM (VALUES (1, 5), (3, 8), (5, 6), (7, 15), (10, 11), (15, 16), (30, 23)) m(d, a);

CREATE TEMP TABLE oracle ON COMMIT DROP AS
WITH rows AS (
  SELECT * FROM catalog_bundles WHERE is_unlimited AND validity_in_days IS NOT NULL AND price IS NOT NULL
), scopes AS (
  SELECT DISTINCT unnest(countries) AS country, NULL::text AS region FROM rows
  UNION SELECT DISTINCT NULL, region FROM rows WHERE region IS NOT NULL
), scope_rows AS (
  SELECT s.country AS s_country, s.region AS s_region, r.* FROM scopes s JOIN rows r
    ON (s.country IS NOT NULL AND r.countries @> ARRAY[s.country]) OR (s.region IS NOT NULL AND r.region = s.region)
), scope_groups AS (
  SELECT s_country, s_region, g AS grp FROM scope_rows, unnest(groups) g GROUP BY 1, 2, 3
  UNION
  SELECT s_country, s_region, NULL FROM scope_rows sr GROUP BY 1, 2
  HAVING NOT EXISTS (SELECT 1 FROM scope_rows x WHERE x.s_country IS NOT DISTINCT FROM sr.s_country
                       AND x.s_region IS NOT DISTINCT FROM sr.s_region AND x.groups <> '{}')
), requests AS (
  SELECT sg.s_country AS country, sg.s_region AS region, sg.grp, d AS days FROM scope_groups sg, generate_series(1, 30) d
), chosen AS (
  SELECT q.*, sel.* FROM requests q
  CROSS JOIN LATERAL (
    SELECT r.esim_go_name AS name, r.provider AS prov, r.validity_in_days AS validity, r.price AS cost, r.groups AS bgroups
    FROM scope_rows r
    WHERE r.s_country IS NOT DISTINCT FROM q.country AND r.s_region IS NOT DISTINCT FROM q.region
      AND (q.grp IS NULL OR r.groups = '{}' OR q.grp = ANY (r.groups))
      AND r.validity_in_days = (
        SELECT min(r2.validity_in_days) FROM scope_rows r2
        WHERE r2.s_country IS NOT DISTINCT FROM q.country AND r2.s_region IS NOT DISTINCT FROM q.region
          AND (q.grp IS NULL OR r2.groups = '{}' OR q.grp = ANY (r2.groups)) AND r2.validity_in_days >= q.days)
    ORDER BY CASE r.provider WHEN 'MAYA' THEN 0 WHEN 'ESIM_GO' THEN 1 ELSE 2 END, r.price, r.esim_go_name
    LIMIT 1) sel
), priced AS (
  SELECT c.*,
         coalesce((SELECT m.amount FROM markup_matrix m
                   WHERE m.days = c.validity
                     AND m.key IN (c.prov || '-' || bg.g, c.prov, bg.g)
                   ORDER BY CASE m.key WHEN c.prov || '-' || bg.g THEN 0 WHEN c.prov THEN 1 ELSE 2 END LIMIT 1), 0) AS markup,
         CASE WHEN c.validity > c.days THEN round(c.cost * (c.validity - c.days) / (2 * c.validity), 2) ELSE 0 END AS unused
  FROM chosen c
  CROSS JOIN LATERAL (SELECT CASE WHEN c.bgroups = '{}' THEN NULL
                                  WHEN c.grp IS NULL THEN c.bgroups[1]
                                  WHEN c.grp = ANY (c.bgroups) THEN c.grp END AS g) bg
)
SELECT country, region, grp, days, name, cost,
       CASE WHEN country = 'UA' THEN 25.00
            ELSE round(greatest(greatest(cost + markup - unused, 0), cost + 1.50), 0) END AS final_price
FROM priced;

SELECT cmp_ok((SELECT count(*)::int FROM oracle), '>', 1000, 'the generated catalog gives over a thousand requests');

CREATE TEMP TABLE engine ON COMMIT DROP AS SELECT * FROM price_catalog();

SELECT is_empty($$
  SELECT country, region, grp, days, name, final_price FROM oracle
  EXCEPT SELECT country, region, bundle_group, requested_days, esim_go_name, final_price FROM engine$$,
  'every oracle price is what price_catalog gives');
SELECT is_empty($$
  SELECT country, region, bundle_group, requested_days, esim_go_name, final_price FROM engine
  EXCEPT SELECT country, region, grp, days, name, final_price FROM oracle$$,
  'price_catalog offers nothing the oracle does not');
SELECT is_empty($$
  SELECT * FROM engine e
  WHERE e.final_price - e.cost <> (SELECT coalesce(sum((r->>'impact')::numeric), 0) FROM jsonb_array_elements(e.applied_rules) r)$$,
  'in every row the applied rules add up to final_price - cost');
SELECT is_empty($$SELECT * FROM engine WHERE final_price < 0 OR scale(final_price) <> 2$$,
  'no price is negative; every price is in cents');
SELECT is_empty($$
  SELECT o.* FROM oracle o WHERE o.country IN ('Q1', 'UA') AND o.days IN (4, 16)
    AND o.final_price <> (calculate_price(o.days, o.country, NULL, o.grp)->>'finalPrice')::numeric$$,
  'calculate_price agrees with the oracle');

-- The result's tuplestore: kept in memory up to esimgo.price_catalog_memory
-- (the default holds this one), spilled to a temporary file past it (the
-- smallest setting, with the smallest work_mem). Either way the same rows.
SET LOCAL esimgo.price_catalog_memory = '64kB';
SET LOCAL work_mem = '64kB';
SELECT is_empty($$
  (SELECT * FROM price_catalog() EXCEPT ALL SELECT * FROM engine)
  UNION ALL (SELECT * FROM engine EXCEPT ALL SELECT * FROM price_catalog())$$,
  'a result spilled to a temporary file holds the same rows');
RESET work_mem;
RESET esimgo.price_catalog_memory;
SELECT is((SELECT count(*) FROM (SELECT (price_catalog()).*) c), (SELECT count(*) FROM engine),
          'price_catalog in a select list returns every row');
CREATE FUNCTION pg_temp.read_backwards() RETURNS text LANGUAGE plpgsql AS $$
DECLARE c refcursor; r record; n bigint := 0; total numeric := 0;
BEGIN
  OPEN c SCROLL FOR SELECT * FROM price_catalog();
  MOVE LAST FROM c;
  MOVE NEXT FROM c;
  LOOP
    FETCH PRIOR FROM c INTO r;
    EXIT WHEN NOT FOUND;
    n := n + 1;
    total := total + r.final_price;
  END LOOP;
  CLOSE c;
  RETURN n || ' ' || total;
END $$;
SELECT is(pg_temp.read_backwards(), (SELECT count(*) || ' ' || sum(final_price) FROM engine),
          'a scroll cursor reads price_catalog backwards');
-- The memory a result is kept in is reused by a later call only once the
-- executor is done with it: two calls in one query, a cursor left open while
-- another call runs, a rescan, a cursor dropped by a rollback.
SELECT is_empty($$
  (SELECT * FROM price_catalog() EXCEPT ALL SELECT * FROM price_catalog(NULL, NULL))
  UNION ALL (SELECT * FROM price_catalog(NULL, NULL) EXCEPT ALL SELECT * FROM engine)$$,
  'two calls in one query give the same rows');
CREATE FUNCTION pg_temp.read_around_another_call() RETURNS text LANGUAGE plpgsql AS $$
DECLARE c refcursor; r record; n bigint := 0; total numeric := 0; inner_count bigint;
BEGIN
  OPEN c FOR SELECT * FROM price_catalog();
  FETCH c INTO r;
  n := 1; total := r.final_price;
  SELECT count(*) INTO inner_count FROM price_catalog() p WHERE p.final_price >= 0;
  LOOP
    FETCH c INTO r;
    EXIT WHEN NOT FOUND;
    n := n + 1;
    total := total + r.final_price;
  END LOOP;
  CLOSE c;
  RETURN n || ' ' || total || ' ' || inner_count;
END $$;
SELECT is(pg_temp.read_around_another_call(),
          (SELECT count(*) || ' ' || sum(final_price) || ' ' || count(*) FROM engine),
          'a cursor over price_catalog reads all its rows while another call runs');
SELECT results_eq($$SELECT d, (SELECT count(*) FROM price_catalog(NULL, ARRAY[d])) FROM generate_series(1, 4) d$$,
  $$SELECT d, (SELECT count(*) FROM engine WHERE requested_days = d) FROM generate_series(1, 4) d$$,
  'a rescanned call gives each run its rows');
SAVEPOINT before_cursor;
DECLARE dropped CURSOR FOR SELECT * FROM price_catalog();
MOVE 3 IN dropped;
ROLLBACK TO SAVEPOINT before_cursor;
SELECT is_empty($$
  (SELECT * FROM price_catalog() EXCEPT ALL SELECT * FROM engine)
  UNION ALL (SELECT * FROM engine EXCEPT ALL SELECT * FROM price_catalog())$$,
  'after a cursor dropped by a rollback, the same rows');
SELECT throws_ok($$SET esimgo.price_catalog_memory = '32kB'$$, '22023', NULL,
                 'esimgo.price_catalog_memory is at least 64kB');

SELECT * FROM finish();
ROLLBACK;
