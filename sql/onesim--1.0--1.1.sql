-- OneSIM upgrade from 1.0 to 1.1 (ALTER EXTENSION onesim UPDATE TO '1.1').
--
-- Every change made to sql/onesim/*.sql since 1.0 is repeated here, so that an
-- upgraded database ends identical to a fresh 1.1 install (test/upgrade.sh
-- compares the two, object by object). Columns added to an existing table go
-- at the end of its CREATE TABLE in sql/onesim/, where ADD COLUMN puts them.
\echo Use "ALTER EXTENSION onesim UPDATE TO '1.1'" to load this file. \quit

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
