-- Trip OS stage 4 update from 1.0 to 1.1 (ALTER EXTENSION tripos_payments UPDATE).
-- The build appends every sql/tripos_payments/NN_*.rerun.sql part to this
-- file (the monthly pg_cron job).
\echo Use "ALTER EXTENSION tripos_payments UPDATE TO '1.1'" to load this file. \quit

-- invoices.user_id: a deleted account leaves its invoices (the business's
-- records) instead of deleting them (CASCADE).
ALTER TABLE @extschema@.invoices ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE @extschema@.invoices DROP CONSTRAINT fk_invoices_user_id;
ALTER TABLE @extschema@.invoices
  ADD CONSTRAINT fk_invoices_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE SET NULL;
