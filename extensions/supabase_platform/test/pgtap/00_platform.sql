-- supabase_platform on plain PostgreSQL: the roles, auth, storage and
-- realtime surface the systems' schemas use, and its adoption of the real
-- pieces where Supabase has them.
BEGIN;
SELECT plan(53);

-- Roles with Supabase's attributes.
SELECT has_role(r) FROM unnest(ARRAY['anon', 'authenticated', 'service_role', 'authenticator']) r;
SELECT is((SELECT rolbypassrls FROM pg_roles WHERE rolname = 'service_role'), true, 'service_role bypasses RLS');
SELECT is((SELECT rolbypassrls FROM pg_roles WHERE rolname = 'authenticated'), false, 'authenticated does not bypass RLS');
SELECT ok(pg_has_role('authenticator', 'anon', 'MEMBER'), 'authenticator can become anon');

-- The extension lives where Supabase keeps extensions, not in public.
SELECT is((SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'supabase_platform'),
          'extensions', 'installed into the schema extensions');

-- auth.
SELECT has_table('auth', 'users', 'auth.users exists');
SELECT has_function('auth', f, ARRAY[]::text[], 'auth.' || f || '()') FROM unnest(ARRAY['uid', 'role', 'email', 'jwt']) f;
SELECT set_config('request.jwt.claims', '{"sub":"550e8400-e29b-41d4-a716-446655440001","role":"authenticated","email":"a@example.com"}', true);
SELECT is(auth.uid(), '550e8400-e29b-41d4-a716-446655440001'::uuid, 'auth.uid() reads request.jwt.claims');
SELECT is(auth.role(), 'authenticated', 'auth.role() reads request.jwt.claims');
SELECT is(auth.email(), 'a@example.com', 'auth.email() reads request.jwt.claims');
SELECT is(auth.jwt() ->> 'sub', '550e8400-e29b-41d4-a716-446655440001', 'auth.jwt() is the claims');
-- The claims of PostgREST before version 9 (one setting per claim) come first.
SELECT set_config('request.jwt.claim.sub', '550e8400-e29b-41d4-a716-446655440002', true);
SELECT is(auth.uid(), '550e8400-e29b-41d4-a716-446655440002'::uuid, 'request.jwt.claim.sub comes before request.jwt.claims');
SELECT set_config('request.jwt.claim.sub', '', true);
-- A caller's search_path changes nothing: every function, type and operator
-- in the bodies is named in pg_catalog (they are inlined into the caller's
-- statement, so a name left to the search_path would be looked up in the
-- caller's). The results are taken under a hostile search_path and compared
-- after it is gone (pgTAP's comparisons would use the hostile = too).
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.current_setting(text, boolean) RETURNS text LANGUAGE sql
  AS $$ SELECT '{"sub":"550e8400-e29b-41d4-a716-446655440099","role":"service_role"}' $$;
CREATE FUNCTION hostile.always(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION hostile.never(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT false $$;
CREATE OPERATOR hostile.= (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.always);
CREATE OPERATOR hostile.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.never);
SELECT set_config('search_path', 'hostile, pg_catalog, ' || current_setting('search_path'), true);
CREATE TEMP TABLE under_hostile_path AS SELECT auth.uid() AS uid, auth.role() AS role, auth.email() AS email, auth.jwt() AS jwt;
SELECT set_config('search_path', substr(current_setting('search_path'), length('hostile, pg_catalog, ') + 1), true);
SELECT is((SELECT uid FROM under_hostile_path), '550e8400-e29b-41d4-a716-446655440001'::uuid,
          'auth.uid() ignores functions and operators earlier in search_path');
SELECT is((SELECT role FROM under_hostile_path), 'authenticated', 'auth.role() ignores them');
SELECT is((SELECT email FROM under_hostile_path), 'a@example.com', 'auth.email() ignores them');
SELECT is((SELECT jwt ->> 'sub' FROM under_hostile_path), '550e8400-e29b-41d4-a716-446655440001', 'auth.jwt() ignores them');
SELECT set_config('request.jwt.claims', '{"sub":"not-a-uuid"}', true);
SELECT throws_ok('SELECT auth.uid()', '22P02', NULL, 'a malformed sub is an error, not a NULL');
SELECT set_config('request.jwt.claims', '', true);
SELECT is(auth.uid(), NULL, 'no claims: auth.uid() is NULL');
-- Supabase's definitions: SQL, STABLE, no SET clause, not SECURITY DEFINER,
-- so the planner inlines them (a policy's (SELECT auth.uid()) costs no call).
SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc p
                 WHERE p.pronamespace = 'auth'::regnamespace
                   AND (p.prolang <> (SELECT oid FROM pg_language WHERE lanname = 'sql')
                        OR p.provolatile <> 's' OR p.proconfig IS NOT NULL OR p.prosecdef)),
          '{}'::text[], 'every auth function is SQL, STABLE, without SET and SECURITY INVOKER');
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; plan text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query LOOP plan := plan || line || E'\n'; END LOOP;
  RETURN plan;
END $$;
SELECT matches(pg_temp.plan_of(format('SELECT auth.%s()', f)), 'current_setting\(''request\.jwt\.claims''',
               'auth.' || f || '() is inlined')
  FROM unnest(ARRAY['uid', 'role', 'email', 'jwt']) f;

-- storage: the tables policies are written against, RLS on.
SELECT has_table('storage', 'buckets', 'storage.buckets exists');
SELECT has_table('storage', 'objects', 'storage.objects exists');
SELECT columns_are('storage', 'objects', ARRAY['id', 'bucket_id', 'name', 'owner', 'created_at', 'updated_at',
  'last_accessed_at', 'metadata', 'path_tokens', 'version', 'owner_id', 'user_metadata']);
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'storage.objects'::regclass), 'RLS is on for storage.objects');
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'storage.buckets'::regclass), 'RLS is on for storage.buckets');
SELECT is(storage.foldername('user-1/trips/rome.jpg'), ARRAY['user-1', 'trips'], 'foldername: every folder of the path');
SELECT is(storage.filename('user-1/trips/rome.jpg'), 'rome.jpg', 'filename: the last element');
SELECT is(storage.extension('user-1/trips/rome.tar.gz'), 'gz', 'extension: after the last dot');
SELECT is(storage.foldername('top.jpg'), '{}'::text[], 'a file at the top has no folder');

-- Without a policy, an API role reads and writes no object (as on Supabase).
INSERT INTO storage.buckets (id, name) VALUES ('pictures', 'pictures');
INSERT INTO storage.objects (bucket_id, name, owner) VALUES ('pictures', 'u/one.png', gen_random_uuid());
SET LOCAL ROLE authenticated;
SELECT is((SELECT count(*)::int FROM storage.objects), 0, 'no policy: authenticated sees no object');
SELECT throws_ok($$INSERT INTO storage.objects (bucket_id, name) VALUES ('pictures', 'u/two.png')$$,
                 '42501', NULL, 'no policy: authenticated cannot upload');
RESET ROLE;
SELECT is((SELECT path_tokens FROM storage.objects WHERE name = 'u/one.png'), ARRAY['u', 'one.png'],
          'path_tokens is generated from the name');
SELECT throws_ok($$INSERT INTO storage.objects (bucket_id, name) VALUES ('pictures', 'u/one.png')$$,
                 '23505', NULL, 'one object per bucket and name');

-- realtime: the publication, empty, recorded as a member so dumps restore it once.
SELECT ok(EXISTS (SELECT FROM pg_publication WHERE pubname = 'supabase_realtime'), 'supabase_realtime exists');
SELECT is((SELECT count(*)::int FROM pg_depend d JOIN pg_publication p ON d.classid = 'pg_publication'::regclass AND d.objid = p.oid
            JOIN pg_extension e ON e.oid = d.refobjid
           WHERE p.pubname = 'supabase_realtime' AND e.extname = 'supabase_platform' AND d.deptype = 'e'), 1,
          'the publication belongs to the extension that created it');

-- On Supabase the real schemas are adopted as they are (all rolled back):
-- recreate the extension over stand-ins for Supabase's auth, storage and publication.
DROP EXTENSION supabase_platform;
SELECT ok(NOT EXISTS (SELECT FROM pg_publication WHERE pubname = 'supabase_realtime'), 'dropping the extension drops its publication');
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, marker int);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULL::uuid $$;
CREATE SCHEMA storage;
CREATE TABLE storage.objects (id uuid PRIMARY KEY, bucket_id text, name text, marker int);
CREATE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$ SELECT ARRAY['x'] $$;
CREATE PUBLICATION supabase_realtime;
CREATE EXTENSION supabase_platform;
SELECT has_column('auth', 'users', 'marker', 'the existing auth.users is kept');
SELECT has_column('storage', 'objects', 'marker', 'the existing storage.objects is kept');
SELECT is((SELECT count(*)::int FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
            WHERE e.extname = 'supabase_platform' AND d.deptype = 'e'), 0,
          'over Supabase''s own schemas the extension creates nothing');
DROP EXTENSION supabase_platform;
-- ... and an update leaves Supabase's functions alone.
CREATE EXTENSION supabase_platform VERSION '1.0';
ALTER EXTENSION supabase_platform UPDATE;
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'supabase_platform'),
          (SELECT default_version FROM pg_available_extensions WHERE name = 'supabase_platform'), 'updated over Supabase''s schemas');
SELECT is((SELECT prosrc FROM pg_proc WHERE oid = 'auth.uid()'::regprocedure), ' SELECT NULL::uuid ',
          'the update leaves Supabase''s auth.uid() as it is');
SELECT is((SELECT count(*)::int FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
            WHERE e.extname = 'supabase_platform' AND d.deptype = 'e'), 0,
          'the updated extension still owns nothing over Supabase''s schemas');
DROP EXTENSION supabase_platform;
SELECT ok(EXISTS (SELECT FROM pg_publication WHERE pubname = 'supabase_realtime'), 'an adopted publication stays when the extension goes');
-- A partial storage schema is refused with a clear error.
DROP FUNCTION storage.foldername(text);
SELECT throws_ok('CREATE EXTENSION supabase_platform', '55000', NULL, 'a partial storage schema is refused');

SELECT * FROM finish();
ROLLBACK;
