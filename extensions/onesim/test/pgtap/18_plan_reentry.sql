-- A kept plan re-entered while it runs: a user AFTER UPDATE trigger on
-- partners inserts an order, so the partner-figures UPDATE that fired it
-- runs again from inside itself; the trigger also invalidates that plan
-- (GRANT on partners) before the inner execution. The inner execution must
-- rebuild its plan without freeing the one the outer execution still runs
-- (that free ended in a backend crash).
BEGIN;
SELECT plan(5);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_f1', 'partner_f1');
SET LOCAL onesim.partner_figures = immediate;

INSERT INTO auth.users (id, email) VALUES (pg_temp.id('user_f1'), 'f1@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  (pg_temp.id('partner_f1'), pg_temp.id('user_f1'), 'Reentry', 'f1@agency.test');

CREATE FUNCTION pg_temp.order_again() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('reentry_test.done', true) = 'yes' THEN RETURN NULL; END IF;
  PERFORM set_config('reentry_test.done', 'yes', true);
  -- Runs under the trigger's search_path: name the extension's schema.
  EXECUTE format('GRANT SELECT ON %I.partners TO service_role', TG_TABLE_SCHEMA);  -- invalidates its plans
  EXECUTE format($q$INSERT INTO %I.orders (user_id, source_type, partner_id, package_code, price_usd)
                    VALUES (pg_temp.id('user_f1'), 'b2b_partner', $1, 'AC', 7)$q$, TG_TABLE_SCHEMA)
    USING NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER user_order_again AFTER UPDATE ON partners
  FOR EACH ROW WHEN (NEW.id = pg_temp.id('partner_f1')) EXECUTE FUNCTION pg_temp.order_again();

-- Warm the kept plans with a first order (the trigger is disarmed for it).
SELECT set_config('reentry_test.done', 'yes', true);
INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
VALUES (pg_temp.id('user_f1'), 'b2b_partner', pg_temp.id('partner_f1'), 'AC', 5);
SELECT set_config('reentry_test.done', 'no', true);

SELECT lives_ok($$INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
  VALUES (pg_temp.id('user_f1'), 'b2b_partner', pg_temp.id('partner_f1'), 'AC', 6)$$,
  'an order whose figures UPDATE re-enters itself through a user trigger, with an invalidation in between');
SELECT is(current_setting('reentry_test.done'), 'yes', 'the user trigger ran and inserted its order');
SELECT is((SELECT total_orders FROM partners WHERE id = pg_temp.id('partner_f1')), 3,
  'all three orders counted');
SELECT is_empty('SELECT * FROM onesim_internal.reconcile()', 'no drift');

-- The kept plans still work afterwards (the retired one freed, a fresh one used).
INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
VALUES (pg_temp.id('user_f1'), 'b2b_partner', pg_temp.id('partner_f1'), 'AC', 8);
SELECT is((SELECT total_orders FROM partners WHERE id = pg_temp.id('partner_f1')), 4,
  'the next order after the re-entry is counted');

SELECT * FROM finish();
ROLLBACK;
