-- Account deletion (GoTrue's admin API deletes the auth.users row; the
-- foreign keys' actions run as the referencing tables' owner, as here): the
-- money history stays, the personal data goes (36_account_deletion.rerun.sql).
BEGIN;
SELECT plan(27);
\ir fixtures/rls_fixtures.psql
\ir ../../../../test/lib/pgtap_helpers.psql

CREATE TEMP TABLE before_deletion AS
SELECT (SELECT count(*) FROM partner_earnings WHERE partner_id = pg_temp.id('partner_a')) AS earnings,
       (SELECT sum(commission_amount_usd) FROM partner_earnings WHERE partner_id = pg_temp.id('partner_a')) AS commission,
       (SELECT count(*) FROM partner_payouts WHERE partner_id = pg_temp.id('partner_a')) AS payouts,
       (SELECT count(*) FROM orders WHERE partner_id = pg_temp.id('partner_a')) AS orders,
       (SELECT sum(price_usd) FROM orders WHERE partner_id = pg_temp.id('partner_a')) AS order_value,
       (SELECT count(*) FROM partner_customers WHERE partner_id = pg_temp.id('partner_a')) AS customers,
       (SELECT row(total_orders, total_customers, total_earnings, balance, pending_earnings)::text
          FROM partners WHERE id = pg_temp.id('partner_a')) AS figures,
       (SELECT string_agg(to_jsonb(c)::text, '|' ORDER BY id) FROM partner_customers c WHERE partner_id = pg_temp.id('partner_b')) AS b_customers,
       (SELECT string_agg(to_jsonb(o)::text, '|' ORDER BY id) FROM orders o WHERE partner_id = pg_temp.id('partner_b')) AS b_orders;

-- Nobody detaches an account through the API: user_id is not among the
-- partner's updatable columns.
SELECT is(test_helpers.outcome_as('authenticated', pg_temp.id('user_b'),
            'UPDATE partners SET user_id = NULL'), '42501',
          'a partner cannot detach its own account through the API');

-- 1. A partner deletes its account.
SELECT lives_ok($$DELETE FROM auth.users WHERE id = pg_temp.id('user_a')$$,
                'deleting a partner''s account succeeds (its orders once made it fail)');
SELECT is((SELECT row(status, user_id IS NULL, company_name)::text FROM partners WHERE id = pg_temp.id('partner_a')),
          '(deactivated,t,"Alpha Travel")', 'the partner stays, deactivated and detached, its company name kept');
SELECT is((SELECT business_email FROM partners WHERE id = pg_temp.id('partner_a')),
          format('deleted-%s@invalid', pg_temp.id('partner_a'))::varchar, 'its contact e-mail is erased');
SELECT is((SELECT business_phone FROM partners WHERE id = pg_temp.id('partner_a')), NULL, 'its phone is erased');
SELECT is((SELECT count(*) FROM partner_earnings WHERE partner_id = pg_temp.id('partner_a')), (SELECT earnings FROM before_deletion),
          'its earnings are all kept');
SELECT is((SELECT sum(commission_amount_usd) FROM partner_earnings WHERE partner_id = pg_temp.id('partner_a')),
          (SELECT commission FROM before_deletion), 'to the cent');
SELECT is((SELECT count(*) FROM partner_payouts WHERE partner_id = pg_temp.id('partner_a')), (SELECT payouts FROM before_deletion),
          'its payouts are kept');
SELECT is((SELECT row(count(*), sum(price_usd))::text FROM orders WHERE partner_id = pg_temp.id('partner_a')),
          (SELECT row(orders, order_value)::text FROM before_deletion), 'its orders are kept, amounts unchanged');
SELECT is((SELECT count(*)::int FROM orders WHERE partner_id = pg_temp.id('partner_a')
            AND num_nonnulls(customer_first_name, customer_last_name, customer_email, customer_phone) > 0), 0,
          'the customer details copied into its orders are erased');
SELECT is((SELECT row(total_orders, total_customers, total_earnings, balance, pending_earnings)::text
             FROM partners WHERE id = pg_temp.id('partner_a')), (SELECT figures FROM before_deletion),
          'its maintained figures are unchanged');
SELECT is((SELECT count(*) FROM partner_customers WHERE partner_id = pg_temp.id('partner_a')), (SELECT customers FROM before_deletion),
          'its end customers'' records stay (their orders point at them)');
SELECT is((SELECT count(*)::int FROM partner_customers WHERE partner_id = pg_temp.id('partner_a')
            AND (first_name, last_name) = ('(deleted)', '(deleted)') AND email = 'deleted-' || id || '@invalid'
            AND phone IS NULL AND notes IS NULL AND tags IS NULL AND user_id IS NULL),
          (SELECT customers::int FROM before_deletion), 'with every personal detail erased');
SELECT is((SELECT count(*)::int FROM partner_api_keys WHERE partner_id = pg_temp.id('partner_a') AND revoked_at IS NULL), 0,
          'its API keys are revoked');
SELECT is((SELECT count(*)::int FROM partner_api_keys WHERE partner_id = pg_temp.id('partner_b') AND revoked_at IS NULL), 1,
          'another partner''s key is not');
SELECT is((SELECT string_agg(to_jsonb(c)::text, '|' ORDER BY id) FROM partner_customers c WHERE partner_id = pg_temp.id('partner_b')),
          (SELECT b_customers FROM before_deletion), 'another partner''s customers are untouched');
SELECT is((SELECT string_agg(to_jsonb(o)::text, '|' ORDER BY id) FROM orders o WHERE partner_id = pg_temp.id('partner_b')),
          (SELECT b_orders FROM before_deletion), 'another partner''s orders are untouched');
SELECT is_empty('SELECT * FROM onesim_internal.reconcile()', 'every maintained figure still equals its rows');
SELECT throws_ok($$UPDATE partners SET status = 'active' WHERE id = pg_temp.id('partner_a')$$,
                 '23514', NULL, 'a partner without an account cannot be reactivated');
SELECT is((SELECT count(*)::int FROM order_action_logs l JOIN orders o ON o.id = l.order_id
            WHERE o.partner_id = pg_temp.id('partner_a') AND l.changed_fields ? 'customer_email'), 3,
          'the erasure is in the orders'' audit trail');

-- 2. An end customer who also had an account of their own deletes it: the
-- partner's record of them stays as the partner wrote it, unlinked.
UPDATE partner_customers SET user_id = pg_temp.id('user_d')
 WHERE id = pg_temp.id('customer_b1');
DELETE FROM auth.users WHERE id = pg_temp.id('user_d');
SELECT is((SELECT row(first_name, email, user_id IS NULL)::text FROM partner_customers
            WHERE id = pg_temp.id('customer_b1')), '(Bobur,bobur@example.com,t)',
          'an end customer''s own account deleted: the partner''s record stays, unlinked');
SELECT is((SELECT row(user_id IS NULL, end_customer_id IS NULL, price_usd)::text FROM orders
            WHERE id = pg_temp.id('order_d1')), '(t,t,3.0000)',
          'their own B2C order stays, detached, its price kept');

-- 3. A customer deletes their account.
UPDATE orders SET customer_first_name = 'Cora', customer_email = 'customer-c@example.com'
 WHERE id = pg_temp.id('order_c1');
DELETE FROM auth.users WHERE id = pg_temp.id('user_c');
SELECT is((SELECT count(*)::int FROM profiles WHERE id = pg_temp.id('user_c')), 0,
          'a deleted customer''s profile goes');
SELECT is((SELECT count(*)::int FROM user_favorites WHERE user_id IS NULL OR user_id = pg_temp.id('user_c')), 0,
          'and their favourites');
SELECT is((SELECT row(order_status, price_usd, user_id IS NULL, end_customer_id IS NULL,
                      customer_first_name IS NULL AND customer_email IS NULL)::text
             FROM orders WHERE id = pg_temp.id('order_c1')), '(ALLOCATED,10.0000,t,t,t)',
          'their order stays with its status and price, without their details');

-- 4. An admin's account: orders placed at the counter keep the walk-in
-- customer's details (they are not the admin's).
DELETE FROM auth.users WHERE id = pg_temp.id('user_ad');
SELECT is((SELECT row(user_id IS NULL, customer_first_name, customer_email)::text FROM orders
            WHERE id = pg_temp.id('order_ad')), '(t,Walk,walkin@example.com)',
          'an admin''s deleted account leaves the walk-in customer''s details of its orders');
SELECT is_empty('SELECT * FROM onesim_internal.reconcile()', 'the figures still equal the rows at the end');

SELECT * FROM finish();
ROLLBACK;
