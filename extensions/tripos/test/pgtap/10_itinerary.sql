-- Itinerary order: dense 0..n-1 per (trip, day) through inserts at a
-- position, moves within and across days, deletes, bulk statements and trip
-- date changes; bad positions and days refused.
BEGIN;
SELECT plan(24);
\ir fixtures/users.psql
SELECT gen_random_uuid() AS trip, gen_random_uuid() AS other_trip \gset

SELECT tripos_test.act_as(:'owner');
SET LOCAL ROLE authenticated;
INSERT INTO trips (id, user_id, name, start_date, end_date)
VALUES (:'trip', :'owner', 'Lisbon', '2026-06-01', '2026-06-04'),
       (:'other_trip', :'owner', 'Porto', NULL, NULL);

CREATE TEMP VIEW day_order AS
  SELECT day_number, string_agg(name, ' ' ORDER BY order_index) AS names
    FROM trip_items WHERE trip_id = current_setting('tripos_test.trip')::uuid GROUP BY day_number;
SELECT set_config('tripos_test.trip', :'trip', true);

INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (:'trip', :'owner', 'a', 1, NULL);
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (:'trip', :'owner', 'b', 1, NULL);
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (:'trip', :'owner', 'c', 1, 0);
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (:'trip', :'owner', 'd', 1, 2);
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (:'trip', :'owner', 'e', 1, 99);
SELECT is((SELECT names FROM day_order WHERE day_number = 1), 'c a d b e',
          'inserts at 0, in the middle and past the end place the rows and shift the rest');
SELECT is((SELECT array_agg(order_index ORDER BY order_index) FROM trip_items WHERE trip_id = :'trip'),
          ARRAY[0, 1, 2, 3, 4], 'positions are 0..n-1');

-- One statement inserting several rows: each is placed in turn.
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index)
VALUES (:'trip', :'owner', 'x', 2, NULL), (:'trip', :'owner', 'y', 2, 0), (:'trip', :'owner', 'z', 2, 1);
SELECT is((SELECT names FROM day_order WHERE day_number = 2), 'y z x', 'a multi-row insert keeps day 2 dense');

UPDATE trip_items SET order_index = 3 WHERE trip_id = :'trip' AND name = 'a';
SELECT is((SELECT names FROM day_order WHERE day_number = 1), 'c d b a e', 'moving down within a day');
UPDATE trip_items SET order_index = 0 WHERE trip_id = :'trip' AND name = 'e';
SELECT is((SELECT names FROM day_order WHERE day_number = 1), 'e c d b a', 'moving up within a day');
UPDATE trip_items SET order_index = 1000 WHERE trip_id = :'trip' AND name = 'c';
SELECT is((SELECT names FROM day_order WHERE day_number = 1), 'e d b a c', 'moving past the end puts the row last');

SELECT is((move_trip_item((SELECT id FROM trip_items WHERE trip_id = :'trip' AND name = 'd'), 2, 1)).order_index, 1,
          'move_trip_item returns the moved row at its new position');
SELECT is((SELECT names FROM day_order WHERE day_number = 1), 'e b a c', 'the old day closes the gap');
SELECT is((SELECT names FROM day_order WHERE day_number = 2), 'y d z x', 'the new day opens one');
UPDATE trip_items SET day_number = 3, order_index = NULL WHERE trip_id = :'trip' AND name = 'y';
SELECT is((SELECT names FROM day_order WHERE day_number = 3), 'y', 'moving to an empty day with no position');
SELECT is((SELECT names FROM day_order WHERE day_number = 2), 'd z x', 'and the day it left is dense');

DELETE FROM trip_items WHERE trip_id = :'trip' AND name IN ('e', 'a');
SELECT is((SELECT names FROM day_order WHERE day_number = 1), 'b c', 'deleting several rows of a day compacts it');
SELECT is((SELECT array_agg(order_index ORDER BY order_index) FROM trip_items WHERE trip_id = :'trip' AND day_number = 1),
          ARRAY[0, 1], 'with positions 0..n-1');
UPDATE trip_items SET notes = 'booked' WHERE trip_id = :'trip';
SELECT is((SELECT count(*)::int FROM itinerary_order_problems()), 0, 'an update of other columns changes no position');

-- Bad input.
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (%L, %L, ''n'', 1, -1)',
  :'trip', :'owner')), '23514', 'a negative position is refused (23514)');
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (%L, %L, ''n'', 5, NULL)',
  :'trip', :'owner')), '23514', 'a day past the trip''s last day is refused (23514)');
SELECT is(tripos_test.sqlstate_of(format(
  'UPDATE trip_items SET day_number = 0 WHERE trip_id = %L AND name = ''b''', :'trip')), '23514',
  'day 0 is refused');
RESET ROLE;
SELECT is(tripos_test.sqlstate_of(format(
  'UPDATE trip_items SET trip_id = %L WHERE trip_id = %L AND name = ''b''', :'other_trip', :'trip')), '23514',
  'an item cannot move to another trip, even for the service');
SELECT tripos_test.act_as(:'owner');
SET LOCAL ROLE authenticated;

-- Trip dates: shrinking past items refuses, or moves them to the new last day.
SELECT is(tripos_test.sqlstate_of(format(
  'UPDATE trips SET end_date = ''2026-06-02'' WHERE id = %L', :'trip')), '23514',
  'shortening a trip below its itinerary is refused');
SELECT is((update_trip_dates(:'trip', '2026-06-01', '2026-06-02', true)).end_date, '2026-06-02'::date,
          'update_trip_dates with p_move_stranded_items shortens the trip');
SELECT is((SELECT names FROM day_order WHERE day_number = 2), 'd z x y', 'stranded items are appended to the last day');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip' AND day_number > 2), 0, 'nothing is left past it');
SELECT is((SELECT count(*)::int FROM itinerary_order_problems()), 0, 'every day is dense');

-- Deleting the trip removes its items without renumbering errors.
DELETE FROM trips WHERE id = :'trip';
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 0, 'items go with their trip');

SELECT * FROM finish();
ROLLBACK;
