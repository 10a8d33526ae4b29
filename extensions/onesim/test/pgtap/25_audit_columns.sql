-- The audit trail's UPDATE rows (src/onesim/order_audit.cpp) list exactly the
-- columns that changed: every column but updated_at whose old value IS
-- DISTINCT FROM its new one, as {"column": {"old": ..., "new": ...}}. The
-- trigger compares the rows' bytes first and builds its statement for the
-- columns that may differ only; here an oracle compares every column of the
-- rows as they were before each UPDATE with the rows after it, column by
-- column, in SQL.
BEGIN;
SELECT plan(7);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('audit_user', 'order_1', 'order_2', 'order_3');

INSERT INTO auth.users (id, email) VALUES (pg_temp.id('audit_user'), 'audit@example.com');
INSERT INTO orders (id, user_id, package_code, price_usd, source_type, metadata, notes)
SELECT pg_temp.id('order_' || n), pg_temp.id('audit_user'),
       'AUDIT', 10.00, 'b2c', '{"a": 1.0}', 'note ' || n
  FROM generate_series(1, 3) n;

-- The oracle: what changed between two versions of an order.
CREATE FUNCTION pg_temp.expected_changes(was orders, now_is orders) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  col name;
  differs boolean;
  change jsonb;
  result jsonb := '{}';
BEGIN
  FOR col IN SELECT attname FROM pg_attribute
              WHERE attrelid = 'orders'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'updated_at'
              ORDER BY attnum
  LOOP
    EXECUTE format('SELECT $1.%1$I IS DISTINCT FROM $2.%1$I, jsonb_build_object(''old'', $1.%1$I, ''new'', $2.%1$I)', col)
      INTO differs, change USING was, now_is;
    IF differs THEN
      result := result || jsonb_build_object(col, change);
    END IF;
  END LOOP;
  RETURN result;
END $$;

-- The log rows not seen by an earlier check, and their number.
CREATE TEMP TABLE seen_logs (id uuid PRIMARY KEY);
CREATE FUNCTION pg_temp.new_logs() RETURNS TABLE (order_id uuid, changed_fields jsonb) LANGUAGE sql AS $$
  WITH fresh AS (SELECT l.id, l.order_id, l.changed_fields FROM order_action_logs l
                  WHERE l.order_id IN (pg_temp.id('order_1'), pg_temp.id('order_2'), pg_temp.id('order_3'))
                    AND l.id NOT IN (SELECT s.id FROM seen_logs s)),
       mark AS (INSERT INTO seen_logs SELECT fresh.id FROM fresh)
  SELECT fresh.order_id, fresh.changed_fields FROM fresh $$;

CREATE TEMP TABLE before_rows AS SELECT * FROM orders WHERE package_code = 'AUDIT';

-- One statement, a different column in each row; the third row's metadata
-- is written with other bytes (1.00 for 1.0) but the same value.
UPDATE orders
   SET notes = CASE id WHEN pg_temp.id('order_1') THEN 'changed' ELSE notes END,
       price_usd = CASE id WHEN pg_temp.id('order_2') THEN 12.50 ELSE price_usd END,
       metadata = CASE id WHEN pg_temp.id('order_3') THEN '{"a": 1.00}'::jsonb ELSE metadata END
 WHERE package_code = 'AUDIT';
CREATE TEMP TABLE logged AS SELECT * FROM pg_temp.new_logs();
SELECT results_eq(
  $$SELECT order_id, changed_fields FROM logged ORDER BY order_id$$,
  $$SELECT b.id, pg_temp.expected_changes(ROW(b.*)::orders, o) FROM before_rows b JOIN orders o USING (id)
     WHERE pg_temp.expected_changes(ROW(b.*)::orders, o) <> '{}' ORDER BY b.id$$,
  'one statement changing another column in each row: each row logs its own changes');
SELECT is((SELECT count(*)::int FROM logged), 2,
          'a value written with other bytes but equal to the old one is no change');
SELECT is((SELECT changed_fields FROM logged WHERE order_id = pg_temp.id('order_1')),
          '{"notes": {"old": "note 1", "new": "changed"}}'::jsonb, 'the changed column, old and new');

UPDATE orders SET notes = notes, metadata = metadata, updated_at = now() - interval '1 day'
 WHERE package_code = 'AUDIT';
SELECT is((SELECT count(*)::int FROM pg_temp.new_logs()), 0,
          'the same values written again, and updated_at: no log row');

-- NULL to a value and a value to NULL, in one row.
DELETE FROM before_rows;
INSERT INTO before_rows SELECT * FROM orders WHERE id = pg_temp.id('order_1');
UPDATE orders SET notes = NULL, customer_phone = '+998 90 000 00 00'
 WHERE id = pg_temp.id('order_1');
SELECT results_eq(
  $$SELECT order_id, changed_fields FROM pg_temp.new_logs()$$,
  $$SELECT b.id, pg_temp.expected_changes(ROW(b.*)::orders, o) FROM before_rows b JOIN orders o USING (id)$$,
  'NULL to a value and a value to NULL');

-- 90 updates, each changing another set of columns: more sets than the
-- statements the trigger keeps (64), so the later ones take the statement of
-- every column.
CREATE TEMP TABLE mismatches (step int, logged jsonb, expected jsonb);
DO $$
DECLARE
  was orders;
  now_is orders;
  got jsonb;
  got_rows int;
BEGIN
  FOR step IN 1..90 LOOP
    SELECT * INTO was FROM orders WHERE id = pg_temp.id('order_2');
    UPDATE orders
       SET notes = CASE WHEN step & 1 <> 0 THEN 'step ' || step ELSE notes END,
           customer_phone = CASE WHEN step & 2 <> 0 THEN 'phone ' || step ELSE customer_phone END,
           customer_first_name = CASE WHEN step & 4 <> 0 THEN 'first ' || step ELSE customer_first_name END,
           customer_last_name = CASE WHEN step & 8 <> 0 THEN 'last ' || step ELSE customer_last_name END,
           cancel_reason = CASE WHEN step & 16 <> 0 THEN 'reason ' || step ELSE cancel_reason END,
           data_used_bytes = CASE WHEN step & 32 <> 0 THEN step ELSE data_used_bytes END,
           delivery_status = CASE WHEN step & 64 <> 0 THEN jsonb_build_object('step', step) ELSE delivery_status END
     WHERE id = pg_temp.id('order_2');
    SELECT * INTO now_is FROM orders WHERE id = pg_temp.id('order_2');
    SELECT count(*), max(changed_fields::text)::jsonb INTO got_rows, got FROM pg_temp.new_logs();
    IF got_rows <> 1 OR got IS DISTINCT FROM pg_temp.expected_changes(was, now_is) THEN
      INSERT INTO mismatches VALUES (step, got, pg_temp.expected_changes(was, now_is));
    END IF;
  END LOOP;
END $$;
SELECT is_empty($$SELECT * FROM mismatches$$,
                '90 updates of different column sets: each logs exactly what changed');

-- A DELETE still logs the whole row.
DELETE FROM orders WHERE id = pg_temp.id('order_3');
SELECT is((SELECT changed_fields -> 'deleted' ->> 'package_code' FROM pg_temp.new_logs()), 'AUDIT',
          'a deleted order logs its whole row');

SELECT * FROM finish();
ROLLBACK;
