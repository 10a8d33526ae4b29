-- Trip OS stage 3 (tripos_ai), assembled at build time from sql/tripos_ai/*.sql.
\echo Use "CREATE EXTENSION tripos_ai CASCADE" to load this file. \quit

SELECT tripos_internal.require_core_schema('tripos_ai', '@extschema@');
