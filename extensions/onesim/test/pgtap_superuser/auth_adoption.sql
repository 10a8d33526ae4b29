-- On Supabase the real auth schema is adopted as it is: the extensions are
-- dropped and created again over a stand-in for Supabase's schema (all rolled
-- back). That needs a database where supabase_platform created auth and
-- OneSIM holds no data, which a project's database is not (its auth is
-- Supabase's, and the drop guards refuse while data exists): it runs here, on
-- the superuser suite's empty database. The auth surface itself is
-- test/pgtap/00_auth_surface.sql.
BEGIN;
SELECT plan(5);

DROP EXTENSION onesim;
DROP EXTENSION supabase_platform;
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email varchar(255), supabase_marker int);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULL::uuid $$;
CREATE EXTENSION onesim CASCADE;
SELECT has_column('auth', 'users', 'supabase_marker', 'the existing auth.users is kept');
SELECT is((SELECT count(*)::int FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
             LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
             LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
            WHERE e.extname = 'supabase_platform' AND d.deptype = 'e'
              AND 'auth'::regnamespace IN (c.relnamespace, p.pronamespace)), 0,
          'supabase_platform owns nothing in auth when Supabase provides auth');
SELECT has_table('public', 'partners', 'onesim installs over the adopted auth schema');
-- A partial auth schema is refused with a clear error.
DROP EXTENSION onesim;
DROP EXTENSION supabase_platform;
DROP FUNCTION auth.uid();
SELECT throws_ok('CREATE EXTENSION supabase_platform', '55000', NULL, 'a partial auth schema is refused');
SELECT ok(true, 'end of adoption checks');

SELECT * FROM finish();
ROLLBACK;
