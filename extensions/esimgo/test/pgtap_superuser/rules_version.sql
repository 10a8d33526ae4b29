-- The rules' version (esimgo_internal.rules_version, which keys every
-- backend's compiled strategies) moves only with a statement that changed a
-- rule. A member's UPDATE or DELETE of rules they may not edit, which RLS
-- leaves without a row, neither invalidates every backend's strategies nor
-- queues on the version's row. (Superuser: the version is internal.)
BEGIN;
SELECT plan(7);
INSERT INTO auth.users (id, email, raw_app_meta_data) VALUES
  ('a1000000-0000-0000-0000-00000000000a', 'rules-customer@example.test', '{}'),
  ('c1000000-0000-0000-0000-00000000000c', 'rules-admin@example.test', '{"role":"ADMIN"}');
CREATE FUNCTION pg_temp.become(uid text) RETURNS void LANGUAGE sql AS $$
  SELECT set_config('role', 'authenticated', true),
         set_config('request.jwt.claims', json_build_object('sub', uid, 'role', 'authenticated')::text, true);
$$;
SELECT n AS rules_before FROM esimgo_internal.rules_version \gset

SELECT pg_temp.become('a1000000-0000-0000-0000-00000000000a');
SELECT is_empty($$UPDATE pricing_blocks SET priority = priority RETURNING 1$$, 'a customer''s UPDATE of the rules changes no row');
SELECT is_empty($$DELETE FROM strategy_blocks RETURNING 1$$, 'nor does their DELETE of a strategy''s blocks');
SELECT is_empty($$UPDATE pricing_strategies SET name = name RETURNING 1$$, 'nor their UPDATE of the strategies');
RESET role;
SELECT is((SELECT n FROM esimgo_internal.rules_version), :'rules_before'::bigint, 'the rules'' version stays');

SELECT pg_temp.become('c1000000-0000-0000-0000-00000000000c');
WITH changed AS (UPDATE pricing_blocks SET priority = priority
                  WHERE id = (SELECT id FROM pricing_blocks ORDER BY id LIMIT 1) RETURNING 1)
SELECT is(count(*)::int, 1, 'an admin changes one rule') FROM changed;
RESET role;
SELECT is((SELECT n FROM esimgo_internal.rules_version), :'rules_before'::bigint + 1, 'which moves the version once');
DELETE FROM pricing_blocks WHERE false;
SELECT is((SELECT n FROM esimgo_internal.rules_version), :'rules_before'::bigint + 1, 'a DELETE of no row leaves it');

SELECT * FROM finish();
ROLLBACK;
