-- The drop guard under session_replication_role = replica, the restore setting
-- of the README, which silences ordinary event triggers: the guard is ENABLE
-- ALWAYS. Only a superuser can set session_replication_role, so this file
-- runs as the superuser; the rest of the guard is test/pgtap/14_guards.sql.
BEGIN;
SELECT plan(2);

INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000f1', 'g1@agency.test');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  ('10000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000f1', 'G1', 'g1@agency.test');

SET LOCAL session_replication_role = replica;
SELECT throws_ok('DROP EXTENSION onesim CASCADE', '2BP01', NULL, 'under session_replication_role = replica too');
RESET session_replication_role;
SELECT has_table('public', 'partners', 'nothing was dropped');

SELECT * FROM finish();
ROLLBACK;
