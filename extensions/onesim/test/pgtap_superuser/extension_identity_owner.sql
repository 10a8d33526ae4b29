-- The extension's remembered identity (test/pgtap/24_extension_identity.sql)
-- is forgotten too when the extension is created again by another owner.
-- The other owner is a superuser role of its own (the bootstrap superuser's
-- extension cannot otherwise change hands), which only a superuser can
-- create: this file runs as the superuser.
BEGIN;
SELECT plan(4);
SET LOCAL onesim.allow_drop_with_data = on;

\ir ../pgtap/fixtures/extension_identity.psql

SELECT lives_ok($$SELECT pg_temp.place_order('BEFORE')$$, 'an order: the extension is remembered');

SAVEPOINT recreate;
DROP EXTENSION onesim;
CREATE ROLE extension_identity_owner SUPERUSER;
SET LOCAL ROLE extension_identity_owner;
CREATE EXTENSION onesim;
RESET ROLE;
SELECT lives_ok($$SELECT pg_temp.place_order('RECREATED')$$,
                'the extension created again by another owner: its new orders table is its own');
SELECT is((SELECT pg_get_userbyid(extowner)::text FROM pg_extension WHERE extname = 'onesim'),
          'extension_identity_owner', 'and it has its new owner');
ROLLBACK TO SAVEPOINT recreate;

SELECT lives_ok($$SELECT pg_temp.place_order('AFTER')$$,
                'the re-creation rolled back: the original orders table is the extension''s again');

SELECT * FROM finish();
ROLLBACK;
