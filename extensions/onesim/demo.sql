-- The B2B story of the specification, end to end, the way the apps run it:
-- each step is one API request (one transaction, SET LOCAL ROLE and the JWT
-- claims, as PostgREST does), calling the RPC functions of the extension.
\pset footer off
\set ON_ERROR_STOP on
\set partner_user '550e8400-e29b-41d4-a716-446655440001'
\set partner_claims '{"sub":"550e8400-e29b-41d4-a716-446655440001","role":"authenticated"}'
\set admin_claims '{"sub":"550e8400-e29b-41d4-a716-4466554400ad","role":"authenticated"}'

\echo '== Installed: OneSIM on PostgreSQL 15 with the Supabase auth surface'
SELECT extname, extversion FROM pg_extension WHERE extname LIKE 'onesim%' ORDER BY 1;

\echo '== The specification''s sample data is loaded: partner, customers, group, one allocated order'
SELECT company_name, effective_commission_rate AS rate, status, total_orders, total_customers,
       total_earnings FROM partners;

-- An admin account for the back office (created by the operator).
INSERT INTO auth.users (id, email) VALUES ('550e8400-e29b-41d4-a716-4466554400ad', 'admin@onesim.uz');
INSERT INTO profiles (id, first_name, last_name, user_type) VALUES
  ('550e8400-e29b-41d4-a716-4466554400ad', 'Back', 'Office', 'admin');

\echo '== 1. Grand Travel Tour (partner app) asks for a quote: 5 % off the retail price'
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', :'partner_claims', true) \gset ignored_
SELECT package_name, retail_price, commission_rate, commission_amount, you_pay, currency
  FROM quote_package('PACKAGE_CODE_HERE', 'USD');
COMMIT;

\echo '== 2. ... and buys it for its customer Aziza Karimova'
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', :'partner_claims', true) \gset ignored_
SELECT id AS aziza FROM partner_customers WHERE email = 'aziza@example.com' \gset
SELECT id AS order_id, order_status, price_usd, commission_rate, commission_amount_usd, paid_amount_usd,
       customer_first_name || ' ' || customer_last_name AS end_customer
  FROM place_b2b_order('PACKAGE_CODE_HERE', customer_id => :'aziza') \gset
SELECT :'order_status' AS status, :'price_usd' AS retail, :'commission_amount_usd' AS commission,
       :'paid_amount_usd' AS partner_pays, :'end_customer' AS for_customer;
COMMIT;

\echo '== 3. The provider allocates the eSIM (webhook, service role): the earning is earned'
BEGIN;
SET LOCAL ROLE service_role;
SELECT order_status, iccid, activation_code
  FROM record_allocation(:'order_id', '8999000000000000042', 'https://qr.example/8999000000000000042',
                         'LPA:1$smdp.example$ABC-42', 'smdp.example');
COMMIT;

\echo '== 4. The partner''s dashboard (partner app)'
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', :'partner_claims', true) \gset ignored_
SELECT company_name, total_orders, active_orders, pending_orders, total_spent_usd,
       total_earnings, pending_earnings, balance, total_customers, total_groups
  FROM partner_dashboard();
SELECT end_customer_first_name, end_customer_last_name, package_catalog_name, order_status,
       earning_commission_amount_usd, earning_status
  FROM v_orders_complete ORDER BY created_at;
COMMIT;

\echo '== 5. The whole Antalya group: members added in bulk, one package ordered for each'
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', :'partner_claims', true) \gset ignored_
SELECT id AS group_id FROM customer_groups WHERE name = 'Antalya Tour Group - Oct 2024' \gset
SELECT add_group_members(:'group_id', ARRAY(SELECT id FROM partner_customers)) AS members_added;
SELECT count(*) AS orders_placed, sum(commission_amount_usd) AS commission
  FROM bulk_order_for_group(:'group_id', 'PACKAGE_CODE_HERE');
SELECT name, group_size FROM customer_groups;
COMMIT;

\echo '== 6. Month end: the back office pays the partner its balance'
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', :'admin_claims', true) \gset ignored_
SELECT id AS partner_id FROM partners WHERE company_name = 'Grand Travel Tour' \gset
SELECT amount_usd, earnings_count, method, status
  FROM run_partner_payout(:'partner_id', 'bank_transfer', 'PO-2026-11');
COMMIT;

\echo '== 7. A refund after the payout claws the commission back'
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', :'admin_claims', true) \gset ignored_
SELECT order_status, payment_status FROM refund_order(:'order_id', 'customer did not travel');
COMMIT;
-- Partner figures are written as each transaction commits (onesim.partner_figures).
SELECT company_name, total_orders, total_earnings, pending_earnings, balance FROM partners;

\echo '== The audit trail of that order'
SELECT action, old_status, new_status, actor_role, array_to_string(ARRAY(SELECT jsonb_object_keys(changed_fields)), ', ') AS changed
  FROM order_action_logs WHERE order_id = :'order_id' ORDER BY created_at, action;

\echo '== Every maintained figure equals what the rows say (no rows = no drift)'
SELECT * FROM onesim_internal.reconcile();
