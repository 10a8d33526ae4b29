-- The advisor's properties for this system, in its own words, over the
-- catalog of the installed extension (wherever it was installed).
BEGIN;
SELECT plan(12);

CREATE TEMP VIEW app AS
  SELECT e.oid AS ext, e.extnamespace AS nsp FROM pg_extension e WHERE e.extname = 'esim_admin';
CREATE TEMP VIEW members AS
  SELECT d.classid, d.objid FROM pg_depend d WHERE d.refobjid = (SELECT ext FROM app) AND d.deptype = 'e';
CREATE TEMP VIEW our_tables AS
  SELECT c.oid, n.nspname, c.relname, c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r' AND (c.oid IN (SELECT objid FROM members WHERE classid = 'pg_class'::regclass));
CREATE TEMP VIEW our_functions AS
  SELECT p.oid, n.nspname, p.proname, p.prosecdef, p.proconfig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE p.oid IN (SELECT objid FROM members WHERE classid = 'pg_proc'::regclass);

SELECT is((SELECT count(*)::int FROM our_tables WHERE nspname <> 'esim_admin_internal'), 27,
          'the 20 tables of the seed, the audit trail and six retention tables');
SELECT is(ARRAY(SELECT nspname || '.' || relname FROM our_tables WHERE NOT relrowsecurity ORDER BY 1), '{}'::text[],
          'row level security on every table, the internal ones included');
SELECT is(ARRAY(SELECT nspname || '.' || proname FROM our_functions
                 WHERE NOT EXISTS (SELECT FROM unnest(coalesce(proconfig, '{}')) s WHERE s LIKE 'search_path=%') ORDER BY 1),
          '{}'::text[], 'every function pins its search_path');
SELECT is(ARRAY(SELECT proname::text FROM our_functions WHERE prosecdef AND nspname <> 'esim_admin_internal' ORDER BY 1),
          '{}'::text[], 'SECURITY DEFINER functions live only in esim_admin_internal');
SELECT is(ARRAY(SELECT proname::text FROM our_functions
                 WHERE nspname = 'esim_admin_internal' AND has_function_privilege('public', oid, 'EXECUTE') ORDER BY 1),
          '{}'::text[], 'no internal function is executable by PUBLIC');
SELECT is(ARRAY(SELECT proname::text FROM our_functions
                 WHERE nspname <> 'esim_admin_internal' AND has_function_privilege('anon', oid, 'EXECUTE') ORDER BY 1),
          ARRAY['price_at', 'record_article_view'], 'anon may call the price look-up and count an article view, nothing else');
SELECT is(ARRAY(SELECT proname::text FROM our_functions
                 WHERE proname IN ('reveal_twilio_config', 'reveal_provider_key', 'apply_retention', 'reveal_secrets')
                   AND has_function_privilege('authenticated', oid, 'EXECUTE') ORDER BY 1),
          '{}'::text[], 'secrets and retention are not reachable by authenticated');
SELECT is(ARRAY(SELECT format('%s.%s', c.relname, a.attname)
                  FROM our_tables c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 WHERE (a.attname = 'password_hash' OR a.attname LIKE '%\_encrypted')
                   AND (has_column_privilege('anon', c.oid, a.attnum, 'SELECT')
                        OR has_column_privilege('authenticated', c.oid, a.attnum, 'SELECT')) ORDER BY 1),
          '{}'::text[], 'no API role reads a password hash or a secret column');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                 WHERE c.relkind = 'v' AND c.oid IN (SELECT objid FROM members WHERE classid = 'pg_class'::regclass)
                   AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false) ORDER BY 1),
          '{}'::text[], 'every view is security_invoker');
SELECT is(ARRAY(SELECT format('%s.%s', tablename, policyname) FROM pg_policies
                 WHERE schemaname = (SELECT nspname::text FROM pg_namespace WHERE oid = (SELECT nsp FROM app))
                   AND 'public' = ANY (roles) ORDER BY 1),
          '{}'::text[], 'every policy names its roles');
SELECT is(ARRAY(SELECT format('%s.%s', t.relname, k.conname) FROM pg_constraint k JOIN our_tables t ON t.oid = k.conrelid
                 WHERE k.contype = 'f' AND NOT EXISTS (
                   SELECT FROM pg_index i WHERE i.indrelid = k.conrelid
                      AND (i.indkey::int2[])[0:cardinality(k.conkey) - 1] = k.conkey) ORDER BY 1),
          '{}'::text[], 'every foreign key has an index that starts with its columns');
SELECT is(ARRAY(SELECT nspname || '.' || relname FROM our_tables
                 WHERE (has_table_privilege('anon', oid, 'INSERT, UPDATE, DELETE')
                        OR has_table_privilege('authenticated', oid, 'INSERT, UPDATE, DELETE'))
                   AND relname IN ('audit_log', 'revenue_reports', 'esim_data_usage', 'data_allocations', 'transactions_archive',
                                   'refunds_archive', 'ticket_counters', 'secret_key') ORDER BY 1),
          '{}'::text[], 'tables only the system writes take no write from the API roles');

SELECT * FROM finish();
ROLLBACK;
