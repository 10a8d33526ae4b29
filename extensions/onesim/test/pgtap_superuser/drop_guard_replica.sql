-- The drop guard under session_replication_role = replica, the restore setting
-- of the README, which silences ordinary event triggers: the guard is ENABLE
-- ALWAYS. Only a superuser can set session_replication_role, so this file
-- runs as the superuser; the rest of the guard is test/pgtap/14_guards.sql.
BEGIN;
SELECT plan(2);
\ir ../pgtap/fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_f1', 'partner_f1');

INSERT INTO auth.users (id, email) VALUES (pg_temp.id('user_f1'), 'g1@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  (pg_temp.id('partner_f1'), pg_temp.id('user_f1'), 'G1', 'g1@agency.test');

SET LOCAL session_replication_role = replica;
SELECT throws_ok('DROP EXTENSION onesim CASCADE', '2BP01', NULL, 'under session_replication_role = replica too');
RESET session_replication_role;
SELECT has_table('public', 'partners', 'nothing was dropped');

SELECT * FROM finish();
ROLLBACK;
