-- ---------------------------------------------------------------------------
-- Internal functions: RLS helpers, trigger functions (C++: triggers/*.cpp).
-- ---------------------------------------------------------------------------

-- The one admin check: role ADMIN in the user's app metadata, which only the
-- service (GoTrue's admin API) can write. User metadata, which every user can
-- change about themselves, never grants anything.
CREATE FUNCTION esimgo_internal.is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce((SELECT u.raw_app_meta_data ->> 'role' = 'ADMIN' FROM auth.users u WHERE u.id = auth.uid()), false) $$;
COMMENT ON FUNCTION esimgo_internal.is_admin() IS
  'True when the calling user''s auth.users.raw_app_meta_data role is ADMIN (call as (SELECT esimgo_internal.is_admin()))';

CREATE FUNCTION esimgo_internal.touch_updated_at() RETURNS trigger
AS 'MODULE_PATHNAME', 'esimgo_touch_updated_at' LANGUAGE C
SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION esimgo_internal.validate_block() RETURNS trigger
AS 'MODULE_PATHNAME', 'esimgo_validate_block' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esimgo_internal.validate_strategy_block() RETURNS trigger
AS 'MODULE_PATHNAME', 'esimgo_validate_strategy_block' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esimgo_internal.bump_rules_version() RETURNS trigger
AS 'MODULE_PATHNAME', 'esimgo_bump_rules_version' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esimgo_internal.handle_new_user() RETURNS trigger
AS 'MODULE_PATHNAME', 'esimgo_handle_new_user' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esimgo_internal.forget_user() RETURNS trigger
AS 'MODULE_PATHNAME', 'esimgo_forget_user' LANGUAGE C
SET search_path = pg_catalog, pg_temp;

-- Whether this session restores a dump (esimgo.restore_mode): the install
-- script then leaves its seeds to the dump (70_default_rules.sql).
CREATE FUNCTION esimgo_internal.restoring_database() RETURNS boolean
AS 'MODULE_PATHNAME', 'esimgo_restoring_database' LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION esimgo_internal.restoring_database() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION esimgo_internal.restoring_database() TO @extowner@;

REVOKE EXECUTE ON FUNCTION esimgo_internal.touch_updated_at(), esimgo_internal.validate_block(),
  esimgo_internal.validate_strategy_block(), esimgo_internal.bump_rules_version(),
  esimgo_internal.handle_new_user(), esimgo_internal.forget_user() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION esimgo_internal.is_admin() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION esimgo_internal.is_admin() TO anon, authenticated, service_role;
