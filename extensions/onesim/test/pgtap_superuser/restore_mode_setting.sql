-- onesim.restore_mode = off and = on (platform/restore_mode.cpp): off never
-- loads rows as dumped, even with pg_dump's whole preamble; on always does,
-- in an ordinary session. The setting is PGC_SUSET: only a superuser can set
-- it, so this file runs as the superuser. Detection in auto mode, and that the
-- API roles cannot set it, are checked in test/pgtap/16_restore_mode.sql.
BEGIN;
SELECT plan(8);
SET LOCAL client_min_messages = error;

\ir ../pgtap/fixtures/restore_mode.psql

SET LOCAL onesim.restore_mode = off;
SELECT rm_test.session('off', 'off', '');
SELECT rm_test.insert_order(7);
SELECT rm_test.normal();
SELECT is(rm_test.commission(7), 1.0000, 'restore_mode = off, full preamble: commission recomputed');
SELECT is(rm_test.earnings(7), 1, '... and the earning created');
SELECT is_empty('SELECT * FROM drift', '... and every figure reconciles');

SET LOCAL onesim.restore_mode = on;
SELECT rm_test.insert_order(8);                    -- an ordinary session
SELECT is(rm_test.commission(8), 2.4000, 'restore_mode = on, no preamble: the order keeps its commission');
SELECT is(rm_test.earnings(8), 0, '... and no earning is created');
SELECT results_eq('SELECT total_orders FROM pr', $$VALUES (1)$$,
  '... and the partner figures do not move (order 7 alone is counted)');
UPDATE orders SET order_status = 'ALLOCATED' WHERE id = pg_temp.id('order_8');
SELECT is(rm_test.earnings(8), 1, 'restore_mode = on: an allocation still creates the earning');
SELECT lives_ok('SELECT onesim_internal.reconcile(true)', 'repaired');

SELECT * FROM finish();
ROLLBACK;
