-- esim_admin install script, assembled at build time from sql/esim_admin/*.sql.
\echo Use "CREATE EXTENSION esim_admin CASCADE" to load this file. \quit

-- Everything the API must not reach lives here: RLS helpers, SECURITY
-- DEFINER steps, trigger functions, the encryption key, the audit trail's
-- writer and the retention job.
CREATE SCHEMA esim_admin_internal;
COMMENT ON SCHEMA esim_admin_internal IS
  'eSIM admin internals: RLS helpers, privileged steps, triggers, keys (not exposed through the API)';
REVOKE ALL ON SCHEMA esim_admin_internal FROM PUBLIC;
GRANT USAGE ON SCHEMA esim_admin_internal TO anon, authenticated, service_role;
