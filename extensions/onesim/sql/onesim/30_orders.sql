
-- ---------------------------------------------------------------------------
-- Orders, earnings and the partner / customer figures they feed
-- (C++: src/onesim/order_triggers.cpp, src/onesim/reconcile.cpp;
--  definitions: docs/design.md)
--
-- Trigger functions are SECURITY DEFINER: a partner placing an order must
-- move figures and write earnings it has no privilege to write itself. Their
-- SQL is schema-qualified, and search_path is pinned all the same.
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.orders_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_orders_before_write'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.orders_before_write() IS
  'Sets commission (partner''s effective rate at purchase), paid amounts, end customer and lifecycle timestamps; validates partner, end customer and group';

CREATE FUNCTION onesim_internal.orders_after_change() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_orders_after_change'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.orders_after_change() IS
  'Per statement: partner and partner-customer order figures, and the earnings lifecycle';

CREATE FUNCTION onesim_internal.earnings_after_change() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_earnings_after_change'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.earnings_after_change() IS
  'Per statement: partners.pending_earnings, total_earnings and balance from earnings';

CREATE FUNCTION onesim_internal.recount_after_truncate() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_recount_after_truncate'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION onesim_internal.reconcile(repair boolean DEFAULT false)
RETURNS TABLE (entity text, entity_id uuid, figure text, stored text, actual text)
AS 'MODULE_PATHNAME', 'onesim_reconcile'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.reconcile(boolean) IS
  'Recomputes every maintained figure from the rows; returns each difference, and repairs them when repair = true';
REVOKE ALL ON FUNCTION onesim_internal.reconcile(boolean) FROM PUBLIC;
-- The service role checks (and repairs) the figures of a live project, as
-- Supabase's test tooling and operators run it.
GRANT EXECUTE ON FUNCTION onesim_internal.reconcile(boolean) TO service_role;
-- Nobody but the owner may attach these to a table (CREATE TRIGGER needs
-- EXECUTE): on a caller's own temporary table they would run as the owner.
REVOKE ALL ON FUNCTION
  onesim_internal.orders_before_write(), onesim_internal.orders_after_change(),
  onesim_internal.earnings_after_change(), onesim_internal.recount_after_truncate()
  FROM PUBLIC;

CREATE TRIGGER trg_orders_before_write
  BEFORE INSERT OR UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.orders_before_write();

-- One trigger per event: a transition-table trigger serves exactly one.
CREATE TRIGGER trg_orders_after_insert
  AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_after_change();
CREATE TRIGGER trg_orders_after_update
  AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_after_change();
CREATE TRIGGER trg_orders_after_delete
  AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_after_change();
CREATE TRIGGER trg_orders_after_truncate
  AFTER TRUNCATE ON orders
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.recount_after_truncate();

CREATE TRIGGER trg_partner_earnings_after_insert
  AFTER INSERT ON partner_earnings REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.earnings_after_change();
CREATE TRIGGER trg_partner_earnings_after_update
  AFTER UPDATE ON partner_earnings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.earnings_after_change();
CREATE TRIGGER trg_partner_earnings_after_delete
  AFTER DELETE ON partner_earnings REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.earnings_after_change();
CREATE TRIGGER trg_partner_earnings_after_truncate
  AFTER TRUNCATE ON partner_earnings
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.recount_after_truncate();

-- The audit trail (C++: src/onesim/order_audit.cpp): who changed which order,
-- which columns, from what to what.
CREATE FUNCTION onesim_internal.orders_audit() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_orders_audit'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.orders_audit() IS
  'Per statement: one order_action_logs row per order changed (with old/new values) or deleted';
REVOKE ALL ON FUNCTION onesim_internal.orders_audit() FROM PUBLIC;

CREATE TRIGGER trg_orders_audit_update
  AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_audit();
CREATE TRIGGER trg_orders_audit_delete
  AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_audit();

-- Partner figures are written at commit by default (onesim.partner_figures,
-- src/onesim/partner_figures.hpp); this writes them now. API functions that
-- need the figures call it themselves; for clients it is not an API.
CREATE FUNCTION onesim_internal.flush_partner_figures() RETURNS void
AS 'MODULE_PATHNAME', 'onesim_flush_partner_figures'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.flush_partner_figures() IS
  'Writes the partner figures this transaction has collected so far (they are otherwise written just before commit)';
GRANT USAGE ON SCHEMA onesim_internal TO authenticated, service_role;
REVOKE ALL ON FUNCTION onesim_internal.flush_partner_figures() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION onesim_internal.flush_partner_figures() TO service_role;

-- Lock order for edits of a partner's customers: the figures are written
-- partner row first, then the customers' (src/onesim/partner_figures.hpp), so
-- an edit or a delete of a customer takes its partner's row right after the
-- customer's, instead of at commit (the reverse order, which could deadlock
-- with another transaction's figures for the same partner and customer). The
-- figures' own writes (they change a figure) do not fire it.
CREATE FUNCTION onesim_internal.lock_partner_before_customer() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_lock_partner_before_customer'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.lock_partner_before_customer() IS
  'BEFORE UPDATE or DELETE of a partner customer: locks the partner''s row first, the order in which the figures are written';
REVOKE ALL ON FUNCTION onesim_internal.lock_partner_before_customer() FROM PUBLIC;

CREATE TRIGGER trg_partner_customers_lock_partner_update
  BEFORE UPDATE ON partner_customers FOR EACH ROW
  WHEN (OLD.total_orders IS NOT DISTINCT FROM NEW.total_orders
        AND OLD.total_spent IS NOT DISTINCT FROM NEW.total_spent
        AND OLD.last_order_at IS NOT DISTINCT FROM NEW.last_order_at)
  EXECUTE FUNCTION onesim_internal.lock_partner_before_customer();
CREATE TRIGGER trg_partner_customers_lock_partner_delete
  BEFORE DELETE ON partner_customers FOR EACH ROW
  EXECUTE FUNCTION onesim_internal.lock_partner_before_customer();
