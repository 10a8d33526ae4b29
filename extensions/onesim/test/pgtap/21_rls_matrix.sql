-- The access matrix: every table x {anon, customer, partner A, admin,
-- service_role} x {select, insert, update, delete}, cross-partner attempts,
-- protected columns, and the shape of the policies themselves.
--
-- Each case runs through rls_test.run(who, statement), which impersonates the
-- caller as PostgREST does and rolls the statement back; the outcome is
-- 'ok:<rows>' or the SQLSTATE. Expected row counts are computed here as the
-- session's role (which bypasses RLS), over the fixtures and whatever the
-- database already holds, so triggers that add rows elsewhere and a project's
-- own data do not break the suite.
BEGIN;
\ir fixtures/rls_fixtures.psql

CREATE TEMP TABLE cases (
  n serial, who text, stmt text, expected text, description text
);
GRANT SELECT ON cases TO PUBLIC;

-- ----------------------------------------------------------------- SELECT
-- Expected visible rows per table and caller ('42501': no privilege at all).
CREATE TEMP TABLE visible (tbl text, anon text, customer text, partner_a text);
INSERT INTO visible VALUES
  ('profiles', '42501', 'ok:1', 'ok:1'),
  ('partners', '42501', 'ok:0', 'ok:1'),
  ('esim_packages', 'ok:' || (SELECT count(*) FROM esim_packages WHERE is_active),
                    'ok:' || (SELECT count(*) FROM esim_packages WHERE is_active),
                    'ok:' || (SELECT count(*) FROM esim_packages WHERE is_active)),
  ('package_operators', 'ok:' || (SELECT count(*) FROM package_operators WHERE package_id IN (SELECT id FROM esim_packages WHERE is_active)),
                        'ok:' || (SELECT count(*) FROM package_operators WHERE package_id IN (SELECT id FROM esim_packages WHERE is_active)),
                        'ok:' || (SELECT count(*) FROM package_operators WHERE package_id IN (SELECT id FROM esim_packages WHERE is_active))),
  ('price_sync_log', '42501', 'ok:0', 'ok:0'),
  ('package_price_changes', '42501', 'ok:0', 'ok:0'),
  ('margin_overrides', '42501', 'ok:0', 'ok:0'),
  ('exchange_rates', 'ok:' || (SELECT count(*) FROM exchange_rates WHERE effective_at <= now()),
                     'ok:' || (SELECT count(*) FROM exchange_rates WHERE effective_at <= now()),
                     'ok:' || (SELECT count(*) FROM exchange_rates WHERE effective_at <= now())),
  ('package_views', '42501', 'ok:1', 'ok:0'),
  ('cached_regional_packages', 'ok:' || (SELECT count(*) FROM cached_regional_packages WHERE package_id IN (SELECT id FROM esim_packages WHERE is_active)),
    'ok:' || (SELECT count(*) FROM cached_regional_packages WHERE package_id IN (SELECT id FROM esim_packages WHERE is_active)),
    'ok:' || (SELECT count(*) FROM cached_regional_packages WHERE package_id IN (SELECT id FROM esim_packages WHERE is_active))),
  ('cached_global_packages', 'ok:' || (SELECT count(*) FROM cached_global_packages WHERE package_id IN (SELECT id FROM esim_packages WHERE is_active)),
    'ok:' || (SELECT count(*) FROM cached_global_packages WHERE package_id IN (SELECT id FROM esim_packages WHERE is_active)),
    'ok:' || (SELECT count(*) FROM cached_global_packages WHERE package_id IN (SELECT id FROM esim_packages WHERE is_active))),
  ('package_cache_metadata', 'ok:' || (SELECT count(*) FROM package_cache_metadata WHERE status <> 'failed'), 'ok:' || (SELECT count(*) FROM package_cache_metadata WHERE status <> 'failed'), 'ok:' || (SELECT count(*) FROM package_cache_metadata WHERE status <> 'failed')),
  ('user_favorites', '42501', 'ok:1', 'ok:0'),
  ('partner_customers', '42501', 'ok:0',
     'ok:' || (SELECT count(*) FROM partner_customers WHERE partner_id = pg_temp.id('partner_a'))),
  ('customer_groups', '42501', 'ok:0',
     'ok:' || (SELECT count(*) FROM customer_groups WHERE partner_id = pg_temp.id('partner_a'))),
  ('customer_group_members', '42501', 'ok:0',
     'ok:' || (SELECT count(*) FROM customer_group_members m JOIN customer_groups g ON g.id = m.group_id
               WHERE g.partner_id = pg_temp.id('partner_a'))),
  ('orders', '42501',
     'ok:' || (SELECT count(*) FROM orders WHERE user_id = pg_temp.id('user_c')),
     'ok:' || (SELECT count(*) FROM orders WHERE partner_id = pg_temp.id('partner_a')
                                          OR user_id = pg_temp.id('user_a'))),
  ('partner_payouts', '42501', 'ok:0',
     'ok:' || (SELECT count(*) FROM partner_payouts WHERE partner_id = pg_temp.id('partner_a'))),
  ('partner_earnings', '42501', 'ok:0',
     'ok:' || (SELECT count(*) FROM partner_earnings WHERE partner_id = pg_temp.id('partner_a'))),
  ('order_action_logs', '42501',
     'ok:' || (SELECT count(*) FROM order_action_logs l JOIN orders o ON o.id = l.order_id
               WHERE o.user_id = pg_temp.id('user_c')),
     'ok:' || (SELECT count(*) FROM order_action_logs l JOIN orders o ON o.id = l.order_id
               WHERE o.partner_id = pg_temp.id('partner_a')
                  OR o.user_id = pg_temp.id('user_a'))),
  ('partner_api_keys', '42501', 'ok:0',
     'ok:' || (SELECT count(*) FROM partner_api_keys WHERE partner_id = pg_temp.id('partner_a')));

DO $$
DECLARE
  v record;
  total bigint;
BEGIN
  FOR v IN SELECT * FROM visible ORDER BY tbl LOOP
    EXECUTE format('SELECT count(*) FROM %I', v.tbl) INTO total;
    INSERT INTO cases (who, stmt, expected, description) VALUES
      ('anon', format('SELECT 1 FROM %I', v.tbl), v.anon, format('anon selects %s', v.tbl)),
      ('customer', format('SELECT 1 FROM %I', v.tbl), v.customer, format('customer selects %s', v.tbl)),
      ('partner_a', format('SELECT 1 FROM %I', v.tbl), v.partner_a, format('partner A selects %s', v.tbl)),
      ('admin', format('SELECT 1 FROM %I', v.tbl), 'ok:' || total, format('admin selects all of %s', v.tbl)),
      ('service', format('SELECT 1 FROM %I', v.tbl), 'ok:' || total, format('service_role selects all of %s', v.tbl));
  END LOOP;
END
$$;

-- Tables only the system writes: no INSERT/UPDATE/DELETE for anon and
-- authenticated (admins included); service_role may.
DO $$
DECLARE
  t text;
  who text;
BEGIN
  FOREACH t IN ARRAY ARRAY['partner_earnings', 'partner_payouts', 'order_action_logs', 'price_sync_log',
                           'package_price_changes', 'cached_regional_packages', 'cached_global_packages',
                           'package_cache_metadata'] LOOP
    FOREACH who IN ARRAY ARRAY['anon', 'customer', 'partner_a', 'admin'] LOOP
      INSERT INTO cases (who, stmt, expected, description) VALUES
        (who, format('UPDATE %I SET created_at = created_at', t), '42501', format('%s cannot update %s', who, t)),
        (who, format('DELETE FROM %I', t), '42501', format('%s cannot delete from %s', who, t)),
        (who, format('INSERT INTO %I DEFAULT VALUES', t), '42501', format('%s cannot insert into %s', who, t));
    END LOOP;
    INSERT INTO cases (who, stmt, expected, description)
      SELECT 'service', format('UPDATE %I SET created_at = created_at', t),
             '^ok:[1-9]', format('service_role updates %s', t);
  END LOOP;
END
$$;

-- ------------------------------------------------------ writes, table by table
INSERT INTO cases (who, stmt, expected, description) VALUES
-- profiles
('anon', $$UPDATE profiles SET first_name = 'x'$$, '42501', 'anon cannot update profiles'),
('customer', $$UPDATE profiles SET first_name = 'Cori', phone = '+1', avatar_url = 'a.png', preferred_language = 'en'$$, 'ok:1', 'customer updates own profile (names, phone, avatar, preferences) only'),
('customer', $$UPDATE profiles SET first_name = 'x' WHERE id = pg_temp.id('user_d')$$, 'ok:0', 'customer cannot update another profile'),
('customer', $$UPDATE profiles SET user_type = 'admin' WHERE id = pg_temp.id('user_c')$$, '42501', 'customer cannot change own user_type'),
('partner_a', $$UPDATE profiles SET user_type = 'customer'$$, '42501', 'partner cannot change user_type'),
('customer', $$UPDATE profiles SET email = 'x@example.com'$$, '42501', 'customer cannot change profile email'),
('customer', $$INSERT INTO profiles (id, first_name) VALUES (pg_temp.id('user_d'), 'x')$$, '42501', 'customer cannot create a profile for someone else'),
('customer', $$INSERT INTO profiles (id, user_type) VALUES (pg_temp.id('user_c'), 'admin')$$, '42501', 'customer cannot insert a user_type'),
('customer', $$DELETE FROM profiles$$, 'ok:0', 'customer cannot delete profiles'),
('partner_a', $$DELETE FROM profiles WHERE id = pg_temp.id('user_b')$$, 'ok:0', 'partner A cannot delete B''s profile'),
('admin', $$UPDATE profiles SET first_name = 'x'$$, 'ok:' || (SELECT count(*) FROM profiles), 'admin updates every profile'),
('admin', $$UPDATE profiles SET user_type = 'admin' WHERE id = pg_temp.id('user_c')$$, '42501', 'admin changes user_type only through the service (no column privilege)'),
('service', $$UPDATE profiles SET user_type = 'partner' WHERE id = pg_temp.id('user_c')$$, 'ok:1', 'service_role changes user_type'),
-- partners
('anon', $$SELECT 1 FROM partners$$, '42501', 'anon cannot read partners'),
('customer', $$UPDATE partners SET company_name = 'x'$$, 'ok:0', 'customer updates no partner'),
('partner_a', $$UPDATE partners SET company_name = 'Alpha 2', website = 'https://a.example', preferred_locale = 'en'$$, 'ok:1', 'partner A updates its own company data only'),
('partner_a', $$UPDATE partners SET company_name = 'x' WHERE id = pg_temp.id('partner_b')$$, 'ok:0', 'partner A cannot update B'),
('partner_a', $$DELETE FROM partners WHERE id = pg_temp.id('partner_b')$$, 'ok:0', 'partner A cannot delete B'),
('partner_a', $$DELETE FROM partners$$, 'ok:0', 'partner A cannot delete itself'),
('partner_a', $$UPDATE partners SET commission_rate = 50$$, '42501', 'partner cannot change its commission_rate'),
('partner_a', $$UPDATE partners SET custom_commission_rate = 50$$, '42501', 'partner cannot change its custom_commission_rate'),
('partner_a', $$UPDATE partners SET balance = 1000$$, '42501', 'partner cannot change its balance'),
('partner_a', $$UPDATE partners SET total_earnings = 1000, pending_earnings = 0$$, '42501', 'partner cannot change its earnings'),
('partner_a', $$UPDATE partners SET status = 'active'$$, '42501', 'partner cannot change its status'),
('partner_a', $$UPDATE partners SET verified = true$$, '42501', 'partner cannot verify itself'),
('partner_a', $$UPDATE partners SET total_orders = 0$$, '42501', 'partner cannot change total_orders'),
('partner_a', $$UPDATE partners SET total_customers = 0$$, '42501', 'partner cannot change total_customers'),
('partner_a', $$UPDATE partners SET user_id = pg_temp.id('user_c')$$, '42501', 'partner cannot move its row to another user'),
('customer', $$INSERT INTO partners (user_id, company_name, business_email, status) VALUES (pg_temp.id('user_c'), 'C Co', 'c@example.com', 'pending_approval')$$, 'ok:1', 'a customer registers as a partner awaiting approval'),
('customer', $$INSERT INTO partners (user_id, company_name, business_email, status) VALUES (pg_temp.id('user_c'), 'C Co', 'c@example.com', 'active')$$, '42501', 'self-registration cannot start active'),
('customer', $$INSERT INTO partners (user_id, company_name, business_email) VALUES (pg_temp.id('user_c'), 'C Co', 'c@example.com')$$, '42501', 'self-registration must ask for approval'),
('customer', $$INSERT INTO partners (user_id, company_name, business_email, status) VALUES (pg_temp.id('user_d'), 'D Co', 'd@example.com', 'pending_approval')$$, '42501', 'no partner registration for someone else'),
('customer', $$INSERT INTO partners (user_id, company_name, business_email, status, commission_rate) VALUES (pg_temp.id('user_c'), 'C Co', 'c@example.com', 'pending_approval', 50)$$, '42501', 'self-registration cannot choose a rate'),
('admin', $$UPDATE partners SET company_name = company_name$$, 'ok:' || (SELECT count(*) FROM partners), 'admin updates every partner''s company data'),
('admin', $$DELETE FROM partners WHERE id = pg_temp.id('partner_a')$$, 'ok:0', 'admin cannot delete a partner with earnings'),
('service', $$UPDATE partners SET verified = true, status = 'active'$$, 'ok:' || (SELECT count(*) FROM partners), 'service_role sets status and verification'),
-- the catalog
('anon', $$INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd) VALUES ('X', 'x', 1, 1)$$, '42501', 'anon cannot add packages'),
('anon', $$UPDATE esim_packages SET price_usd = 0$$, '42501', 'anon cannot change prices'),
('anon', $$SELECT provider_price_usd FROM esim_packages$$, '42501', 'anon cannot read our cost price'),
('anon', $$SELECT 1 FROM esim_packages WHERE package_code = 'PKG-RETIRED'$$, 'ok:0', 'anon does not see inactive packages'),
('customer', $$UPDATE esim_packages SET price_usd = 0$$, 'ok:0', 'customer cannot change prices'),
('customer', $$DELETE FROM esim_packages$$, 'ok:0', 'customer cannot delete packages'),
('customer', $$INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd) VALUES ('X', 'x', 1, 1)$$, '42501', 'customer cannot add packages'),
('partner_a', $$UPDATE esim_packages SET price_usd = 0$$, 'ok:0', 'partner cannot change prices'),
('admin', $$INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd) VALUES ('X', 'x', 1, 1)$$, 'ok:1', 'admin adds packages'),
('admin', $$UPDATE esim_packages SET is_popular = true$$, 'ok:' || (SELECT count(*) FROM esim_packages), 'admin edits packages'),
('service', $$UPDATE esim_packages SET is_popular = true$$, 'ok:' || (SELECT count(*) FROM esim_packages), 'service_role edits packages'),
('anon', $$UPDATE package_operators SET operator_name = 'x'$$, '42501', 'anon cannot edit operators'),
('customer', $$UPDATE package_operators SET operator_name = 'x'$$, 'ok:0', 'customer cannot edit operators'),
('partner_a', $$DELETE FROM package_operators$$, 'ok:0', 'partner cannot delete operators'),
('admin', $$UPDATE package_operators SET operator_name = operator_name$$, 'ok:' || (SELECT count(*) FROM package_operators), 'admin edits operators'),
('anon', $$SELECT error_message FROM package_cache_metadata$$, '42501', 'anon cannot read cache error messages'),
('anon', $$INSERT INTO exchange_rates (rate) VALUES (1)$$, '42501', 'anon cannot add exchange rates'),
('customer', $$INSERT INTO exchange_rates (rate) VALUES (1)$$, '42501', 'customer cannot add exchange rates'),
('partner_a', $$UPDATE exchange_rates SET rate = 1$$, 'ok:0', 'partner cannot change exchange rates'),
('admin', $$UPDATE exchange_rates SET rate = rate$$, 'ok:' || (SELECT count(*) FROM exchange_rates), 'admin changes exchange rates'),
('admin', $$INSERT INTO exchange_rates (rate, effective_at) VALUES (12800, now() + interval '30 days')$$, 'ok:1', 'admin adds exchange rates'),
('customer', $$SELECT 1 FROM margin_overrides$$, 'ok:0', 'customer sees no margins'),
('customer', $$INSERT INTO margin_overrides (scope, country_code, margin_percent) VALUES ('country', 'TR', 0)$$, '42501', 'customer cannot set margins'),
('partner_a', $$UPDATE margin_overrides SET margin_percent = 0$$, 'ok:0', 'partner cannot change margins'),
('admin', $$UPDATE margin_overrides SET margin_percent = 30$$, 'ok:' || (SELECT count(*) FROM margin_overrides), 'admin changes margins'),
('admin', $$DELETE FROM margin_overrides$$, 'ok:' || (SELECT count(*) FROM margin_overrides), 'admin deletes margins'),
-- package_views
('anon', $$INSERT INTO package_views (package_id) VALUES (pg_temp.id('package_1'))$$, 'ok:1', 'anon records an anonymous view'),
('anon', $$INSERT INTO package_views (package_id, user_id) VALUES (pg_temp.id('package_1'), pg_temp.id('user_c'))$$, '42501', 'anon cannot record a view as a user'),
('anon', $$DELETE FROM package_views$$, '42501', 'anon cannot delete views'),
('customer', $$INSERT INTO package_views (package_id, user_id) VALUES (pg_temp.id('package_1'), pg_temp.id('user_c'))$$, 'ok:1', 'customer records own view'),
('customer', $$INSERT INTO package_views (package_id, user_id) VALUES (pg_temp.id('package_1'), pg_temp.id('user_d'))$$, '42501', 'customer cannot record a view as someone else'),
('customer', $$UPDATE package_views SET source = 'api'$$, '42501', 'nobody updates views'),
('customer', $$DELETE FROM package_views$$, 'ok:0', 'customer cannot delete views'),
('admin', $$DELETE FROM package_views$$, 'ok:' || (SELECT count(*) FROM package_views), 'admin deletes views'),
-- user_favorites
('anon', $$INSERT INTO user_favorites (user_id, package_id) VALUES (pg_temp.id('user_c'), pg_temp.id('package_1'))$$, '42501', 'anon cannot add favourites'),
('customer', $$DELETE FROM user_favorites$$, 'ok:1', 'customer deletes own favourites only'),
('customer', $$INSERT INTO user_favorites (user_id, package_id) VALUES (pg_temp.id('user_c'), pg_temp.id('package_2'))$$, 'ok:1', 'customer adds a favourite'),
('customer', $$INSERT INTO user_favorites (user_id, package_id) VALUES (pg_temp.id('user_d'), pg_temp.id('package_2'))$$, '42501', 'customer cannot add a favourite for someone else'),
('customer', $$UPDATE user_favorites SET package_id = package_id$$, '42501', 'favourites are not updated'),
('partner_a', $$DELETE FROM user_favorites$$, 'ok:0', 'partner cannot delete others'' favourites'),
('admin', $$DELETE FROM user_favorites$$, 'ok:' || (SELECT count(*) FROM user_favorites), 'admin deletes favourites'),
-- partner_customers
('anon', $$INSERT INTO partner_customers (partner_id, first_name, last_name, email) VALUES (pg_temp.id('partner_a'), 'x', 'y', 'z@example.com')$$, '42501', 'anon cannot add partner customers'),
('customer', $$INSERT INTO partner_customers (partner_id, first_name, last_name, email) VALUES (pg_temp.id('partner_a'), 'x', 'y', 'z@example.com')$$, '42501', 'customer cannot add customers to a partner'),
('customer', $$UPDATE partner_customers SET notes = 'x'$$, 'ok:0', 'customer updates no partner customer'),
('partner_a', $$INSERT INTO partner_customers (partner_id, first_name, last_name, email) VALUES (pg_temp.id('partner_a'), 'New', 'One', 'new@example.com')$$, 'ok:1', 'partner A adds its own customer'),
('partner_a', $$INSERT INTO partner_customers (partner_id, first_name, last_name, email) VALUES (pg_temp.id('partner_b'), 'New', 'One', 'new@example.com')$$, '42501', 'partner A cannot add a customer to B'),
('partner_a', $$UPDATE partner_customers SET first_name = 'A', last_name = 'B', email = 'ab@example.com', phone = '+1', notes = 'vip', tags = '["vip"]' WHERE id = pg_temp.id('customer_a1')$$, 'ok:1', 'partner A updates personal data, notes and tags of its customer'),
('partner_a', $$UPDATE partner_customers SET notes = 'x' WHERE id = pg_temp.id('customer_b1')$$, 'ok:0', 'partner A cannot update B''s customer'),
('partner_a', $$UPDATE partner_customers SET partner_id = pg_temp.id('partner_b')$$, '42501', 'partner A cannot hand customers to B'),
('partner_a', $$UPDATE partner_customers SET total_orders = 0$$, '42501', 'partner cannot change customer counters'),
('partner_a', $$UPDATE partner_customers SET total_spent = 0$$, '42501', 'partner cannot change total_spent'),
('partner_a', $$UPDATE partner_customers SET user_id = pg_temp.id('user_c')$$, '42501', 'partner cannot link customers to auth accounts'),
('partner_a', $$DELETE FROM partner_customers WHERE id = pg_temp.id('customer_b1')$$, 'ok:0', 'partner A cannot delete B''s customer'),
('partner_a', $$DELETE FROM partner_customers WHERE id = pg_temp.id('customer_a2')$$, 'ok:1', 'partner A deletes its own customer'),
('admin', $$UPDATE partner_customers SET notes = 'checked'$$, 'ok:' || (SELECT count(*) FROM partner_customers), 'admin updates every partner customer'),
('admin', $$DELETE FROM partner_customers$$, 'ok:' || (SELECT count(*) FROM partner_customers), 'admin deletes partner customers'),
-- customer_groups
('customer', $$INSERT INTO customer_groups (partner_id, name) VALUES (pg_temp.id('partner_a'), 'x')$$, '42501', 'customer cannot add groups'),
('partner_a', $$INSERT INTO customer_groups (partner_id, name) VALUES (pg_temp.id('partner_a'), 'Rome Jan')$$, 'ok:1', 'partner A adds its own group'),
('partner_a', $$INSERT INTO customer_groups (partner_id, name) VALUES (pg_temp.id('partner_b'), 'x')$$, '42501', 'partner A cannot add a group to B'),
('partner_a', $$INSERT INTO customer_groups (partner_id, name, group_size) VALUES (pg_temp.id('partner_a'), 'x', 99)$$, '42501', 'partner cannot set group_size'),
('partner_a', $$UPDATE customer_groups SET name = 'x', description = 'd', is_active = false, tags = '[]' WHERE partner_id = pg_temp.id('partner_a')$$, 'ok:2', 'partner A updates its groups'),
('partner_a', $$UPDATE customer_groups SET name = 'x' WHERE id = pg_temp.id('group_b1')$$, 'ok:0', 'partner A cannot update B''s group'),
('partner_a', $$UPDATE customer_groups SET group_size = 99$$, '42501', 'partner cannot change group_size'),
('partner_a', $$DELETE FROM customer_groups WHERE id = pg_temp.id('group_b1')$$, 'ok:0', 'partner A cannot delete B''s group'),
('partner_a', $$DELETE FROM customer_groups WHERE id = pg_temp.id('group_a2')$$, 'ok:1', 'partner A deletes its own group'),
('admin', $$UPDATE customer_groups SET description = 'x'$$, 'ok:' || (SELECT count(*) FROM customer_groups), 'admin updates every group'),
-- customer_group_members
('customer', $$INSERT INTO customer_group_members (group_id, customer_id) VALUES (pg_temp.id('group_a2'), pg_temp.id('customer_a1'))$$, '42501', 'customer cannot add group members'),
('partner_a', $$INSERT INTO customer_group_members (group_id, customer_id) VALUES (pg_temp.id('group_a2'), pg_temp.id('customer_a1'))$$, 'ok:1', 'partner A puts its customer in its group'),
('partner_a', $$INSERT INTO customer_group_members (group_id, customer_id) VALUES (pg_temp.id('group_b1'), pg_temp.id('customer_a1'))$$, '^(42501|23503)$', 'partner A cannot put its customer in B''s group'),
('partner_a', $$INSERT INTO customer_group_members (group_id, customer_id) VALUES (pg_temp.id('group_a2'), pg_temp.id('customer_b1'))$$, '^(42501|23503)$', 'partner A cannot put B''s customer in its group'),
('partner_a', $$INSERT INTO customer_group_members (group_id, customer_id, added_by) VALUES (pg_temp.id('group_a2'), pg_temp.id('customer_a1'), pg_temp.id('user_b'))$$, '42501', 'partner A cannot attribute a member to someone else'),
('partner_a', $$UPDATE customer_group_members SET group_id = group_id$$, '42501', 'members are not updated'),
('partner_a', $$DELETE FROM customer_group_members WHERE group_id = pg_temp.id('group_b1')$$, 'ok:0', 'partner A cannot remove B''s members'),
('partner_a', $$DELETE FROM customer_group_members WHERE group_id = pg_temp.id('group_a1')$$, 'ok:2', 'partner A removes its members'),
('admin', $$DELETE FROM customer_group_members$$, 'ok:' || (SELECT count(*) FROM customer_group_members), 'admin removes members'),
-- orders
('anon', $$SELECT 1 FROM orders$$, '42501', 'anon cannot read orders'),
('anon', $$INSERT INTO orders (package_code, price_usd) VALUES ('PKG-ACTIVE', 10)$$, '42501', 'anon cannot place orders'),
('customer', $$INSERT INTO orders (user_id, package_code, package_id, price_usd, source_type, end_customer_id, end_customer_type) VALUES (pg_temp.id('user_c'), 'PKG-ACTIVE', pg_temp.id('package_1'), 10, 'b2c', pg_temp.id('user_c'), 'b2c')$$, 'ok:1', 'customer places a B2C order for themselves'),
('customer', $$INSERT INTO orders (user_id, package_code, price_usd, source_type) VALUES (pg_temp.id('user_d'), 'PKG-ACTIVE', 10, 'b2c')$$, '42501', 'customer cannot place an order as someone else'),
('customer', $$INSERT INTO orders (user_id, package_code, price_usd, source_type, partner_id) VALUES (pg_temp.id('user_c'), 'PKG-ACTIVE', 10, 'b2b_partner', pg_temp.id('partner_a'))$$, '42501', 'customer cannot place a B2B order'),
('customer', $$INSERT INTO orders (user_id, package_code, price_usd, source_type) VALUES (pg_temp.id('user_c'), 'PKG-ACTIVE', 10, 'admin')$$, '42501', 'customer cannot place an admin order'),
('customer', $$INSERT INTO orders (user_id, package_code, price_usd, commission_rate) VALUES (pg_temp.id('user_c'), 'PKG-ACTIVE', 10, 50)$$, '42501', 'customer cannot send commission columns'),
('customer', $$INSERT INTO orders (user_id, package_code, price_usd, order_status) VALUES (pg_temp.id('user_c'), 'PKG-ACTIVE', 10, 'ALLOCATED')$$, '42501', 'customer cannot send an order status'),
('customer', $$INSERT INTO orders (user_id, package_code, price_usd, payment_status) VALUES (pg_temp.id('user_c'), 'PKG-ACTIVE', 10, 'paid')$$, '42501', 'customer cannot mark an order paid'),
('customer', $$UPDATE orders SET notes = 'gift', delivery_method = 'sms'$$, 'ok:1', 'customer updates notes and delivery of own orders only'),
('customer', $$UPDATE orders SET order_status = 'ALLOCATED'$$, '42501', 'customer cannot change order status'),
('customer', $$UPDATE orders SET price_usd = 0$$, '42501', 'customer cannot change prices'),
('customer', $$DELETE FROM orders$$, 'ok:0', 'customer cannot delete orders'),
('partner_a', $$INSERT INTO orders (user_id, package_code, package_id, price_usd, price_uzs, source_type, partner_id, end_customer_id, end_customer_type, customer_group_id) VALUES (pg_temp.id('user_a'), 'PKG-ACTIVE', pg_temp.id('package_1'), 10, 126000, 'b2b_partner', pg_temp.id('partner_a'), pg_temp.id('customer_a1'), 'b2b_partner_customer', pg_temp.id('group_a1'))$$, 'ok:1', 'partner A places a B2B order for its customer'),
('partner_a', $$INSERT INTO orders (user_id, package_code, price_usd, source_type, partner_id) VALUES (pg_temp.id('user_a'), 'PKG-ACTIVE', 10, 'b2b_partner', pg_temp.id('partner_b'))$$, '42501', 'partner A cannot order as B'),
('partner_a', $$INSERT INTO orders (user_id, package_code, price_usd, source_type, partner_id, end_customer_id, end_customer_type) VALUES (pg_temp.id('user_a'), 'PKG-ACTIVE', 10, 'b2b_partner', pg_temp.id('partner_a'), pg_temp.id('customer_b1'), 'b2b_partner_customer')$$, '^(42501|23503)$', 'partner A cannot order for B''s customer'),
('partner_a', $$INSERT INTO orders (user_id, package_code, price_usd, source_type, partner_id, customer_group_id) VALUES (pg_temp.id('user_a'), 'PKG-ACTIVE', 10, 'b2b_partner', pg_temp.id('partner_a'), pg_temp.id('group_b1'))$$, '^(42501|23503)$', 'partner A cannot order into B''s group'),
('partner_a', $$INSERT INTO orders (user_id, package_code, price_usd, source_type, partner_id, commission_amount_usd) VALUES (pg_temp.id('user_a'), 'PKG-ACTIVE', 10, 'b2b_partner', pg_temp.id('partner_a'), 10)$$, '42501', 'partner cannot send commission amounts'),
('partner_a', $$UPDATE orders SET notes = 'x' WHERE partner_id = pg_temp.id('partner_b')$$, 'ok:0', 'partner A cannot update B''s orders'),
('partner_a', $$UPDATE orders SET notes = 'x' WHERE user_id = pg_temp.id('user_c')$$, 'ok:0', 'partner A cannot update a customer''s orders'),
('partner_a', $$UPDATE orders SET notes = 'x'$$, 'ok:3', 'partner A updates notes of its own orders'),
('partner_a', $$UPDATE orders SET commission_rate = 50$$, '42501', 'partner cannot change commission of orders'),
('partner_a', $$UPDATE orders SET paid_amount_usd = 0$$, '42501', 'partner cannot change what it paid'),
('partner_a', $$UPDATE orders SET order_status = 'REFUNDED'$$, '42501', 'partner cannot change order status'),
('partner_a', $$UPDATE orders SET partner_id = pg_temp.id('partner_b')$$, '42501', 'partner cannot move orders to B'),
('partner_a', $$DELETE FROM orders WHERE partner_id = pg_temp.id('partner_b')$$, 'ok:0', 'partner A cannot delete B''s orders'),
('partner_a', $$DELETE FROM orders$$, 'ok:0', 'partner cannot delete orders'),
('admin', $$UPDATE orders SET notes = 'reviewed'$$, 'ok:' || (SELECT count(*) FROM orders), 'admin updates notes of every order'),
('admin', $$DELETE FROM orders WHERE id = pg_temp.id('order_a1')$$, 'ok:0', 'admin cannot delete an order with an earning'),
('admin', $$INSERT INTO orders (user_id, package_code, price_usd, source_type, customer_email) VALUES (pg_temp.id('user_ad'), 'PKG-ACTIVE', 10, 'admin', 'w@example.com')$$, 'ok:1', 'admin places an admin order'),
('service', $$UPDATE orders SET esim_status = 'IN_USE' WHERE id = pg_temp.id('order_c1')$$, 'ok:1', 'service_role updates provider data'),
-- earnings and payouts: partner A never sees or touches B's
('partner_a', $$SELECT 1 FROM partner_earnings WHERE partner_id = pg_temp.id('partner_b')$$, 'ok:0', 'partner A cannot read B''s earnings'),
('partner_a', $$SELECT 1 FROM partner_payouts WHERE partner_id = pg_temp.id('partner_b')$$, 'ok:0', 'partner A cannot read B''s payouts'),
('partner_a', $$UPDATE partner_earnings SET status = 'paid'$$, '42501', 'partner cannot mark its earnings paid'),
('admin', $$UPDATE partner_earnings SET commission_amount_usd = 0$$, '42501', 'admin cannot write earnings directly'),
('admin', $$INSERT INTO partner_payouts (partner_id, amount_usd) VALUES (pg_temp.id('partner_a'), 1)$$, '42501', 'admin cannot write payouts directly'),
('service', $$INSERT INTO partner_payouts (partner_id, amount_usd) VALUES (pg_temp.id('partner_a'), 1)$$, 'ok:1', 'service_role writes payouts'),
-- api keys
('anon', $$SELECT 1 FROM partner_api_keys$$, '42501', 'anon cannot read api keys'),
('customer', $$INSERT INTO partner_api_keys (partner_id, name, key_prefix, key_hash) VALUES (pg_temp.id('partner_a'), 'x', 'osk_cccc', repeat('c', 64))$$, '42501', 'customer cannot create keys for a partner'),
('partner_a', $$INSERT INTO partner_api_keys (partner_id, name, key_prefix, key_hash, created_by) VALUES (pg_temp.id('partner_a'), 'CI', 'osk_a2a2', repeat('d', 64), pg_temp.id('user_a'))$$, 'ok:1', 'partner A creates its own key'),
('partner_a', $$INSERT INTO partner_api_keys (partner_id, name, key_prefix, key_hash) VALUES (pg_temp.id('partner_b'), 'x', 'osk_b2b2', repeat('e', 64))$$, '42501', 'partner A cannot create a key for B'),
('partner_a', $$SELECT key_hash FROM partner_api_keys$$, '42501', 'key hashes are not readable'),
('partner_a', $$UPDATE partner_api_keys SET revoked_at = now()$$, 'ok:1', 'partner A revokes its own key only'),
('partner_a', $$UPDATE partner_api_keys SET revoked_at = now() WHERE partner_id = pg_temp.id('partner_b')$$, 'ok:0', 'partner A cannot revoke B''s key'),
('partner_a', $$UPDATE partner_api_keys SET scopes = '{orders:write}'$$, '42501', 'partner cannot widen a key''s scopes'),
('partner_a', $$UPDATE partner_api_keys SET partner_id = pg_temp.id('partner_b')$$, '42501', 'partner cannot move a key to B'),
('partner_a', $$DELETE FROM partner_api_keys$$, 'ok:0', 'partner deletes no keys (revoke instead)'),
('admin', $$UPDATE partner_api_keys SET revoked_at = now()$$, 'ok:' || (SELECT count(*) FROM partner_api_keys), 'admin revokes any key'),
('admin', $$DELETE FROM partner_api_keys$$, 'ok:' || (SELECT count(*) FROM partner_api_keys), 'admin deletes keys'),
-- views: anon reads neither
('anon', $$SELECT 1 FROM v_orders_complete$$, '42501', 'anon cannot read v_orders_complete'),
('anon', $$SELECT 1 FROM v_partner_dashboard_stats$$, '42501', 'anon cannot read v_partner_dashboard_stats');

SELECT plan((SELECT count(*)::int FROM cases) + 13);

SELECT matches(rls_test.run(who, stmt),
               CASE WHEN expected LIKE '^%' THEN expected ELSE '^' || expected || '$' END,
               description)
  FROM cases ORDER BY n;

-- The profile guard also holds for a role that has UPDATE on user_type.
GRANT UPDATE (user_type) ON profiles TO authenticated;
SELECT is(rls_test.run('customer', $$UPDATE profiles SET user_type = 'admin'$$), '42501',
          'guard trigger: a customer with the column privilege still cannot promote themselves');
SELECT is(rls_test.run('partner_a', $$UPDATE profiles SET user_type = 'customer', first_name = 'x'$$), '42501',
          'guard trigger: a partner cannot change its own user_type');
SELECT is(rls_test.run('admin', $$UPDATE profiles SET user_type = 'partner' WHERE id = pg_temp.id('user_c')$$), 'ok:1',
          'guard trigger: an admin may change user_type');
SELECT is(rls_test.run('customer', $$UPDATE profiles SET first_name = 'still fine'$$), 'ok:1',
          'guard trigger: other columns stay editable');
REVOKE UPDATE (user_type) ON profiles FROM authenticated;

-- The shape of the policies and of RLS itself.
SELECT is(
  (SELECT array_agg(c.relname::text ORDER BY c.relname)
     FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
    WHERE d.deptype = 'e' AND c.relkind = 'r' AND NOT c.relrowsecurity),
  NULL, 'RLS is enabled on every table of the extension');
SELECT is(
  (SELECT count(*)::int
     FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
    WHERE d.deptype = 'e' AND c.relkind = 'r'),
  21, 'the extension has the 21 tables of 10_tables.sql');
SELECT is(
  (SELECT array_agg(p.tablename || '.' || p.policyname) FROM pg_policies p
    WHERE p.schemaname = 'public' AND 'public' = ANY (p.roles)),
  NULL, 'no policy applies TO public');
SELECT is(
  (SELECT array_agg(p.tablename || '.' || p.policyname) FROM pg_policies p
    WHERE p.schemaname = 'public'
      AND (btrim(coalesce(p.qual, ''), '()') = 'true' OR btrim(coalesce(p.with_check, ''), '()') = 'true')
      AND p.roles <> ARRAY['service_role']::name[]),
  NULL, 'no policy is USING (true) / WITH CHECK (true) except for service_role');
SELECT is(
  (SELECT array_agg(x) FROM (
     SELECT p.tablename || ':' || r || ':' || p.cmd AS x
       FROM pg_policies p, unnest(p.roles) r
      WHERE p.schemaname = 'public' AND p.permissive = 'PERMISSIVE'
      GROUP BY p.tablename, r, p.cmd HAVING count(*) > 1) d),
  NULL, 'one permissive policy per table, role and action');
SELECT is(
  (SELECT array_agg(p.tablename || '.' || p.policyname) FROM pg_policies p
    WHERE p.schemaname = 'public'
      AND (coalesce(p.qual, '') ~ 'onesim_internal\.\w+\(\)' OR coalesce(p.with_check, '') ~ 'onesim_internal\.\w+\(\)')
      AND (regexp_replace(coalesce(p.qual, '') || ' ' || coalesce(p.with_check, ''),
                          '\(\s*SELECT onesim_internal\.\w+\(\)( AS \w+)?\s*\)', '', 'g') ~ 'onesim_internal\.')),
  NULL, 'every helper call in a policy is wrapped as (SELECT onesim_internal.fn())');
SELECT is(
  (SELECT array_agg(p.tablename || '.' || p.policyname) FROM pg_policies p
    WHERE p.schemaname = 'public' AND p.cmd = 'ALL'),
  NULL, 'no FOR ALL policies (one per action)');
SELECT ok(NOT EXISTS (
  SELECT 1
    FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim',
         aclexplode(c.relacl) a
   WHERE d.deptype = 'e' AND c.relkind = 'r' AND a.grantee = 0),
  'PUBLIC has no privilege on any table');
SELECT ok(NOT EXISTS (
  SELECT 1
    FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
   WHERE d.deptype = 'e' AND c.relkind = 'r'
     AND NOT (has_table_privilege('service_role', c.oid, 'SELECT') AND has_table_privilege('service_role', c.oid, 'INSERT')
              AND has_table_privilege('service_role', c.oid, 'UPDATE') AND has_table_privilege('service_role', c.oid, 'DELETE'))),
  'service_role has every privilege on every table');

SELECT * FROM finish();
ROLLBACK;
