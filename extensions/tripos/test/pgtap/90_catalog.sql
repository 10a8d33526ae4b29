-- The security and shape rules over the catalog, for every object of every
-- installed Trip OS stage (the advisor's checks in the project's own words).
BEGIN;
SELECT plan(14);
CREATE TEMP VIEW tripos_members AS
  SELECT d.classid, d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
   WHERE d.deptype = 'e' AND e.extname LIKE 'tripos\_%';
CREATE TEMP VIEW tripos_tables AS
  SELECT c.oid, c.relname, c.relnamespace FROM pg_class c JOIN tripos_members m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
   WHERE c.relkind = 'r';
CREATE TEMP VIEW tripos_functions AS
  SELECT p.* FROM pg_proc p JOIN tripos_members m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid;
GRANT SELECT ON tripos_members, tripos_tables, tripos_functions TO authenticated;
SET LOCAL ROLE authenticated;

SELECT ok((SELECT count(*) FROM tripos_tables) >= 6, 'the installed stages have tables');
SELECT is((SELECT array_agg(t.relname ORDER BY t.relname) FROM tripos_tables t JOIN pg_class c USING (oid) WHERE NOT c.relrowsecurity),
          NULL, 'every table has row level security');
SELECT is((SELECT array_agg(t.relname ORDER BY t.relname) FROM tripos_tables t
            WHERE (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = t.oid AND NOT a.attisdropped
                    AND ((a.attname = 'id' AND a.atttypid = 'uuid'::regtype)
                         OR (a.attname IN ('created_at', 'updated_at') AND a.atttypid = 'timestamptz'::regtype AND a.attnotnull))) <> 3),
          NULL, 'every table has id uuid, created_at and updated_at (timestamptz, not null)');
SELECT is((SELECT array_agg(t.relname ORDER BY t.relname) FROM tripos_tables t
            WHERE NOT EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = t.oid AND g.tgfoid = 'tripos_internal.touch_updated_at()'::regprocedure)),
          NULL, 'every table keeps updated_at by trigger');
SELECT is((SELECT array_agg(conname ORDER BY conname) FROM pg_constraint k JOIN tripos_tables t ON t.oid = k.conrelid
            WHERE k.contype = 'f' AND NOT EXISTS (
              SELECT FROM pg_index i WHERE i.indrelid = k.conrelid
                 AND (i.indkey::int2[])[0:array_length(k.conkey, 1) - 1] = k.conkey AND i.indpred IS NULL)),
          NULL, 'every foreign key is served by an index on its columns');
SELECT is((SELECT array_agg(k.conname ORDER BY k.conname) FROM pg_constraint k JOIN tripos_tables t ON t.oid = k.conrelid
            WHERE k.contype = 'f' AND k.conname NOT LIKE 'fk\_%'), NULL, 'foreign keys are named fk_<table>_<column>');
SELECT is((SELECT array_agg(polname) FROM pg_policy p JOIN tripos_tables t ON t.oid = p.polrelid WHERE p.polroles = '{0}'),
          NULL, 'no policy applies to PUBLIC: each names its roles');
SELECT is((SELECT array_agg(t.relname || ':' || r || ':' || cmd) FROM (
             SELECT p.polrelid, unnest(p.polroles) AS r, c.cmd, count(*) AS n
               FROM pg_policy p CROSS JOIN LATERAL (SELECT unnest(CASE p.polcmd WHEN '*' THEN ARRAY['r', 'a', 'w', 'd'] ELSE ARRAY[p.polcmd::text] END) AS cmd) c
              WHERE p.polpermissive GROUP BY 1, 2, 3) x JOIN tripos_tables t ON t.oid = x.polrelid WHERE x.n > 1),
          NULL, 'one permissive policy per table, role and action');
SELECT is((SELECT array_agg(polname) FROM pg_policy p JOIN tripos_tables t ON t.oid = p.polrelid
            WHERE replace(coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), ''),
                          'SELECT auth.uid()', '') LIKE '%auth.uid()%'),
          NULL, 'policies call auth.uid() once per statement, as (SELECT auth.uid())');
SELECT is((SELECT array_agg(proname) FROM tripos_functions WHERE prosecdef AND pronamespace <> 'tripos_internal'::regnamespace),
          NULL, 'SECURITY DEFINER functions live in tripos_internal only');
SELECT is((SELECT array_agg(proname) FROM tripos_functions
            WHERE NOT EXISTS (SELECT FROM unnest(proconfig) c WHERE c LIKE 'search\_path=%')),
          NULL, 'every function fixes its search_path');
SELECT is((SELECT array_agg(proname) FROM tripos_functions WHERE has_function_privilege('anon', oid, 'EXECUTE')),
          NULL, 'anon can execute none of them');
SELECT is((SELECT array_agg(c.relname) FROM pg_class c JOIN tripos_members m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
            WHERE c.relkind = 'v' AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)),
          NULL, 'every view is security_invoker');
SELECT is((SELECT array_agg(a.indexrelid::regclass::text) FROM pg_index a JOIN pg_index b
             ON a.indrelid = b.indrelid AND a.indexrelid < b.indexrelid AND a.indkey = b.indkey
            AND coalesce(pg_get_expr(a.indpred, a.indrelid), '') = coalesce(pg_get_expr(b.indpred, b.indrelid), '')
            AND coalesce(pg_get_expr(a.indexprs, a.indrelid), '') = coalesce(pg_get_expr(b.indexprs, b.indrelid), '')
           JOIN tripos_tables t ON t.oid = a.indrelid), NULL, 'no duplicate indexes');

SELECT * FROM finish();
ROLLBACK;
