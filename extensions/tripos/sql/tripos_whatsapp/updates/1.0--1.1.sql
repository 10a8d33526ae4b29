-- Trip OS stage 5 update from 1.0 to 1.1 (ALTER EXTENSION tripos_whatsapp UPDATE).
-- The build appends every sql/tripos_whatsapp/NN_*.rerun.sql part to this
-- file: release_stalled_jobs() and its pg_cron job come from there.
\echo Use "ALTER EXTENSION tripos_whatsapp UPDATE TO '1.1'" to load this file. \quit
