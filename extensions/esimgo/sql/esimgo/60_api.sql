-- ---------------------------------------------------------------------------
-- API functions (SECURITY INVOKER; the catalog is readable by everyone).
-- ---------------------------------------------------------------------------

-- The pricing engine (C++: api/pricing.cpp, domain/engine.cpp).
CREATE FUNCTION @extschema@.calculate_price(
  requested_days integer, country text DEFAULT NULL, region text DEFAULT NULL,
  bundle_group text DEFAULT NULL, payment_method text DEFAULT 'ISRAELI_CARD', strategy_id uuid DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'esimgo_calculate_price'
LANGUAGE C STABLE CALLED ON NULL INPUT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.calculate_price(integer, text, text, text, text, uuid) IS
  'Price of the best bundle for the request under a strategy (default: the default strategy), with upstream''s breakdown; P0002 when no bundle lasts the days';

CREATE FUNCTION @extschema@.price_catalog(
  strategy_id uuid DEFAULT NULL, days integer[] DEFAULT NULL, payment_method text DEFAULT 'ISRAELI_CARD')
RETURNS TABLE (country text, region text, bundle_group text, requested_days integer, esim_go_name text,
               provider text, validity_in_days integer, cost numeric, final_price numeric, markup numeric,
               discount_value numeric, net_profit numeric, applied_rules jsonb)
AS 'MODULE_PATHNAME', 'esimgo_price_catalog'
LANGUAGE C STABLE CALLED ON NULL INPUT ROWS 10000
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.price_catalog(uuid, integer[], text) IS
  'Every (country or region, bundle group, requested days) the catalog can serve, priced in one call (days 1..30 when NULL)';

-- How a strategy would move every price against the default strategy.
CREATE FUNCTION @extschema@.simulate_strategy(
  strategy_id uuid, days integer[] DEFAULT NULL, payment_method text DEFAULT 'ISRAELI_CARD')
RETURNS TABLE (prices integer, went_up integer, went_down integer, unchanged integer, only_in_candidate integer,
               only_in_default integer, biggest_rise numeric, biggest_drop numeric)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH candidate AS (SELECT * FROM @extschema@.price_catalog(simulate_strategy.strategy_id, simulate_strategy.days, simulate_strategy.payment_method)),
       current AS (SELECT * FROM @extschema@.price_catalog(NULL, simulate_strategy.days, simulate_strategy.payment_method)),
       pairs AS (
         SELECT c.final_price AS new_price, d.final_price AS old_price
         FROM candidate c FULL JOIN current d
           ON c.country IS NOT DISTINCT FROM d.country AND c.region IS NOT DISTINCT FROM d.region
          AND c.bundle_group IS NOT DISTINCT FROM d.bundle_group AND c.requested_days = d.requested_days)
  SELECT count(*)::integer,
         count(*) FILTER (WHERE new_price > old_price)::integer,
         count(*) FILTER (WHERE new_price < old_price)::integer,
         count(*) FILTER (WHERE new_price = old_price)::integer,
         count(*) FILTER (WHERE old_price IS NULL)::integer,
         count(*) FILTER (WHERE new_price IS NULL)::integer,
         coalesce(max(new_price - old_price) FILTER (WHERE new_price > old_price), 0),
         coalesce(min(new_price - old_price) FILTER (WHERE new_price < old_price), 0)
  FROM pairs
$$;
COMMENT ON FUNCTION @extschema@.simulate_strategy(uuid, integer[], text) IS
  'Before activating a strategy: how many catalog prices go up, down or stay, against the default strategy, and the biggest moves';

-- Catalog reads apps call (upstream's RPCs), over the catalog rows.
CREATE FUNCTION @extschema@.get_unique_durations() RETURNS TABLE (validity_in_days integer)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT DISTINCT cb.validity_in_days FROM @extschema@.catalog_bundles cb WHERE cb.validity_in_days IS NOT NULL ORDER BY 1 $$;

CREATE FUNCTION @extschema@.get_distinct_durations()
RETURNS TABLE (value integer, label text, min_days integer, max_days integer)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT d, CASE WHEN d = 1 THEN '1 day' ELSE d || ' days' END, d, d
      FROM (SELECT DISTINCT cb.validity_in_days AS d FROM @extschema@.catalog_bundles cb WHERE cb.validity_in_days IS NOT NULL) s ORDER BY d $$;

CREATE FUNCTION @extschema@.get_bundles_for_country(country_code text)
RETURNS SETOF @extschema@.catalog_bundles
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@.catalog_bundles cb WHERE cb.countries @> ARRAY[country_code] ORDER BY cb.price, cb.esim_go_name $$;

CREATE FUNCTION @extschema@.get_bundles_for_region(region_name text)
RETURNS SETOF @extschema@.catalog_bundles
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@.catalog_bundles cb WHERE cb.region = region_name ORDER BY cb.price, cb.esim_go_name $$;

CREATE FUNCTION @extschema@.get_bundles_for_group(group_name text)
RETURNS SETOF @extschema@.catalog_bundles
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@.catalog_bundles cb WHERE cb.groups @> ARRAY[group_name] ORDER BY cb.price, cb.esim_go_name $$;

CREATE FUNCTION @extschema@.get_region_countries(region_name text) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce(array_agg(DISTINCT c ORDER BY c), '{}') FROM @extschema@.catalog_bundles cb, unnest(cb.countries) c WHERE cb.region = region_name $$;

CREATE FUNCTION @extschema@.get_region_groups(region_name text) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce(array_agg(DISTINCT g ORDER BY g), '{}') FROM @extschema@.catalog_bundles cb, unnest(cb.groups) g WHERE cb.region = region_name $$;

CREATE FUNCTION @extschema@.get_unique_regions() RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce(array_agg(DISTINCT cb.region ORDER BY cb.region), '{}') FROM @extschema@.catalog_bundles cb WHERE cb.region IS NOT NULL $$;

CREATE FUNCTION @extschema@.get_unique_groups_from_bundles() RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce(array_agg(DISTINCT g ORDER BY g), '{}') FROM @extschema@.catalog_bundles cb, unnest(cb.groups) g $$;

CREATE FUNCTION @extschema@.get_regions_with_bundles() RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce(jsonb_agg(jsonb_build_object('region', region, 'bundle_count', n, 'min_price', lo, 'max_price', hi) ORDER BY region), '[]')
      FROM (SELECT cb.region, count(*) AS n, min(cb.price) AS lo, max(cb.price) AS hi
            FROM @extschema@.catalog_bundles cb WHERE cb.region IS NOT NULL GROUP BY cb.region) s $$;

CREATE FUNCTION @extschema@.get_bundle_coverage_stats()
RETURNS TABLE (total_bundles bigint, countries bigint, regions bigint, groups bigint, unlimited_bundles bigint,
               min_price numeric, max_price numeric, avg_price numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT count(*),
             (SELECT count(DISTINCT c) FROM @extschema@.catalog_bundles x, unnest(x.countries) c),
             count(DISTINCT cb.region),
             (SELECT count(DISTINCT g) FROM @extschema@.catalog_bundles y, unnest(y.groups) g),
             count(*) FILTER (WHERE cb.is_unlimited),
             min(cb.price), max(cb.price), round(avg(cb.price), 2)
      FROM @extschema@.catalog_bundles cb $$;

REVOKE EXECUTE ON FUNCTION
  @extschema@.calculate_price(integer, text, text, text, text, uuid),
  @extschema@.price_catalog(uuid, integer[], text),
  @extschema@.simulate_strategy(uuid, integer[], text),
  @extschema@.get_unique_durations(), @extschema@.get_distinct_durations(),
  @extschema@.get_bundles_for_country(text), @extschema@.get_bundles_for_region(text),
  @extschema@.get_bundles_for_group(text), @extschema@.get_region_countries(text),
  @extschema@.get_region_groups(text), @extschema@.get_unique_regions(),
  @extschema@.get_unique_groups_from_bundles(), @extschema@.get_regions_with_bundles(),
  @extschema@.get_bundle_coverage_stats()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  @extschema@.calculate_price(integer, text, text, text, text, uuid),
  @extschema@.get_unique_durations(), @extschema@.get_distinct_durations(),
  @extschema@.get_bundles_for_country(text), @extschema@.get_bundles_for_region(text),
  @extschema@.get_bundles_for_group(text), @extschema@.get_region_countries(text),
  @extschema@.get_region_groups(text), @extschema@.get_unique_regions(),
  @extschema@.get_unique_groups_from_bundles(), @extschema@.get_regions_with_bundles(),
  @extschema@.get_bundle_coverage_stats()
TO anon, authenticated, service_role;
-- Whole-catalog runs are for admins' tools and the service (a repricing job);
-- revoked from anon by name too, since Supabase's default privileges in
-- public grant every new function to anon.
GRANT EXECUTE ON FUNCTION @extschema@.price_catalog(uuid, integer[], text),
  @extschema@.simulate_strategy(uuid, integer[], text) TO authenticated, service_role;
REVOKE EXECUTE ON FUNCTION @extschema@.price_catalog(uuid, integer[], text),
  @extschema@.simulate_strategy(uuid, integer[], text) FROM anon;

-- Upstream's block exports (event_type in any spelling, free-text category).
CREATE FUNCTION @extschema@.import_pricing_block(block jsonb) RETURNS uuid
AS 'MODULE_PATHNAME', 'esimgo_import_pricing_block'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.import_pricing_block(jsonb) IS
  'Inserts a pricing block given in upstream''s export form (set_base_price, select_provider, ...), normalised and validated; admins (RLS)';
REVOKE EXECUTE ON FUNCTION @extschema@.import_pricing_block(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.import_pricing_block(jsonb) TO authenticated, service_role;
