-- eSIM Go install script, assembled at build time from sql/esimgo/*.sql.
\echo Use "CREATE EXTENSION esimgo CASCADE" to load this file. \quit

-- Privileged steps and RLS helpers live here, out of the schemas the API exposes.
CREATE SCHEMA esimgo_internal;
COMMENT ON SCHEMA esimgo_internal IS 'eSIM Go internals: RLS helpers, privileged steps, rule cache version (not exposed through the API)';
REVOKE ALL ON SCHEMA esimgo_internal FROM PUBLIC;
GRANT USAGE ON SCHEMA esimgo_internal TO anon, authenticated, service_role;
