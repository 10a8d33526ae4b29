
-- auth.uid(), auth.role(), auth.email() and auth.jwt(), where this extension
-- created the auth schema (where Supabase's was adopted they are Supabase's
-- and left alone). They answer as Supabase's definitions do (auth migration
-- 20220224000811_update_auth_functions) and are, like them, SQL, STABLE and
-- without a SET clause, so the planner inlines them into the statement that
-- calls them. Version 1.0 pinned their search_path instead. A function with a
-- SET clause is never inlined, so every execution of a statement calling one
-- (every policy saying (SELECT auth.uid())) ran its body as a query of its
-- own, prepared statements included: a prepared read of one user's rows
-- through such a policy took 1.23x the read without RLS, 1.03x inlined
-- (BENCHMARKS.md). An inlined body is parsed in the caller's statement, under
-- the caller's search_path, so 1.1 keeps that search_path out by naming every
-- function, type and operator in pg_catalog (pgTAP checks it under a hostile
-- search_path): Supabase's nullif(setting, '') is written as the CASE it
-- stands for, because nullif's = cannot be qualified and the CASE's <> can.
DO $auth_functions$
BEGIN
  IF NOT EXISTS (
    SELECT FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'supabase_platform'
     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
       AND d.objid = 'auth.users'::pg_catalog.regclass AND d.deptype = 'e') THEN
    RETURN;
  END IF;

  CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      CASE WHEN pg_catalog.current_setting('request.jwt.claim.sub', true) OPERATOR(pg_catalog.<>) ''
             THEN pg_catalog.current_setting('request.jwt.claim.sub', true) END,
      (CASE WHEN pg_catalog.current_setting('request.jwt.claims', true) OPERATOR(pg_catalog.<>) ''
             THEN pg_catalog.current_setting('request.jwt.claims', true) END::pg_catalog.jsonb OPERATOR(pg_catalog.->>) 'sub')
    )::pg_catalog.uuid
  $f$;
  COMMENT ON FUNCTION auth.uid() IS 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

  CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      CASE WHEN pg_catalog.current_setting('request.jwt.claim.role', true) OPERATOR(pg_catalog.<>) ''
             THEN pg_catalog.current_setting('request.jwt.claim.role', true) END,
      (CASE WHEN pg_catalog.current_setting('request.jwt.claims', true) OPERATOR(pg_catalog.<>) ''
             THEN pg_catalog.current_setting('request.jwt.claims', true) END::pg_catalog.jsonb OPERATOR(pg_catalog.->>) 'role')
    )::pg_catalog.text
  $f$;
  COMMENT ON FUNCTION auth.role() IS 'Deprecated. Use auth.jwt() -> ''role'' instead.';

  CREATE OR REPLACE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      CASE WHEN pg_catalog.current_setting('request.jwt.claim.email', true) OPERATOR(pg_catalog.<>) ''
             THEN pg_catalog.current_setting('request.jwt.claim.email', true) END,
      (CASE WHEN pg_catalog.current_setting('request.jwt.claims', true) OPERATOR(pg_catalog.<>) ''
             THEN pg_catalog.current_setting('request.jwt.claims', true) END::pg_catalog.jsonb OPERATOR(pg_catalog.->>) 'email')
    )::pg_catalog.text
  $f$;
  COMMENT ON FUNCTION auth.email() IS 'Deprecated. Use auth.jwt() -> ''email'' instead.';

  CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      CASE WHEN pg_catalog.current_setting('request.jwt.claim', true) OPERATOR(pg_catalog.<>) ''
             THEN pg_catalog.current_setting('request.jwt.claim', true) END,
      CASE WHEN pg_catalog.current_setting('request.jwt.claims', true) OPERATOR(pg_catalog.<>) ''
             THEN pg_catalog.current_setting('request.jwt.claims', true) END
    )::pg_catalog.jsonb
  $f$;

  GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.email(), auth.jwt()
    TO anon, authenticated, service_role;
  GRANT ALL ON FUNCTION auth.uid(), auth.role(), auth.email(), auth.jwt() TO @extowner@;
END
$auth_functions$;
