-- Columns the triggers need set are kept so only by NOT NULL constraints,
-- which the tables' owner can drop. A NULL there is then a clear error
-- (23502 naming the column) or handled, never a dereferenced empty value
-- or a NULL detoasted (a backend crash).
BEGIN;
SELECT plan(3);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_b9', 'partner_b9', 'order_b9');
SET LOCAL onesim.partner_figures = immediate;

INSERT INTO auth.users (id, email) VALUES (pg_temp.id('user_b9'), 'nn@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  (pg_temp.id('partner_b9'), pg_temp.id('user_b9'), 'Null Agency', 'nn@agency.test');
INSERT INTO orders (id, user_id, source_type, partner_id, package_code, price_usd)
VALUES (pg_temp.id('order_b9'), pg_temp.id('user_b9'), 'b2b_partner',
        pg_temp.id('partner_b9'), 'AC', 10);

-- An earning whose status was set to NULL behind the triggers' back.
ALTER TABLE partner_earnings ALTER COLUMN status DROP NOT NULL;
ALTER TABLE partner_earnings DISABLE TRIGGER USER;
UPDATE partner_earnings SET status = NULL WHERE order_id = pg_temp.id('order_b9');
ALTER TABLE partner_earnings ENABLE TRIGGER USER;
SELECT lives_ok($$UPDATE orders SET notes = 'touch' WHERE id = pg_temp.id('order_b9')$$,
  'an order whose earning has a NULL status is updated without a crash');
SELECT ok(EXISTS (SELECT 1 FROM partner_earnings WHERE order_id = pg_temp.id('order_b9')),
  'and its earning is still there');

-- An order row with a NULL status reaching the statement triggers.
ALTER TABLE orders ALTER COLUMN order_status DROP NOT NULL;
SELECT throws_ok($$UPDATE orders SET order_status = NULL WHERE id = pg_temp.id('order_b9')$$,
  '23502', NULL, 'an order with a NULL status: 23502, not an empty value dereferenced');

SELECT * FROM finish();
ROLLBACK;
