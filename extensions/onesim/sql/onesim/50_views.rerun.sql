-- =============================================================================
-- Views (seed: "Useful Database Views"), corrected.
--
-- Both are security_invoker: the caller's privileges and RLS apply to every
-- table they read (an owner-privileged view would bypass RLS and show every
-- partner's data to everyone).
--
-- A rerun part: the install and every update define the views from here. An
-- update that changes a column a view reads (its type, say) drops the view
-- first, and this part creates it again.
-- =============================================================================

-- -----------------------------------------------------------------------------
-- v_orders_complete: one row per order with purchaser, partner, end customer,
-- group, package and earning.
-- Fixes to the seed: no duplicate column names (package_name and
-- commission_amount_usd of the joins are aliased); exactly one row per order
-- (every join is on a unique key); the B2C end customer's email is the
-- profile's email (the seed returned the phone); the B2B end customer must be a
-- customer of the order's partner; packages are found by package_id, falling
-- back to package_code for orders without one.
-- -----------------------------------------------------------------------------
CREATE OR REPLACE VIEW v_orders_complete WITH (security_invoker = true) AS
SELECT
  o.*,
  -- Who made the purchase
  p_user.first_name AS user_first_name,
  p_user.last_name AS user_last_name,

  -- Partner (B2B)
  pt.company_name AS partner_company_name,
  pt.business_email AS partner_email,

  -- End customer
  CASE o.source_type
    WHEN 'b2c' THEN p_user.first_name
    WHEN 'b2b_partner' THEN COALESCE(pc.first_name, o.customer_first_name)
    ELSE o.customer_first_name
  END AS end_customer_first_name,
  CASE o.source_type
    WHEN 'b2c' THEN p_user.last_name
    WHEN 'b2b_partner' THEN COALESCE(pc.last_name, o.customer_last_name)
    ELSE o.customer_last_name
  END AS end_customer_last_name,
  CASE o.source_type
    WHEN 'b2c' THEN p_user.email
    WHEN 'b2b_partner' THEN COALESCE(pc.email, o.customer_email)
    ELSE o.customer_email
  END AS end_customer_email,

  -- Group
  cg.name AS group_name,

  -- Package from the catalog
  COALESCE(pkg.name, pkg_by_code.name) AS package_catalog_name,
  COALESCE(pkg.data_gb, pkg_by_code.data_gb) AS data_gb,
  COALESCE(pkg.duration, pkg_by_code.duration) AS duration,

  -- Earning
  pe.commission_amount_usd AS earning_commission_amount_usd,
  pe.status AS earning_status
FROM orders o
LEFT JOIN profiles p_user ON p_user.id = o.user_id
LEFT JOIN partners pt ON pt.id = o.partner_id
LEFT JOIN partner_customers pc
  ON pc.id = o.end_customer_id
 AND o.end_customer_type = 'b2b_partner_customer'
 AND pc.partner_id = o.partner_id
LEFT JOIN customer_groups cg ON cg.id = o.customer_group_id
LEFT JOIN esim_packages pkg ON pkg.id = o.package_id
LEFT JOIN esim_packages pkg_by_code
  ON o.package_id IS NULL AND pkg_by_code.package_code = o.package_code
LEFT JOIN partner_earnings pe ON pe.order_id = o.id;

COMMENT ON VIEW v_orders_complete IS
  'Every order the caller may see, one row each, with purchaser, partner, end customer, group, catalog package and earning (security_invoker: RLS applies)';


-- -----------------------------------------------------------------------------
-- v_partner_dashboard_stats: one row per partner the caller may see.
-- Fixes to the seed: orders and groups are aggregated separately (the seed
-- joined both, multiplying every sum by the number of groups); the order
-- counts, the allocated spend and total_customers are the partner's maintained
-- figures (one row read, whatever the number of orders).
-- -----------------------------------------------------------------------------
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

COMMENT ON VIEW v_partner_dashboard_stats IS
  'One row per partner the caller may see: order counts, allocated spend, earnings figures, customers and groups (security_invoker: RLS applies)';

-- Revoked from service_role too, so that run again over existing views the
-- grants below are made in the same order as on new ones.
REVOKE ALL ON v_orders_complete, v_partner_dashboard_stats FROM PUBLIC, anon, authenticated, service_role;
GRANT SELECT ON v_orders_complete, v_partner_dashboard_stats TO authenticated, service_role;
