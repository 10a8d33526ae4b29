-- CallAI install script, assembled at build time from sql/callai/*.sql.
\echo Use "CREATE EXTENSION callai CASCADE" to load this file. \quit

-- RLS helpers, trigger functions and the privileged steps of the API live in
-- callai_internal, a schema the API does not expose.
CREATE SCHEMA callai_internal;
COMMENT ON SCHEMA callai_internal IS
  'CallAI internals: RLS helpers, trigger functions, privileged API steps (not exposed through the API)';
REVOKE ALL ON SCHEMA callai_internal FROM PUBLIC;
GRANT USAGE ON SCHEMA callai_internal TO anon, authenticated, service_role;
