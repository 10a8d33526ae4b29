-- move_trip_item and delete_trip_item as the app calls them: each kind of
-- caller (owner, editor, viewer, pending invitee, stranger, anon, service),
-- the rows they return, and the arguments they refuse or ignore.
BEGIN;
SELECT plan(22);
\ir fixtures/users.psql
\ir fixtures/shared_trip.psql

SELECT tripos_test.act_as(:'owner');
SET LOCAL ROLE authenticated;
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES
  (:'trip', :'owner', 'Garden', 1, NULL), (:'trip', :'owner', 'Ryokan', 2, NULL), (:'trip', :'owner', 'Station', 2, NULL);
RESET ROLE;
CREATE TEMP VIEW day_order AS
  SELECT day_number, string_agg(name, ' ' ORDER BY order_index) AS names
    FROM trip_items WHERE trip_id = current_setting('tripos_test.trip')::uuid GROUP BY day_number;
GRANT SELECT ON day_order TO authenticated;
SELECT set_config('tripos_test.trip', :'trip', true);
SELECT id AS temple FROM trip_items WHERE trip_id = :'trip' AND name = 'Temple' \gset
SELECT id AS garden FROM trip_items WHERE trip_id = :'trip' AND name = 'Garden' \gset
SELECT id AS station FROM trip_items WHERE trip_id = :'trip' AND name = 'Station' \gset

-- Callers who may not edit the trip get NULL and change nothing.
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'viewer');
SELECT ok(move_trip_item(:'temple', 2, 0) IS NULL, 'a viewer''s move returns NULL');
SELECT ok(delete_trip_item(:'temple') IS NULL, 'and so does a viewer''s delete');
SELECT tripos_test.act_as(:'pending');
SELECT ok(move_trip_item(:'temple', 2, 0) IS NULL, 'a pending invitee''s move returns NULL');
SELECT tripos_test.act_as(:'stranger');
SELECT ok(move_trip_item(:'temple', 2, 0) IS NULL, 'a stranger''s move returns NULL');
SELECT ok(delete_trip_item(:'temple') IS NULL, 'and so does a stranger''s delete');
RESET ROLE;
SELECT is((SELECT array_agg(day_number || ':' || names ORDER BY day_number) FROM day_order),
          ARRAY['1:Temple Market Garden', '2:Ryokan Station'], 'none of them moved or deleted anything');
SET LOCAL ROLE anon;
SELECT is(tripos_test.sqlstate_of(format('SELECT move_trip_item(%L, 2, 0)', :'temple')), '42501',
          'anon may not call move_trip_item (42501)');
SELECT is(tripos_test.sqlstate_of(format('SELECT delete_trip_item(%L)', :'temple')), '42501',
          'nor delete_trip_item');
RESET ROLE;

-- The editor moves across days and within one; the row comes back whole.
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'editor');
SELECT is((SELECT (m.name, m.day_number, m.order_index)::text FROM move_trip_item(:'temple', 2, 1) m),
          '(Temple,2,1)', 'an editor''s move returns the row at its new day and position');
SELECT is((SELECT array_agg(day_number || ':' || names ORDER BY day_number) FROM day_order),
          ARRAY['1:Market Garden', '2:Ryokan Temple Station'], 'both days stay dense');
SELECT is((SELECT m.updated_at >= m.created_at AND m.trip_id = :'trip'::uuid FROM move_trip_item(:'temple', 2, NULL) m),
          true, 'a NULL position appends, and the returned row carries every column');
SELECT is((SELECT names FROM day_order WHERE day_number = 2), 'Ryokan Station Temple', 'Temple is now last');
SELECT is((SELECT m.order_index FROM move_trip_item(:'temple', 2, 0) m), 0, 'a move within the day to the front');
SELECT is((SELECT names FROM day_order WHERE day_number = 2), 'Temple Ryokan Station', 'and the others step down');

-- Bad arguments.
SELECT is(tripos_test.sqlstate_of(format('SELECT move_trip_item(%L, NULL, 0)', :'temple')), '23502',
          'a NULL day is refused as NOT NULL (23502)');
SELECT is(tripos_test.sqlstate_of(format('SELECT move_trip_item(%L, 9, 0)', :'temple')), '23514',
          'a day past the trip''s last day is refused (23514)');
SELECT is(tripos_test.sqlstate_of(format('SELECT move_trip_item(%L, 1, -1)', :'temple')), '23514',
          'a negative position is refused (23514)');
SELECT ok(move_trip_item(NULL, 1, 0) IS NULL AND move_trip_item(gen_random_uuid(), 1, 0) IS NULL,
          'a NULL or unknown item id returns NULL');

-- Deletes close the day up and return the deleted row.
SELECT is((SELECT d.name FROM delete_trip_item(:'station') d), 'Station', 'an editor''s delete returns the deleted row');
SELECT is((SELECT names FROM day_order WHERE day_number = 2), 'Temple Ryokan', 'the day closes up');
RESET ROLE;

-- The service role edits any trip.
SET LOCAL ROLE service_role;
SELECT tripos_test.act_as(NULL, 'service_role');
SELECT is((SELECT m.day_number FROM move_trip_item(:'garden', 2, 0) m), 2, 'the service role moves any item');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM itinerary_order_problems()), 0, 'every day is dense');

SELECT * FROM finish();
ROLLBACK;
