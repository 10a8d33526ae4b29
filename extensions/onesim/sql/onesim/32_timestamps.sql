
-- ---------------------------------------------------------------------------
-- Timestamps (C++: src/onesim/timestamps.cpp)
-- Every table with updated_at: on UPDATE, updated_at = now() (the
-- transaction's start, as the DEFAULT now() of inserts) and created_at keeps
-- its value. Inserts keep the defaults. test/pgtap/12_timestamps.sql checks
-- that every table with updated_at has its trigger.
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.touch_updated_at()
RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_touch_updated_at'
LANGUAGE C SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.touch_updated_at() IS
  'BEFORE UPDATE row trigger: updated_at := now(), created_at := OLD.created_at';
REVOKE ALL ON FUNCTION onesim_internal.touch_updated_at() FROM PUBLIC;

CREATE TRIGGER trg_profiles_updated_at BEFORE UPDATE ON profiles
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_esim_packages_updated_at BEFORE UPDATE ON esim_packages
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_package_operators_updated_at BEFORE UPDATE ON package_operators
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_price_sync_log_updated_at BEFORE UPDATE ON price_sync_log
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_package_price_changes_updated_at BEFORE UPDATE ON package_price_changes
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_margin_overrides_updated_at BEFORE UPDATE ON margin_overrides
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_exchange_rates_updated_at BEFORE UPDATE ON exchange_rates
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_package_views_updated_at BEFORE UPDATE ON package_views
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_cached_regional_packages_updated_at BEFORE UPDATE ON cached_regional_packages
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_cached_global_packages_updated_at BEFORE UPDATE ON cached_global_packages
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_package_cache_metadata_updated_at BEFORE UPDATE ON package_cache_metadata
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_user_favorites_updated_at BEFORE UPDATE ON user_favorites
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_customer_groups_updated_at BEFORE UPDATE ON customer_groups
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_customer_group_members_updated_at BEFORE UPDATE ON customer_group_members
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_orders_updated_at BEFORE UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_partner_payouts_updated_at BEFORE UPDATE ON partner_payouts
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_partner_api_keys_updated_at BEFORE UPDATE ON partner_api_keys
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();

-- The tables the extension also writes below SQL (pg::DirectWriter: the
-- commit-time partner figures, the earnings' lifecycle) have their trigger
-- guarded by a WHEN that is false exactly when the trigger would change
-- nothing: those writes set updated_at = now() themselves, and skipping a
-- row trigger call saves its whole cost (the row is not even formed). For
-- any other UPDATE the condition is true (updated_at was kept or set to
-- something else, or created_at was changed) and the trigger runs.
CREATE TRIGGER trg_partners_updated_at BEFORE UPDATE ON partners
  FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM now() OR NEW.created_at IS DISTINCT FROM OLD.created_at)
  EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_partner_customers_updated_at BEFORE UPDATE ON partner_customers
  FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM now() OR NEW.created_at IS DISTINCT FROM OLD.created_at)
  EXECUTE FUNCTION onesim_internal.touch_updated_at();
CREATE TRIGGER trg_partner_earnings_updated_at BEFORE UPDATE ON partner_earnings
  FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM now() OR NEW.created_at IS DISTINCT FROM OLD.created_at)
  EXECUTE FUNCTION onesim_internal.touch_updated_at();
