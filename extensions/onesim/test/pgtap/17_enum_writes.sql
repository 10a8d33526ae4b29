-- What the library writes into the columns that are enums (1.2) from text:
-- the earnings' statuses through SQL (under REPEATABLE READ, where no row is
-- written below SQL), for one order and for several in a statement, inserted
-- and updated; the audit's action; the end customer type the orders trigger
-- fills in; set_partner_status(); the status of a partner whose account is
-- deleted. Each lands as the enum's label; the figures agree with reconcile().
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT plan(13);

SELECT gen_random_uuid() AS partner_user, gen_random_uuid() AS buyer, gen_random_uuid() AS partner,
       gen_random_uuid() AS customer \gset
INSERT INTO auth.users (id, email) VALUES
  (:'partner_user', 'enum-partner-' || :'partner_user' || '@example.com'),
  (:'buyer', 'enum-buyer-' || :'buyer' || '@example.com');
INSERT INTO profiles (id, user_type) VALUES (:'partner_user', 'partner'), (:'buyer', 'customer');
INSERT INTO partners (id, user_id, company_name, business_email, status)
VALUES (:'partner', :'partner_user', 'Enum Writes', 'enum-writes@example.com', 'active');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email)
VALUES (:'customer', :'partner', 'Ena', 'Writes', 'ena@example.com');

-- One order in a statement, then two: the earnings' two INSERT forms.
INSERT INTO orders (user_id, source_type, partner_id, end_customer_id, package_code, price_usd)
VALUES (:'partner_user', 'b2b_partner', :'partner', :'customer', 'ENUM-W', 10);
INSERT INTO orders (user_id, source_type, partner_id, end_customer_id, package_code, price_usd)
SELECT :'partner_user', 'b2b_partner', :'partner', :'customer', 'ENUM-W', 10 + i FROM generate_series(1, 2) i;
SELECT results_eq(format($$SELECT e.status, count(*)::int FROM partner_earnings e
                           WHERE e.partner_id = %L GROUP BY 1$$, :'partner'),
                  $$VALUES ('pending'::earning_status, 3)$$,
                  'three orders, one and two in a statement: three pending earnings');
SELECT is((SELECT count(*)::int FROM orders WHERE partner_id = :'partner'
             AND end_customer_type = 'b2b_partner_customer'), 3,
          'the orders trigger filled in end_customer_type b2b_partner_customer');

-- All three allocated in one statement: the earnings' UPDATE form.
UPDATE orders SET order_status = 'ALLOCATED' WHERE partner_id = :'partner';
SELECT results_eq(format($$SELECT e.status, count(*)::int, bool_and(e.earned_at IS NOT NULL)
                             FROM partner_earnings e WHERE e.partner_id = %L GROUP BY 1$$, :'partner'),
                  $$VALUES ('earned'::earning_status, 3, true)$$, 'allocated: three earned earnings');
SELECT results_eq(format($$SELECT l.action, count(*)::int FROM order_action_logs l
                             JOIN orders o ON o.id = l.order_id WHERE o.partner_id = %L GROUP BY 1$$, :'partner'),
                  $$VALUES ('allocated'::order_action, 3)$$, 'the audit logged each allocation as allocated');
UPDATE orders SET notes = 'checked' WHERE partner_id = :'partner' AND price_usd = 10;
SELECT is((SELECT l.action FROM order_action_logs l JOIN orders o ON o.id = l.order_id
            WHERE o.partner_id = :'partner' AND o.price_usd = 10 AND l.changed_fields ? 'notes'),
          'updated'::order_action, 'an edit is logged as updated');

-- One refunded and one cancelled: cancelled earnings.
UPDATE orders SET order_status = CASE WHEN price_usd = 11 THEN 'REFUNDED' ELSE 'CANCELLED' END::order_status
 WHERE partner_id = :'partner' AND price_usd IN (11, 12);
SELECT results_eq(format($$SELECT e.status, count(*)::int FROM partner_earnings e
                           WHERE e.partner_id = %L GROUP BY 1 ORDER BY 1$$, :'partner'),
                  $$VALUES ('earned'::earning_status, 1), ('cancelled'::earning_status, 2)$$,
                  'refunded and cancelled: two cancelled earnings, one still earned');
SELECT results_eq(format($$SELECT l.action::text FROM order_action_logs l JOIN orders o ON o.id = l.order_id
                           WHERE o.partner_id = %L AND l.action IN ('refunded', 'cancelled') ORDER BY 1$$, :'partner'),
                  $$VALUES ('cancelled'), ('refunded')$$, 'the audit logged the refund and the cancellation');

-- A B2C order without an end customer type: the trigger fills in b2c.
INSERT INTO orders (user_id, package_code, price_usd) VALUES (:'buyer', 'ENUM-W', 5);
SELECT is((SELECT end_customer_type FROM orders WHERE user_id = :'buyer'), 'b2c'::end_customer_type,
          'a B2C order gets end_customer_type b2c');

-- set_partner_status() takes text and writes the enum (the session is the service here).
SELECT is((SELECT status FROM set_partner_status(:'partner', 'suspended')), 'suspended'::partner_status,
          'set_partner_status(..., ''suspended'') writes the enum label');
SELECT throws_ok(format($$SELECT * FROM set_partner_status(%L, 'closed')$$, :'partner'), '22023', NULL,
                 'set_partner_status with an unknown status is 22023, as before');
SELECT is((SELECT status FROM partners WHERE id = :'partner'), 'suspended'::partner_status,
          'the refused call wrote nothing');

-- The partner's account is deleted: the closing trigger writes deactivated.
DELETE FROM auth.users WHERE id = :'partner_user';
SELECT is((SELECT status FROM partners WHERE id = :'partner'), 'deactivated'::partner_status,
          'a partner whose account is deleted is deactivated');

SELECT is_empty(format($$SELECT * FROM onesim_internal.reconcile() WHERE entity_id IN (%L, %L)$$, :'partner', :'customer'),
                'the maintained figures agree with reconcile()');

SELECT * FROM finish();
ROLLBACK;
