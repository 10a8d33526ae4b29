-- The seed asks every query to use an index: the API's common reads, through
-- RLS, at a few thousand trips and twenty thousand itinerary items.
BEGIN;
SELECT plan(5);
\ir fixtures/users.psql
CREATE FUNCTION tripos_test.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
  RETURN plan::text;
END $$;
GRANT EXECUTE ON FUNCTION tripos_test.plan_of(text) TO authenticated;

CREATE TEMP TABLE bulk_users AS SELECT gen_random_uuid() AS id FROM generate_series(1, 200);
INSERT INTO auth.users (id, email) SELECT id, id || '@bulk.example.test' FROM bulk_users;
DO $$ BEGIN
  IF to_regclass('usage_limits') IS NOT NULL THEN
    EXECUTE 'UPDATE usage_limits SET trips_limit = -1 WHERE user_id IN (SELECT id FROM bulk_users)';
  END IF;
END $$;
INSERT INTO trips (user_id, name) SELECT u.id, 'trip ' || g FROM bulk_users u CROSS JOIN generate_series(1, 20) g;
INSERT INTO trips (user_id, name) VALUES (:'owner', 'mine');
SELECT id AS trip FROM trips WHERE user_id = :'owner' \gset
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index)
SELECT t.id, t.user_id, 'item', 1 + g % 2, NULL FROM trips t CROSS JOIN generate_series(1, 5) g;
SELECT tripos_test.act_as(:'owner');
SET LOCAL ROLE authenticated;
SELECT token FROM invite_collaborator(:'trip', 'viewer-' || :'viewer' || '@example.test', 'viewer') \gset
SELECT tripos_test.act_as(:'viewer');
SELECT accept_invitation(:'token');
RESET ROLE;
ANALYZE trips;
ANALYZE trip_items;
SET LOCAL ROLE authenticated;

SELECT tripos_test.act_as(:'viewer');
SELECT is((SELECT count(*)::int FROM trip_items), 5, 'among 20,000 items the collaborator sees the shared trip''s 5');
SELECT matches(tripos_test.plan_of(format('SELECT * FROM trip_items WHERE trip_id = %L ORDER BY day_number, order_index', :'trip')),
               '"Index Name": "idx_trip_items_trip_id_day_number_order_index"',
               'a collaborator reads a trip''s itinerary through the (trip, day, position) index');
SELECT matches(tripos_test.plan_of('SELECT * FROM trip_items'),
               '"Index Name": "idx_trip_items_trip_id_day_number_order_index"',
               'without a filter, the policy''s trip list drives the same index');
SELECT tripos_test.act_as(:'owner');
SELECT matches(tripos_test.plan_of(format('SELECT * FROM trips WHERE user_id = %L ORDER BY created_at DESC', :'owner')),
               '"Index Name": "idx_trips_user_id_(created_at|status)"', 'the owner''s trip list uses a user_id index');
SELECT doesnt_match(tripos_test.plan_of('SELECT * FROM trips'), '"Node Type": "Seq Scan"',
               'the trips policy (owner or shared) scans no table whole');

SELECT * FROM finish();
ROLLBACK;
