-- Trip OS stage 2 update from 1.0 to 1.1 (ALTER EXTENSION tripos_collab UPDATE).
\echo Use "ALTER EXTENSION tripos_collab UPDATE TO '1.1'" to load this file. \quit

-- A deleted account becomes a former member of the trips it shared: what it
-- paid, owed and settled stays (its user columns become NULL) instead of
-- being deleted (CASCADE), which changed every other member's balance.
ALTER TABLE @extschema@.expenses ALTER COLUMN paid_by DROP NOT NULL, ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE @extschema@.expenses DROP CONSTRAINT fk_expenses_paid_by, DROP CONSTRAINT fk_expenses_created_by;
ALTER TABLE @extschema@.expenses
  ADD CONSTRAINT fk_expenses_paid_by FOREIGN KEY (paid_by) REFERENCES auth.users (id) ON DELETE SET NULL,
  ADD CONSTRAINT fk_expenses_created_by FOREIGN KEY (created_by) REFERENCES auth.users (id) ON DELETE SET NULL;
ALTER TABLE @extschema@.expense_splits ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE @extschema@.expense_splits DROP CONSTRAINT fk_expense_splits_user_id;
ALTER TABLE @extschema@.expense_splits
  ADD CONSTRAINT fk_expense_splits_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE SET NULL;
ALTER TABLE @extschema@.settlements
  ALTER COLUMN from_user DROP NOT NULL, ALTER COLUMN to_user DROP NOT NULL, ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE @extschema@.settlements DROP CONSTRAINT fk_settlements_from_user, DROP CONSTRAINT fk_settlements_to_user,
  DROP CONSTRAINT fk_settlements_created_by;
ALTER TABLE @extschema@.settlements
  ADD CONSTRAINT fk_settlements_from_user FOREIGN KEY (from_user) REFERENCES auth.users (id) ON DELETE SET NULL,
  ADD CONSTRAINT fk_settlements_to_user FOREIGN KEY (to_user) REFERENCES auth.users (id) ON DELETE SET NULL,
  ADD CONSTRAINT fk_settlements_created_by FOREIGN KEY (created_by) REFERENCES auth.users (id) ON DELETE SET NULL;

COMMENT ON VIEW @extschema@.trip_balances IS
  'Per trip, member and currency: paid - owed + settlements sent - received, in minor units (positive: the group owes them); user_id NULL: the trip''s former members (deleted accounts), whose part stays so the balances still sum to 0';
COMMENT ON FUNCTION @extschema@.settlement_suggestions(uuid, text) IS
  'Who pays whom to settle the trip in one currency, with the fewest transfers (exact up to 16 members with a balance); a NULL user is the trip''s former members (deleted accounts)';
