-- callai.restore_mode = off and = on (platform/restore_mode.hpp): off never
-- loads rows as dumped, even in a session with pg_dump's settings; on always
-- does, in an ordinary session. The setting is PGC_SUSET: only a superuser
-- can set it. Detection in auto mode is checked in test/pgtap/60_restore_mode.sql.
-- (With the empty search_path every name below is qualified.)
BEGIN;
\ir ../../../../test/lib/pgtap_helpers.psql
\ir ../pgtap/fixtures/stores.psql
SELECT plan(3);
SET LOCAL client_min_messages = error;
SELECT extnamespace::regnamespace::text AS app FROM pg_extension WHERE extname = 'callai' \gset

-- Ended 61 s after it started; the dump says 999 s, billed 999.
\set dumped_call 'INSERT INTO ' :"app" '.calls (store_id, provider, provider_call_id, from_phone, to_phone, direction, start_time, end_time, status, duration_seconds, billable_seconds) VALUES (''' :store_a ''', ''vapi'', ''CALLID'', ''+14155550101'', ''+18005550100'', ''inbound'', ''2026-04-05 10:15:00+00'', ''2026-04-05 10:16:01+00'', ''completed'', 999, 999)'

SET LOCAL row_security = off;
SET LOCAL check_function_bodies = off;
SELECT pg_catalog.set_config('search_path', '', true);
SET LOCAL callai.restore_mode = off;
SELECT pg_catalog.replace(:'dumped_call', 'CALLID', 'restore_mode_off') \gexec
SET LOCAL callai.restore_mode = auto;
SELECT pg_catalog.replace(:'dumped_call', 'CALLID', 'restore_mode_auto') \gexec
SELECT pg_catalog.set_config('search_path', :'app' || ', public, extensions, pg_catalog', true);
RESET row_security;
RESET check_function_bodies;
SET LOCAL callai.restore_mode = on;
SELECT replace(:'dumped_call', 'CALLID', 'restore_mode_on') \gexec
SET LOCAL callai.restore_mode = auto;

SELECT is((SELECT duration_seconds || '/' || billable_seconds FROM calls WHERE store_id = :'store_a' AND provider_call_id = 'restore_mode_off'), '61/120',
          'callai.restore_mode = off, pg_dump''s settings: the triggers run');
SELECT is((SELECT duration_seconds || '/' || billable_seconds FROM calls WHERE store_id = :'store_a' AND provider_call_id = 'restore_mode_auto'), '999/999',
          'back to auto, the same session loads the dumped row as it is');
SELECT is((SELECT duration_seconds || '/' || billable_seconds FROM calls WHERE store_id = :'store_a' AND provider_call_id = 'restore_mode_on'), '999/999',
          'callai.restore_mode = on, an ordinary session: the dumped row loads as it is');

SELECT * FROM finish();
ROLLBACK;
