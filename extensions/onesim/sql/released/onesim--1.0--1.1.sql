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

-- -----------------------------------------------------------------------------
-- partners: the dashboard's per-status figures (allocated and pending order
-- counts, allocated spend), maintained by the orders triggers; backfilled from
-- the orders (reconcile() checks them). updated_at is left as it was: these
-- columns are new, the partners did not change.
-- -----------------------------------------------------------------------------
ALTER TABLE partners
  ADD COLUMN allocated_orders INTEGER NOT NULL DEFAULT 0 CHECK (allocated_orders >= 0),
  ADD COLUMN pending_orders INTEGER NOT NULL DEFAULT 0 CHECK (pending_orders >= 0),
  ADD COLUMN allocated_spent_usd DECIMAL(15,4) NOT NULL DEFAULT 0 CHECK (allocated_spent_usd >= 0),
  ADD COLUMN allocated_spent_uzs DECIMAL(20,2) NOT NULL DEFAULT 0 CHECK (allocated_spent_uzs >= 0);
COMMENT ON COLUMN partners.allocated_orders IS 'Count of the partner''s orders in ALLOCATED; maintained by triggers';
COMMENT ON COLUMN partners.pending_orders IS 'Count of the partner''s orders in PENDING; maintained by triggers';
COMMENT ON COLUMN partners.allocated_spent_usd IS 'Sum of price_usd of the partner''s ALLOCATED orders; maintained by triggers';
COMMENT ON COLUMN partners.allocated_spent_uzs IS 'Sum of price_uzs of the partner''s ALLOCATED orders; maintained by triggers';

ALTER TABLE partners DISABLE TRIGGER trg_partners_updated_at;
UPDATE partners p
   SET allocated_orders = o.allocated, pending_orders = o.pending,
       allocated_spent_usd = o.usd, allocated_spent_uzs = o.uzs
  FROM (SELECT partner_id,
               count(*) FILTER (WHERE order_status = 'ALLOCATED') AS allocated,
               count(*) FILTER (WHERE order_status = 'PENDING') AS pending,
               coalesce(sum(price_usd) FILTER (WHERE order_status = 'ALLOCATED'), 0) AS usd,
               coalesce(sum(price_uzs) FILTER (WHERE order_status = 'ALLOCATED'), 0) AS uzs
          FROM orders WHERE partner_id IS NOT NULL GROUP BY partner_id) o
 WHERE o.partner_id = p.id;
ALTER TABLE partners ENABLE TRIGGER trg_partners_updated_at;

CREATE OR REPLACE VIEW v_partner_dashboard_stats WITH (security_invoker = true) AS
SELECT
  pt.id AS partner_id,
  pt.company_name,

  -- Orders
  pt.total_orders::bigint AS total_orders,
  pt.allocated_orders::bigint AS active_orders,
  pt.pending_orders::bigint AS pending_orders,

  -- Spending (allocated orders, retail prices)
  pt.allocated_spent_usd::numeric AS total_spent_usd,
  pt.allocated_spent_uzs::numeric AS total_spent_uzs,

  -- Earnings
  pt.total_earnings,
  pt.pending_earnings,
  pt.balance,

  -- Customers and groups
  pt.total_customers::bigint AS total_customers,
  COALESCE(gs.total_groups, 0) AS total_groups
FROM partners pt
LEFT JOIN LATERAL (
  SELECT count(*) AS total_groups
  FROM customer_groups g
  WHERE g.partner_id = pt.id
) gs ON true;

-- -----------------------------------------------------------------------------
-- RLS: the SELECT policies of the tables that grow with use are answered by
-- indexes (sql/onesim/40_security.sql, header): the admin arm is a range of
-- the primary key between two helper values, lists of parent ids are
-- "= ANY (ARRAY(SELECT ...))". In 1.0 a bare "OR is_admin()" made a partner's
-- read of its earnings, or a user's of its profile, scan the whole table.
-- -----------------------------------------------------------------------------
CREATE FUNCTION onesim_internal.admin_visible_id_min() RETURNS uuid
AS 'MODULE_PATHNAME', 'onesim_admin_visible_id_min'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION onesim_internal.admin_visible_id_max() RETURNS uuid
AS 'MODULE_PATHNAME', 'onesim_admin_visible_id_max'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.admin_visible_id_min() IS
  'The smallest uuid for an admin, the largest otherwise; with admin_visible_id_max() the admin arm of a policy that the primary key index serves';
COMMENT ON FUNCTION onesim_internal.admin_visible_id_max() IS
  'The largest uuid for an admin, the smallest otherwise (see admin_visible_id_min())';
REVOKE EXECUTE ON FUNCTION
  onesim_internal.admin_visible_id_min(), onesim_internal.admin_visible_id_max()
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  onesim_internal.admin_visible_id_min(), onesim_internal.admin_visible_id_max()
  TO anon, authenticated, service_role;

ALTER POLICY profiles_select ON profiles
  USING (id = (SELECT onesim_internal.current_user_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
ALTER POLICY partners_select ON partners
  USING (user_id = (SELECT onesim_internal.current_user_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
ALTER POLICY package_views_select ON package_views
  USING (user_id = (SELECT onesim_internal.current_user_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
ALTER POLICY user_favorites_select ON user_favorites
  USING (user_id = (SELECT onesim_internal.current_user_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
ALTER POLICY partner_customers_select ON partner_customers
  USING (partner_id = (SELECT onesim_internal.current_partner_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
ALTER POLICY customer_groups_select ON customer_groups
  USING (partner_id = (SELECT onesim_internal.current_partner_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
ALTER POLICY customer_group_members_select ON customer_group_members
  USING (group_id = ANY (ARRAY(SELECT g.id FROM customer_groups g
                               WHERE g.partner_id = (SELECT onesim_internal.current_partner_id())))
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
ALTER POLICY partner_earnings_select ON partner_earnings
  USING (partner_id = (SELECT onesim_internal.current_partner_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
ALTER POLICY partner_payouts_select ON partner_payouts
  USING (partner_id = (SELECT onesim_internal.current_partner_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
ALTER POLICY order_action_logs_select ON order_action_logs
  USING (order_id = ANY (ARRAY(SELECT o.id FROM orders o
                               WHERE o.user_id = (SELECT onesim_internal.current_user_id())
                                  OR o.partner_id = (SELECT onesim_internal.current_partner_id())))
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));
ALTER POLICY partner_api_keys_select ON partner_api_keys
  USING (partner_id = (SELECT onesim_internal.current_partner_id())
         OR id BETWEEN (SELECT onesim_internal.admin_visible_id_min())
                    AND (SELECT onesim_internal.admin_visible_id_max()));

-- -----------------------------------------------------------------------------
-- Lock order for edits of a partner's customers (sql/onesim/30_orders.sql): an
-- edit or a delete of a customer takes its partner's row right after the
-- customer's. In 1.0 it took it only at commit, the reverse of the order the
-- figures are written in, and could deadlock with another transaction's
-- figures for the same partner and customer.
-- -----------------------------------------------------------------------------
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

-- -----------------------------------------------------------------------------
-- updated_at of the tables the extension writes below SQL (partners,
-- partner_customers, partner_earnings): those writes set it themselves, and
-- the trigger is skipped when it would change nothing (see
-- sql/onesim/32_timestamps.sql).
-- -----------------------------------------------------------------------------
DROP TRIGGER trg_partners_updated_at ON partners;
CREATE TRIGGER trg_partners_updated_at BEFORE UPDATE ON partners
  FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM now() OR NEW.created_at IS DISTINCT FROM OLD.created_at)
  EXECUTE FUNCTION onesim_internal.touch_updated_at();
DROP TRIGGER trg_partner_customers_updated_at ON partner_customers;
CREATE TRIGGER trg_partner_customers_updated_at BEFORE UPDATE ON partner_customers
  FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM now() OR NEW.created_at IS DISTINCT FROM OLD.created_at)
  EXECUTE FUNCTION onesim_internal.touch_updated_at();
DROP TRIGGER trg_partner_earnings_updated_at ON partner_earnings;
CREATE TRIGGER trg_partner_earnings_updated_at BEFORE UPDATE ON partner_earnings
  FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM now() OR NEW.created_at IS DISTINCT FROM OLD.created_at)
  EXECUTE FUNCTION onesim_internal.touch_updated_at();
