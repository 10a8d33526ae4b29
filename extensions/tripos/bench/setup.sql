-- Benchmark data: :users users with :trips trips each and :items itinerary
-- items per trip (the seed's projection: 10,000 / 50,000 / 500,000), loaded
-- below the triggers (session_replication_role = replica) with dense
-- positions already computed; one trip shared with an accepted viewer, and
-- its twin without Trip OS's triggers for the plain-update floor.
SET session_replication_role = replica;
INSERT INTO auth.users (id, email)
SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(g), 12, '0'))::uuid, 'bench' || g || '@example.test'
  FROM generate_series(1, :users) g;
INSERT INTO profiles (id, email) SELECT id, email FROM auth.users WHERE email LIKE 'bench%@example.test';
INSERT INTO trips (id, user_id, name, start_date, end_date)
SELECT gen_random_uuid(), u.id, 'trip ' || t, DATE '2027-01-01', DATE '2027-01-05'
  FROM auth.users u CROSS JOIN generate_series(1, :trips) t WHERE u.email LIKE 'bench%@example.test';
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index)
SELECT t.id, t.user_id, 'item ' || i, 1 + (i - 1) % 5, (i - 1) / 5
  FROM trips t CROSS JOIN generate_series(1, :items) i;
RESET session_replication_role;

-- The shared trip: owned by bench user 1, viewed by bench user 2, with 60 items.
CREATE SCHEMA bench;
CREATE TABLE bench.target AS
  SELECT t.id AS trip_id FROM trips t
   WHERE t.user_id = '00000000-0000-0000-0000-000000000001' ORDER BY t.id LIMIT 1;
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index)
SELECT (SELECT trip_id FROM bench.target), '00000000-0000-0000-0000-000000000001', 'b' || g, 1 + g % 5, NULL
  FROM generate_series(1, 60 - :items) g WHERE :items < 60;
INSERT INTO collaborators (trip_id, user_id, role, status, can_edit, accepted_at)
SELECT trip_id, '00000000-0000-0000-0000-000000000002', 'editor', 'accepted', true, now() FROM bench.target;
UPDATE trip_items SET name = 'b' || n FROM (
  SELECT id, row_number() OVER (ORDER BY day_number, order_index) AS n FROM trip_items
   WHERE trip_id = (SELECT trip_id FROM bench.target)) s WHERE trip_items.id = s.id;

-- The floor for moves: the same rows in a twin with the same columns and a
-- plain (trip, day, position) index, and no trigger: updates that keep no order.
CREATE TABLE bench.trip_items_plain AS SELECT * FROM trip_items WHERE trip_id = (SELECT trip_id FROM bench.target);
ALTER TABLE bench.trip_items_plain ADD PRIMARY KEY (id);
CREATE INDEX ON bench.trip_items_plain (trip_id, day_number, order_index);
GRANT USAGE ON SCHEMA bench TO authenticated, service_role;
GRANT SELECT ON bench.target TO authenticated, service_role;
GRANT SELECT, UPDATE ON bench.trip_items_plain TO authenticated;
VACUUM ANALYZE;
