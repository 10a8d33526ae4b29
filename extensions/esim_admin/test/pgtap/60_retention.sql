-- Retention: each step of the policy at its cut-off, counted figures kept,
-- reports still reaching cold storage, and a second run finding nothing.
BEGIN;
SELECT plan(17);
\ir fixtures/world.psql

-- Rows a day on each side of every cut-off (as of now()).
SELECT now() AS at, now() - interval '2 years 1 day' AS cold, now() - interval '2 years' + interval '1 day' AS warm,
       now() - interval '7 years 1 day' AS ancient \gset
-- Old purchases as an import would bring them (no plan, no eSIM): the
-- rules' triggers are off for the backdated rows.
ALTER TABLE transactions DISABLE TRIGGER USER;
INSERT INTO transactions (id, user_id, plan_id, amount, payment_method, status, promo_code_id, total_amount, created_at, completed_at)
VALUES ('00000000-0000-4000-a000-000000000001', :'cust_a', NULL, 10, 'paypal', 'completed', :'promo', 10, :'cold', :'cold'),
       ('00000000-0000-4000-a000-000000000002', :'cust_a', NULL, 20, 'paypal', 'completed', NULL, 20, :'warm', :'warm'),
       ('00000000-0000-4000-a000-000000000003', :'cust_a', NULL, 30, 'paypal', 'completed', :'promo', 30, :'ancient', :'ancient');
ALTER TABLE transactions ENABLE TRIGGER USER;
UPDATE promotional_codes SET used_count = used_count + 2 WHERE id = :'promo';
SELECT esim_admin_internal.rebuild_daily_sales() \gset
INSERT INTO refunds (transaction_id, amount, status) VALUES ('00000000-0000-4000-a000-000000000001', 4, 'processed');
INSERT INTO esim_data_usage (esim_id, data_used_mb, voice_minutes, period_start, period_end) VALUES
  (:'esim_a', 100, 5, date_trunc('month', :'cold'::timestamptz), :'cold'),
  (:'esim_a', 50, 1, date_trunc('month', :'cold'::timestamptz) + interval '1 hour', :'cold'),
  (:'esim_a', 70, 0, :'cold', :'warm');
INSERT INTO analytics_events (event_type, created_at) VALUES
  ('view', now() - interval '1 year 1 day'), ('view', now() - interval '1 year 1 day'), ('view', now() - interval '1 year' + interval '1 day');
INSERT INTO notifications (user_id, type, message, status, read_at) VALUES
  (:'cust_a', 'in_app', 'old', 'read', now() - interval '91 days'), (:'cust_a', 'in_app', 'recent', 'read', now() - interval '89 days'),
  (:'cust_a', 'in_app', 'unread', 'sent', NULL);
ALTER TABLE support_tickets DISABLE TRIGGER trg_support_tickets_updated_at;
UPDATE support_tickets SET status = 'closed', updated_at = now() - interval '1 year 1 day' WHERE id = :'ticket_a';
ALTER TABLE support_tickets ENABLE TRIGGER trg_support_tickets_updated_at;

SELECT apply_retention(:'at') AS result \gset
SELECT is(:'result'::jsonb, '{"transactions_archived": 2, "transactions_deleted": 1, "usage_archived": 2,
          "analytics_deleted": 2, "notifications_deleted": 1, "tickets_archived": 1, "audit_deleted": 0}'::jsonb,
          'each step moved or removed its rows');

SELECT is(ARRAY(SELECT id::text FROM transactions_archive ORDER BY id), ARRAY['00000000-0000-4000-a000-000000000001'],
          'a transaction older than 2 years is in cold storage (the 7-year-old one is gone)');
SELECT ok(NOT EXISTS (SELECT FROM transactions WHERE id IN ('00000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000003')),
          'and out of the hot table');
SELECT ok(EXISTS (SELECT FROM transactions WHERE id = '00000000-0000-4000-a000-000000000002'), 'a younger one stays');
SELECT is((SELECT count(*)::int FROM refunds_archive WHERE transaction_id = '00000000-0000-4000-a000-000000000001'), 1,
          'its refunds moved with it');
SELECT is(ARRAY(SELECT figure || ' ' || stored || ' ' || computed FROM reconcile), '{}'::text[], 'promotional code uses still reconcile (the archive counts, the removed one does not)');
SELECT is((SELECT total_revenue FROM generate_revenue_report('daily', (:'cold'::timestamptz AT TIME ZONE 'UTC')::date)), 10.00,
          'a report reaches cold storage');
SELECT is((SELECT total_revenue FROM generate_revenue_report('daily', (now() AT TIME ZONE 'UTC')::date)),
          (SELECT sum(total_amount) FROM transactions WHERE completed_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
             AND status IN ('completed', 'refunded')) - 4.00,
          'and the refunds of archived transactions, on the day they were processed');
SELECT is((SELECT sum(data_used_mb) FROM esim_usage_monthly WHERE esim_id = :'esim_a'
             AND month = (date_trunc('month', :'cold'::timestamptz) AT TIME ZONE 'UTC')::date), 150.00,
          'usage detail older than 2 years is added up per month');
SELECT is((SELECT count(*)::int FROM esim_data_usage WHERE esim_id = :'esim_a'), 1, 'and removed; younger detail stays');
SELECT is((SELECT sum(events) FROM analytics_event_counts WHERE event_type = 'view'), 2::numeric,
          'analytics events older than a year are counted');
SELECT is((SELECT count(*)::int FROM analytics_events WHERE created_at < now() - interval '11 months'), 1, 'and deleted');
SELECT is(ARRAY(SELECT message FROM notifications WHERE user_id = :'cust_a' ORDER BY message), ARRAY['recent', 'unread'],
          'read notifications go 90 days after being read; unread ones stay');
SELECT is((SELECT count(*)::int FROM support_tickets_archive WHERE id = :'ticket_a'), 1, 'a ticket closed over a year ago is archived');
SELECT is((SELECT count(*)::int FROM ticket_messages_archive WHERE ticket_id = :'ticket_a'), 2, 'with its messages');

SELECT is(apply_retention(:'at'), '{"transactions_archived": 0, "transactions_deleted": 0, "usage_archived": 0,
          "analytics_deleted": 0, "notifications_deleted": 0, "tickets_archived": 0, "audit_deleted": 0}'::jsonb, 'a second run finds nothing to do');
SELECT is(test_helpers.outcome_as('authenticated', :'admin', 'SELECT apply_retention()'), '42501', 'retention is the service''s');

SELECT * FROM finish();
ROLLBACK;
