-- One edit of the shared trip as its owner or its editor: an insert at a
-- random position, a move to a random day and position, or a delete.
\set who random(1, 2)
\set op random(1, 10)
\set day random(1, 3)
\set pos random(0, 12)
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-0000-0000-0000000000e' || :who, 'role', 'authenticated')::text, true);
SELECT coalesce((SELECT id FROM trip_items WHERE trip_id = '00000000-0000-0000-0000-0000000000f1' ORDER BY random() LIMIT 1),
                '00000000-0000-0000-0000-000000000000') AS item \gset
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index)
SELECT '00000000-0000-0000-0000-0000000000f1', ('00000000-0000-0000-0000-0000000000e' || :who)::uuid, 'new', :day, :pos
 WHERE :op <= 3;
INSERT INTO stress_log SELECT 'insert' WHERE :op <= 3;
SELECT move_trip_item(':item', :day, :pos) WHERE :op BETWEEN 4 AND 8;
INSERT INTO stress_log SELECT 'delete' FROM delete_trip_item(':item') d WHERE :op > 8 AND d.id IS NOT NULL;
COMMIT;
