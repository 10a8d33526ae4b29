-- =============================================================================
-- Tables beyond the seed's 20 (docs/design.md): the audit trail, the ticket
-- number counters, the key of the secret columns, the daily sales.
-- =============================================================================
CREATE TABLE @extschema@.audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id uuid,
  actor_role text NOT NULL,
  action text NOT NULL,
  table_name text NOT NULL,
  row_id uuid,
  before jsonb,
  after jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.audit_log IS
  'Critical operations (role, status, price, promo, setting and refund changes, soft deletes, secret and PII reads): who, what before and after, when. Written by the system only, append-only (retention removes entries after 7 years); admins read it. A pii_read: row_id is the customer whose data was read, after the columns, parts or documents read and the reason given.';
CREATE INDEX idx_audit_log_row_id ON @extschema@.audit_log (row_id);
CREATE INDEX idx_audit_log_created_at ON @extschema@.audit_log (created_at);

CREATE TABLE esim_admin_internal.ticket_counters (
  year integer PRIMARY KEY,
  last_sequence bigint NOT NULL CHECK (last_sequence >= 1)
);
COMMENT ON TABLE esim_admin_internal.ticket_counters IS
  'The last ticket number of each year; its row lock makes numbers gapless under concurrency';
ALTER TABLE esim_admin_internal.ticket_counters ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON esim_admin_internal.ticket_counters FROM PUBLIC;

CREATE TABLE esim_admin_internal.secret_key (
  id integer PRIMARY KEY CHECK (id = 1),
  key text NOT NULL
);
COMMENT ON TABLE esim_admin_internal.secret_key IS
  'The key of the secret columns where Supabase Vault is absent (Vault: the secret named esim_admin_secret_key); created on first use from the server''s strong random source; no API role can read it';
ALTER TABLE esim_admin_internal.secret_key ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON esim_admin_internal.secret_key FROM PUBLIC;

-- Kept by the statement triggers on transactions (triggers/money_triggers.cpp);
-- reconcile checks it against the rows.
CREATE TABLE esim_admin_internal.daily_sales (
  day date NOT NULL,
  plan_id uuid,
  revenue numeric(14,2) NOT NULL,
  transactions bigint NOT NULL,
  CONSTRAINT daily_sales_key UNIQUE NULLS NOT DISTINCT (day, plan_id)
);
COMMENT ON TABLE esim_admin_internal.daily_sales IS
  'Completed and refunded purchases (not soft-deleted) per UTC day of completion and plan: their count and total_amount; the dashboard sums a month of it';
ALTER TABLE esim_admin_internal.daily_sales ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON esim_admin_internal.daily_sales FROM PUBLIC;
GRANT SELECT ON esim_admin_internal.daily_sales TO service_role;
-- Purchases loaded below the triggers (an import with them disabled, a
-- restore with --disable-triggers) leave the figures behind; this recomputes
-- them from the rows. The owner's (and the service role's) to run.
CREATE FUNCTION esim_admin_internal.rebuild_daily_sales() RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  DELETE FROM esim_admin_internal.daily_sales;
  WITH sales AS (
    INSERT INTO esim_admin_internal.daily_sales (day, plan_id, revenue, transactions)
    SELECT (t.completed_at AT TIME ZONE 'UTC')::date, t.plan_id, sum(t.total_amount), count(*)
      FROM @extschema@.transactions t
     WHERE t.status IN ('completed', 'refunded') AND t.deleted_at IS NULL
     GROUP BY 1, 2
    RETURNING 1)
  SELECT count(*) FROM sales
$$;
COMMENT ON FUNCTION esim_admin_internal.rebuild_daily_sales() IS
  'Recomputes the daily sales from the transactions (after rows were loaded below the triggers); returns the number of (day, plan) rows';
REVOKE ALL ON FUNCTION esim_admin_internal.rebuild_daily_sales() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION esim_admin_internal.rebuild_daily_sales() TO service_role;

-- =============================================================================
-- RLS helpers. Policies call them as (SELECT esim_admin_internal.fn()), once
-- per statement. caller_role() reads users as its owner (no policy recursion).
-- =============================================================================
CREATE FUNCTION esim_admin_internal.caller_role() RETURNS @extschema@.user_role
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT u.role FROM @extschema@.users u WHERE u.id = auth.uid() AND u.status = 'active' AND u.deleted_at IS NULL $$;
COMMENT ON FUNCTION esim_admin_internal.caller_role() IS
  'The role of the calling user (auth.uid()) when active and not deleted, else NULL';

CREATE FUNCTION esim_admin_internal.is_staff() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce(esim_admin_internal.caller_role() IN ('support', 'admin', 'super_admin'), false) $$;
CREATE FUNCTION esim_admin_internal.is_admin() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce(esim_admin_internal.caller_role() IN ('admin', 'super_admin'), false) $$;
CREATE FUNCTION esim_admin_internal.is_super_admin() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce(esim_admin_internal.caller_role() = 'super_admin', false) $$;

CREATE FUNCTION esim_admin_internal.not_an_object(jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT jsonb_object_keys($1)::jsonb $$;
COMMENT ON FUNCTION esim_admin_internal.not_an_object(jsonb) IS
  'Raises 22023 (cannot call jsonb_object_keys on a non-object): template variables must be a JSON object';

-- =============================================================================
-- Trigger functions (C++)
-- =============================================================================
CREATE FUNCTION esim_admin_internal.soft_delete() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_soft_delete' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.touch_updated_at() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_touch_updated_at' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.audit() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_audit' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.auth_user_sync() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_auth_user_sync' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.users_guard() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_users_guard' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.transactions_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_transactions_before_write' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.transactions_promo_uses() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_transactions_promo_uses' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.transactions_daily_sales() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_transactions_daily_sales' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.refunds_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_refunds_before_write' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.refunds_after_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_refunds_after_write' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.plan_pricing_markup() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_plan_pricing_markup' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.plan_pricing_no_overlap() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_plan_pricing_no_overlap' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.encrypt_secrets() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_encrypt_secrets' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.data_allocations_pool() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_data_allocations_pool' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.esims_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_esims_before_write' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.tickets_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_tickets_before_write' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.ticket_messages_before_insert() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_ticket_messages_before_insert' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.ticket_messages_after_insert() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_ticket_messages_after_insert' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.kyc_documents_before_update() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_kyc_documents_before_update' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.kyc_documents_after_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_kyc_documents_after_write' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.notifications_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_notifications_before_write' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.settings_validate() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_settings_validate' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.promo_before_write() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_promo_before_write' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.audit_log_append_only() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_audit_log_append_only' LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.audit_log_no_truncate() RETURNS trigger
AS 'MODULE_PATHNAME', 'esim_admin_audit_log_no_truncate' LANGUAGE C SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION esim_admin_internal.not_authorized_uuid() RETURNS uuid
AS 'MODULE_PATHNAME', 'esim_admin_not_authorized'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION esim_admin_internal.not_authorized_uuid() IS 'Raises 42501: the API wrappers call it for a caller without the role';

CREATE FUNCTION esim_admin_internal.is_service() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false) $$;
COMMENT ON FUNCTION esim_admin_internal.is_service() IS
  'True for the service: the current role is a superuser or has BYPASSRLS (service_role, jobs)';

CREATE FUNCTION esim_admin_internal.require_admin() RETURNS boolean
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE WHEN (SELECT esim_admin_internal.is_admin()) OR (SELECT esim_admin_internal.is_service()) THEN true
             ELSE esim_admin_internal.not_authorized_uuid() IS NULL END $$;
COMMENT ON FUNCTION esim_admin_internal.require_admin() IS 'true for an admin or the service; 42501 otherwise';
