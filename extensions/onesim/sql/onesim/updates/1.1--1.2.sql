-- OneSIM update from 1.1 to 1.2 (ALTER EXTENSION onesim UPDATE TO '1.2').
-- The build appends every sql/onesim/NN_*.rerun.sql part to this file: the
-- API's functions (60_api.rerun.sql) are defined there once, for the install
-- and for this update alike. What follows here are the changes a rerun part
-- cannot make.
\echo Use "ALTER EXTENSION onesim UPDATE TO '1.2'" to load this file. \quit

-- orders.transaction_id: unique per ordering user instead of across every
-- tenant (a partner trying another tenant's key got 23505 naming it).
ALTER TABLE @extschema@.orders DROP CONSTRAINT orders_transaction_id_key;
ALTER TABLE @extschema@.orders ADD CONSTRAINT orders_user_transaction_id_key UNIQUE (user_id, transaction_id);

-- partners.user_id: a deleted account closes the partner and keeps its books
-- (36_account_deletion.rerun.sql) instead of deleting its earnings and
-- payouts with it (CASCADE) or failing on its orders.
ALTER TABLE @extschema@.partners ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE @extschema@.partners DROP CONSTRAINT partners_user_id_fkey;
ALTER TABLE @extschema@.partners ADD CONSTRAINT partners_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE SET NULL;
ALTER TABLE @extschema@.partners ADD CONSTRAINT partners_account_link
  CHECK (user_id IS NOT NULL OR status = 'deactivated');

-- reconcile() is the service role's too (30_orders.sql).
GRANT EXECUTE ON FUNCTION onesim_internal.reconcile(boolean) TO service_role;

-- commission_breakdown() returns a named composite instead of OUT parameters
-- (20_commission.rerun.sql defines it again below).
DROP FUNCTION @extschema@.commission_breakdown(numeric, numeric, text);
CREATE TYPE @extschema@.commission_breakdown_result AS (
  retail_price numeric, commission_rate numeric, commission_amount numeric,
  partner_pays numeric, partner_savings numeric
);
