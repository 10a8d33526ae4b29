-- What Supabase's advisor (splinter) asks of the API surface, over OneSIM's
-- catalog in whatever schema it was created in: the functions apps reach
-- run as their caller, the privileged steps sit in onesim_internal (which
-- PostgREST does not expose) with a pinned search_path, and anon reaches
-- only what it needs.
BEGIN;
SELECT plan(10);

CREATE TEMP VIEW onesim_functions AS
  SELECT p.oid, n.nspname, p.proname, p.prosecdef, p.proconfig, p.prokind,
         p.pronamespace = e.extnamespace AS exposed
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim';

SELECT is(ARRAY(SELECT proname::text FROM onesim_functions
                 WHERE exposed AND prosecdef
                   AND (has_function_privilege('anon', oid, 'EXECUTE')
                        OR has_function_privilege('authenticated', oid, 'EXECUTE'))
                 ORDER BY 1),
          '{}'::text[], 'no SECURITY DEFINER function in the extension''s schema is executable by anon or authenticated');
SELECT is(ARRAY(SELECT proname::text FROM onesim_functions WHERE exposed AND prosecdef ORDER BY 1),
          '{}'::text[], 'the extension''s schema holds no SECURITY DEFINER function at all');
SELECT is(ARRAY(SELECT format('%s.%s', nspname, proname) FROM onesim_functions
                 WHERE prosecdef AND nspname <> 'onesim_internal' ORDER BY 1),
          '{}'::text[], 'every SECURITY DEFINER function lives in onesim_internal');
SELECT is(ARRAY(SELECT format('%s.%s', nspname, proname) FROM onesim_functions
                 WHERE prokind = 'f'
                   AND NOT coalesce(proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)
                 ORDER BY 1),
          '{}'::text[], 'every function pins search_path = pg_catalog, pg_temp');
SELECT is(ARRAY(SELECT proname::text FROM onesim_functions
                 WHERE exposed AND has_function_privilege('anon', oid, 'EXECUTE') ORDER BY 1),
          ARRAY['calculate_commission', 'commission_breakdown', 'quote_package'],
          'anon may execute only the price and commission calculators of the API');
SELECT is(ARRAY(SELECT proname::text FROM onesim_functions
                 WHERE NOT exposed AND prosecdef AND proname LIKE 'api\_%'
                   AND has_function_privilege('anon', oid, 'EXECUTE')
                 ORDER BY 1),
          ARRAY['api_quote_package'], 'of the API''s privileged steps anon may run only the quote''s');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
                  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
                 WHERE c.relkind IN ('r', 'p') AND NOT c.relrowsecurity ORDER BY 1),
          '{}'::text[], 'row level security is on for every table');

-- The figures' oracle: the service role's (operators, Supabase's test
-- tooling), no API user's.
SELECT ok(has_function_privilege('service_role', 'onesim_internal.reconcile(boolean)', 'EXECUTE'),
          'the service role may run reconcile()');
SELECT ok(NOT has_function_privilege('authenticated', 'onesim_internal.reconcile(boolean)', 'EXECUTE'),
          'authenticated may not');
SELECT ok(NOT has_function_privilege('anon', 'onesim_internal.reconcile(boolean)', 'EXECUTE'), 'nor anon');

SELECT * FROM finish();
ROLLBACK;
