-- ---------------------------------------------------------------------------
-- RLS helpers (C++: src/onesim/auth_context.cpp)
--
-- Policies call them as (SELECT onesim_internal.fn()) so each runs once per
-- statement. All are STABLE (a VOLATILE helper defeats index use) with a fixed
-- search_path. The ones that read protected tables are SECURITY DEFINER (they
-- run as the extension's owner, who owns the tables, so no policy recurses);
-- current_user_id() and is_service() are not: they must see the caller.
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.current_user_id() RETURNS uuid
AS 'MODULE_PATHNAME', 'onesim_current_user_id'
LANGUAGE C STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.current_user_id() IS
  'auth.uid(), exactly: request.jwt.claim.sub if non-empty, else request.jwt.claims ->> ''sub'', as uuid (22P02 when malformed)';

CREATE FUNCTION onesim_internal.current_partner_id() RETURNS uuid
AS 'MODULE_PATHNAME', 'onesim_current_partner_id'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.current_partner_id() IS
  'partners.id of the current user (partners.user_id = current_user_id()), or NULL';

CREATE FUNCTION onesim_internal.current_partner_status() RETURNS text
AS 'MODULE_PATHNAME', 'onesim_current_partner_status'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.current_partner_status() IS
  'partners.status of the current user''s partner (active, suspended, pending_approval, deactivated), or NULL';

CREATE FUNCTION onesim_internal.is_admin() RETURNS boolean
AS 'MODULE_PATHNAME', 'onesim_is_admin'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.is_admin() IS
  'True when the current user''s profile has user_type = ''admin''';

CREATE FUNCTION onesim_internal.admin_visible_since() RETURNS timestamptz
AS 'MODULE_PATHNAME', 'onesim_admin_visible_since'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION onesim_internal.admin_visible_until() RETURNS timestamptz
AS 'MODULE_PATHNAME', 'onesim_admin_visible_until'
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.admin_visible_since() IS
  '-infinity for an admin, infinity otherwise; with admin_visible_until() the admin arm of a policy that an index on created_at serves';
COMMENT ON FUNCTION onesim_internal.admin_visible_until() IS
  'infinity for an admin, -infinity otherwise (see admin_visible_since())';
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

CREATE FUNCTION onesim_internal.is_service() RETURNS boolean
AS 'MODULE_PATHNAME', 'onesim_is_service'
LANGUAGE C STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.is_service() IS
  'True for the service: the current role is a superuser or has BYPASSRLS (service_role, migrations, jobs); a JWT role claim of service_role counts only for a role acting with service_role''s privileges';

-- Policies run as the caller: the API roles need the schema and the helpers,
-- nobody else does.
REVOKE ALL ON SCHEMA onesim_internal FROM PUBLIC;
GRANT USAGE ON SCHEMA onesim_internal TO anon, authenticated, service_role;
REVOKE EXECUTE ON FUNCTION
  onesim_internal.current_user_id(), onesim_internal.current_partner_id(),
  onesim_internal.current_partner_status(), onesim_internal.is_admin(),
  onesim_internal.admin_visible_since(), onesim_internal.admin_visible_until(),
  onesim_internal.admin_visible_id_min(), onesim_internal.admin_visible_id_max(),
  onesim_internal.is_service()
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  onesim_internal.current_user_id(), onesim_internal.current_partner_id(),
  onesim_internal.current_partner_status(), onesim_internal.is_admin(),
  onesim_internal.admin_visible_since(), onesim_internal.admin_visible_until(),
  onesim_internal.admin_visible_id_min(), onesim_internal.admin_visible_id_max(),
  onesim_internal.is_service()
  TO anon, authenticated, service_role;
