-- The extension's identity (its OID, schema and owner) is remembered per
-- backend across transactions (src/onesim/auth_context.cpp) and forgotten
-- whenever it may have changed: the extension dropped and created again in
-- this session, and the creation rolled back. A stale OID would make the
-- orders' trigger refuse the re-created table as not the extension's own.
-- The extension is re-created here by the session's role; re-created by
-- another owner (a superuser role of its own, which only a superuser can
-- create) in test/pgtap_superuser/extension_identity_owner.sql.
BEGIN;
SELECT plan(4);
SET LOCAL onesim.allow_drop_with_data = on;

\ir fixtures/extension_identity.psql

SELECT lives_ok($$SELECT pg_temp.place_order('BEFORE')$$, 'an order: the extension is remembered');

SELECT oid AS original_oid FROM pg_extension WHERE extname = 'onesim' \gset
SAVEPOINT recreate;
DROP EXTENSION onesim;
CREATE EXTENSION onesim;
SELECT lives_ok($$SELECT pg_temp.place_order('RECREATED')$$,
                'the extension dropped and created again: its new orders table is its own');
SELECT isnt((SELECT oid FROM pg_extension WHERE extname = 'onesim'), :'original_oid'::oid,
            'and it is a new extension');
ROLLBACK TO SAVEPOINT recreate;

SELECT lives_ok($$SELECT pg_temp.place_order('AFTER')$$,
                'the re-creation rolled back: the original orders table is the extension''s again');

SELECT * FROM finish();
ROLLBACK;
