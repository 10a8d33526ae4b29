
-- ---------------------------------------------------------------------------
-- Catalog pricing (rule: src/core/pricing.cpp; triggers:
-- src/onesim/catalog_triggers.cpp)
--   price_usd      = provider_price_usd x (1 + margin/100), 4 dp half away from zero
--   margin_percent = the margin applied: the active margin_overrides row of
--                    scope package, else country (single-country packages),
--                    else region, else global, else 0
--   price_uzs      = price_usd x the USD->UZS exchange rate in force, 2 dp
--                    (left as given when there is no rate)
-- Computed on insert and when provider_price_usd, package_code, country_codes
-- or region change. Every change of the provider price, margin, USD or UZS
-- price is logged in package_price_changes.
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.price_package()
RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_price_package'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.price_package() IS
  'BEFORE INSERT OR UPDATE row trigger on esim_packages: margin_percent, price_usd and price_uzs from the provider price, margin_overrides and exchange_rates';

CREATE FUNCTION onesim_internal.log_package_price_changes()
RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_log_package_price_changes'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.log_package_price_changes() IS
  'AFTER UPDATE statement trigger on esim_packages: one package_price_changes row per package whose prices changed';

REVOKE ALL ON FUNCTION onesim_internal.price_package() FROM PUBLIC;
REVOKE ALL ON FUNCTION onesim_internal.log_package_price_changes() FROM PUBLIC;

CREATE TRIGGER trg_esim_packages_price
  BEFORE INSERT OR UPDATE ON esim_packages
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.price_package();

CREATE TRIGGER trg_esim_packages_log_price_changes
  AFTER UPDATE ON esim_packages
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.log_package_price_changes();
