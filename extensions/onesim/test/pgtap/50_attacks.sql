-- Attacks: anon, a customer, a customer whose auth account is linked to a
-- partner's customer record, partner A against partner B, and a customer
-- whose claims forge admin and service rights. Reads of every table and view
-- see nothing foreign; writes to foreign rows change nothing; money, rates,
-- status and counters are not writable on one's own rows; every RPC function
-- refuses the other tenant's ids; onesim_internal is closed to clients.
--
-- Unlike rls_test.run(), attack() does not undo what a statement did: a
-- statement that succeeded stays, and the fingerprint of every table taken
-- before the attacks must be the same after them ("nothing changes").
BEGIN;
\ir fixtures/rls_fixtures.psql
SELECT pg_temp.new_ids('nobody');
SET LOCAL client_min_messages = warning;

-- Customer D's auth account is linked to partner A's customer record a1.
UPDATE partner_customers SET user_id = pg_temp.id('user_d')
 WHERE id = pg_temp.id('customer_a1');

-- Every table of the extension (and auth.users): row count and md5 of the rows.
CREATE FUNCTION pg_temp.fingerprint() RETURNS TABLE (tbl text, n bigint, digest text)
LANGUAGE plpgsql AS $$
DECLARE t regclass;
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_class c
      JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
     WHERE c.relkind = 'r'
    UNION ALL SELECT 'auth.users'::regclass
     ORDER BY 1
  LOOP
    tbl := t::text;
    EXECUTE format('SELECT count(*), md5(coalesce(string_agg(r::text, E''\n'' ORDER BY r::text), '''')) FROM %s r', t)
      INTO n, digest;
    RETURN NEXT;
  END LOOP;
END $$;
CREATE TEMP TABLE before_attacks AS SELECT * FROM pg_temp.fingerprint();

-- The actors: role, claims, and whose rows are "own" (uid, partner).
CREATE TEMP TABLE actors (who text PRIMARY KEY, role text, claims text, uid uuid, pid uuid);
INSERT INTO actors VALUES
  ('anon', 'anon', '{"role":"anon"}', NULL, NULL),
  ('customer', 'authenticated', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_c')),
   pg_temp.id('user_c'), NULL),
  ('linked customer', 'authenticated', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_d')),
   pg_temp.id('user_d'), NULL),
  ('partner A', 'authenticated', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_a')),
   pg_temp.id('user_a'), pg_temp.id('partner_a')),
  ('forged admin', 'authenticated',
   format('{"sub":"%s","role":"service_role","app_metadata":{"role":"admin","user_type":"admin","claims_admin":true},"user_metadata":{"user_type":"admin","is_admin":true}}',
          pg_temp.id('user_c')),
   pg_temp.id('user_c'), NULL);

-- Runs stmt as the actor, keeping whatever it did. 'ok:<rows>' or the SQLSTATE.
CREATE FUNCTION pg_temp.attack(actor text, stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE a record; n bigint; outcome text;
BEGIN
  SELECT * INTO STRICT a FROM actors WHERE who = actor;
  BEGIN
    PERFORM set_config('request.jwt.claims', a.claims, true);
    PERFORM set_config('role', a.role, true);
    EXECUTE stmt;
    GET DIAGNOSTICS n = ROW_COUNT;
    outcome := 'ok:' || n;
  EXCEPTION WHEN OTHERS THEN
    outcome := SQLSTATE;
  END;
  PERFORM set_config('role', 'none', true);
  PERFORM set_config('request.jwt.claims', '', true);
  RETURN outcome;
END $$;

-- What is "foreign" to an actor, per table and view (%1$L: its user id,
-- %2$L: its partner id; the nil uuid when it has none). The catalog is
-- public by design: its foreign rows are the ones it hides (rows of packages
-- not on sale, the active ones listed here as the session's role sees them,
-- fixtures and whatever the database holds).
CREATE TEMP TABLE foreign_rows (tbl text PRIMARY KEY, pred text);
INSERT INTO foreign_rows VALUES
  ('profiles', 'id <> %1$L'),
  ('partners', 'user_id <> %1$L'),
  ('esim_packages', 'NOT is_active'),
  ('package_operators', (SELECT format('package_id::text <> ALL (%L::text[])', array_agg(id::text)) FROM esim_packages WHERE is_active)),
  ('cached_regional_packages', (SELECT format('package_id::text <> ALL (%L::text[])', array_agg(id::text)) FROM esim_packages WHERE is_active)),
  ('cached_global_packages', (SELECT format('package_id::text <> ALL (%L::text[])', array_agg(id::text)) FROM esim_packages WHERE is_active)),
  ('package_cache_metadata', $$status = 'failed'$$),
  ('exchange_rates', 'effective_at > now()'),
  ('margin_overrides', 'true'),
  ('price_sync_log', 'true'),
  ('package_price_changes', 'true'),
  ('package_views', 'user_id IS DISTINCT FROM %1$L'),
  ('user_favorites', 'user_id <> %1$L'),
  ('partner_customers', 'partner_id <> %2$L'),
  ('customer_groups', 'partner_id <> %2$L'),
  ('customer_group_members', 'group_id NOT IN (SELECT g.id FROM customer_groups g WHERE g.partner_id = %2$L)'),
  ('orders', 'user_id IS DISTINCT FROM %1$L AND partner_id IS DISTINCT FROM %2$L'),
  ('partner_payouts', 'partner_id <> %2$L'),
  ('partner_earnings', 'partner_id <> %2$L'),
  ('order_action_logs', 'order_id NOT IN (SELECT o.id FROM orders o WHERE o.user_id = %1$L OR o.partner_id = %2$L)'),
  ('partner_api_keys', 'partner_id <> %2$L'),
  ('v_orders_complete', 'user_id IS DISTINCT FROM %1$L AND partner_id IS DISTINCT FROM %2$L'),
  ('v_partner_dashboard_stats', 'partner_id <> %2$L');

CREATE TEMP TABLE cases (n serial, who text, stmt text, expected text, description text);

-- Reads: nothing foreign is visible (ok:0), or the role may not read the
-- table at all (42501) -- which one follows from its grants.
INSERT INTO cases (who, stmt, expected, description)
SELECT a.who,
       format('SELECT 1 FROM %I WHERE ', f.tbl)
         || format(f.pred, coalesce(a.uid, pg_temp.id('nobody')),
                           coalesce(a.pid, pg_temp.id('nobody'))),
       CASE WHEN has_any_column_privilege(a.role, f.tbl, 'SELECT') THEN 'ok:0' ELSE '42501' END,
       format('%s reads no foreign row of %s', a.who, f.tbl)
  FROM actors a CROSS JOIN foreign_rows f
 ORDER BY a.who, f.tbl;

-- Updates and deletes of foreign rows: ok:0 where the role holds the
-- privilege (RLS filters every row out), 42501 where it does not.
INSERT INTO cases (who, stmt, expected, description)
SELECT a.who,
       format('UPDATE %I SET %I = %2$I WHERE ', f.tbl, col.name)
         || format(f.pred, coalesce(a.uid, pg_temp.id('nobody')),
                           coalesce(a.pid, pg_temp.id('nobody'))),
       CASE WHEN has_any_column_privilege(a.role, f.tbl, 'SELECT')
                 AND has_column_privilege(a.role, f.tbl, col.name, 'UPDATE') THEN 'ok:0' ELSE '42501' END,
       format('%s updates no foreign row of %s (%s)', a.who, f.tbl, col.name)
  FROM actors a CROSS JOIN foreign_rows f
  CROSS JOIN LATERAL (
    SELECT coalesce(
      (SELECT attname::text FROM pg_attribute
        WHERE attrelid = f.tbl::regclass AND attnum > 0 AND NOT attisdropped
          AND has_column_privilege(a.role, f.tbl, attname::text, 'UPDATE')
        ORDER BY attnum LIMIT 1),
      'created_at') AS name) col
 WHERE f.tbl NOT LIKE 'v\_%'
 ORDER BY a.who, f.tbl;
INSERT INTO cases (who, stmt, expected, description)
SELECT a.who,
       format('DELETE FROM %I WHERE ', f.tbl)
         || format(f.pred, coalesce(a.uid, pg_temp.id('nobody')),
                           coalesce(a.pid, pg_temp.id('nobody'))),
       CASE WHEN has_any_column_privilege(a.role, f.tbl, 'SELECT')
                 AND has_table_privilege(a.role, f.tbl, 'DELETE') THEN 'ok:0' ELSE '42501' END,
       format('%s deletes no foreign row of %s', a.who, f.tbl)
  FROM actors a CROSS JOIN foreign_rows f
 WHERE f.tbl NOT LIKE 'v\_%'
 ORDER BY a.who, f.tbl;

-- Inserts of rows that belong to someone else.
INSERT INTO cases (who, stmt, expected, description) VALUES
('anon', $$INSERT INTO profiles (id, first_name) VALUES (pg_temp.id('user_c'), 'x')$$, '42501', 'anon inserts no profile'),
('anon', $$INSERT INTO orders (user_id, package_code, price_usd) VALUES (pg_temp.id('user_c'), 'PKG-ACTIVE', 1)$$, '42501', 'anon inserts no order'),
('anon', $$INSERT INTO package_views (package_id, user_id) VALUES (pg_temp.id('package_1'), pg_temp.id('user_c'))$$, '42501', 'anon records no view as a user'),
('anon', $$INSERT INTO partner_customers (partner_id, first_name, last_name, email) VALUES (pg_temp.id('partner_a'), 'x', 'y', 'x@example.com')$$, '42501', 'anon adds no partner customer'),
('customer', $$INSERT INTO profiles (id, first_name) VALUES (pg_temp.id('user_d'), 'x')$$, '42501', 'customer creates no profile for D'),
('customer', $$INSERT INTO user_favorites (user_id, package_id) VALUES (pg_temp.id('user_d'), pg_temp.id('package_1'))$$, '42501', 'customer adds no favourite for D'),
('customer', $$INSERT INTO package_views (package_id, user_id) VALUES (pg_temp.id('package_1'), pg_temp.id('user_d'))$$, '42501', 'customer records no view for D'),
('customer', $$INSERT INTO orders (user_id, package_code, price_usd, source_type) VALUES (pg_temp.id('user_d'), 'PKG-ACTIVE', 10, 'b2c')$$, '42501', 'customer orders nothing as D'),
('customer', $$INSERT INTO partners (user_id, company_name, business_email, status) VALUES (pg_temp.id('user_d'), 'D Co', 'd@example.com', 'pending_approval')$$, '42501', 'customer registers no partner for D'),
('customer', $$INSERT INTO partner_customers (partner_id, first_name, last_name, email) VALUES (pg_temp.id('partner_a'), 'x', 'y', 'x@example.com')$$, '42501', 'customer adds no customer to partner A'),
('linked customer', $$INSERT INTO partner_customers (partner_id, first_name, last_name, email) VALUES (pg_temp.id('partner_a'), 'x', 'y', 'x@example.com')$$, '42501', 'linked customer adds no customer to its partner'),
('linked customer', $$INSERT INTO orders (user_id, package_code, price_usd, source_type, partner_id, end_customer_id, end_customer_type) VALUES (pg_temp.id('user_d'), 'PKG-ACTIVE', 10, 'b2b_partner', pg_temp.id('partner_a'), pg_temp.id('customer_a1'), 'b2b_partner_customer')$$, '42501', 'linked customer places no B2B order of its partner'),
('linked customer', $$INSERT INTO customer_group_members (group_id, customer_id) VALUES (pg_temp.id('group_a2'), pg_temp.id('customer_a1'))$$, '42501', 'linked customer joins no group'),
('partner A', $$INSERT INTO partner_customers (partner_id, first_name, last_name, email) VALUES (pg_temp.id('partner_b'), 'x', 'y', 'x@example.com')$$, '42501', 'A adds no customer to B'),
('partner A', $$INSERT INTO customer_groups (partner_id, name) VALUES (pg_temp.id('partner_b'), 'x')$$, '42501', 'A adds no group to B'),
('partner A', $$INSERT INTO customer_group_members (group_id, customer_id) VALUES (pg_temp.id('group_b1'), pg_temp.id('customer_b1'))$$, '42501', 'A adds no member to B''s group'),
('partner A', $$INSERT INTO orders (user_id, package_code, price_usd, source_type, partner_id) VALUES (pg_temp.id('user_a'), 'PKG-ACTIVE', 10, 'b2b_partner', pg_temp.id('partner_b'))$$, '42501', 'A orders nothing as B'),
('partner A', $$INSERT INTO orders (user_id, package_code, price_usd, source_type, partner_id) VALUES (pg_temp.id('user_b'), 'PKG-ACTIVE', 10, 'b2b_partner', pg_temp.id('partner_a'))$$, '42501', 'A orders nothing in B''s user''s name'),
('partner A', $$INSERT INTO partner_api_keys (partner_id, name, key_prefix, key_hash) VALUES (pg_temp.id('partner_b'), 'x', 'osk_zzzz', repeat('z', 64))$$, '42501', 'A creates no key for B'),
('partner A', $$INSERT INTO partner_payouts (partner_id, amount_usd) VALUES (pg_temp.id('partner_a'), 100)$$, '42501', 'A writes no payout, not even its own'),
('partner A', $$INSERT INTO partner_earnings (partner_id, order_id, order_amount_usd, commission_rate, commission_amount_usd) VALUES (pg_temp.id('partner_a'), pg_temp.id('order_ad'), 10, 5, 0.5)$$, '42501', 'A writes no earning'),
('partner A', $$INSERT INTO order_action_logs (order_id, action) VALUES (pg_temp.id('order_b1'), 'cancelled')$$, '42501', 'A forges no audit entry'),
('partner A', $$INSERT INTO partners (user_id, company_name, business_email, status) VALUES (pg_temp.id('user_b'), 'B2', 'b2@example.com', 'pending_approval')$$, '42501', 'A registers no partner for B''s user'),
('forged admin', $$INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd) VALUES ('FORGED', 'x', 1, 1)$$, '42501', 'forged admin adds no package'),
('forged admin', $$INSERT INTO margin_overrides (scope, margin_percent) VALUES ('global', 0)$$, '42501', 'forged admin sets no margin'),
('forged admin', $$INSERT INTO exchange_rates (rate) VALUES (1)$$, '42501', 'forged admin adds no rate'),
('forged admin', $$UPDATE profiles SET first_name = 'x' WHERE id = pg_temp.id('user_d')$$, 'ok:0', 'forged admin edits no other profile'),
('forged admin', $$UPDATE profiles SET user_type = 'admin'$$, '42501', 'forged admin cannot promote itself');

-- Money, rates, status, counters and ownership are not writable on one's
-- own rows: every column the API roles hold no UPDATE privilege on (42501;
-- generated columns such as effective_commission_rate: 428C9 for anyone).
INSERT INTO cases (who, stmt, expected, description)
SELECT a.who, format('UPDATE %I SET %I = %2$I', c.relname, at.attname),
       CASE WHEN at.attgenerated <> '' THEN '428C9' ELSE '42501' END,
       format('%s cannot write %s.%s on its own rows', a.who, c.relname, at.attname)
  FROM actors a
  CROSS JOIN pg_class c
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
  JOIN pg_attribute at ON at.attrelid = c.oid AND at.attnum > 0 AND NOT at.attisdropped
 WHERE c.relkind = 'r' AND a.who IN ('customer', 'partner A')
   AND NOT has_column_privilege('authenticated', c.oid, at.attnum, 'UPDATE')
 ORDER BY a.who, c.relname, at.attnum;

-- ------------------------------------------------------------ the RPC API
INSERT INTO cases (who, stmt, expected, description) VALUES
('anon', $$SELECT * FROM quote_package('PKG-RETIRED')$$, 'P0002', 'anon: an inactive package is not found'),
('anon', $$SELECT * FROM place_b2c_order('PKG-ACTIVE')$$, '42501', 'anon: place_b2c_order refused'),
('anon', $$SELECT * FROM place_b2b_order('PKG-ACTIVE')$$, '42501', 'anon: place_b2b_order refused'),
('anon', $$SELECT * FROM bulk_order_for_group(pg_temp.id('group_a1'), 'PKG-ACTIVE')$$, '42501', 'anon: bulk_order_for_group refused'),
('anon', $$SELECT add_group_members(pg_temp.id('group_a1'), ARRAY[pg_temp.id('customer_a1')]::uuid[])$$, '42501', 'anon: add_group_members refused'),
('anon', $$SELECT remove_group_members(pg_temp.id('group_a1'), ARRAY[pg_temp.id('customer_a1')]::uuid[])$$, '42501', 'anon: remove_group_members refused'),
('anon', $$SELECT * FROM record_allocation(pg_temp.id('order_a2'), '8900')$$, '42501', 'anon: record_allocation refused'),
('anon', $$SELECT * FROM cancel_order(pg_temp.id('order_a2'))$$, '42501', 'anon: cancel_order refused'),
('anon', $$SELECT * FROM refund_order(pg_temp.id('order_a1'))$$, '42501', 'anon: refund_order refused'),
('anon', $$SELECT * FROM run_partner_payout(pg_temp.id('partner_a'), 'bank_transfer')$$, '42501', 'anon: run_partner_payout refused'),
('anon', $$SELECT * FROM partner_dashboard(pg_temp.id('partner_a'))$$, '42501', 'anon: partner_dashboard refused'),
('anon', $$SELECT * FROM register_partner('X', 'x@example.com')$$, '42501', 'anon: register_partner refused'),
('anon', $$SELECT * FROM set_partner_status(pg_temp.id('partner_a'), 'deactivated')$$, '42501', 'anon: set_partner_status refused'),
-- partner A with B's ids
('partner A', $$SELECT * FROM place_b2b_order('PKG-ACTIVE', pg_temp.id('customer_b1'))$$, '23503', 'A: place_b2b_order for B''s customer: 23503'),
('partner A', $$SELECT * FROM place_b2b_order('PKG-ACTIVE', customer_group_id => pg_temp.id('group_b1'))$$, '23503', 'A: place_b2b_order into B''s group: 23503'),
('partner A', $$SELECT * FROM bulk_order_for_group(pg_temp.id('group_b1'), 'PKG-ACTIVE')$$, 'P0002', 'A: bulk order for B''s group: P0002'),
('partner A', $$SELECT add_group_members(pg_temp.id('group_b1'), ARRAY[pg_temp.id('customer_a2')]::uuid[])$$, 'P0002', 'A: add to B''s group: P0002'),
('partner A', $$SELECT add_group_members(pg_temp.id('group_a2'), ARRAY[pg_temp.id('customer_b1')]::uuid[])$$, '23503', 'A: add B''s customer to its group: 23503'),
('partner A', $$SELECT remove_group_members(pg_temp.id('group_b1'), ARRAY[pg_temp.id('customer_b1')]::uuid[])$$, 'P0002', 'A: remove from B''s group: P0002'),
('partner A', $$SELECT * FROM record_allocation(pg_temp.id('order_b1'), '8900')$$, '42501', 'A: record_allocation: 42501'),
('partner A', $$SELECT * FROM cancel_order(pg_temp.id('order_b1'))$$, 'P0002', 'A: cancel B''s order: P0002'),
('partner A', $$SELECT * FROM cancel_order(pg_temp.id('order_d1'))$$, 'P0002', 'A: cancel a customer''s order: P0002'),
('partner A', $$SELECT * FROM refund_order(pg_temp.id('order_b1'))$$, '42501', 'A: refund: 42501'),
('partner A', $$SELECT * FROM run_partner_payout(pg_temp.id('partner_b'), 'bank_transfer')$$, '42501', 'A: pay B out: 42501'),
('partner A', $$SELECT * FROM run_partner_payout(pg_temp.id('partner_a'), 'bank_transfer')$$, '42501', 'A: pay itself out: 42501'),
('partner A', $$SELECT * FROM partner_dashboard(pg_temp.id('partner_b'))$$, 'P0002', 'A: B''s dashboard: P0002'),
('partner A', $$SELECT * FROM register_partner('A again', 'a2@example.com')$$, '55000', 'A: a second partner account: 55000'),
('partner A', $$SELECT * FROM set_partner_status(pg_temp.id('partner_b'), 'deactivated')$$, '42501', 'A: deactivate B: 42501'),
('partner A', $$SELECT * FROM set_partner_status(pg_temp.id('partner_a'), 'active', 50)$$, '42501', 'A: raise its own rate: 42501'),
-- customers
('customer', $$SELECT * FROM place_b2b_order('PKG-ACTIVE')$$, '42501', 'customer: place_b2b_order: 42501'),
('customer', $$SELECT * FROM bulk_order_for_group(pg_temp.id('group_a1'), 'PKG-ACTIVE')$$, '42501', 'customer: bulk order: 42501'),
('customer', $$SELECT add_group_members(pg_temp.id('group_a1'), ARRAY[pg_temp.id('customer_a1')]::uuid[])$$, '42501', 'customer: add_group_members: 42501'),
('customer', $$SELECT * FROM cancel_order(pg_temp.id('order_d1'))$$, 'P0002', 'customer: cancel D''s order: P0002'),
('customer', $$SELECT * FROM cancel_order(pg_temp.id('order_a2'))$$, 'P0002', 'customer: cancel A''s order: P0002'),
('customer', $$SELECT * FROM partner_dashboard(pg_temp.id('partner_a'))$$, '42501', 'customer: a partner''s dashboard: 42501'),
('linked customer', $$SELECT * FROM cancel_order(pg_temp.id('order_a2'))$$, 'P0002', 'linked customer: cancel the order its partner placed for it: P0002'),
('linked customer', $$SELECT remove_group_members(pg_temp.id('group_a1'), ARRAY[pg_temp.id('customer_a1')]::uuid[])$$, '42501', 'linked customer: leave its group: 42501'),
('linked customer', $$SELECT * FROM partner_dashboard(pg_temp.id('partner_a'))$$, '42501', 'linked customer: its partner''s dashboard: 42501'),
-- forged admin and service claims
('forged admin', $$SELECT * FROM refund_order(pg_temp.id('order_a1'))$$, '42501', 'forged admin: refund: 42501'),
('forged admin', $$SELECT * FROM run_partner_payout(pg_temp.id('partner_a'), 'bank_transfer')$$, '42501', 'forged admin: payout: 42501'),
('forged admin', $$SELECT * FROM set_partner_status(pg_temp.id('partner_b'), 'deactivated')$$, '42501', 'forged admin: set_partner_status: 42501'),
('forged admin', $$SELECT * FROM record_allocation(pg_temp.id('order_a2'), '8900')$$, '42501', 'forged admin: record_allocation: 42501'),
('forged admin', $$SELECT * FROM partner_dashboard(pg_temp.id('partner_a'))$$, '42501', 'forged admin: a partner''s dashboard: 42501'),
('forged admin', $$SELECT * FROM cancel_order(pg_temp.id('order_b1'))$$, 'P0002', 'forged admin: cancel B''s order: P0002'),
('forged admin', $$SELECT add_group_members(pg_temp.id('group_b1'), ARRAY[pg_temp.id('customer_b1')]::uuid[])$$, '42501', 'forged admin: add_group_members: 42501');

-- ------------------------------------------- onesim_internal is not an API
INSERT INTO cases (who, stmt, expected, description)
SELECT a.who, s.stmt, '42501', format('%s: %s refused', a.who, s.stmt)
  FROM actors a CROSS JOIN (VALUES
    ('SELECT * FROM onesim_internal.reconcile(true)'),
    ('SELECT * FROM onesim_internal.reconcile()'),
    ('SELECT onesim_internal.flush_partner_figures()'),
    ('SELECT onesim_internal.orders_before_write()'),
    ('SELECT onesim_internal.orders_after_change()'),
    ('SELECT onesim_internal.earnings_after_change()'),
    ('SELECT onesim_internal.recount_after_truncate()'),
    ('SELECT onesim_internal.orders_audit()'),
    ('SELECT onesim_internal.maintain_child_count()'),
    ('SELECT onesim_internal.check_group_member_partner()'),
    ('SELECT onesim_internal.touch_updated_at()'),
    ('SELECT onesim_internal.price_package()'),
    ('SELECT onesim_internal.log_package_price_changes()'),
    ('SELECT onesim_internal.forbid_column_change()'),
    ('SELECT onesim_internal.profiles_guard_user_type()'),
    ('SELECT onesim_internal.guard_drop()')) AS s(stmt)
 ORDER BY a.who, s.stmt;
-- The helpers must stay executable (policies run as the caller) and answer
-- only about the caller.
INSERT INTO cases (who, stmt, expected, description) VALUES
('anon', $$SELECT 1 WHERE onesim_internal.current_user_id() IS NULL AND onesim_internal.current_partner_id() IS NULL AND NOT onesim_internal.is_admin() AND NOT onesim_internal.is_service()$$, 'ok:1', 'anon: the helpers name nobody'),
('forged admin', $$SELECT 1 WHERE onesim_internal.current_user_id() = pg_temp.id('user_c') AND NOT onesim_internal.is_admin() AND NOT onesim_internal.is_service() AND onesim_internal.admin_visible_since() = 'infinity'$$, 'ok:1', 'forged admin: the helpers see a customer');

-- Hijacking a trigger function: a table of the caller's own (a temporary one
-- needs no grant) with our SECURITY DEFINER trigger function attached.
INSERT INTO cases (who, stmt, expected, description)
SELECT a.who,
       format($f$DO $x$ BEGIN CREATE TEMP TABLE hijack_%s (id uuid, order_status text);
                CREATE TRIGGER t AFTER DELETE ON hijack_%1$s REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.%s(); END $x$$f$,
              replace(a.who, ' ', '_'), f),
       '42501', format('%s cannot attach onesim_internal.%s() to a table of its own', a.who, f)
  FROM actors a
  CROSS JOIN unnest(ARRAY['orders_audit', 'orders_after_change', 'earnings_after_change',
                          'recount_after_truncate', 'maintain_child_count']) f
 ORDER BY a.who, f;

SELECT plan((SELECT count(*)::int FROM cases) + 4);

SELECT is(pg_temp.attack(who, stmt), expected, description) FROM cases ORDER BY n;

-- That even their owner cannot attach them to another table is checked as
-- that owner, the bootstrap superuser: test/pgtap_superuser/trigger_protocol.sql.

-- anon is anonymous whatever its claims say: no partner rate in a quote.
SELECT is(pg_temp.attack('anon', $$SELECT 1 FROM quote_package('PKG-ACTIVE') WHERE commission_rate = 0$$), 'ok:1',
          'anon quotes the retail price');
UPDATE actors SET claims = format('{"role":"anon","sub":"%s"}', pg_temp.id('user_a')) WHERE who = 'anon';
SELECT is(pg_temp.attack('anon', $$SELECT 1 FROM quote_package('PKG-ACTIVE') WHERE commission_rate = 0 AND you_pay = retail_price$$), 'ok:1',
          'anon with partner A''s sub in its claims still gets the retail price');
SELECT is(pg_temp.attack('anon', $$SELECT 1 FROM partner_customers$$), '42501',
          'anon with partner A''s sub reads no partner data');

-- Nothing changed.
SELECT is(
  (SELECT array_agg(coalesce(b.tbl, a.tbl) ORDER BY coalesce(b.tbl, a.tbl))
     FROM before_attacks b FULL JOIN pg_temp.fingerprint() a ON a.tbl = b.tbl
    WHERE a.n IS DISTINCT FROM b.n OR a.digest IS DISTINCT FROM b.digest),
  NULL, 'every table holds exactly the rows it held before the attacks');

SELECT * FROM finish();
ROLLBACK;
