-- Column names reach the audit trail's SQL text (order_audit.cpp builds its
-- UPDATE log statement from the columns that changed). Quoted as
-- identifiers, they must also mean nothing to the statement templating,
-- whose placeholders are braces: a column "promo{code}" is logged under its
-- own name (it once failed with an internal error), and "note{app}" is not
-- turned into the extension's schema name.
BEGIN;
SELECT plan(5);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('brace_user', 'brace_order');

ALTER TABLE orders ADD COLUMN "promo{code}" text, ADD COLUMN "note{app}" text, ADD COLUMN "x}}{{y" text;
INSERT INTO auth.users (id, email) VALUES (pg_temp.id('brace_user'), 'brace@example.com');
INSERT INTO orders (id, user_id, package_code, price_usd, source_type)
VALUES (pg_temp.id('brace_order'), pg_temp.id('brace_user'), 'AUDIT', 10.00, 'b2c');

SELECT lives_ok($$UPDATE orders SET "promo{code}" = 'SPRING' WHERE id = pg_temp.id('brace_order')$$,
  'an UPDATE of a column named promo{code} is logged without error');
SELECT is((SELECT changed_fields FROM order_action_logs
            WHERE order_id = pg_temp.id('brace_order') AND changed_fields ? 'promo{code}'),
  '{"promo{code}": {"old": null, "new": "SPRING"}}'::jsonb, 'logged under its own name, old and new');

UPDATE orders SET "note{app}" = 'gift' WHERE id = pg_temp.id('brace_order');
SELECT is((SELECT changed_fields FROM order_action_logs
            WHERE order_id = pg_temp.id('brace_order') AND changed_fields ? 'note{app}'),
  '{"note{app}": {"old": null, "new": "gift"}}'::jsonb, 'note{app} stays note{app}');

UPDATE orders SET "x}}{{y" = 'z', notes = 'both' WHERE id = pg_temp.id('brace_order');
SELECT is((SELECT changed_fields FROM order_action_logs
            WHERE order_id = pg_temp.id('brace_order') AND changed_fields ? 'x}}{{y'),
  '{"x}}{{y": {"old": null, "new": "z"}, "notes": {"old": null, "new": "both"}}'::jsonb,
  'doubled braces in a name are kept as they are, beside another column');
SELECT is((SELECT count(*)::int FROM order_action_logs WHERE order_id = pg_temp.id('brace_order')), 3,
  'one log row per UPDATE');

SELECT * FROM finish();
ROLLBACK;
