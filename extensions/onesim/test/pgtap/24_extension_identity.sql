-- The extension's identity (its OID, schema and owner) is remembered per
-- backend across transactions (src/onesim/auth_context.cpp) and forgotten
-- whenever it may have changed: the extension dropped and created again in
-- this session, and the creation rolled back. A stale OID would make the
-- orders' trigger refuse the re-created table as not the extension's own.
BEGIN;
SELECT plan(4);
SET LOCAL onesim.allow_drop_with_data = on;

CREATE FUNCTION pg_temp.place_order(tag text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO auth.users (id, email) VALUES ('24000000-0000-4000-8000-000000000001', 'identity@example.com')
    ON CONFLICT DO NOTHING;
  INSERT INTO orders (user_id, package_code, price_usd, source_type)
  VALUES ('24000000-0000-4000-8000-000000000001', tag, 1.00, 'b2c') $$;

SELECT lives_ok($$SELECT pg_temp.place_order('BEFORE')$$, 'an order: the extension is remembered');

SAVEPOINT recreate;
DROP EXTENSION onesim;
CREATE ROLE extension_identity_owner SUPERUSER;
SET LOCAL ROLE extension_identity_owner;
CREATE EXTENSION onesim;
RESET ROLE;
SELECT lives_ok($$SELECT pg_temp.place_order('RECREATED')$$,
                'the extension dropped and created again: its new orders table is its own');
SELECT is((SELECT pg_get_userbyid(extowner)::text FROM pg_extension WHERE extname = 'onesim'),
          'extension_identity_owner', 'and it has its new owner');
ROLLBACK TO SAVEPOINT recreate;

SELECT lives_ok($$SELECT pg_temp.place_order('AFTER')$$,
                'the re-creation rolled back: the original orders table is the extension''s again');

SELECT * FROM finish();
ROLLBACK;
