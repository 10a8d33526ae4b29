-- Restore mode: in a session with pg_dump's settings (row_security = off,
-- check_function_bodies = off, an empty search_path) that bypasses RLS, rows
-- load as dumped: a restored auth.users row makes no profile (the dumped one,
-- with the names the user edited, follows), a dumped rule is not validated
-- again and moves no rules version. In any other session, or with
-- esimgo.restore_mode = off, the triggers run. Every table is dumped, and the
-- install script knows when it runs inside a restore.
-- (With the empty search_path every name below is qualified.)
BEGIN;
\ir ../../../../test/lib/pgtap_helpers.psql
SELECT plan(13);
SELECT extnamespace::regnamespace::text AS app FROM pg_extension WHERE extname = 'esimgo' \gset
-- esimgo.restore_mode and rules_version are a superuser's: on Supabase the
-- project's owner runs these files and may not set or read them.
SELECT rolsuper AS superuser FROM pg_catalog.pg_roles WHERE rolname = current_user \gset

\set new_user 'INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES (''UID'', ''UID@example.test'', ''{"first_name":"Signed"}'')'
\set dumped_profile 'INSERT INTO ' :"app" '.profiles (id, first_name) VALUES (''UID'', ''Edited'')'
\set dumped_block 'INSERT INTO ' :"app" '.pricing_blocks (id, name, category, event_type, priority, is_active, conditions, params) VALUES (''UID'', ''restored block UID'', ''markup'', ''apply-markup'', 7, false, ''{"all":[{"fact":"country","operator":"sameAs","value":"XR"}]}'', ''{"value":1}'')'

CREATE TEMP TABLE seen (k text PRIMARY KEY, v text);
\set note_version 'INSERT INTO pg_temp.seen SELECT ''KEY'', n::text FROM esimgo_internal.rules_version'

-- an ordinary session
SELECT replace(:'new_user', 'UID', 'f1000000-0000-4000-8000-000000000001') \gexec
SELECT test_helpers.outcome_as('none', NULL, replace(:'dumped_block', 'UID', 'f1000000-0000-4000-8000-0000000000b1')) AS ordinary_block \gset
INSERT INTO seen SELECT 'restoring ordinary', esimgo_internal.restoring_database()::text;
-- pg_dump's settings without the empty search_path: still no restore session
SET LOCAL row_security = off;
SET LOCAL check_function_bodies = off;
SELECT replace(:'new_user', 'UID', 'f1000000-0000-4000-8000-000000000002') \gexec
INSERT INTO seen SELECT 'restoring row_security off', esimgo_internal.restoring_database()::text;
-- a restore session
SELECT pg_catalog.set_config('search_path', '', true);
SELECT pg_catalog.replace(:'new_user', 'UID', 'f1000000-0000-4000-8000-000000000003') \gexec
SELECT pg_catalog.replace(:'dumped_profile', 'UID', 'f1000000-0000-4000-8000-000000000003') \gexec
\if :superuser
SELECT pg_catalog.replace(:'note_version', 'KEY', 'v1') \gexec
\endif
SELECT pg_catalog.replace(:'dumped_block', 'UID', 'f1000000-0000-4000-8000-0000000000b3') \gexec
\if :superuser
SELECT pg_catalog.replace(:'note_version', 'KEY', 'v2') \gexec
-- restore mode off: the triggers run; on: a restore whatever the settings
SET LOCAL esimgo.restore_mode = off;
SELECT pg_catalog.replace(:'new_user', 'UID', 'f1000000-0000-4000-8000-000000000004') \gexec
INSERT INTO pg_temp.seen SELECT 'restoring off', esimgo_internal.restoring_database()::text;
SET LOCAL esimgo.restore_mode = on;
INSERT INTO pg_temp.seen SELECT 'restoring on', esimgo_internal.restoring_database()::text;
SET LOCAL esimgo.restore_mode = auto;
\else
SELECT test_helpers.outcome('SET LOCAL esimgo.restore_mode = off') AS mode_off \gset
SELECT test_helpers.outcome('SET LOCAL esimgo.restore_mode = on') AS mode_on \gset
\endif
SELECT test_helpers.outcome_as('authenticated', 'f1000000-0000-4000-8000-000000000001',
         pg_catalog.replace(:'dumped_block', 'UID', 'f1000000-0000-4000-8000-0000000000b5')) AS as_api_role \gset
SELECT pg_catalog.set_config('search_path', :'app' || ', public, extensions, pg_catalog', true);
RESET row_security;
RESET check_function_bodies;
INSERT INTO seen SELECT 'restored block', count(*)::text FROM pricing_blocks WHERE id = 'f1000000-0000-4000-8000-0000000000b3';
-- an ordinary change after the restore
DELETE FROM pricing_blocks WHERE id = 'f1000000-0000-4000-8000-0000000000b3';

SELECT is((SELECT first_name FROM profiles WHERE id = 'f1000000-0000-4000-8000-000000000001'), 'Signed',
          'an ordinary session: the sign-up makes the profile from the user metadata');
SELECT is((SELECT first_name FROM profiles WHERE id = 'f1000000-0000-4000-8000-000000000002'), 'Signed',
          'without the empty search_path: no restore session, the profile is made');
SELECT is((SELECT first_name FROM profiles WHERE id = 'f1000000-0000-4000-8000-000000000003'), 'Edited',
          'a restore session: no profile from auth.users, the dumped one loads as it is');
\if :superuser
SELECT is((SELECT first_name FROM profiles WHERE id = 'f1000000-0000-4000-8000-000000000004'), 'Signed',
          'esimgo.restore_mode = off: the sign-up trigger runs');
\else
SELECT is(:'mode_off'::text, '42501', 'only a superuser sets esimgo.restore_mode (not the project''s owner)');
\endif
SELECT is(:'ordinary_block'::text, '22023', 'an ordinary session: a block with an unknown operator is refused');
SELECT is((SELECT v FROM seen WHERE k = 'restored block'), '1',
          'a restore session: the dumped block loads as dumped, not validated again');
\if :superuser
SELECT ok((SELECT v FROM seen WHERE k = 'v2') = (SELECT v FROM seen WHERE k = 'v1')
          AND (SELECT n::text FROM esimgo_internal.rules_version) <> (SELECT v FROM seen WHERE k = 'v2'),
          'loading a dumped rule moves no rules version; an ordinary change still does');
\else
SELECT is(test_helpers.outcome('SELECT n FROM esimgo_internal.rules_version'), '42501',
          'the rules version is internal (not the project''s owner''s to read)');
\endif
SELECT is(:'as_api_role'::text, '42501', 'a role that does not bypass RLS never reaches restore mode (row_security = off refuses it)');
SELECT is((SELECT v FROM seen WHERE k = 'restoring ordinary'), 'false', 'restoring_database(): not in an ordinary session');
SELECT is((SELECT v FROM seen WHERE k = 'restoring row_security off'), 'true', 'restoring_database(): row_security = off as a role bypassing RLS');
\if :superuser
SELECT ok((SELECT v FROM seen WHERE k = 'restoring off') = 'false' AND (SELECT v FROM seen WHERE k = 'restoring on') = 'true',
          'restoring_database(): never with esimgo.restore_mode = off, always with on');
\else
SELECT is(:'mode_on'::text, '42501', 'nor sets esimgo.restore_mode = on');
\endif
SELECT is((SELECT count(*)::int FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
            WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'esimgo') AND c.relkind IN ('r', 'p', 'S')
              AND NOT c.oid = ANY ((SELECT coalesce(extconfig, '{}') FROM pg_extension WHERE extname = 'esimgo')::oid[])),
          0, 'every table of the extension is dumped');
SELECT is((SELECT count(*)::int FROM pg_extension e, unnest(e.extconfig) t(oid)
            WHERE e.extname = 'esimgo' AND t.oid IN ('profiles'::regclass, 'pricing_blocks'::regclass, 'strategy_blocks'::regclass,
                                                     'pricing_strategies'::regclass, 'catalog_metadata'::regclass,
                                                     'esimgo_internal.rules_version'::regclass)), 6,
          'the tables left out before (profiles, the rules, catalog_metadata, rules_version) are dumped');

SELECT * FROM finish();
ROLLBACK;
