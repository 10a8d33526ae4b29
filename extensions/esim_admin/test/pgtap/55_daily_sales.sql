-- The daily sales the dashboard reads: kept per (UTC day of completion, plan)
-- by the transactions' statement triggers through every way a sale comes
-- and goes, equal to what the rows say (reconcile), and the dashboard equal
-- to the month recomputed from the purchases.
BEGIN;
SELECT plan(16);
\ir fixtures/world.psql

CREATE TEMP VIEW sales_now AS
  SELECT coalesce(sum(transactions), 0)::int AS n, coalesce(sum(revenue), 0) AS revenue
    FROM esim_admin_internal.daily_sales WHERE plan_id = :'plan';
CREATE TEMP VIEW sales_rows AS
  SELECT count(*)::int AS n, coalesce(sum(total_amount), 0) AS revenue FROM transactions
   WHERE plan_id = :'plan' AND status IN ('completed', 'refunded') AND deleted_at IS NULL;

SELECT is((SELECT (n, revenue)::text FROM sales_now), (SELECT (n, revenue)::text FROM sales_rows),
          'the fixture''s completed purchase is a sale of its day');
SELECT is((SELECT day FROM esim_admin_internal.daily_sales WHERE plan_id = :'plan'),
          (SELECT (completed_at AT TIME ZONE 'UTC')::date FROM transactions WHERE id = :'tx_a'), 'keyed by the UTC day of completion');

SELECT test_helpers.become_user(:'cust_b');
SELECT id AS tx_b, total_amount AS total_b FROM purchase(:'plan', 'paypal') \gset
SELECT test_helpers.become('none');
SELECT is((SELECT n FROM sales_now), 1, 'a pending purchase is no sale yet');
UPDATE transactions SET status = 'completed' WHERE id = :'tx_b';
SELECT is((SELECT (n, revenue)::text FROM sales_now), (SELECT (n, revenue)::text FROM sales_rows),
          'its completion adds it');

INSERT INTO refunds (transaction_id, amount, status) VALUES (:'tx_b', :'total_b', 'processed');
SELECT is((SELECT status::text FROM transactions WHERE id = :'tx_b'), 'refunded', 'fully refunded');
SELECT is((SELECT n FROM sales_now), 2, 'a refunded purchase stays a sale of its day (refunds are reported by their own)');

-- completed_at is fixed once set (the rules' trigger keeps it); an operator's
-- correction with that trigger off still moves the sale.
ALTER TABLE transactions DISABLE TRIGGER trg_transactions_before_write;
UPDATE transactions SET completed_at = completed_at - interval '1 day' WHERE id = :'tx_b';
SELECT is(test_helpers.outcome(format('UPDATE transactions SET completed_at = ''infinity'' WHERE id = %L', :'tx_a')), '23514',
          'a completion at infinity is refused');
ALTER TABLE transactions ENABLE TRIGGER trg_transactions_before_write;
SELECT is((SELECT transactions::int FROM esim_admin_internal.daily_sales
            WHERE plan_id = :'plan' AND day = (SELECT (completed_at AT TIME ZONE 'UTC')::date FROM transactions WHERE id = :'tx_b')),
          1, 'a completion time moved to the day before moves the sale to that day');
SELECT is((SELECT count(*)::int FROM reconcile), 0, 'reconcile agrees after the move');

SELECT test_helpers.become_user(:'admin');
DELETE FROM transactions WHERE id = :'tx_b';
SELECT test_helpers.become('none');
SELECT ok((SELECT deleted_at IS NOT NULL FROM transactions WHERE id = :'tx_b'), 'an admin''s delete is a soft delete');
SELECT is((SELECT (n, revenue)::text FROM sales_now), (SELECT (n, revenue)::text FROM sales_rows),
          'a soft-deleted purchase is no sale');

-- The dashboard against the month recomputed from the rows.
SELECT test_helpers.become_user(:'admin');
SELECT dashboard() AS board \gset
SELECT test_helpers.become('none');
SELECT is((:'board'::jsonb -> 'month' ->> 'transactions')::int,
          (SELECT count(*)::int FROM transactions WHERE status IN ('completed', 'refunded') AND deleted_at IS NULL
              AND completed_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
          'the dashboard''s month counts the month''s sales');
SELECT is((:'board'::jsonb -> 'month' ->> 'revenue')::numeric,
          (SELECT coalesce(sum(total_amount), 0) FROM transactions WHERE status IN ('completed', 'refunded') AND deleted_at IS NULL
              AND completed_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
          'and sums their totals');

-- A sale removed below the trigger (as a write with the triggers off would),
-- by the table's owner (a superuser here, the project's owner on Supabase).
ALTER TABLE transactions DISABLE TRIGGER trg_transactions_daily_sales_update;
UPDATE transactions SET deleted_at = now() WHERE id = :'tx_a';
ALTER TABLE transactions ENABLE TRIGGER trg_transactions_daily_sales_update;
SELECT is((SELECT count(*)::int FROM reconcile WHERE figure LIKE 'daily_sales %' AND row_id = :'plan'), 1,
          'a drifted daily figure is found');
SELECT is(esim_admin_internal.rebuild_daily_sales(),
          (SELECT count(*) FROM (SELECT DISTINCT (completed_at AT TIME ZONE 'UTC')::date, plan_id FROM transactions
                                  WHERE status IN ('completed', 'refunded') AND deleted_at IS NULL) g),
          'rebuild_daily_sales recomputes the figures, one row per day and plan');
SELECT is((SELECT count(*)::int FROM reconcile), 0, 'and reconcile agrees again');

SELECT * FROM finish();
ROLLBACK;
