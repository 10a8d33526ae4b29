-- The floor: the same statements as a role that bypasses RLS.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-000000000002", "role": "service_role"}', true);
SET LOCAL ROLE service_role;
SELECT * FROM trip_items WHERE trip_id = (SELECT trip_id FROM bench.target) ORDER BY day_number, order_index;
COMMIT;
