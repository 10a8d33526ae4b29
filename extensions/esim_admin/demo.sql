-- The panel's day, end to end, the way the apps run it: each step is one API
-- request (one transaction, SET LOCAL ROLE and the JWT claims, as PostgREST
-- does).
\pset footer off
\set ON_ERROR_STOP on
\set admin '00000000-0000-4000-8000-0000000000ad'
\set buyer '00000000-0000-4000-8000-0000000000b0'

\echo '== Sign-up creates the panel users (an operator makes the first admin)'
INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES
  (:'admin', 'admin@panel.example', '{"first_name": "Ann", "last_name": "Admin"}'),
  (:'buyer', 'buyer@panel.example', '{"first_name": "Bea", "last_name": "Buyer"}');
UPDATE users SET role = 'admin' WHERE id = :'admin';
SELECT email, role, status, kyc_status FROM users WHERE id IN (:'admin', :'buyer') ORDER BY email;

\echo '== The admin builds a plan, prices it, stocks eSIMs and opens a promotion'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'admin', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO plans (id, name, validity_days, data_limit_mb) VALUES ('00000000-0000-4000-9000-000000000001', '5GB Global', 30, 5120);
INSERT INTO plan_pricing (plan_id, cost_price, selling_price, effective_from)
  VALUES ('00000000-0000-4000-9000-000000000001', 6.00, 9.99, now() - interval '1 hour');
INSERT INTO esims (iccid, plan_id) VALUES ('8901000000000000001', '00000000-0000-4000-9000-000000000001'),
                                          ('8901000000000000002', '00000000-0000-4000-9000-000000000001');
INSERT INTO promotional_codes (code, discount_type, discount_value, max_uses, valid_from, valid_to)
  VALUES ('WELCOME10', 'percentage', 10, 100, now() - interval '1 hour', now() + interval '30 days');
SELECT selling_price, markup_percentage FROM plan_pricing WHERE plan_id = '00000000-0000-4000-9000-000000000001';
COMMIT;

\echo '== The buyer purchases with the code (RPC purchase)'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'buyer', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT amount, discount_amount, tax_amount, total_amount, status FROM purchase('00000000-0000-4000-9000-000000000001', 'credit_card', 'WELCOME10');
COMMIT;

\echo '== The payment webhook (service role) completes it: an eSIM is assigned and activated'
BEGIN;
SET LOCAL ROLE service_role;
UPDATE transactions SET status = 'completed', payment_gateway = 'stripe', gateway_transaction_id = 'pi_demo'
 WHERE user_id = :'buyer' AND status = 'pending';
SELECT e.iccid, e.status, e.expires_at - e.activated_at AS validity FROM transactions t JOIN esims e ON e.id = t.esim_id
 WHERE t.user_id = :'buyer';
COMMIT;

\echo '== The buyer opens a ticket (numbered without gaps)'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'buyer', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO support_tickets (user_id, subject, description) VALUES (:'buyer', 'No data abroad', 'Roaming does not start')
  RETURNING ticket_number, status;
COMMIT;

\echo '== The buyer uploads a KYC document and reads their own profile (their own data: not logged)'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'buyer', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO kyc_documents (user_id, document_type, document_url) VALUES (:'buyer', 'passport', 's3://kyc/bea-passport.pdf')
  RETURNING id AS doc \gset
SELECT email, first_name, last_name, kyc_status FROM my_profile();
COMMIT;

\echo '== Personal columns are not selectable from the tables by any API role'
SELECT c.column_name, has_column_privilege('authenticated', c.table_schema || '.' || c.table_name, c.column_name, 'SELECT')
         AS authenticated_may_select
  FROM information_schema.columns c
 WHERE c.table_schema = current_schema() AND (c.table_name, c.column_name) IN
       (('users', 'email'), ('users', 'phone'), ('kyc_documents', 'document_url'), ('kyc_documents', 'status'))
 ORDER BY c.table_name, c.column_name;

\echo '== Staff open the customer''s record and the document for the ticket: each read of personal data is audited'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'admin', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT r -> 'user' ->> 'email' AS email, jsonb_array_length(r -> 'transactions') AS purchases, r ->> 'open_tickets' AS open_tickets
  FROM customer_record(:'buyer', 'roaming ticket') r;
SELECT kyc_document_url(:'doc', 'identity check before the eSIM swap') AS document_url;
SELECT action, table_name, row_id = :'buyer' AS about_the_buyer, after -> 'columns' AS columns, after ->> 'reason' AS reason
  FROM audit_log WHERE action = 'pii_read' ORDER BY id DESC LIMIT 2;
COMMIT;

\echo '== The admin refunds half; the report and the dashboard follow'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'admin', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO refunds (transaction_id, amount, reason, status)
  SELECT id, 4.50, 'partial outage', 'processed' FROM transactions WHERE user_id = :'buyer';
SELECT total_revenue, transaction_count, new_users, active_esims FROM generate_revenue_report('monthly', current_date);
SELECT jsonb_pretty(dashboard() - 'top_plans') AS dashboard;
SELECT action, table_name, after FROM audit_log ORDER BY id DESC LIMIT 3;
COMMIT;

\echo '== Every figure reconciles'
SELECT count(*) AS drift FROM reconcile;
