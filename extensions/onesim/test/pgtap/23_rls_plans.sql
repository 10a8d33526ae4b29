-- RLS that is fast: a partner's or a customer's read of orders, and of every
-- other table that grows with use, is answered by indexes (a BitmapOr of the
-- policy's arms), never by a scan of every row; an admin still sees
-- everything.
--
-- Then the rules Supabase's database advisor checks, over every object of
-- ours. Where each one is tested:
--   RLS enabled on every table ................ 21_rls_matrix, 02_seed_conformance
--   no per-row helper call in a policy ........ 21_rls_matrix (onesim_internal helpers); here (auth.*,
--                                               current_setting, any other function)
--   one permissive policy per role and action . 21_rls_matrix
--   no always-true policy, none TO public ..... 21_rls_matrix
--   fixed search_path on every function ....... 51_search_path
--   no view that bypasses RLS ................. 22_views (the two views); here (every view)
--   every foreign key indexed, no duplicate ... 02_seed_conformance
--   auth.users closed to the API roles ........ here
BEGIN;
SELECT plan(19);
\ir fixtures/test_ids.psql
-- user i is u<i>@plans.test, its id pg_temp.id('plans_<i>'); u50 is the admin.
SELECT pg_temp.new_ids(VARIADIC ARRAY(SELECT 'plans_' || i FROM generate_series(1, 50) i));
SELECT pg_temp.new_ids('plans_unknown');

INSERT INTO auth.users (id, email)
SELECT pg_temp.id('plans_' || i), 'u' || i || '@plans.test'
  FROM generate_series(1, 50) i;
INSERT INTO profiles (id, user_type)
SELECT id, (CASE WHEN email = 'u50@plans.test' THEN 'admin' ELSE 'partner' END)::user_type FROM auth.users WHERE email LIKE '%@plans.test';
INSERT INTO partners (user_id, company_name, business_email)
SELECT id, email, email FROM auth.users WHERE email LIKE '%@plans.test' AND email <> 'u50@plans.test';
INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
SELECT p.user_id, 'b2b_partner', p.id, 'PLAN', 10 FROM partners p, generate_series(1, 100)
 WHERE p.business_email LIKE '%@plans.test';
ANALYZE orders;

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; result text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP result := result || line || E'\n'; END LOOP;
  RETURN result;
END $$;

-- Every arm of the policy has an index, and the admin arm (a range between
-- two helper values) is estimated as narrow: the planner picks the index plan
-- at any size, here on 4900 rows already. A bare "OR is_admin()" arm would
-- leave no choice but a scan of every row.
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('plans_7')), true);
SELECT unalike(pg_temp.plan_of('SELECT count(*), sum(price_usd) FROM orders'), '%Seq Scan on orders%',
  'a partner''s read of its orders uses indexes, not a scan of every order');
SELECT alike(pg_temp.plan_of('SELECT count(*), sum(price_usd) FROM orders'), '%BitmapOr%',
  'the policy''s arms are combined as index scans');
SELECT is((SELECT count(*)::int FROM orders), 100, 'the partner sees exactly its 100 orders');
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('plans_50')), true);
SELECT is((SELECT count(*)::int FROM orders WHERE package_code = 'PLAN'), 4900, 'the admin sees all 4900 orders');
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('plans_unknown')), true);
SELECT is((SELECT count(*)::int FROM orders), 0, 'an unknown user sees none');

-- The four helpers of the orders policy (current_user_id, current_partner_id,
-- admin_visible_since/until) share one look-up of the caller per read point:
-- one read of partners and one of profiles however many helper calls see the
-- same rows, a new one once anything changed. (Each pgTAP call writes its
-- result, a change: the reads to compare run in one statement or one DO.)
RESET ROLE;
CREATE TEMP VIEW caller_lookups AS
  SELECT sum(pg_stat_get_xact_numscans(indexrelid))::int AS scans FROM pg_index
   WHERE indrelid IN ('partners'::regclass, 'profiles'::regclass);
SELECT scans AS lookups_before FROM caller_lookups \gset
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('plans_7')), true);
SELECT is((SELECT count(*)::int FROM orders) + (SELECT count(*)::int FROM orders), 200,
  'the partner reads its orders twice in one statement');
RESET ROLE;
SELECT is((SELECT scans FROM caller_lookups) - :lookups_before, 2,
  'eight helper calls: one look-up of partners, one of profiles');
SET LOCAL ROLE authenticated;
DO $$ BEGIN PERFORM count(*) FROM orders; PERFORM count(*) FROM orders; END $$;
RESET ROLE;
SELECT is((SELECT scans FROM caller_lookups) - :lookups_before, 4,
  'two statements that see the same rows: one look-up for both');
DO $$ BEGIN
  SET LOCAL ROLE authenticated;
  PERFORM count(*) FROM orders;
  RESET ROLE;
  UPDATE partners SET company_name = company_name WHERE business_email = 'u7@plans.test';
  SET LOCAL ROLE authenticated;
  PERFORM count(*) FROM orders;
  RESET ROLE;
END $$;
SELECT is((SELECT scans FROM caller_lookups) - :lookups_before, 8,
  'a statement after a change of this transaction looks the caller up again');
SET LOCAL ROLE authenticated;

-- The other tables that grow with use: the admin arm is a range of the
-- primary key (admin_visible_id_min/max), so the same holds. Each order above
-- made a pending earning: 4900 of them.
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('plans_7')), true);
SELECT unalike(pg_temp.plan_of('SELECT count(*) FROM partner_earnings'), '%Seq Scan on partner_earnings%',
  'a partner''s read of its earnings uses indexes, not a scan of every earning');
SELECT is((SELECT count(*)::int FROM partner_earnings), 100, 'the partner sees exactly its 100 earnings');
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('plans_50')), true);
SELECT is((SELECT count(*)::int FROM partner_earnings e JOIN partners p ON p.id = e.partner_id
            WHERE p.business_email LIKE '%@plans.test'), 4900, 'the admin sees all 4900 earnings');
SELECT is((SELECT count(*)::int FROM profiles
            WHERE id = ANY (ARRAY(SELECT pg_temp.id('plans_' || i) FROM generate_series(1, 50) i))),
  50, 'the admin sees every profile');

-- Whatever the table sizes, every SELECT policy of those tables can be
-- answered by a BitmapOr of index scans: with the other plans priced out, a
-- policy with an arm no index serves (a bare "OR is_admin()", an IN
-- (SELECT ...) under an OR) would still need a scan of every row.
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('plans_7')), true);
SET LOCAL enable_seqscan = off;
SET LOCAL enable_indexscan = off;
SET LOCAL enable_indexonlyscan = off;
SELECT is(
  (SELECT array_agg(t ORDER BY t) FROM unnest(ARRAY[
      'profiles', 'partners', 'package_views', 'user_favorites', 'partner_customers', 'customer_groups',
      'customer_group_members', 'orders', 'partner_earnings', 'partner_payouts', 'order_action_logs',
      'partner_api_keys']) AS t
    WHERE pg_temp.plan_of('SELECT count(*) FROM ' || t) NOT LIKE '%BitmapOr%'
       OR pg_temp.plan_of('SELECT count(*) FROM ' || t) LIKE '%Seq Scan on ' || t || '%'),
  NULL, 'every arm of the SELECT policies of the growing tables is an index condition');
RESET enable_seqscan;
RESET enable_indexscan;
RESET enable_indexonlyscan;
RESET ROLE;

-- Every view of ours runs with the caller's rights, so RLS applies.
SELECT is(
  (SELECT array_agg(c.relname::text ORDER BY c.relname)
     FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname IN ('onesim', 'supabase_platform')
    WHERE c.relkind IN ('v', 'm')
      AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)),
  NULL, 'every view of ours is security_invoker (none bypasses RLS)');

-- A policy evaluates functions once per statement only inside (SELECT ...):
-- besides the onesim_internal helpers (21_rls_matrix), no auth.*(),
-- current_setting() or other function call may stand bare in a policy.
SELECT is(
  (SELECT array_agg(p.tablename || '.' || p.policyname ORDER BY 1) FROM pg_policies p
    WHERE p.schemaname = 'public'
      AND regexp_replace(coalesce(p.qual, '') || ' ' || coalesce(p.with_check, ''),
                         '\(\s*SELECT onesim_internal\.\w+\(\)( AS \w+)?\s*\)', '', 'g')
          ~ '(auth\.\w+\(|current_setting\(|onesim_internal\.|current_user|session_user|jwt)'),
  NULL, 'no policy calls auth.*(), current_setting() or a helper per row');
SELECT is(
  (SELECT array_agg(DISTINCT p.tablename || '.' || p.policyname) FROM pg_policies p,
          regexp_matches(coalesce(p.qual, '') || ' ' || coalesce(p.with_check, ''), '(\w+)\(', 'g') AS m(f)
    WHERE p.schemaname = 'public'
      AND m.f[1] NOT IN ('SELECT', 'EXISTS', 'ANY', 'IN', 'current_user_id', 'current_partner_id',
                         'current_partner_status', 'is_admin', 'is_service', 'admin_visible_since',
                         'admin_visible_until', 'admin_visible_id_min', 'admin_visible_id_max',
                         'ARRAY', 'now')),
  NULL, 'policies call no function but the helpers (and now(), a stable constant per statement)');

-- auth.users (when supabase_platform created it) is not exposed: no RLS needed
-- because no API role but service_role may read it.
SELECT ok(NOT has_table_privilege('anon', 'auth.users', 'SELECT,INSERT,UPDATE,DELETE')
          AND NOT has_table_privilege('authenticated', 'auth.users', 'SELECT,INSERT,UPDATE,DELETE'),
          'anon and authenticated have no privilege on auth.users');

-- No SECURITY DEFINER function of ours is open to PUBLIC.
SELECT is(
  (SELECT array_agg(p.oid::regprocedure::text ORDER BY 1)
     FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim',
          aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
    WHERE p.prosecdef AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'),
  NULL, 'PUBLIC may execute no SECURITY DEFINER function of ours');

SELECT * FROM finish();
ROLLBACK;
