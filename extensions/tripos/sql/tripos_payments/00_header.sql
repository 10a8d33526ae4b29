-- Trip OS stage 4 (tripos_payments), assembled at build time from sql/tripos_payments/*.sql.
\echo Use "CREATE EXTENSION tripos_payments CASCADE" to load this file. \quit

SELECT tripos_internal.require_core_schema('tripos_payments', '@extschema@');
