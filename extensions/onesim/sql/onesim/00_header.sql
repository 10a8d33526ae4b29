-- OneSIM install script, assembled at build time from sql/onesim/*.sql.
\echo Use "CREATE EXTENSION onesim CASCADE" to load this file. \quit

-- Helpers that RLS policies and the triggers call live here, out of the
-- schemas PostgREST exposes.
CREATE SCHEMA onesim_internal;
COMMENT ON SCHEMA onesim_internal IS 'OneSIM internals: RLS helpers and maintenance functions (not exposed through the API)';
