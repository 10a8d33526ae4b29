-- The RLS helper keeps each caller's memberships at one read point, for at
-- most 4,096 callers; the next one starts the kept set afresh. Here 4,200
-- callers ask in turn at one read point, twice over, so the kept set fills,
-- is cleared and fills again: every answer must still be the caller's own,
-- as store_members says.
BEGIN;
\ir ../../../../test/lib/pgtap_helpers.psql
\ir fixtures/stores.psql
SELECT plan(4);

CREATE TEMP TABLE callers ON COMMIT DROP AS
  SELECT g AS n, gen_random_uuid() AS id FROM generate_series(1, 4200) g;
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at, updated_at)
SELECT id, 'kept-' || id || '@example.com', '{}', now(), now() FROM callers;
-- Every fifth caller is in no store; the others hold a role in A, and every
-- third of them a viewer's seat in B as well.
INSERT INTO store_members (store_id, user_id, role)
SELECT :'store_a', id, (ARRAY['admin', 'agent', 'viewer', 'owner'])[1 + n % 4]::store_member_role
  FROM callers WHERE n % 5 <> 0;
INSERT INTO store_members (store_id, user_id, role)
SELECT :'store_b', id, 'viewer' FROM callers WHERE n % 5 <> 0 AND n % 3 = 0;

-- The loop writes nothing until it ends: a write would start a new read
-- point (a new command id), and the kept set with it, at every caller.
CREATE TEMP TABLE tally (asked int, wrong int, two_stores int, no_store int) ON COMMIT DROP;
DO $$
DECLARE
  c record;
  pass int;
  min_role store_member_role;
  helper uuid[];
  oracle uuid[];
  asked int := 0;
  wrong int := 0;
  two_stores int := 0;
  no_store int := 0;
BEGIN
  FOR pass IN 1..2 LOOP
    FOR c IN SELECT * FROM callers ORDER BY n LOOP
      PERFORM set_config('request.jwt.claims', jsonb_build_object('sub', c.id, 'role', 'authenticated')::text, true);
      min_role := CASE WHEN c.n % 2 = 0 THEN 'viewer' ELSE 'admin' END;
      helper := ARRAY(SELECT unnest(callai_internal.member_store_ids(min_role)) ORDER BY 1);
      oracle := ARRAY(SELECT m.store_id FROM store_members m WHERE m.user_id = c.id AND m.role <= min_role ORDER BY 1);
      asked := asked + 1;
      IF helper IS DISTINCT FROM oracle THEN wrong := wrong + 1; END IF;
      IF pass = 1 AND cardinality(helper) = 2 THEN two_stores := two_stores + 1; END IF;
      IF pass = 2 AND c.n % 5 = 0 AND cardinality(helper) = 0 THEN no_store := no_store + 1; END IF;
    END LOOP;
  END LOOP;
  INSERT INTO tally VALUES (asked, wrong, two_stores, no_store);
END $$;
SELECT set_config('request.jwt.claims', '', true);

SELECT is((SELECT asked FROM tally), 8400, 'every caller asked twice');
SELECT is((SELECT wrong FROM tally), 0,
          'every answer is the caller''s own memberships, before and after the kept set is cleared');
SELECT is((SELECT two_stores FROM tally), 560, 'callers with viewer seats in A and B see both stores');
SELECT is((SELECT no_store FROM tally), 840, 'callers in no store see none');

SELECT * FROM finish();
ROLLBACK;
