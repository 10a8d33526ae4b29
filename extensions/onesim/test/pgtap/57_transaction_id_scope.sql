-- orders.transaction_id is the caller's own idempotency key: unique per
-- ordering user (a partner's orders are placed by its user), not across
-- tenants. A partner trying an id another tenant holds learns nothing: the
-- order is placed; only a repeat of its own id is refused (23505), and that
-- error names only its own user.
BEGIN;
SELECT plan(7);
\ir fixtures/rls_fixtures.psql
\ir ../../../../test/lib/pgtap_helpers.psql

-- Partner A's order with a key.
SELECT test_helpers.become_user(pg_temp.id('user_a'));
SELECT lives_ok($$SELECT place_b2b_order('PKG-ACTIVE', transaction_id => 'TXN-SHARED-1')$$, 'partner A orders with its key');
SELECT test_helpers.become('none');

-- Partner B tries the same key: placed, as any new key would be.
SELECT test_helpers.become_user(pg_temp.id('user_b'));
SELECT lives_ok($$SELECT place_b2b_order('PKG-ACTIVE', transaction_id => 'TXN-SHARED-1')$$,
                'partner B ordering with partner A''s key: placed, no 23505 that would reveal it');
SELECT test_helpers.become_user(pg_temp.id('user_c'));
SELECT lives_ok($$SELECT place_b2c_order('PKG-ACTIVE', 'TXN-SHARED-1')$$, 'a customer with the same key: placed too');
SELECT test_helpers.become('none');

-- Partner B repeating its own key: refused, and the error speaks of B alone.
CREATE FUNCTION pg_temp.error_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE state text; detail text;
BEGIN
  EXECUTE stmt;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL;
  RETURN state || ': ' || coalesce(detail, '');
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.error_of(text) TO authenticated;
SELECT test_helpers.become_user(pg_temp.id('user_b'));
SELECT place_b2b_order('PKG-ACTIVE', transaction_id => 'TXN-B-OWN');
SELECT matches(pg_temp.error_of($$SELECT place_b2b_order('PKG-ACTIVE', transaction_id => 'TXN-B-OWN')$$),
               format('^23505: .*%s', pg_temp.id('user_b')), 'a repeat of its own key: 23505 about its own user');
SELECT unalike(pg_temp.error_of($$SELECT place_b2b_order('PKG-ACTIVE', transaction_id => 'TXN-B-OWN')$$),
              format('%%%s%%', pg_temp.id('user_a')), 'the error names no other tenant');
SELECT is((SELECT count(*)::int FROM orders WHERE transaction_id = 'TXN-SHARED-1'), 1,
          'partner B sees only its own order with the shared key');
SELECT test_helpers.become('none');
SELECT is((SELECT count(*)::int FROM orders WHERE transaction_id = 'TXN-SHARED-1'), 3,
          'three tenants, three orders with one key');

SELECT * FROM finish();
ROLLBACK;
