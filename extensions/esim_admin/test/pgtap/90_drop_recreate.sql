-- The extension drops without CASCADE, leaving nothing on auth.users, and
-- comes back working (inside this transaction, rolled back).
BEGIN;
SELECT plan(5);
SELECT nspname AS app FROM pg_namespace WHERE oid = (SELECT extnamespace FROM pg_extension WHERE extname = 'esim_admin') \gset

DROP EXTENSION esim_admin;
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'auth.users'::regclass AND tgname LIKE 'esim\_admin\_%'), 0,
          'DROP EXTENSION (no CASCADE) removes its triggers on auth.users');
SELECT is((SELECT count(*)::int FROM pg_namespace WHERE nspname = 'esim_admin_internal'), 0, 'and its private schema');
SELECT lives_ok(format('CREATE EXTENSION esim_admin SCHEMA %I', :'app'), 'it is created again');
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-4000-8000-00000000d0d0', 'again_' || gen_random_uuid() || '@t.io');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'auth.users'::regclass AND tgname LIKE 'esim\_admin\_%'), 3,
          'with its three auth.users triggers');
SELECT is((SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = :'app' AND c.relname = 'users'), 1, 'and its tables');

SELECT * FROM finish();
ROLLBACK;
