-- One trip of 3 days with 30 items, an owner and an accepted editor; a log of
-- the inserts and deletes that committed (the oracle's count).
INSERT INTO auth.users (id, email) VALUES
  ('00000000-0000-0000-0000-0000000000e1', 'stress-owner@example.test'),
  ('00000000-0000-0000-0000-0000000000e2', 'stress-editor@example.test');
INSERT INTO trips (id, user_id, name, start_date, end_date)
VALUES ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000e1', 'Stress', '2026-01-01', '2026-01-03');
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index)
SELECT '00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000e1', 'seed ' || g, 1 + g % 3, NULL
  FROM generate_series(1, 30) g;
INSERT INTO collaborators (trip_id, user_id, role, status, can_edit, accepted_at)
VALUES ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000e2', 'editor', 'accepted', true, now());
CREATE TABLE stress_log (kind text NOT NULL);
GRANT INSERT ON stress_log TO authenticated;
