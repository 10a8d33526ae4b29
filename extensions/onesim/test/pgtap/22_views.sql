-- v_orders_complete and v_partner_dashboard_stats: security_invoker, no
-- duplicate columns, no fan-out, correct end customers, sums not multiplied.
BEGIN;
\ir fixtures/rls_fixtures.psql
SELECT pg_temp.new_ids('partner_cc');
SELECT plan(34);

-- Declarations.
SELECT ok((SELECT 'security_invoker=true' = ANY (reloptions) FROM pg_class WHERE oid = 'v_orders_complete'::regclass),
          'v_orders_complete is security_invoker');
SELECT ok((SELECT 'security_invoker=true' = ANY (reloptions) FROM pg_class WHERE oid = 'v_partner_dashboard_stats'::regclass),
          'v_partner_dashboard_stats is security_invoker');
SELECT ok(has_table_privilege('authenticated', 'v_orders_complete', 'SELECT')
          AND has_table_privilege('service_role', 'v_orders_complete', 'SELECT')
          AND NOT has_table_privilege('anon', 'v_orders_complete', 'SELECT'),
          'v_orders_complete: authenticated and service_role only');
SELECT ok(has_table_privilege('authenticated', 'v_partner_dashboard_stats', 'SELECT')
          AND has_table_privilege('service_role', 'v_partner_dashboard_stats', 'SELECT')
          AND NOT has_table_privilege('anon', 'v_partner_dashboard_stats', 'SELECT'),
          'v_partner_dashboard_stats: authenticated and service_role only');

-- Column names: unique, the orders columns first, the seed's extras aliased.
SELECT is((SELECT count(*)::int FROM (SELECT attname FROM pg_attribute
             WHERE attrelid = 'v_orders_complete'::regclass AND attnum > 0
             GROUP BY attname HAVING count(*) > 1) d), 0, 'v_orders_complete has no duplicate column names');
SELECT ok((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
             WHERE attrelid = 'v_orders_complete'::regclass AND attnum > 0)
          @> ARRAY['package_name', 'commission_amount_usd', 'package_catalog_name', 'earning_commission_amount_usd',
                   'earning_status', 'user_first_name', 'user_last_name', 'partner_company_name', 'partner_email',
                   'end_customer_first_name', 'end_customer_last_name', 'end_customer_email', 'group_name',
                   'data_gb', 'duration'],
          'v_orders_complete keeps the orders columns and names the joined ones apart');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
             WHERE attrelid = 'v_partner_dashboard_stats'::regclass AND attnum > 0),
          ARRAY['partner_id', 'company_name', 'total_orders', 'active_orders', 'pending_orders', 'total_spent_usd',
                'total_spent_uzs', 'total_earnings', 'pending_earnings', 'balance', 'total_customers', 'total_groups'],
          'v_partner_dashboard_stats keeps the seed''s column names');

-- One row per order, for the service and an admin.
SELECT is((SELECT count(*) FROM v_orders_complete), (SELECT count(*) FROM orders), 'one row per order (superuser)');
SELECT is((SELECT count(DISTINCT id) FROM v_orders_complete), (SELECT count(*) FROM orders), 'no order appears twice');
SELECT is(rls_test.value('admin', '(SELECT count(*) FROM v_orders_complete)'), (SELECT count(*)::text FROM orders),
          'admin: one row per order');
SELECT is(rls_test.value('service', '(SELECT count(*) FROM v_orders_complete)'), (SELECT count(*)::text FROM orders),
          'service_role: one row per order');

-- RLS applies through the view.
SELECT is(rls_test.value('customer', '(SELECT string_agg(id::text, '','' ORDER BY id) FROM v_orders_complete)'),
          (SELECT string_agg(id::text, ',' ORDER BY id) FROM orders WHERE user_id = pg_temp.id('user_c')),
          'customer sees exactly their orders through the view');
SELECT is(rls_test.value('partner_a', '(SELECT string_agg(id::text, '','' ORDER BY id) FROM v_orders_complete)'),
          (SELECT string_agg(id::text, ',' ORDER BY id) FROM orders
            WHERE partner_id = pg_temp.id('partner_a') OR user_id = pg_temp.id('user_a')),
          'partner A sees exactly its orders through the view');
SELECT is(rls_test.value('partner_a', $$(SELECT count(*) FROM v_orders_complete WHERE partner_id = pg_temp.id('partner_b'))$$),
          '0', 'partner A sees none of B''s orders through the view');

-- End customers for each source type.
SELECT is((SELECT row(end_customer_first_name, end_customer_last_name, end_customer_email)::text
             FROM v_orders_complete WHERE id = pg_temp.id('order_c1')),
          '(Cora,Customer,customer-c@example.com)', 'b2c: the purchasing profile''s name and email (not phone)');
SELECT is((SELECT row(end_customer_first_name, end_customer_last_name, end_customer_email)::text
             FROM v_orders_complete WHERE id = pg_temp.id('order_a1')),
          '(Aziza,Karimova,aziza@example.com)', 'b2b: the partner customer''s');
SELECT is((SELECT row(end_customer_first_name, end_customer_last_name, end_customer_email)::text
             FROM v_orders_complete WHERE id = pg_temp.id('order_ad')),
          '(Walk,In,walkin@example.com)', 'admin: the order''s customer_* columns');
SELECT is((SELECT row(user_first_name, partner_company_name, partner_email, group_name)::text
             FROM v_orders_complete WHERE id = pg_temp.id('order_a1')),
          '(Alpha,"Alpha Travel",info@alpha.example,"Antalya Oct")', 'b2b: purchaser, partner and group');
SELECT is(rls_test.value('customer', $$(SELECT end_customer_email FROM v_orders_complete WHERE id = pg_temp.id('order_c1'))$$),
          'customer-c@example.com', 'the customer sees their own end-customer data');

-- Packages: by package_id, else by package_code.
SELECT is((SELECT package_catalog_name FROM v_orders_complete WHERE id = pg_temp.id('order_c1')),
          'Turkey 5GB', 'package found by package_id');
SELECT is((SELECT row(package_catalog_name, data_gb, duration)::text FROM v_orders_complete
            WHERE id = pg_temp.id('order_d1')),
          '("Old Europe 1GB",1.00,7)', 'package found by package_code when package_id is NULL');
UPDATE esim_packages SET package_code = 'PKG-RENAMED' WHERE id = pg_temp.id('package_1');
SELECT is((SELECT package_catalog_name FROM v_orders_complete WHERE id = pg_temp.id('order_c1')),
          'Turkey 5GB', 'package_id wins over a stale package_code');
UPDATE esim_packages SET package_code = 'PKG-ACTIVE' WHERE id = pg_temp.id('package_1');

-- Earnings columns.
SELECT is((SELECT earning_commission_amount_usd FROM v_orders_complete WHERE id = pg_temp.id('order_b1')),
          (SELECT commission_amount_usd FROM partner_earnings WHERE order_id = pg_temp.id('order_b1')),
          'earning amount comes from partner_earnings');
SELECT is((SELECT earning_status FROM v_orders_complete WHERE id = pg_temp.id('order_c1')),
          NULL, 'b2c orders have no earning');

-- v_partner_dashboard_stats: one row per partner, sums not multiplied.
SELECT is((SELECT count(*) FROM v_partner_dashboard_stats), (SELECT count(*) FROM partners), 'one row per partner');
SELECT is((SELECT count(DISTINCT partner_id) FROM v_partner_dashboard_stats), (SELECT count(*) FROM partners), 'no partner twice');
SELECT is((SELECT row(active_orders, pending_orders, total_spent_usd, total_spent_uzs, total_groups)::text
             FROM v_partner_dashboard_stats WHERE partner_id = pg_temp.id('partner_a')),
          (SELECT row(count(*) FILTER (WHERE order_status = 'ALLOCATED'), count(*) FILTER (WHERE order_status = 'PENDING'),
                      coalesce(sum(price_usd) FILTER (WHERE order_status = 'ALLOCATED'), 0),
                      coalesce(sum(price_uzs) FILTER (WHERE order_status = 'ALLOCATED'), 0),
                      (SELECT count(*) FROM customer_groups WHERE partner_id = pg_temp.id('partner_a')))::text
             FROM orders WHERE partner_id = pg_temp.id('partner_a')),
          'partner A: order counts, allocated spend and groups as the rows say (2 groups do not double the sums)');
SELECT is((SELECT total_spent_usd FROM v_partner_dashboard_stats WHERE partner_id = pg_temp.id('partner_a')),
          19.0000::numeric, 'partner A spent 19.00 on allocated orders (the seed''s view says 38.00)');
SELECT is((SELECT row(total_orders, total_customers, total_earnings, pending_earnings, balance)::text
             FROM v_partner_dashboard_stats WHERE partner_id = pg_temp.id('partner_a')),
          (SELECT row(total_orders, total_customers, total_earnings, pending_earnings, balance)::text
             FROM partners WHERE id = pg_temp.id('partner_a')),
          'partner A: maintained counters and earnings figures come from partners');
SELECT is((SELECT row(active_orders, pending_orders, total_spent_usd, total_groups)::text
             FROM v_partner_dashboard_stats WHERE partner_id = pg_temp.id('partner_b')),
          '(1,0,7.0000,1)', 'partner B: its own figures');
INSERT INTO partners (id, user_id, company_name, business_email)
  VALUES (pg_temp.id('partner_cc'), pg_temp.id('user_c'), 'Empty Co', 'e@example.com');
SELECT is((SELECT row(active_orders, pending_orders, total_spent_usd, total_spent_uzs, total_groups)::text
             FROM v_partner_dashboard_stats WHERE partner_id = pg_temp.id('partner_cc')),
          -- maintained money figures carry their column's scale (numeric(15,4), (20,2))
          '(0,0,0.0000,0.00,0)', 'a partner without orders or groups has a row of zeros');
DELETE FROM partners WHERE id = pg_temp.id('partner_cc');

-- RLS through the dashboard.
SELECT is(rls_test.value('partner_a', '(SELECT string_agg(partner_id::text, '','') FROM v_partner_dashboard_stats)'),
          pg_temp.id('partner_a')::text, 'partner A sees only its own dashboard row');
SELECT is(rls_test.value('customer', '(SELECT count(*) FROM v_partner_dashboard_stats)'), '0', 'a customer sees no dashboard');
SELECT is(rls_test.value('admin', '(SELECT count(*) FROM v_partner_dashboard_stats)'), (SELECT count(*)::text FROM partners),
          'admin sees every partner''s dashboard');

SELECT * FROM finish();
ROLLBACK;
