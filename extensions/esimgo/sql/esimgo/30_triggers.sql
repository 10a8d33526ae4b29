-- ---------------------------------------------------------------------------
-- Triggers: updated_at everywhere, rule validation, the rules version, profiles
-- ---------------------------------------------------------------------------

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.profiles
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.data_plans
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.esim_orders
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.esims
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.esim_bundles
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.package_assignments
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.pricing_rules
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.pricing_blocks
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.pricing_strategies
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.strategy_blocks
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.high_demand_countries
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.catalog_bundles
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.catalog_metadata
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.catalog_sync_jobs
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.checkout_sessions
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.trips
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.touch_updated_at();

CREATE TRIGGER validate_block BEFORE INSERT OR UPDATE ON @extschema@.pricing_blocks
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.validate_block();
CREATE TRIGGER validate_strategy_block BEFORE INSERT OR UPDATE ON @extschema@.strategy_blocks
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.validate_strategy_block();

-- The rules' version moves with every statement that changed a rule, and only
-- then: the transition table tells (a statement RLS left with no row, as any
-- member's UPDATE of a rule they may not edit is, neither invalidates every
-- backend's compiled strategies nor queues on the version's row).
CREATE TRIGGER bump_rules_version_insert AFTER INSERT ON @extschema@.pricing_blocks
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_update AFTER UPDATE ON @extschema@.pricing_blocks
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_delete AFTER DELETE ON @extschema@.pricing_blocks
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_truncate AFTER TRUNCATE ON @extschema@.pricing_blocks
  FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_insert AFTER INSERT ON @extschema@.strategy_blocks
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_update AFTER UPDATE ON @extschema@.strategy_blocks
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_delete AFTER DELETE ON @extschema@.strategy_blocks
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_truncate AFTER TRUNCATE ON @extschema@.strategy_blocks
  FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_insert AFTER INSERT ON @extschema@.pricing_strategies
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_update AFTER UPDATE ON @extschema@.pricing_strategies
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_delete AFTER DELETE ON @extschema@.pricing_strategies
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();
CREATE TRIGGER bump_rules_version_truncate AFTER TRUNCATE ON @extschema@.pricing_strategies
  FOR EACH STATEMENT EXECUTE FUNCTION esimgo_internal.bump_rules_version();

-- Profiles from sign-ups, as upstream's on_auth_user_created.
CREATE TRIGGER esimgo_on_auth_user_created AFTER INSERT ON auth.users
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.handle_new_user();


-- Account deletion: the books stay with their user erased, the rest goes
-- (triggers/account_deletion.cpp; the foreign keys do the SET NULL / CASCADE).
CREATE TRIGGER esimgo_on_auth_user_deleted BEFORE DELETE ON auth.users
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.forget_user();
