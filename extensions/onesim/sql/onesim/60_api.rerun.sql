
-- ---------------------------------------------------------------------------
-- The API apps call through Supabase RPC (C++: api/api_*.cpp; contract:
-- docs/design.md, README "API"). Run again by every update script: each
-- definition here is CREATE OR REPLACE, and the grants are stated in full.
--
-- Two layers, so that nothing the API exposes runs with its owner's rights:
--   @extschema@.<name>             the function apps call: LANGUAGE sql,
--                                  SECURITY INVOKER, a one-line call of
--   onesim_internal.api_<name>     the C++ step, SECURITY DEFINER (it writes
--                                  the rows the caller may not write directly)
--                                  in the schema PostgREST does not expose.
-- The step checks its caller first (42501), treats other tenants' ids as not
-- found, and writes rows the triggers then account for (commission, earnings
-- and figures are never computed here). Both layers pin search_path and
-- name every object by schema. EXECUTE is revoked from PUBLIC and anon and
-- granted only to the roles that may call each function, on both layers.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION onesim_internal.api_quote_package(package_code text, currency text)
RETURNS TABLE (package_code text, package_name text, retail_price numeric,
               commission_rate numeric, commission_amount numeric, you_pay numeric,
               currency text)
AS 'MODULE_PATHNAME', 'onesim_api_quote_package'
LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
ROWS 1;
COMMENT ON FUNCTION onesim_internal.api_quote_package(text, text) IS
  'The privileged step of @extschema@.quote_package(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.quote_package(
    package_code text,
    currency text DEFAULT 'USD')
RETURNS TABLE (package_code text, package_name text, retail_price numeric,
               commission_rate numeric, commission_amount numeric, you_pay numeric,
               currency text)
LANGUAGE sql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
ROWS 1
AS $$ SELECT * FROM onesim_internal.api_quote_package($1, $2) $$;
COMMENT ON FUNCTION @extschema@.quote_package(text, text) IS
  'Price of an active package in USD or UZS: retail for anon and customers; an active partner''s discount by its effective rate';
REVOKE ALL ON FUNCTION onesim_internal.api_quote_package(text, text), @extschema@.quote_package(text, text)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_quote_package(text, text), @extschema@.quote_package(text, text)
  TO anon, authenticated, service_role;

CREATE OR REPLACE FUNCTION onesim_internal.api_place_b2c_order(package_code text, transaction_id text)
RETURNS @extschema@.orders
AS 'MODULE_PATHNAME', 'onesim_api_place_b2c_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_place_b2c_order(text, text) IS
  'The privileged step of @extschema@.place_b2c_order(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.place_b2c_order(
    package_code text,
    transaction_id text DEFAULT NULL)
RETURNS @extschema@.orders
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM onesim_internal.api_place_b2c_order($1, $2) $$;
COMMENT ON FUNCTION @extschema@.place_b2c_order(text, text) IS
  'A signed-in user with a profile orders a package for themselves at its current price';
REVOKE ALL ON FUNCTION onesim_internal.api_place_b2c_order(text, text), @extschema@.place_b2c_order(text, text)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_place_b2c_order(text, text), @extschema@.place_b2c_order(text, text)
  TO authenticated;

CREATE OR REPLACE FUNCTION onesim_internal.api_place_b2b_order(package_code text, customer_id uuid, new_customer jsonb, customer_group_id uuid, transaction_id text)
RETURNS @extschema@.orders
AS 'MODULE_PATHNAME', 'onesim_api_place_b2b_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_place_b2b_order(text, uuid, jsonb, uuid, text) IS
  'The privileged step of @extschema@.place_b2b_order(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.place_b2b_order(
    package_code text,
    customer_id uuid DEFAULT NULL,
    new_customer jsonb DEFAULT NULL,
    customer_group_id uuid DEFAULT NULL,
    transaction_id text DEFAULT NULL)
RETURNS @extschema@.orders
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM onesim_internal.api_place_b2b_order($1, $2, $3, $4, $5) $$;
COMMENT ON FUNCTION @extschema@.place_b2b_order(text, uuid, jsonb, uuid, text) IS
  'An active partner orders for its customer (customer_id), a new or same-email customer (new_customer {first_name,last_name,email,phone}), or unassigned';
REVOKE ALL ON FUNCTION onesim_internal.api_place_b2b_order(text, uuid, jsonb, uuid, text), @extschema@.place_b2b_order(text, uuid, jsonb, uuid, text)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_place_b2b_order(text, uuid, jsonb, uuid, text), @extschema@.place_b2b_order(text, uuid, jsonb, uuid, text)
  TO authenticated;

CREATE OR REPLACE FUNCTION onesim_internal.api_bulk_order_for_group(group_id uuid, package_code text)
RETURNS SETOF @extschema@.orders
AS 'MODULE_PATHNAME', 'onesim_api_bulk_order_for_group'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_bulk_order_for_group(uuid, text) IS
  'The privileged step of @extschema@.bulk_order_for_group(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.bulk_order_for_group(
    group_id uuid,
    package_code text)
RETURNS SETOF @extschema@.orders
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM onesim_internal.api_bulk_order_for_group($1, $2) $$;
COMMENT ON FUNCTION @extschema@.bulk_order_for_group(uuid, text) IS
  'An active partner orders a package for every member of its group, in one statement';
REVOKE ALL ON FUNCTION onesim_internal.api_bulk_order_for_group(uuid, text), @extschema@.bulk_order_for_group(uuid, text)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_bulk_order_for_group(uuid, text), @extschema@.bulk_order_for_group(uuid, text)
  TO authenticated;

CREATE OR REPLACE FUNCTION onesim_internal.api_add_group_members(group_id uuid, customer_ids uuid[])
RETURNS integer
AS 'MODULE_PATHNAME', 'onesim_api_add_group_members'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_add_group_members(uuid, uuid[]) IS
  'The privileged step of @extschema@.add_group_members(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.add_group_members(
    group_id uuid,
    customer_ids uuid[])
RETURNS integer
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT onesim_internal.api_add_group_members($1, $2) $$;
COMMENT ON FUNCTION @extschema@.add_group_members(uuid, uuid[]) IS
  'Adds the group partner''s customers to the group (already-members ignored); returns how many were added';
REVOKE ALL ON FUNCTION onesim_internal.api_add_group_members(uuid, uuid[]), @extschema@.add_group_members(uuid, uuid[])
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_add_group_members(uuid, uuid[]), @extschema@.add_group_members(uuid, uuid[])
  TO authenticated, service_role;

CREATE OR REPLACE FUNCTION onesim_internal.api_remove_group_members(group_id uuid, customer_ids uuid[])
RETURNS integer
AS 'MODULE_PATHNAME', 'onesim_api_remove_group_members'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_remove_group_members(uuid, uuid[]) IS
  'The privileged step of @extschema@.remove_group_members(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.remove_group_members(
    group_id uuid,
    customer_ids uuid[])
RETURNS integer
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT onesim_internal.api_remove_group_members($1, $2) $$;
COMMENT ON FUNCTION @extschema@.remove_group_members(uuid, uuid[]) IS
  'Removes customers from the group; returns how many were removed';
REVOKE ALL ON FUNCTION onesim_internal.api_remove_group_members(uuid, uuid[]), @extschema@.remove_group_members(uuid, uuid[])
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_remove_group_members(uuid, uuid[]), @extschema@.remove_group_members(uuid, uuid[])
  TO authenticated, service_role;

CREATE OR REPLACE FUNCTION onesim_internal.api_record_allocation(order_id uuid, iccid text, qr_code_url text, activation_code text, smdp_address text, provider_order_no text, esim_tran_no text)
RETURNS @extschema@.orders
AS 'MODULE_PATHNAME', 'onesim_api_record_allocation'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_record_allocation(uuid, text, text, text, text, text, text) IS
  'The privileged step of @extschema@.record_allocation(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.record_allocation(
    order_id uuid,
    iccid text,
    qr_code_url text DEFAULT NULL,
    activation_code text DEFAULT NULL,
    smdp_address text DEFAULT NULL,
    provider_order_no text DEFAULT NULL,
    esim_tran_no text DEFAULT NULL)
RETURNS @extschema@.orders
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM onesim_internal.api_record_allocation($1, $2, $3, $4, $5, $6, $7) $$;
COMMENT ON FUNCTION @extschema@.record_allocation(uuid, text, text, text, text, text, text) IS
  'Provider webhook (service role): the order is ALLOCATED with its eSIM; idempotent for the same ICCID';
REVOKE ALL ON FUNCTION onesim_internal.api_record_allocation(uuid, text, text, text, text, text, text), @extschema@.record_allocation(uuid, text, text, text, text, text, text)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_record_allocation(uuid, text, text, text, text, text, text), @extschema@.record_allocation(uuid, text, text, text, text, text, text)
  TO service_role;

CREATE OR REPLACE FUNCTION onesim_internal.api_cancel_order(order_id uuid, reason text)
RETURNS @extschema@.orders
AS 'MODULE_PATHNAME', 'onesim_api_cancel_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_cancel_order(uuid, text) IS
  'The privileged step of @extschema@.cancel_order(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.cancel_order(
    order_id uuid,
    reason text DEFAULT NULL)
RETURNS @extschema@.orders
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM onesim_internal.api_cancel_order($1, $2) $$;
COMMENT ON FUNCTION @extschema@.cancel_order(uuid, text) IS
  'The order''s owner cancels it while not allocated; admins and the service at any time';
REVOKE ALL ON FUNCTION onesim_internal.api_cancel_order(uuid, text), @extschema@.cancel_order(uuid, text)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_cancel_order(uuid, text), @extschema@.cancel_order(uuid, text)
  TO authenticated, service_role;

CREATE OR REPLACE FUNCTION onesim_internal.api_refund_order(order_id uuid, reason text)
RETURNS @extschema@.orders
AS 'MODULE_PATHNAME', 'onesim_api_refund_order'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_refund_order(uuid, text) IS
  'The privileged step of @extschema@.refund_order(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.refund_order(
    order_id uuid,
    reason text DEFAULT NULL)
RETURNS @extschema@.orders
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM onesim_internal.api_refund_order($1, $2) $$;
COMMENT ON FUNCTION @extschema@.refund_order(uuid, text) IS
  'Admins and the service refund an order; its earning is cancelled (clawed back if paid out)';
REVOKE ALL ON FUNCTION onesim_internal.api_refund_order(uuid, text), @extschema@.refund_order(uuid, text)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_refund_order(uuid, text), @extschema@.refund_order(uuid, text)
  TO authenticated, service_role;

CREATE OR REPLACE FUNCTION onesim_internal.api_run_partner_payout(partner_id uuid, method text, reference text, minimum_amount numeric)
RETURNS @extschema@.partner_payouts
AS 'MODULE_PATHNAME', 'onesim_api_run_partner_payout'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_run_partner_payout(uuid, text, text, numeric) IS
  'The privileged step of @extschema@.run_partner_payout(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.run_partner_payout(
    partner_id uuid,
    method text,
    reference text DEFAULT NULL,
    minimum_amount numeric DEFAULT 0)
RETURNS @extschema@.partner_payouts
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM onesim_internal.api_run_partner_payout($1, $2, $3, $4) $$;
COMMENT ON FUNCTION @extschema@.run_partner_payout(uuid, text, text, numeric) IS
  'Admins and the service pay a partner its balance: earned earnings become paid, clawbacks are netted out';
REVOKE ALL ON FUNCTION onesim_internal.api_run_partner_payout(uuid, text, text, numeric), @extschema@.run_partner_payout(uuid, text, text, numeric)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_run_partner_payout(uuid, text, text, numeric), @extschema@.run_partner_payout(uuid, text, text, numeric)
  TO authenticated, service_role;

CREATE OR REPLACE FUNCTION onesim_internal.api_partner_dashboard(partner_id uuid)
RETURNS @extschema@.v_partner_dashboard_stats
AS 'MODULE_PATHNAME', 'onesim_api_partner_dashboard'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_partner_dashboard(uuid) IS
  'The privileged step of @extschema@.partner_dashboard(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.partner_dashboard(
    partner_id uuid DEFAULT NULL)
RETURNS @extschema@.v_partner_dashboard_stats
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM onesim_internal.api_partner_dashboard($1) $$;
COMMENT ON FUNCTION @extschema@.partner_dashboard(uuid) IS
  'The calling partner''s dashboard figures; admins and the service name the partner (VOLATILE: it first writes the figures the transaction has collected)';
REVOKE ALL ON FUNCTION onesim_internal.api_partner_dashboard(uuid), @extschema@.partner_dashboard(uuid)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_partner_dashboard(uuid), @extschema@.partner_dashboard(uuid)
  TO authenticated, service_role;

CREATE OR REPLACE FUNCTION onesim_internal.api_register_partner(company_name text, business_email text, company_type text, business_phone text, website text, legal_name text, tax_id text, registration_number text)
RETURNS @extschema@.partners
AS 'MODULE_PATHNAME', 'onesim_api_register_partner'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_register_partner(text, text, text, text, text, text, text, text) IS
  'The privileged step of @extschema@.register_partner(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.register_partner(
    company_name text,
    business_email text,
    company_type text DEFAULT NULL,
    business_phone text DEFAULT NULL,
    website text DEFAULT NULL,
    legal_name text DEFAULT NULL,
    tax_id text DEFAULT NULL,
    registration_number text DEFAULT NULL)
RETURNS @extschema@.partners
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM onesim_internal.api_register_partner($1, $2, $3, $4, $5, $6, $7, $8) $$;
COMMENT ON FUNCTION @extschema@.register_partner(text, text, text, text, text, text, text, text) IS
  'A signed-in user applies for a partner account: created pending_approval, the profile becomes a partner''s';
REVOKE ALL ON FUNCTION onesim_internal.api_register_partner(text, text, text, text, text, text, text, text), @extschema@.register_partner(text, text, text, text, text, text, text, text)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_register_partner(text, text, text, text, text, text, text, text), @extschema@.register_partner(text, text, text, text, text, text, text, text)
  TO authenticated;

CREATE OR REPLACE FUNCTION onesim_internal.api_set_partner_status(partner_id uuid, status text, commission_rate numeric)
RETURNS @extschema@.partners
AS 'MODULE_PATHNAME', 'onesim_api_set_partner_status'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.api_set_partner_status(uuid, text, numeric) IS
  'The privileged step of @extschema@.set_partner_status(): checks its caller, then runs as the extension''s owner';

CREATE OR REPLACE FUNCTION @extschema@.set_partner_status(
    partner_id uuid,
    status text,
    commission_rate numeric DEFAULT NULL)
RETURNS @extschema@.partners
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM onesim_internal.api_set_partner_status($1, $2, $3) $$;
COMMENT ON FUNCTION @extschema@.set_partner_status(uuid, text, numeric) IS
  'Admins approve (active, verified), suspend or deactivate a partner, optionally setting its custom commission rate';
REVOKE ALL ON FUNCTION onesim_internal.api_set_partner_status(uuid, text, numeric), @extschema@.set_partner_status(uuid, text, numeric)
  FROM PUBLIC, anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION onesim_internal.api_set_partner_status(uuid, text, numeric), @extschema@.set_partner_status(uuid, text, numeric)
  TO authenticated, service_role;
