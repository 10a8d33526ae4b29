-- A collaborator reads the shared trip's itinerary through RLS (PostgREST's
-- transaction: claims, role, the select).
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-000000000002", "role": "authenticated"}', true);
SET LOCAL ROLE authenticated;
SELECT * FROM trip_items WHERE trip_id = (SELECT trip_id FROM bench.target) ORDER BY day_number, order_index;
COMMIT;
