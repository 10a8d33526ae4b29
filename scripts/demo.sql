-- The B2B story of the specification, end to end, as the apps would run it.
\pset footer off
\echo '== Installed: OneSIM on PostgreSQL 15 with the Supabase auth surface'
SELECT extname, extversion FROM pg_extension WHERE extname LIKE 'onesim%' ORDER BY 1;

\echo '== Partner discount on a $15.00 package at the default 5% (the specification''s example)'
SELECT * FROM commission_breakdown(15.00, 5);

\echo '== The sample partner, its customers and group'
SELECT company_name, effective_commission_rate, status FROM partners;
SELECT first_name, last_name, email FROM partner_customers ORDER BY first_name;
SELECT name, destination_name FROM customer_groups;

\echo '== The sample B2B order: Grand Travel Tour buys for Aziza Karimova'
SELECT transaction_id, source_type, customer_first_name || ' ' || customer_last_name AS end_customer,
       price_usd, commission_rate, commission_amount_usd, order_status
  FROM orders ORDER BY created_at;
