-- What Supabase's advisor (splinter) checks, said in our own words, for one
-- system installed in its own schema as the README recommends: @schema@ is
-- the schema the API exposes, @internal@ the system's private schemas
-- (a regular expression on schema names). Run by test/lib/catalog-check.sh.
BEGIN;
SELECT plan(12);

CREATE TEMP VIEW exposed_tables AS
  SELECT c.oid, c.relname, c.relrowsecurity
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = '@schema@' AND c.relkind IN ('r', 'p');
CREATE TEMP VIEW our_functions AS
  SELECT p.oid, n.nspname, p.proname, p.prosecdef, p.proconfig, p.prokind
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid
   WHERE n.nspname = '@schema@' OR n.nspname ~ '@internal@';
CREATE TEMP VIEW exposed_policies AS
  SELECT p.* FROM pg_policies p WHERE p.schemaname = '@schema@';

SELECT ok((SELECT count(*) FROM exposed_tables) > 0, 'the schema holds the system''s tables');

SELECT is(ARRAY(SELECT relname::text FROM exposed_tables WHERE NOT relrowsecurity ORDER BY 1),
          '{}'::text[], 'row level security is on for every table of the exposed schema');

SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = '@schema@' AND c.relkind = 'v'
                   AND NOT coalesce('security_invoker=true' = ANY (c.reloptions)
                                    OR 'security_invoker=on' = ANY (c.reloptions), false)
                 ORDER BY 1),
          '{}'::text[], 'every view is security_invoker (a view would otherwise bypass RLS)');

SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = '@schema@' AND c.relkind IN ('m', 'f') ORDER BY 1),
          '{}'::text[], 'no materialized view or foreign table in the exposed schema (RLS does not apply to them)');

SELECT is(ARRAY(SELECT nspname || '.' || proname FROM our_functions
                 WHERE prokind IN ('f', 'p')
                   AND NOT EXISTS (SELECT FROM unnest(coalesce(proconfig, '{}')) s WHERE s LIKE 'search_path=%')
                 ORDER BY 1),
          '{}'::text[], 'every function pins its search_path');

SELECT is(ARRAY(SELECT proname::text FROM our_functions
                 WHERE nspname = '@schema@' AND prosecdef
                   AND (has_function_privilege('anon', oid, 'EXECUTE')
                        OR has_function_privilege('authenticated', oid, 'EXECUTE'))
                 ORDER BY 1),
          '{}'::text[], 'no SECURITY DEFINER function in the exposed schema is executable by anon or authenticated');

SELECT is(ARRAY(SELECT format('%s.%s', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname ~ '@internal@' AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relrowsecurity
                   AND (has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE')
                        OR has_table_privilege('authenticated', c.oid, 'SELECT, INSERT, UPDATE, DELETE'))
                 ORDER BY 1),
          '{}'::text[], 'no relation of the private schemas is open to anon or authenticated without RLS');

SELECT is(ARRAY(SELECT format('%s %s %s', tablename, r, cmd) FROM (
                  SELECT tablename, unnest(roles) AS r, cmd FROM exposed_policies WHERE permissive = 'PERMISSIVE'
                ) p
                 GROUP BY tablename, r, cmd HAVING count(*) > 1
                 UNION
                SELECT format('%s %s %s', tablename, r, c) FROM (
                  SELECT tablename, unnest(roles) AS r, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS c
                    FROM exposed_policies WHERE permissive = 'PERMISSIVE' AND cmd = 'ALL'
                ) a
                 WHERE EXISTS (SELECT FROM exposed_policies o WHERE o.tablename = a.tablename AND o.cmd = a.c
                                  AND o.permissive = 'PERMISSIVE' AND a.r = ANY (o.roles))
                 ORDER BY 1),
          '{}'::text[], 'at most one permissive policy per table, role and action');

SELECT is(ARRAY(SELECT format('%s.%s', tablename, policyname) FROM exposed_policies
                 WHERE (SELECT bool_or(coalesce(e, '') ~ ('(auth\.(uid|jwt|role|email)\(\)|current_setting\()')
                                       AND lower(coalesce(e, '')) !~ ('select (auth\.(uid|jwt|role|email)\(\)|current_setting\()'))
                          FROM unnest(ARRAY[qual, with_check]) e)
                 ORDER BY 1),
          '{}'::text[], 'policies call auth.*() and current_setting() through (SELECT ...), once per statement');

SELECT is(ARRAY(SELECT format('%s.%s', tablename, policyname) FROM exposed_policies
                 WHERE cmd <> 'SELECT' AND (qual = 'true' OR with_check = 'true')
                   AND NOT roles <@ ARRAY['service_role']::name[]
                 ORDER BY 1),
          '{}'::text[], 'no always-true policy lets anyone but the service role write');

SELECT is(ARRAY(SELECT format('%s: %s', t.relname, string_agg(i.indexrelid::regclass::text, ', '))
                  FROM pg_index i JOIN exposed_tables t ON t.oid = i.indrelid
                 GROUP BY t.relname, i.indisunique, i.indkey::text, i.indclass::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), ''),
                          coalesce(pg_get_expr(i.indpred, i.indrelid), '')
                HAVING count(*) > 1 ORDER BY 1),
          '{}'::text[], 'no duplicate indexes');

SELECT is(ARRAY(SELECT format('%s.%s', t.relname, c.conname)
                  FROM pg_constraint c JOIN exposed_tables t ON t.oid = c.conrelid
                 WHERE c.contype = 'f'
                   AND NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.conrelid
                                      AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] @> c.conkey
                                      AND c.conkey @> (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1])
                 ORDER BY 1),
          '{}'::text[], 'every foreign key has an index that starts with its columns');

SELECT * FROM finish();
ROLLBACK;
