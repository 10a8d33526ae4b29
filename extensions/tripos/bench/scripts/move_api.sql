-- The collaborator moves a random item of the shared trip to a random day
-- and position; the other items of both days close and open up.
\set n random(1, 60)
\set day random(1, 5)
\set pos random(0, 13)
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-000000000002", "role": "authenticated"}', true);
SET LOCAL ROLE authenticated;
SELECT id FROM move_trip_item((SELECT id FROM trip_items WHERE trip_id = (SELECT trip_id FROM bench.target) AND name = 'b' || :n), :day, :pos);
COMMIT;
