-- Guards: immutable ownership columns, and DROP EXTENSION / DROP SCHEMA never
-- silently destroying customer data.
BEGIN;
SELECT plan(10);

INSERT INTO auth.users (id, email) VALUES
  ('00000000-0000-0000-0000-0000000000f1', 'g1@agency.test'),
  ('00000000-0000-0000-0000-0000000000f2', 'g2@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  ('10000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000f1', 'G1', 'g1@agency.test'),
  ('10000000-0000-0000-0000-0000000000f2', '00000000-0000-0000-0000-0000000000f2', 'G2', 'g2@agency.test');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email) VALUES
  ('20000000-0000-0000-0000-0000000000f1', '10000000-0000-0000-0000-0000000000f1', 'A', 'B', 'ab@example.com');
INSERT INTO customer_groups (id, partner_id, name) VALUES
  ('30000000-0000-0000-0000-0000000000f1', '10000000-0000-0000-0000-0000000000f1', 'G');

SELECT throws_ok($$UPDATE partner_customers SET partner_id = '10000000-0000-0000-0000-0000000000f2' WHERE id = '20000000-0000-0000-0000-0000000000f1'$$,
  '55000', 'partner_customers.partner_id cannot be changed', 'a customer cannot move to another partner');
SELECT throws_ok($$UPDATE customer_groups SET partner_id = '10000000-0000-0000-0000-0000000000f2' WHERE id = '30000000-0000-0000-0000-0000000000f1'$$,
  '55000', 'customer_groups.partner_id cannot be changed', 'a group cannot move to another partner');
SELECT lives_ok($$UPDATE partner_customers SET first_name = 'Aa' WHERE id = '20000000-0000-0000-0000-0000000000f1'$$,
  'other columns stay editable');

SELECT throws_ok('DROP EXTENSION onesim', '2BP01', NULL, 'DROP EXTENSION onesim refuses while data exists');
SELECT throws_ok('DROP EXTENSION onesim_auth CASCADE', '2BP01', NULL, 'DROP EXTENSION onesim_auth CASCADE refuses too');
SELECT throws_ok('DROP SCHEMA public CASCADE', '2BP01', NULL, 'dropping the extension''s schema refuses too');
SELECT throws_ok('DROP SCHEMA onesim_internal CASCADE', '2BP01', NULL, 'dropping onesim_internal refuses too');
SELECT has_table('public', 'partners', 'nothing was dropped');
SELECT is((SELECT count(*)::int FROM partners WHERE id IN ('10000000-0000-0000-0000-0000000000f1', '10000000-0000-0000-0000-0000000000f2')), 2, 'and no row was lost');

-- An explicit decision lets it go (rolled back with the test).
SET LOCAL onesim.allow_drop_with_data = on;
SELECT lives_ok('DROP EXTENSION onesim', 'with onesim.allow_drop_with_data = on the drop proceeds');

SELECT * FROM finish();
ROLLBACK;
