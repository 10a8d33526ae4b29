-- Trip OS stage 5 (tripos_whatsapp), assembled at build time from sql/tripos_whatsapp/*.sql.
\echo Use "CREATE EXTENSION tripos_whatsapp CASCADE" to load this file. \quit

SELECT tripos_internal.require_core_schema('tripos_whatsapp', '@extschema@');
