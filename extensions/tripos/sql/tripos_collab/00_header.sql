-- Trip OS stage 2 (tripos_collab), assembled at build time from sql/tripos_collab/*.sql.
\echo Use "CREATE EXTENSION tripos_collab CASCADE" to load this file. \quit

-- Later stages live in tripos_core's schema: their tables refer to trips and
-- their rows widen stage 1's policies. Refused clearly (0A000) otherwise.
SELECT tripos_internal.require_core_schema('tripos_collab', '@extschema@');
