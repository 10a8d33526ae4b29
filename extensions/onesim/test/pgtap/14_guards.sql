-- Guards: immutable ownership columns, and DROP EXTENSION / DROP SCHEMA /
-- DROP OWNED never silently destroying data. (DROP DATABASE fires no event
-- trigger: it cannot be guarded, see the README.)
BEGIN;
SELECT plan(22);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_f1', 'user_f2', 'user_f3', 'partner_f1', 'partner_f2', 'customer_f1',
                       'group_f1');

INSERT INTO auth.users (id, email) VALUES
  (pg_temp.id('user_f1'), 'g1@agency.test'),
  (pg_temp.id('user_f2'), 'g2@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  (pg_temp.id('partner_f1'), pg_temp.id('user_f1'), 'G1', 'g1@agency.test'),
  (pg_temp.id('partner_f2'), pg_temp.id('user_f2'), 'G2', 'g2@agency.test');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email) VALUES
  (pg_temp.id('customer_f1'), pg_temp.id('partner_f1'), 'A', 'B', 'ab@example.com');
INSERT INTO customer_groups (id, partner_id, name) VALUES
  (pg_temp.id('group_f1'), pg_temp.id('partner_f1'), 'G');

SELECT throws_ok($$UPDATE partner_customers SET partner_id = pg_temp.id('partner_f2') WHERE id = pg_temp.id('customer_f1')$$,
  '55000', 'partner_customers.partner_id cannot be changed', 'a customer cannot move to another partner');
SELECT throws_ok($$UPDATE customer_groups SET partner_id = pg_temp.id('partner_f2') WHERE id = pg_temp.id('group_f1')$$,
  '55000', 'customer_groups.partner_id cannot be changed', 'a group cannot move to another partner');
SELECT lives_ok($$UPDATE partner_customers SET first_name = 'Aa' WHERE id = pg_temp.id('customer_f1')$$,
  'other columns stay editable');

SELECT throws_ok('DROP EXTENSION onesim', '2BP01', NULL, 'DROP EXTENSION onesim refuses while data exists');
SELECT throws_ok('DROP EXTENSION supabase_platform CASCADE', '2BP01', NULL, 'DROP EXTENSION supabase_platform CASCADE refuses too');
SELECT throws_ok('DROP SCHEMA public CASCADE', '2BP01', NULL, 'dropping the extension''s schema refuses too');
SELECT throws_ok('DROP SCHEMA onesim_internal CASCADE', '2BP01', NULL, 'dropping onesim_internal refuses too');
SELECT has_table('public', 'partners', 'nothing was dropped');
SELECT is((SELECT count(*)::int FROM partners WHERE id IN (pg_temp.id('partner_f1'), pg_temp.id('partner_f2'))), 2, 'and no row was lost');

SELECT throws_ok('DROP EXTENSION supabase_platform', '2BP01', NULL, 'DROP EXTENSION supabase_platform (RESTRICT) refuses');
SELECT throws_ok('DROP SCHEMA auth CASCADE', '2BP01', NULL, 'dropping the auth schema supabase_platform created refuses');
SELECT throws_ok('DROP EXTENSION IF EXISTS no_such_extension, onesim CASCADE', '2BP01', NULL,
                 'onesim named second in a list refuses too');

-- That the guard also holds under session_replication_role = replica (a
-- superuser-only setting) is checked in test/pgtap_superuser/drop_guard_replica.sql.

-- DROP OWNED BY a role that owns nothing of ours but holds its grants and
-- policies (authenticated): no row is lost, and RLS fails closed.
CREATE TEMP TABLE rows_before AS
  SELECT (SELECT count(*) FROM partners) p, (SELECT count(*) FROM partner_customers) c,
         (SELECT count(*) FROM customer_groups) g;
SAVEPOINT owned;
-- The tables whose policies DROP OWNED drops are locked first. Otherwise an
-- autovacuum worker that finishes a table whose grants the DROP has just
-- revoked waits for this transaction to write its statistics into the
-- table's pg_class row (PostgreSQL 15.9 on), while the DROP waits for that
-- worker's lock to drop the table's policy: a deadlock (40P01). Taken up
-- front, the locks make the worker give way instead.
DO $$
DECLARE tables text;
BEGIN
  SELECT string_agg(DISTINCT p.polrelid::regclass::text, ', ') INTO tables
    FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
   WHERE 'authenticated'::regrole = ANY (p.polroles) AND pg_has_role(c.relowner, 'USAGE');
  EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', tables);
END $$;
-- (A project owner gets a WARNING for each grant the bootstrap superuser made.)
SET LOCAL client_min_messages = error;
SELECT lives_ok('DROP OWNED BY authenticated', 'DROP OWNED BY authenticated proceeds (it owns nothing of ours)');
RESET client_min_messages;
SELECT is((SELECT (count(*), (SELECT count(*) FROM partner_customers), (SELECT count(*) FROM customer_groups))::text FROM partners),
          (SELECT (p, c, g)::text FROM rows_before), 'and every row is still there');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_f1')), true);
SELECT throws_ok('SELECT 1 FROM partners', '42501', NULL, 'authenticated, its grants gone, reads nothing (fails closed)');
RESET ROLE;
ROLLBACK TO SAVEPOINT owned;

-- Catalog data is data too: a database holding only packages refuses.
SAVEPOINT catalog_only;
SET LOCAL client_min_messages = warning;
TRUNCATE orders, partners, partner_customers, partner_earnings, partner_payouts, partner_api_keys,
         customer_groups, customer_group_members, order_action_logs, profiles, user_favorites,
         package_views, esim_packages, package_operators, margin_overrides, exchange_rates,
         package_price_changes, price_sync_log CASCADE;
CREATE FUNCTION pg_temp.drop_and_undo(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RAISE EXCEPTION 'undo' USING ERRCODE = 'OSUND';
EXCEPTION WHEN SQLSTATE 'OSUND' THEN RETURN 'dropped';
          WHEN OTHERS THEN RETURN SQLSTATE;
END $$;
SELECT is(pg_temp.drop_and_undo('DROP EXTENSION onesim CASCADE'), 'dropped',
          'an empty onesim drops without the setting');
INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd) VALUES ('G-1', 'g', 1, 1);
SELECT throws_ok('DROP EXTENSION onesim', '2BP01', 'dropping onesim would destroy the data in esim_packages',
                 'a catalog alone is refused, and named');
-- The guarded tables are the extension's members, read from the catalog: a
-- table a later version adds is guarded without anyone listing it. (The
-- extension, empty, is re-created in a schema of its own: a project owner
-- may not create tables in public.)
DELETE FROM esim_packages WHERE package_code = 'G-1';
DROP EXTENSION onesim;
CREATE SCHEMA guard_probe_schema;
CREATE EXTENSION onesim SCHEMA guard_probe_schema;
CREATE TABLE guard_probe_schema.guard_probe (id integer);
ALTER EXTENSION onesim ADD TABLE guard_probe_schema.guard_probe;
INSERT INTO guard_probe_schema.guard_probe VALUES (1);
SELECT throws_ok('DROP EXTENSION onesim', '2BP01', 'dropping onesim would destroy the data in guard_probe',
                 'a table that joined the extension later is guarded too');
ROLLBACK TO SAVEPOINT catalog_only;

-- DROP OWNED BY the extension's owner drops the extension: refused. A
-- project owner that created the extension owns it; the bootstrap
-- superuser's objects cannot be DROP OWNED at all, so a superuser session
-- re-creates the extension as another superuser first.
SELECT rolsuper AS session_is_superuser FROM pg_roles WHERE rolname = current_user \gset
SET LOCAL onesim.allow_drop_with_data = on;
SAVEPOINT reown;
\if :session_is_superuser
DROP EXTENSION onesim;
CREATE ROLE guard_test_owner SUPERUSER;
SET LOCAL ROLE guard_test_owner;
CREATE EXTENSION onesim;
RESET ROLE;
\endif
SELECT pg_get_userbyid(extowner) AS extension_owner FROM pg_extension WHERE extname = 'onesim' \gset
SET LOCAL onesim.allow_drop_with_data = off;
INSERT INTO auth.users (id, email) VALUES (pg_temp.id('user_f3'), 'g3@agency.test')
  ON CONFLICT DO NOTHING;
INSERT INTO partners (user_id, company_name, business_email) VALUES
  (pg_temp.id('user_f3'), 'G3', 'g3@agency.test');
SELECT throws_ok(format('DROP OWNED BY %I', :'extension_owner'), '2BP01', NULL,
                 'DROP OWNED BY the extension''s owner refuses');
SELECT throws_ok(format('DROP OWNED BY authenticated, %I CASCADE', :'extension_owner'), '2BP01', NULL,
                 'also with CASCADE and another role first');
SELECT is((SELECT count(*)::int FROM partners WHERE user_id = pg_temp.id('user_f3')), 1,
          'the partner is still there');
ROLLBACK TO SAVEPOINT reown;

-- An explicit decision lets it go (rolled back with the test).
SET LOCAL onesim.allow_drop_with_data = on;
SELECT lives_ok('DROP EXTENSION onesim', 'with onesim.allow_drop_with_data = on the drop proceeds');

SELECT * FROM finish();
ROLLBACK;
