-- Restore mode: in a session with pg_dump's settings (row_security = off,
-- check_function_bodies = off, an empty search_path) that bypasses RLS,
-- inserts load as dumped; in any other session, or with
-- esim_admin.restore_mode = off, the rules run. (With the empty search_path
-- every name below is qualified.)
-- And every table and sequence is in a dump.
BEGIN;
SELECT plan(7);
\ir fixtures/world.psql

\set born_refunded 'INSERT INTO ' :"app" '.transactions (user_id, plan_id, amount, payment_method, status, total_amount, completed_at) VALUES (''' :cust_b ''', ''' :plan ''', 5, ''paypal'', ''refunded'', 5, now())'
SELECT is(test_helpers.outcome(:'born_refunded'), '55000', 'an ordinary session: a purchase is not born refunded');

SET LOCAL row_security = off;
SET LOCAL check_function_bodies = off;
SELECT is(test_helpers.outcome(:'born_refunded'), '55000', 'without the empty search_path: no restore session');
-- pgTAP itself needs a search_path: the outcomes are kept, then asserted.
SELECT pg_catalog.set_config('search_path', '', true);
SELECT test_helpers.outcome(:'born_refunded') AS as_restore \gset
-- esim_admin.restore_mode is a superuser's setting: on Supabase the
-- project's owner runs these files and may not set it.
SELECT rolsuper AS superuser FROM pg_catalog.pg_roles WHERE rolname = current_user \gset
\if :superuser
SET LOCAL esim_admin.restore_mode = off;
SELECT test_helpers.outcome(:'born_refunded') AS mode_off \gset
SET LOCAL esim_admin.restore_mode = auto;
\else
SELECT test_helpers.outcome('SET LOCAL esim_admin.restore_mode = off') AS mode_off \gset
\endif
SELECT test_helpers.outcome_as('authenticated', :'admin', :'born_refunded') AS as_api_role \gset
SELECT pg_catalog.set_config('search_path', :'app' || ', public, extensions, pg_catalog', true);
SELECT is(:'as_restore'::text, 'ok:1', 'a restore session loads the dumped row as it is');
\if :superuser
SELECT is(:'mode_off'::text, '55000', 'restore_mode = off: the rules run');
\else
SELECT is(:'mode_off'::text, '42501', 'only a superuser sets restore_mode (not the project''s owner)');
\endif
SELECT is(:'as_api_role'::text, '42501', 'a role that does not bypass RLS never reaches restore mode (row_security = off refuses it)');
RESET row_security;
RESET check_function_bodies;

SELECT is((SELECT count(*)::int FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
            WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'esim_admin') AND c.relkind IN ('r', 'S')
              AND NOT c.oid = ANY ((SELECT extconfig FROM pg_extension WHERE extname = 'esim_admin')::oid[])),
          0, 'every table and sequence of the extension is dumped');
SELECT ok((SELECT 'esim_admin_internal.secret_key'::regclass::oid = ANY (extconfig) FROM pg_extension WHERE extname = 'esim_admin'),
          'the secret key among them');

SELECT * FROM finish();
ROLLBACK;
