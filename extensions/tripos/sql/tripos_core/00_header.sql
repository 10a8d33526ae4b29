-- Trip OS stage 1 (tripos_core), assembled at build time from sql/tripos_core/*.sql.
\echo Use "CREATE EXTENSION tripos_core CASCADE" to load this file. \quit

-- Helpers that policies and triggers call, and the privileged steps, live in
-- tripos_internal: a schema the API does not expose. Every Trip OS stage adds
-- its own functions to it.
CREATE SCHEMA tripos_internal;
COMMENT ON SCHEMA tripos_internal IS 'Trip OS internals: RLS helpers, trigger functions, privileged steps (not exposed through the API)';
REVOKE ALL ON SCHEMA tripos_internal FROM PUBLIC;
GRANT USAGE ON SCHEMA tripos_internal TO anon, authenticated, service_role;
