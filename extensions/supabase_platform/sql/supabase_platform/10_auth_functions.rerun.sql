
-- auth.uid(), auth.role(), auth.email() and auth.jwt(), where this extension
-- created the auth schema (where Supabase's was adopted they are Supabase's
-- and left alone). They are Supabase's definitions (auth migration
-- 20220224000811_update_auth_functions): SQL, STABLE and without a SET
-- clause, so the planner inlines them into the statement that calls them.
-- Version 1.0 pinned their search_path instead; a function with a SET clause
-- is never inlined, so every execution of a statement calling one (every
-- policy saying (SELECT auth.uid())) ran its body as a separate query, even
-- from a prepared statement: a prepared read of one user's rows through such
-- a policy took 1.22x the read without RLS, 1.03x inlined (BENCHMARKS.md).
-- Nothing in the bodies depends on the caller's search_path: every function,
-- type and operator is named in pg_catalog (the = of nullif is looked up in
-- pg_catalog first unless the caller's search_path names it later; and the
-- functions run with the caller's rights only, so a caller could only
-- mislead themselves).
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
      nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''),
      (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::pg_catalog.jsonb OPERATOR(pg_catalog.->>) 'sub')
    )::pg_catalog.uuid
  $f$;
  COMMENT ON FUNCTION auth.uid() IS 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

  CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      nullif(pg_catalog.current_setting('request.jwt.claim.role', true), ''),
      (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::pg_catalog.jsonb OPERATOR(pg_catalog.->>) 'role')
    )::pg_catalog.text
  $f$;
  COMMENT ON FUNCTION auth.role() IS 'Deprecated. Use auth.jwt() -> ''role'' instead.';

  CREATE OR REPLACE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      nullif(pg_catalog.current_setting('request.jwt.claim.email', true), ''),
      (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::pg_catalog.jsonb OPERATOR(pg_catalog.->>) 'email')
    )::pg_catalog.text
  $f$;
  COMMENT ON FUNCTION auth.email() IS 'Deprecated. Use auth.jwt() -> ''email'' instead.';

  CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      nullif(pg_catalog.current_setting('request.jwt.claim', true), ''),
      nullif(pg_catalog.current_setting('request.jwt.claims', true), '')
    )::pg_catalog.jsonb
  $f$;

  GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.email(), auth.jwt()
    TO anon, authenticated, service_role;
  GRANT ALL ON FUNCTION auth.uid(), auth.role(), auth.email(), auth.jwt() TO @extowner@;
END
$auth_functions$;
