-- The floor: a plain update of the same row's day and position in the
-- trigger-less twin (no order kept), as the same role without RLS on the twin.
\set n random(1, 60)
\set day random(1, 5)
\set pos random(0, 13)
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-000000000002", "role": "authenticated"}', true);
SET LOCAL ROLE authenticated;
UPDATE bench.trip_items_plain SET day_number = :day, order_index = :pos
 WHERE trip_id = (SELECT trip_id FROM bench.target) AND name = 'b' || :n RETURNING id;
COMMIT;
