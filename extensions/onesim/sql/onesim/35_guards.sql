
-- ---------------------------------------------------------------------------
-- Guards (C++: src/onesim/guards.cpp)
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.forbid_column_change() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_forbid_column_change'
LANGUAGE C SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.forbid_column_change() IS
  'BEFORE UPDATE: the columns named as trigger arguments are immutable (55000)';
REVOKE ALL ON FUNCTION onesim_internal.forbid_column_change() FROM PUBLIC;

-- A customer or a group belongs to one partner for life: moving it would make
-- its group memberships and orders straddle two tenants.
CREATE TRIGGER trg_partner_customers_partner_fixed
  BEFORE UPDATE OF partner_id ON partner_customers
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.forbid_column_change('partner_id');
CREATE TRIGGER trg_customer_groups_partner_fixed
  BEFORE UPDATE OF partner_id ON customer_groups
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.forbid_column_change('partner_id');
CREATE TRIGGER trg_partner_earnings_order_fixed
  BEFORE UPDATE OF order_id ON partner_earnings
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.forbid_column_change('order_id');

CREATE FUNCTION onesim_internal.guard_drop() RETURNS event_trigger
AS 'MODULE_PATHNAME', 'onesim_guard_drop'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.guard_drop() IS
  'Refuses DROP EXTENSION onesim (or onesim_auth), DROP SCHEMA of its schemas and DROP OWNED BY their owners while onesim holds data, unless onesim.allow_drop_with_data is on';
REVOKE ALL ON FUNCTION onesim_internal.guard_drop() FROM PUBLIC;

-- DROP OWNED BY the extension's owner drops it too. ENABLE ALWAYS: an event
-- trigger left at its default does not fire under session_replication_role =
-- replica (the restore setting the README recommends).
CREATE EVENT TRIGGER onesim_guard_drop ON ddl_command_start
  WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA', 'DROP OWNED')
  EXECUTE FUNCTION onesim_internal.guard_drop();
ALTER EVENT TRIGGER onesim_guard_drop ENABLE ALWAYS;
