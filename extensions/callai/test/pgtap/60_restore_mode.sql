-- Restore mode, detected (callai.restore_mode = auto): in a session with
-- pg_dump's settings (row_security = off, check_function_bodies = off, an
-- empty search_path) whose role bypasses RLS (the project owner does), rows
-- load as dumped (a call keeps its stored duration and billing); in any other
-- session the triggers compute them. Setting callai.restore_mode takes a
-- superuser: test/pgtap_superuser/restore_mode_setting.sql.
-- (With the empty search_path every name below is qualified.)
BEGIN;
\ir ../../../../test/lib/pgtap_helpers.psql
\ir fixtures/stores.psql
SELECT plan(5);
SELECT extnamespace::regnamespace::text AS app FROM pg_extension WHERE extname = 'callai' \gset

-- Ended 61 s after it started; the dump says 999 s, billed 999.
\set dumped_call 'INSERT INTO ' :"app" '.calls (store_id, provider, provider_call_id, from_phone, to_phone, direction, start_time, end_time, status, duration_seconds, billable_seconds) VALUES (''' :store_a ''', ''vapi'', ''CALLID'', ''+14155550101'', ''+18005550100'', ''inbound'', ''2026-04-05 10:15:00+00'', ''2026-04-05 10:16:01+00'', ''completed'', 999, 999)'

SELECT replace(:'dumped_call', 'CALLID', 'ordinary') \gexec
SET LOCAL row_security = off;
SET LOCAL check_function_bodies = off;
SELECT replace(:'dumped_call', 'CALLID', 'no_empty_search_path') \gexec
SELECT pg_catalog.set_config('search_path', '', true);
SELECT pg_catalog.replace(:'dumped_call', 'CALLID', 'restore') \gexec
SELECT test_helpers.outcome_as('authenticated', :'owner_a', pg_catalog.replace(:'dumped_call', 'CALLID', 'api_role')) AS as_api_role \gset
SELECT pg_catalog.set_config('search_path', :'app' || ', public, extensions, pg_catalog', true);
RESET row_security;
RESET check_function_bodies;

SELECT is((SELECT duration_seconds || '/' || billable_seconds FROM calls WHERE store_id = :'store_a' AND provider_call_id = 'ordinary'), '61/120',
          'an ordinary session: duration and billing computed from the times');
SELECT is((SELECT duration_seconds || '/' || billable_seconds FROM calls WHERE store_id = :'store_a' AND provider_call_id = 'no_empty_search_path'), '61/120',
          'without the empty search_path: no restore session');
SELECT is((SELECT duration_seconds || '/' || billable_seconds FROM calls WHERE store_id = :'store_a' AND provider_call_id = 'restore'), '999/999',
          'a restore session loads the dumped row as it is');
SELECT is(:'as_api_role'::text, '42501', 'a role that does not bypass RLS never reaches restore mode (row_security = off refuses it)');
SELECT is((SELECT count(*)::int FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
            WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'callai') AND c.relkind IN ('r', 'S')
              AND NOT c.oid = ANY ((SELECT coalesce(extconfig, '{}') FROM pg_extension WHERE extname = 'callai')::oid[])),
          0, 'every table and sequence of the extension is dumped');

SELECT * FROM finish();
ROLLBACK;
