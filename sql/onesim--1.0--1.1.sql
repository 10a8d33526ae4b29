-- OneSIM upgrade from 1.0 to 1.1 (ALTER EXTENSION onesim UPDATE TO '1.1').
--
-- Every change made to sql/onesim/*.sql since 1.0 is repeated here, so that an
-- upgraded database ends identical to a fresh 1.1 install (test/upgrade.sh
-- compares the two, object by object). Columns added to an existing table go
-- at the end of its CREATE TABLE in sql/onesim/, where ADD COLUMN puts them.
\echo Use "ALTER EXTENSION onesim UPDATE TO '1.1'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Hardening (issue #5, "Attacks" and "Drops")
-- ---------------------------------------------------------------------------

-- Trigger functions that PUBLIC could execute could be attached by anyone to
-- a table of their own (a temporary one will do), and the SECURITY DEFINER
-- ones then ran as the owner over the caller's tables: nobody but the owner
-- may execute them now (CREATE TRIGGER needs EXECUTE; firing does not).
REVOKE ALL ON FUNCTION
  onesim_internal.orders_before_write(), onesim_internal.orders_after_change(),
  onesim_internal.earnings_after_change(), onesim_internal.recount_after_truncate()
  FROM PUBLIC;
REVOKE ALL ON FUNCTION onesim_internal.orders_audit() FROM PUBLIC;
REVOKE ALL ON FUNCTION onesim_internal.forbid_column_change() FROM PUBLIC;
REVOKE ALL ON FUNCTION onesim_internal.guard_drop() FROM PUBLIC;

-- flush_partner_figures() is for the API functions and the service, not for
-- clients (anon could call it through PUBLIC).
REVOKE ALL ON FUNCTION onesim_internal.flush_partner_figures() FROM PUBLIC, authenticated;

-- Every function of ours has a pinned search_path.
ALTER FUNCTION calculate_commission(numeric, numeric, text) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION commission_breakdown(numeric, numeric, text) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION onesim_internal.touch_updated_at() SET search_path = pg_catalog, pg_temp;

-- The drop guard also sees DROP OWNED, and fires under
-- session_replication_role = replica as well.
COMMENT ON FUNCTION onesim_internal.guard_drop() IS
  'Refuses DROP EXTENSION onesim (or onesim_auth), DROP SCHEMA of its schemas and DROP OWNED BY their owners while onesim holds data, unless onesim.allow_drop_with_data is on';
DROP EVENT TRIGGER onesim_guard_drop;
CREATE EVENT TRIGGER onesim_guard_drop ON ddl_command_start
  WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA', 'DROP OWNED')
  EXECUTE FUNCTION onesim_internal.guard_drop();
ALTER EVENT TRIGGER onesim_guard_drop ENABLE ALWAYS;
