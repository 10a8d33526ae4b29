-- The Supabase auth surface supabase_platform provides on plain PostgreSQL.
BEGIN;
SELECT plan(22);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('claims_sub', 'legacy_sub', 'api_sub');

-- Roles with Supabase's attributes.
SELECT has_role('anon');
SELECT has_role('authenticated');
SELECT has_role('service_role');
SELECT has_role('authenticator');
SELECT is((SELECT rolbypassrls FROM pg_roles WHERE rolname = 'service_role'), true, 'service_role bypasses RLS');
SELECT is((SELECT rolbypassrls FROM pg_roles WHERE rolname = 'authenticated'), false, 'authenticated does not bypass RLS');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 'anon'), false, 'anon cannot log in');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 'authenticator'), true, 'authenticator logs in');
SELECT ok(pg_has_role('authenticator', 'authenticated', 'MEMBER'), 'authenticator can become authenticated');

-- auth.users with GoTrue's columns.
SELECT has_table('auth', 'users', 'auth.users exists');
SELECT columns_are('auth', 'users', ARRAY[
  'instance_id', 'id', 'aud', 'role', 'email', 'encrypted_password', 'email_confirmed_at',
  'invited_at', 'confirmation_token', 'confirmation_sent_at', 'recovery_token', 'recovery_sent_at',
  'email_change_token_new', 'email_change', 'email_change_sent_at', 'last_sign_in_at',
  'raw_app_meta_data', 'raw_user_meta_data', 'is_super_admin', 'created_at', 'updated_at', 'phone',
  'phone_confirmed_at', 'phone_change', 'phone_change_token', 'phone_change_sent_at', 'confirmed_at',
  'email_change_token_current', 'email_change_confirm_status', 'banned_until',
  'reauthentication_token', 'reauthentication_sent_at', 'is_sso_user', 'deleted_at', 'is_anonymous']);

-- auth.uid()/role()/email()/jwt() read the claims as PostgREST sets them.
SELECT is(auth.uid(), NULL, 'no claims: auth.uid() is null');
SELECT set_config('request.jwt.claims',
  format('{"sub":"%s","role":"authenticated","email":"a@example.com"}', pg_temp.id('claims_sub')), true);
SELECT is(auth.uid(), pg_temp.id('claims_sub'), 'auth.uid() reads sub');
SELECT is(auth.role(), 'authenticated', 'auth.role() reads role');
SELECT is(auth.email(), 'a@example.com', 'auth.email() reads email');
SELECT is(auth.jwt() ->> 'sub', pg_temp.id('claims_sub')::text, 'auth.jwt() returns the claims');
-- The legacy per-claim setting wins, as in Supabase.
SELECT set_config('request.jwt.claim.sub', pg_temp.id('legacy_sub')::text, true);
SELECT is(auth.uid(), pg_temp.id('legacy_sub'), 'request.jwt.claim.sub takes precedence');
SELECT set_config('request.jwt.claim.sub', '', true);
SELECT set_config('request.jwt.claims', '{"sub": "not-a-uuid"}', true);
SELECT throws_ok('SELECT auth.uid()', '22P02', NULL, 'a malformed sub is an error, not a null');
SELECT set_config('request.jwt.claims', '{broken', true);
SELECT throws_ok('SELECT auth.uid()', '22P02', NULL, 'malformed claims are an error');
SELECT set_config('request.jwt.claims', '', true);

-- Impersonation the PostgREST way: the API roles may call the auth helpers.
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('api_sub')), true);
SELECT is(auth.uid(), pg_temp.id('api_sub'), 'authenticated can call auth.uid()');
SELECT throws_ok('SELECT count(*) FROM auth.users', '42501', NULL, 'authenticated cannot read auth.users');
RESET ROLE;
SET LOCAL ROLE anon;
SELECT throws_ok('SELECT count(*) FROM auth.users', '42501', NULL, 'anon cannot read auth.users');
RESET ROLE;

-- The adoption of a real Supabase auth schema drops and re-creates both
-- extensions: test/pgtap_superuser/auth_adoption.sql, on an empty database.

SELECT * FROM finish();
ROLLBACK;
