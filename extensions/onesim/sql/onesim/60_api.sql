
-- ---------------------------------------------------------------------------
-- The API apps call through Supabase RPC (C++: src/onesim/api_*.cpp;
-- contract: docs/design.md, README "API").
--
-- Every function is SECURITY DEFINER with a pinned search_path and
-- schema-qualified SQL: it checks its caller first (42501), treats other
-- tenants' ids as not found, and writes rows the triggers then account for
-- (commission, earnings and figures are never computed here). EXECUTE is
-- revoked from PUBLIC and granted only to the roles that may call it.
-- ---------------------------------------------------------------------------

CREATE FUNCTION quote_package(package_code text, currency text DEFAULT 'USD')
RETURNS TABLE (package_code text, package_name text, retail_price numeric,
               commission_rate numeric, commission_amount numeric, you_pay numeric,
               currency text)
AS 'MODULE_PATHNAME', 'onesim_api_quote_package'
LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
ROWS 1;
COMMENT ON FUNCTION quote_package(text, text) IS
  'Price of an active package in USD or UZS: retail for anon and customers; an active partner''s discount by its effective rate';

CREATE FUNCTION place_b2c_order(package_code text, transaction_id text DEFAULT NULL)
RETURNS orders
AS 'MODULE_PATHNAME', 'onesim_api_place_b2c_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION place_b2c_order(text, text) IS
  'A signed-in user with a profile orders a package for themselves at its current price';

CREATE FUNCTION place_b2b_order(package_code text, customer_id uuid DEFAULT NULL,
                                new_customer jsonb DEFAULT NULL,
                                customer_group_id uuid DEFAULT NULL,
                                transaction_id text DEFAULT NULL)
RETURNS orders
AS 'MODULE_PATHNAME', 'onesim_api_place_b2b_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION place_b2b_order(text, uuid, jsonb, uuid, text) IS
  'An active partner orders for its customer (customer_id), a new or same-email customer (new_customer {first_name,last_name,email,phone}), or unassigned';

CREATE FUNCTION bulk_order_for_group(group_id uuid, package_code text)
RETURNS SETOF orders
AS 'MODULE_PATHNAME', 'onesim_api_bulk_order_for_group'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION bulk_order_for_group(uuid, text) IS
  'An active partner orders a package for every member of its group, in one statement';

CREATE FUNCTION add_group_members(group_id uuid, customer_ids uuid[])
RETURNS integer
AS 'MODULE_PATHNAME', 'onesim_api_add_group_members'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION add_group_members(uuid, uuid[]) IS
  'Adds the group partner''s customers to the group (already-members ignored); returns how many were added';

CREATE FUNCTION remove_group_members(group_id uuid, customer_ids uuid[])
RETURNS integer
AS 'MODULE_PATHNAME', 'onesim_api_remove_group_members'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION remove_group_members(uuid, uuid[]) IS
  'Removes customers from the group; returns how many were removed';

CREATE FUNCTION record_allocation(order_id uuid, iccid text, qr_code_url text DEFAULT NULL,
                                  activation_code text DEFAULT NULL,
                                  smdp_address text DEFAULT NULL,
                                  provider_order_no text DEFAULT NULL,
                                  esim_tran_no text DEFAULT NULL)
RETURNS orders
AS 'MODULE_PATHNAME', 'onesim_api_record_allocation'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION record_allocation(uuid, text, text, text, text, text, text) IS
  'Provider webhook (service role): the order is ALLOCATED with its eSIM; idempotent for the same ICCID';

CREATE FUNCTION cancel_order(order_id uuid, reason text DEFAULT NULL)
RETURNS orders
AS 'MODULE_PATHNAME', 'onesim_api_cancel_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION cancel_order(uuid, text) IS
  'The order''s owner cancels it while not allocated; admins and the service at any time';

CREATE FUNCTION refund_order(order_id uuid, reason text DEFAULT NULL)
RETURNS orders
AS 'MODULE_PATHNAME', 'onesim_api_refund_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION refund_order(uuid, text) IS
  'Admins and the service refund an order; its earning is cancelled (clawed back if paid out)';

CREATE FUNCTION run_partner_payout(partner_id uuid, method text, reference text DEFAULT NULL,
                                   minimum_amount numeric DEFAULT 0)
RETURNS partner_payouts
AS 'MODULE_PATHNAME', 'onesim_api_run_partner_payout'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION run_partner_payout(uuid, text, text, numeric) IS
  'Admins and the service pay a partner its balance: earned earnings become paid, clawbacks are netted out';

CREATE FUNCTION partner_dashboard(partner_id uuid DEFAULT NULL)
RETURNS v_partner_dashboard_stats
AS 'MODULE_PATHNAME', 'onesim_api_partner_dashboard'
LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION partner_dashboard(uuid) IS
  'The calling partner''s dashboard figures; admins and the service name the partner';

CREATE FUNCTION register_partner(company_name text, business_email text,
                                 company_type text DEFAULT NULL,
                                 business_phone text DEFAULT NULL,
                                 website text DEFAULT NULL,
                                 legal_name text DEFAULT NULL,
                                 tax_id text DEFAULT NULL,
                                 registration_number text DEFAULT NULL)
RETURNS partners
AS 'MODULE_PATHNAME', 'onesim_api_register_partner'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION register_partner(text, text, text, text, text, text, text, text) IS
  'A signed-in user applies for a partner account: created pending_approval, the profile becomes a partner''s';

CREATE FUNCTION set_partner_status(partner_id uuid, status text,
                                   commission_rate numeric DEFAULT NULL)
RETURNS partners
AS 'MODULE_PATHNAME', 'onesim_api_set_partner_status'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION set_partner_status(uuid, text, numeric) IS
  'Admins approve (active, verified), suspend or deactivate a partner, optionally setting its custom commission rate';

REVOKE ALL ON FUNCTION
  quote_package(text, text), place_b2c_order(text, text),
  place_b2b_order(text, uuid, jsonb, uuid, text), bulk_order_for_group(uuid, text),
  add_group_members(uuid, uuid[]), remove_group_members(uuid, uuid[]),
  record_allocation(uuid, text, text, text, text, text, text),
  cancel_order(uuid, text), refund_order(uuid, text),
  run_partner_payout(uuid, text, text, numeric), partner_dashboard(uuid),
  register_partner(text, text, text, text, text, text, text, text),
  set_partner_status(uuid, text, numeric)
  FROM PUBLIC;

GRANT EXECUTE ON FUNCTION quote_package(text, text) TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION
  place_b2c_order(text, text), place_b2b_order(text, uuid, jsonb, uuid, text),
  bulk_order_for_group(uuid, text), register_partner(text, text, text, text, text, text, text, text)
  TO authenticated;
GRANT EXECUTE ON FUNCTION
  add_group_members(uuid, uuid[]), remove_group_members(uuid, uuid[]),
  cancel_order(uuid, text), refund_order(uuid, text),
  run_partner_payout(uuid, text, text, numeric), partner_dashboard(uuid),
  set_partner_status(uuid, text, numeric)
  TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION record_allocation(uuid, text, text, text, text, text, text) TO service_role;
