-- The RLS helpers in onesim_internal: declarations, results for each identity,
-- auth.uid() equivalence, and malformed or forged claims.
BEGIN;
\ir fixtures/rls_fixtures.psql
SELECT plan(116);

-- Declarations: language, volatility, parallel safety, security, search_path.
SELECT is(p.prolang, (SELECT oid FROM pg_language WHERE lanname = 'c'), p.proname || ' is LANGUAGE C')
  FROM pg_proc p WHERE p.pronamespace = 'onesim_internal'::regnamespace
   AND p.proname IN ('current_user_id', 'current_partner_id', 'current_partner_status', 'is_admin', 'is_service',
                     'admin_visible_since', 'admin_visible_until', 'admin_visible_id_min', 'admin_visible_id_max')
 ORDER BY p.proname;
SELECT is(p.provolatile, 's', p.proname || ' is STABLE')
  FROM pg_proc p WHERE p.pronamespace = 'onesim_internal'::regnamespace
   AND p.proname IN ('current_user_id', 'current_partner_id', 'current_partner_status', 'is_admin', 'is_service',
                     'admin_visible_since', 'admin_visible_until', 'admin_visible_id_min', 'admin_visible_id_max')
 ORDER BY p.proname;
SELECT is(p.proparallel, 's', p.proname || ' is PARALLEL SAFE')
  FROM pg_proc p WHERE p.pronamespace = 'onesim_internal'::regnamespace
   AND p.proname IN ('current_user_id', 'current_partner_id', 'current_partner_status', 'is_admin', 'is_service',
                     'admin_visible_since', 'admin_visible_until', 'admin_visible_id_min', 'admin_visible_id_max')
 ORDER BY p.proname;
SELECT is(p.proconfig, ARRAY['search_path=pg_catalog, pg_temp'], p.proname || ' has a fixed search_path')
  FROM pg_proc p WHERE p.pronamespace = 'onesim_internal'::regnamespace
   AND p.proname IN ('current_user_id', 'current_partner_id', 'current_partner_status', 'is_admin', 'is_service',
                     'admin_visible_since', 'admin_visible_until', 'admin_visible_id_min', 'admin_visible_id_max',
                     'profiles_guard_user_type')
 ORDER BY p.proname;
SELECT is(p.prosecdef, p.proname IN ('current_partner_id', 'current_partner_status', 'is_admin',
                                    'admin_visible_since', 'admin_visible_until', 'admin_visible_id_min',
                                    'admin_visible_id_max'),
          p.proname || ': SECURITY DEFINER exactly when it reads protected tables')
  FROM pg_proc p WHERE p.pronamespace = 'onesim_internal'::regnamespace
   AND p.proname IN ('current_user_id', 'current_partner_id', 'current_partner_status', 'is_admin', 'is_service',
                     'admin_visible_since', 'admin_visible_until', 'admin_visible_id_min', 'admin_visible_id_max',
                     'profiles_guard_user_type')
 ORDER BY p.proname;
SELECT is(pg_get_function_result(p.oid), r, p.proname || ' returns ' || r)
  FROM pg_proc p
  JOIN (VALUES ('current_user_id', 'uuid'), ('current_partner_id', 'uuid'), ('current_partner_status', 'text'),
               ('is_admin', 'boolean'), ('is_service', 'boolean'),
               ('admin_visible_since', 'timestamp with time zone'), ('admin_visible_until', 'timestamp with time zone'),
               ('admin_visible_id_min', 'uuid'), ('admin_visible_id_max', 'uuid')) AS e(n, r) ON e.n = p.proname
 WHERE p.pronamespace = 'onesim_internal'::regnamespace
 ORDER BY p.proname;

-- Privileges: the API roles may call them, PUBLIC may not.
SELECT ok(has_schema_privilege(r, 'onesim_internal', 'USAGE'), r || ' may use onesim_internal')
  FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r;
SELECT ok(NOT EXISTS (
    SELECT 1 FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
     WHERE p.pronamespace = 'onesim_internal'::regnamespace
       AND p.proname IN ('current_user_id', 'current_partner_id', 'current_partner_status', 'is_admin', 'is_service',
                     'admin_visible_since', 'admin_visible_until', 'admin_visible_id_min', 'admin_visible_id_max')
       AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'),
  'PUBLIC cannot execute the helpers');
SELECT ok(has_function_privilege('authenticated', 'onesim_internal.is_admin()', 'EXECUTE')
          AND has_function_privilege('anon', 'onesim_internal.current_partner_id()', 'EXECUTE')
          AND has_function_privilege('service_role', 'onesim_internal.is_service()', 'EXECUTE'),
          'anon, authenticated and service_role can execute the helpers');

-- Results for each identity.
SELECT is(rls_test.value('anon', 'onesim_internal.current_user_id()'), NULL, 'anon: no user id');
SELECT is(rls_test.value('anon', 'onesim_internal.current_partner_id()'), NULL, 'anon: no partner');
SELECT is(rls_test.value('anon', 'onesim_internal.current_partner_status()'), NULL, 'anon: no partner status');
SELECT is(rls_test.value('anon', 'onesim_internal.is_admin()'), 'false', 'anon: not admin');
SELECT is(rls_test.value('anon', 'onesim_internal.is_service()'), 'false', 'anon: not service');

SELECT is(rls_test.value('customer', 'onesim_internal.current_user_id()'), pg_temp.id('user_c')::text, 'customer: own user id');
SELECT is(rls_test.value('customer', 'onesim_internal.current_partner_id()'), NULL, 'customer: no partner');
SELECT is(rls_test.value('customer', 'onesim_internal.current_partner_status()'), NULL, 'customer: no partner status');
SELECT is(rls_test.value('customer', 'onesim_internal.is_admin()'), 'false', 'customer: not admin');
SELECT is(rls_test.value('customer', 'onesim_internal.is_service()'), 'false', 'customer: not service');

SELECT is(rls_test.value('partner_a', 'onesim_internal.current_user_id()'), pg_temp.id('user_a')::text, 'partner A: own user id');
SELECT is(rls_test.value('partner_a', 'onesim_internal.current_partner_id()'), pg_temp.id('partner_a')::text, 'partner A: own partner id');
SELECT is(rls_test.value('partner_b', 'onesim_internal.current_partner_id()'), pg_temp.id('partner_b')::text, 'partner B: own partner id');
SELECT is(rls_test.value('partner_a', 'onesim_internal.current_partner_status()'), 'active', 'partner A: status active');
SELECT is(rls_test.value('partner_a', 'onesim_internal.is_admin()'), 'false', 'partner A: not admin');
SELECT is(rls_test.value('partner_a', 'onesim_internal.is_service()'), 'false', 'partner A: not service');

SELECT is(rls_test.value('admin', 'onesim_internal.current_user_id()'), pg_temp.id('user_ad')::text, 'admin: own user id');
SELECT is(rls_test.value('admin', 'onesim_internal.current_partner_id()'), NULL, 'admin: no partner');
SELECT is(rls_test.value('admin', 'onesim_internal.is_admin()'), 'true', 'admin: is admin');
SELECT is(rls_test.value('admin', 'onesim_internal.is_service()'), 'false', 'admin: not service');

SELECT is(rls_test.value('service', 'onesim_internal.is_service()'), 'true', 'service_role: is service');
SELECT is(rls_test.value('service', 'onesim_internal.is_admin()'), 'false', 'service_role: not admin');
SELECT is(rls_test.value('service', 'onesim_internal.current_user_id()'), NULL, 'service_role: no user id');
SELECT is(rls_test.value('superuser', 'onesim_internal.is_service()'), 'true', 'a superuser session (migrations) is service');

-- The admin arms of the policies: the whole range for an admin, an empty one
-- for anyone else.
SELECT is(rls_test.value('admin', 'onesim_internal.admin_visible_id_min()'), '00000000-0000-0000-0000-000000000000',
          'admin: the id range starts at the smallest uuid');
SELECT is(rls_test.value('admin', 'onesim_internal.admin_visible_id_max()'), 'ffffffff-ffff-ffff-ffff-ffffffffffff',
          'admin: the id range ends at the largest uuid');
SELECT is(rls_test.value('admin', 'onesim_internal.admin_visible_since() = ''-infinity'' AND onesim_internal.admin_visible_until() = ''infinity'''),
          'true', 'admin: the created_at range is every time');
SELECT is(rls_test.value(who, 'onesim_internal.admin_visible_id_min() > onesim_internal.admin_visible_id_max()'
                              || ' AND onesim_internal.admin_visible_since() > onesim_internal.admin_visible_until()'),
          'true', who || ': both admin ranges are empty')
  FROM unnest(ARRAY['anon', 'customer', 'partner_a', 'service']) AS who;

-- A role with BYPASSRLS (e.g. Supabase's postgres) is the service; the
-- service_role claim alone lifts no API role. Only a superuser may create a
-- BYPASSRLS role (PostgreSQL 15): a project owner, itself such a role, checks
-- its own; a superuser checks one it creates.
SELECT rolsuper AS session_is_superuser FROM pg_roles WHERE rolname = current_user \gset
\if :session_is_superuser
CREATE ROLE rls_test_job NOLOGIN BYPASSRLS;
GRANT USAGE ON SCHEMA onesim_internal TO rls_test_job;
GRANT EXECUTE ON FUNCTION onesim_internal.is_service() TO rls_test_job;
SELECT 'rls_test_job' AS bypassrls_role \gset
\else
SELECT current_user AS bypassrls_role \gset
\endif
SELECT is((SELECT rolbypassrls AND NOT rolsuper FROM pg_roles WHERE rolname = :'bypassrls_role'), true,
          :'bypassrls_role' || ' bypasses RLS and is no superuser');
SET LOCAL ROLE :"bypassrls_role";
SELECT is(onesim_internal.is_service(), true, 'a BYPASSRLS role is service');
RESET ROLE;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"service_role"}', pg_temp.id('user_c')), true);
SELECT is(onesim_internal.is_service(), false, 'forged role claim: authenticated stays non-service');
SELECT set_config('request.jwt.claim.role', 'service_role', true);
SELECT is(onesim_internal.is_service(), false, 'forged request.jwt.claim.role: authenticated stays non-service');
SELECT set_config('request.jwt.claim.role', '', true);
RESET ROLE;
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT is(onesim_internal.is_service(), false, 'forged role claim: anon stays non-service');
RESET ROLE;

-- Admin status follows profiles.user_type; partner status follows partners.status.
UPDATE partners SET status = 'suspended' WHERE id = pg_temp.id('partner_a');
SELECT is(rls_test.value('partner_a', 'onesim_internal.current_partner_status()'), 'suspended', 'partner status follows the row');
UPDATE partners SET status = 'active' WHERE id = pg_temp.id('partner_a');
UPDATE profiles SET user_type = 'admin' WHERE id = pg_temp.id('user_d');
SELECT is(rls_test.value('customer_d', 'onesim_internal.is_admin()'), 'true', 'promoted user is admin');
UPDATE profiles SET user_type = 'customer' WHERE id = pg_temp.id('user_d');
SELECT is(rls_test.value('customer_d', 'onesim_internal.is_admin()'), 'false', 'demoted user is not admin');

-- Same answers as auth.uid(), for every form of the claims.
SELECT set_config('request.jwt.claims', format('{"sub":"%s"}', pg_temp.id('user_c')), true);
SELECT is(onesim_internal.current_user_id(), auth.uid(), 'claims sub: same as auth.uid()');
SELECT set_config('request.jwt.claim.sub', pg_temp.id('user_a')::text, true);
SELECT is(onesim_internal.current_user_id(), pg_temp.id('user_a'),
          'request.jwt.claim.sub takes precedence, as in auth.uid()');
SELECT is(onesim_internal.current_user_id(), auth.uid(), 'legacy claim: same as auth.uid()');
SELECT set_config('request.jwt.claim.sub', '', true);
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT is(onesim_internal.current_user_id(), NULL, 'claims without sub: NULL');
SELECT set_config('request.jwt.claims', '', true);
SELECT is(onesim_internal.current_user_id(), NULL, 'empty claims: NULL');
SELECT set_config('request.jwt.claims', format('["%s"]', pg_temp.id('user_c')), true);
SELECT is(onesim_internal.current_user_id(), auth.uid(), 'claims not an object: NULL like auth.uid()');
SELECT set_config('request.jwt.claims', '{"sub":null}', true);
SELECT is(onesim_internal.current_user_id(), NULL, 'JSON null sub: NULL');

-- Malformed or forged claims are errors, with auth.uid()'s SQLSTATE.
SELECT set_config('request.jwt.claims', '{broken', true);
SELECT throws_ok('SELECT onesim_internal.current_user_id()', '22P02', NULL, 'malformed claims JSON: 22P02');
SELECT throws_ok('SELECT onesim_internal.is_admin()', '22P02', NULL, 'malformed claims: is_admin raises too');
SELECT throws_ok('SELECT onesim_internal.current_partner_id()', '22P02', NULL, 'malformed claims: current_partner_id raises too');
SELECT set_config('request.jwt.claims', '{"sub":"not-a-uuid","role":"authenticated"}', true);
SELECT throws_ok('SELECT onesim_internal.current_user_id()', '22P02', 'invalid input syntax for type uuid: "not-a-uuid"',
                 'malformed sub: 22P02 as auth.uid()');
SELECT set_config('request.jwt.claims', '{"sub":""}', true);
SELECT throws_ok('SELECT onesim_internal.current_user_id()', '22P02', NULL, 'empty sub in claims: 22P02 as auth.uid()');
SELECT throws_ok('SELECT auth.uid()', '22P02', NULL, '(auth.uid() agrees)');
SELECT set_config('request.jwt.claims', format('{"sub":"%s'' OR true --"}', pg_temp.id('user_c')), true);
SELECT throws_ok('SELECT onesim_internal.current_user_id()', '22P02', NULL, 'injection attempt in sub: 22P02');
SELECT set_config('request.jwt.claims', '', true);

-- A malformed claim fails the statement of an API caller (no silent access).
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":', true);
SELECT throws_ok('SELECT count(*) FROM orders', '22P02', NULL, 'authenticated with malformed claims cannot query orders');
RESET ROLE;
SELECT set_config('request.jwt.claims', '', true);

-- The kept plans answer again after errors in the same backend.
SELECT is(rls_test.value('partner_a', 'onesim_internal.current_partner_id()'), pg_temp.id('partner_a')::text,
          'cached plans still answer');

SELECT * FROM finish();
ROLLBACK;
