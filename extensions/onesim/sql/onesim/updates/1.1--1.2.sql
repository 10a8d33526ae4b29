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

-- commission_breakdown() returns a named composite instead of OUT parameters
-- (20_commission.rerun.sql defines it again below).
DROP FUNCTION @extschema@.commission_breakdown(numeric, numeric, text);
CREATE TYPE @extschema@.commission_breakdown_result AS (
  retail_price numeric, commission_rate numeric, commission_amount numeric,
  partner_pays numeric, partner_savings numeric
);
