-- Benchmark catalog of :rows rows and the two comparison designs, in schema bench.
-- psql -v rows=10000 -f setup.sql (esimgo installed in public).
\set ON_ERROR_STOP 1
DELETE FROM public.catalog_bundles;
SELECT setseed(0.2026);
INSERT INTO public.catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, data_amount_mb, countries, groups, region, provider)
SELECT 'bench-' || i,
       (ARRAY[1, 3, 5, 7, 10, 15, 30])[1 + floor(random() * 7)::int],
       round((1 + random() * 100)::numeric, 2),
       unlimited, CASE WHEN unlimited THEN NULL ELSE 1024 END,
       ARRAY(SELECT chr(65 + (c / 26)) || chr(65 + (c % 26))
             FROM generate_series(1, 1 + floor(random() * 3)::int) k,
                  LATERAL (SELECT floor(random() * 200)::int + 0 * i + 0 * k AS c) r),
       CASE WHEN maya THEN '{}'::text[]
            ELSE ARRAY[(ARRAY['Standard Unlimited Lite', 'Standard Unlimited Essential', 'Standard Unlimited Plus'])[1 + floor(random() * 3)::int]] END,
       'Region ' || floor(random() * 8)::int,
       CASE WHEN maya THEN 'MAYA' ELSE 'ESIM_GO' END
FROM (SELECT i, random() < 0.3 AS maya, random() < 0.9 AS unlimited FROM generate_series(1, :rows) i) g;
ANALYZE public.catalog_bundles;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- The default strategy's algorithm written plainly in PL/pgSQL (the design by
-- hand): one query per request to choose the bundle, numeric arithmetic.
CREATE FUNCTION bench.plpgsql_price_catalog(days integer[] DEFAULT NULL)
RETURNS TABLE (country text, region text, bundle_group text, requested_days integer, esim_go_name text, final_price numeric)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  scope record; grp text; d integer; sel record; p numeric; m numeric; g text; validity integer;
BEGIN
  FOR scope IN
    SELECT DISTINCT c AS country, NULL::text AS region FROM public.catalog_bundles, unnest(countries) c
      WHERE is_unlimited AND validity_in_days IS NOT NULL AND price IS NOT NULL
    UNION ALL
    SELECT DISTINCT NULL, cb.region FROM public.catalog_bundles cb
      WHERE is_unlimited AND validity_in_days IS NOT NULL AND price IS NOT NULL AND cb.region IS NOT NULL
    ORDER BY 1, 2
  LOOP
    FOR grp IN
      SELECT DISTINCT gr FROM public.catalog_bundles cb, unnest(cb.groups) gr
       WHERE cb.is_unlimited AND cb.validity_in_days IS NOT NULL AND cb.price IS NOT NULL
         AND (scope.country IS NULL OR cb.countries @> ARRAY[scope.country])
         AND (scope.region IS NULL OR cb.region = scope.region)
      UNION ALL SELECT NULL WHERE NOT EXISTS (
        SELECT 1 FROM public.catalog_bundles cb WHERE cb.is_unlimited AND cb.groups <> '{}'
          AND (scope.country IS NULL OR cb.countries @> ARRAY[scope.country])
          AND (scope.region IS NULL OR cb.region = scope.region))
    LOOP
      FOREACH d IN ARRAY coalesce(days, ARRAY(SELECT generate_series(1, 30))) LOOP
        SELECT cb.esim_go_name, cb.provider, cb.validity_in_days, cb.price, cb.groups INTO sel
          FROM public.catalog_bundles cb
         WHERE cb.is_unlimited AND cb.price IS NOT NULL AND cb.validity_in_days >= d
           AND (scope.country IS NULL OR cb.countries @> ARRAY[scope.country])
           AND (scope.region IS NULL OR cb.region = scope.region)
           AND (grp IS NULL OR cb.groups = '{}' OR grp = ANY (cb.groups))
         ORDER BY cb.validity_in_days, CASE cb.provider WHEN 'MAYA' THEN 0 WHEN 'ESIM_GO' THEN 1 ELSE 2 END,
                  cb.price, cb.esim_go_name
         LIMIT 1;
        CONTINUE WHEN NOT FOUND;
        validity := sel.validity_in_days;
        g := CASE WHEN sel.groups = '{}' THEN NULL WHEN grp IS NULL THEN sel.groups[1] WHEN grp = ANY (sel.groups) THEN grp END;
        m := 0;
        IF sel.provider = 'MAYA' THEN
          m := CASE validity WHEN 1 THEN 5 WHEN 3 THEN 8 WHEN 5 THEN 6 WHEN 7 THEN 15 WHEN 10 THEN 11 WHEN 15 THEN 16 WHEN 30 THEN 23 ELSE 0 END;
        ELSIF g IN ('Standard Unlimited Lite', 'Standard Unlimited Essential') THEN
          m := CASE validity WHEN 1 THEN 3 WHEN 3 THEN 5 WHEN 5 THEN 9 WHEN 7 THEN 12 WHEN 10 THEN 15 WHEN 15 THEN 17 WHEN 30 THEN 20 ELSE 0 END;
        ELSIF g = 'Standard Unlimited Plus' THEN
          m := CASE validity WHEN 1 THEN 4 WHEN 3 THEN 6 WHEN 5 THEN 10 WHEN 7 THEN 13 WHEN 10 THEN 16 WHEN 15 THEN 18 WHEN 30 THEN 21 ELSE 0 END;
        END IF;
        p := sel.price + m;
        IF validity > d THEN
          p := p - round(sel.price * (validity - d) / (2 * validity), 2);
        END IF;
        IF p < 0 THEN p := 0; END IF;
        IF p - sel.price < 1.50 THEN p := sel.price + 1.50; END IF;
        p := round(p, 0);
        IF scope.country = 'UA' THEN p := 25; END IF;
        country := scope.country; region := scope.region; bundle_group := grp; requested_days := d;
        esim_go_name := sel.esim_go_name; final_price := round(p, 2);
        RETURN NEXT;
      END LOOP;
    END LOOP;
  END LOOP;
END $$;
