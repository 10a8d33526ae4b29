-- The properties Supabase's advisor checks, in the catalog's own words, over
-- the extension's schema and esimgo_internal: RLS on every table, views as
-- security invoker, every foreign key indexed, no duplicate index, one
-- permissive policy per role and action, policies for named roles only,
-- SECURITY DEFINER only in esimgo_internal with a fixed search_path, nothing
-- executable by PUBLIC, and the 16 tables and 2 enums of the seed.
BEGIN;
SELECT plan(14);

CREATE TEMP VIEW ext_schema AS
  SELECT e.extnamespace AS oid FROM pg_extension e WHERE e.extname = 'esimgo';
CREATE TEMP VIEW ext_tables AS
  SELECT c.oid, c.relname FROM pg_class c
  WHERE c.relkind = 'r' AND c.relnamespace = (SELECT oid FROM ext_schema)
    AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e'
                AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'esimgo'));

SELECT bag_eq(
  'SELECT relname::text FROM ext_tables',
  $$VALUES ('esim_bundles'), ('esim_orders'), ('esims'), ('data_plans'), ('package_assignments'),
           ('pricing_rules'), ('pricing_blocks'), ('pricing_strategies'), ('strategy_blocks'),
           ('high_demand_countries'), ('catalog_bundles'), ('catalog_metadata'), ('catalog_sync_jobs'),
           ('profiles'), ('checkout_sessions'), ('trips')$$,
  'the 16 tables of the seed');

SELECT is((SELECT count(*)::int FROM pg_attribute a JOIN ext_tables t ON t.oid = a.attrelid
           WHERE a.atttypid IN ('block_type'::regtype, 'event_type'::regtype) AND NOT a.attisdropped), 3,
          'block_type and event_type are used by columns (category, event_type of blocks and rules)');

SELECT is_empty(
  $$SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND NOT c.relrowsecurity
      AND c.relnamespace IN ((SELECT oid FROM ext_schema), 'esimgo_internal'::regnamespace)$$,
  'RLS is on for every table');

SELECT is_empty(
  $$SELECT c.relname FROM ext_tables t JOIN pg_class c ON c.oid = t.oid
    WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'updated_at')$$,
  'every table has updated_at');

SELECT is_empty(
  $$SELECT t.relname FROM ext_tables t
    WHERE NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = t.oid AND g.tgname = 'touch_updated_at')$$,
  'every table keeps updated_at by trigger');

SELECT is_empty(
  $$SELECT c.relname FROM pg_class c WHERE c.relkind = 'v' AND c.relnamespace = (SELECT oid FROM ext_schema)
      AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e'
                  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'esimgo'))
      AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)$$,
  'every view is security_invoker');

SELECT is_empty(
  $$SELECT con.conname FROM pg_constraint con JOIN ext_tables t ON t.oid = con.conrelid
    WHERE con.contype = 'f' AND NOT EXISTS (
      SELECT 1 FROM pg_index i WHERE i.indrelid = con.conrelid
        AND (i.indkey::int2[])[0:array_length(con.conkey, 1) - 1] = con.conkey::int2[])$$,
  'every foreign key has an index that starts with its columns');

SELECT is_empty(
  $$SELECT i.indrelid::regclass FROM pg_index i JOIN ext_tables t ON t.oid = i.indrelid
    GROUP BY i.indrelid, i.indkey::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), ''),
             coalesce(pg_get_expr(i.indpred, i.indrelid), ''), i.indclass::text
    HAVING count(*) > 1$$,
  'no duplicate indexes');

SELECT is_empty(
  $$SELECT p.polrelid::regclass, r.rolname, p.polcmd FROM pg_policy p JOIN ext_tables t ON t.oid = p.polrelid
      CROSS JOIN LATERAL unnest(p.polroles) AS pr(role) JOIN pg_roles r ON r.oid = pr.role
    CROSS JOIN LATERAL (SELECT CASE p.polcmd WHEN '*' THEN ARRAY['r','a','w','d'] ELSE ARRAY[p.polcmd::text] END) AS c(cmds)
    CROSS JOIN LATERAL unnest(c.cmds) AS cmd(one)
    WHERE p.polpermissive GROUP BY 1, 2, 3, cmd.one HAVING count(*) > 1$$,
  'one permissive policy per table, role and action');

SELECT is_empty(
  $$SELECT p.polname FROM pg_policy p JOIN ext_tables t ON t.oid = p.polrelid WHERE 0 = ANY (p.polroles)$$,
  'no policy applies to PUBLIC');

SELECT is_empty(
  $$SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = (SELECT oid FROM ext_schema) AND p.prosecdef
      AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'
                  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'esimgo'))$$,
  'API functions in the extension schema are SECURITY INVOKER');

SELECT is_empty(
  $$SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace IN ((SELECT oid FROM ext_schema), 'esimgo_internal'::regnamespace)
      AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'
                  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'esimgo'))
      AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')$$,
  'every function pins search_path');

SELECT is_empty(
  $$SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace IN ((SELECT oid FROM ext_schema), 'esimgo_internal'::regnamespace)
      AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'
                  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'esimgo'))
      AND has_function_privilege('public', p.oid, 'EXECUTE')$$,
  'no function is executable by PUBLIC');

SELECT is_empty(
  $$SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace IN ((SELECT oid FROM ext_schema), 'esimgo_internal'::regnamespace) AND p.prosecdef
      AND has_function_privilege('anon', p.oid, 'EXECUTE')
      AND p.pronamespace = (SELECT oid FROM ext_schema)$$,
  'anon can execute no SECURITY DEFINER function in the exposed schema');

SELECT * FROM finish();
ROLLBACK;
