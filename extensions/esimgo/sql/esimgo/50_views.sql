-- ---------------------------------------------------------------------------
-- Views (security invoker: each reader's RLS applies).
-- ---------------------------------------------------------------------------

CREATE VIEW @extschema@.active_bundles WITH (security_invoker = true) AS
SELECT eb.*, dp.description AS plan_description, dp.region, dp.countries, dp.duration, dp.is_unlimited,
       e.user_id, e.iccid, e.status AS esim_status
FROM @extschema@.esim_bundles eb
JOIN @extschema@.esims e ON e.id = eb.esim_id
JOIN @extschema@.data_plans dp ON dp.id = eb.data_plan_id
WHERE eb.state = 'ACTIVE' AND (eb.end_date IS NULL OR eb.end_date > now());

CREATE VIEW @extschema@.bundles_by_country WITH (security_invoker = true) AS
SELECT unnest(cb.countries) AS country_code, cb.esim_go_name, cb.description, cb.validity_in_days,
       cb.data_amount_mb, cb.data_amount_readable, cb.is_unlimited, cb.price, cb.currency, cb.groups,
       cb.region, cb.speed, cb.provider
FROM @extschema@.catalog_bundles cb
WHERE array_length(cb.countries, 1) > 0;

CREATE VIEW @extschema@.bundles_by_group WITH (security_invoker = true) AS
SELECT unnest(cb.groups) AS group_name, cb.esim_go_name, cb.description, cb.validity_in_days,
       cb.data_amount_mb, cb.data_amount_readable, cb.is_unlimited, cb.price, cb.currency, cb.countries,
       cb.region, cb.speed, cb.provider
FROM @extschema@.catalog_bundles cb
WHERE array_length(cb.groups, 1) > 0;

CREATE VIEW @extschema@.bundles_by_region WITH (security_invoker = true) AS
SELECT cb.region AS region_name, cb.esim_go_name, cb.description, cb.validity_in_days,
       cb.data_amount_mb, cb.data_amount_readable, cb.is_unlimited, cb.price, cb.currency, cb.countries,
       cb.groups, cb.speed, cb.provider
FROM @extschema@.catalog_bundles cb
WHERE cb.region IS NOT NULL;

REVOKE ALL ON @extschema@.active_bundles, @extschema@.bundles_by_country, @extschema@.bundles_by_group,
  @extschema@.bundles_by_region FROM PUBLIC, anon, authenticated;
GRANT SELECT ON @extschema@.active_bundles TO authenticated, service_role;
GRANT SELECT ON @extschema@.bundles_by_country, @extschema@.bundles_by_group, @extschema@.bundles_by_region
  TO anon, authenticated, service_role;
