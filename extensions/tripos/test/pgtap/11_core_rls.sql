-- Stage 1 security: owner-only access to trips, items, profiles, settings and
-- activity; locations read-only; column privileges; anon shut out; the
-- service role sees everything; sign-up rows; updated_at kept true.
BEGIN;
SELECT plan(30);
\ir fixtures/users.psql
SELECT gen_random_uuid() AS trip \gset

-- Sign-up rows.
SELECT is((SELECT full_name FROM profiles WHERE id = :'owner'), 'Olive Owner', 'sign-up creates the profile from the metadata');
SELECT is((SELECT count(*)::int FROM user_settings WHERE user_id IN (:'owner', :'stranger')), 2, 'and the settings');
INSERT INTO locations (id, name, latitude, longitude) VALUES (gen_random_uuid(), 'Tower', 38.69, -9.21);

SELECT tripos_test.act_as(:'owner');
SET LOCAL ROLE authenticated;
INSERT INTO trips (id, user_id, name, start_date, end_date, budget) VALUES (:'trip', :'owner', 'Lisbon', '2026-06-01', '2026-06-04', 1000);
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (:'trip', :'owner', 'Museum', 1, NULL);
SELECT is((SELECT count(*)::int FROM trips WHERE id = :'trip'), 1, 'the owner sees the trip');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 1, 'and its items');
SELECT is((SELECT count(*)::int FROM profiles), 1, 'a user sees their own profile only');
SELECT is((SELECT count(*)::int FROM user_settings), 1, 'and their own settings');
SELECT ok((SELECT count(*) FROM locations) >= 1, 'locations are readable');
SELECT is((SELECT count(*)::int FROM activity_log WHERE resource_id = :'trip'), 1, 'the trip''s creation is in the owner''s activity');
SELECT is(tripos_test.sqlstate_of(format('UPDATE trips SET user_id = %L WHERE id = %L', :'stranger', :'trip')), '42501',
          'the owner cannot hand the trip to someone else (column privilege)');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO trips (user_id, name) VALUES (%L, ''x'')', :'stranger')), '42501',
          'nobody creates a trip for someone else');
SELECT is(tripos_test.sqlstate_of('INSERT INTO locations (name, latitude, longitude) VALUES (''x'', 0, 0)'), '42501',
          'clients cannot write locations');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO activity_log (user_id, action, resource_type) VALUES (%L, ''x'', ''y'')', :'owner')),
          '42501', 'clients cannot write the activity log');
SELECT is(tripos_test.sqlstate_of('UPDATE profiles SET email = ''x@y.z'''), '42501', 'the email is the auth service''s');
SELECT is(tripos_test.sqlstate_of(format('UPDATE trip_items SET trip_id = gen_random_uuid() WHERE trip_id = %L', :'trip')), '42501',
          'an item''s trip cannot be changed by a client');
UPDATE user_settings SET theme = 'dark';
SELECT is((SELECT theme FROM user_settings), 'dark', 'a user updates their settings');

-- A stranger.
SELECT tripos_test.act_as(:'stranger');
SELECT is((SELECT count(*)::int FROM trips WHERE id = :'trip'), 0, 'a stranger does not see the trip');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 0, 'nor its items');
UPDATE trips SET name = 'mine' WHERE id = :'trip';
DELETE FROM trip_items WHERE trip_id = :'trip';
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (%L, %L, ''x'', 1, NULL)', :'trip', :'stranger')),
  '42501', 'a stranger cannot add items to the trip');
SELECT is((SELECT count(*)::int FROM user_settings WHERE user_id = :'owner'), 0, 'nor read others'' settings');

-- anon: nothing.
RESET ROLE;
SET LOCAL ROLE anon;
SELECT is(tripos_test.sqlstate_of('SELECT * FROM trips'), '42501', 'anon cannot read trips');
SELECT is(tripos_test.sqlstate_of('SELECT * FROM profiles'), '42501', 'nor profiles');

-- The service role sees everything, and the stranger's writes above changed nothing.
RESET ROLE;
SET LOCAL ROLE service_role;
SELECT is((SELECT name FROM trips WHERE id = :'trip'), 'Lisbon', 'the stranger''s update touched nothing');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 1, 'nor did their delete');

-- updated_at: stamped by every update, whatever the statement wrote.
RESET ROLE;
UPDATE trips SET created_at = '2000-01-01', updated_at = '2000-01-01' WHERE id = :'trip';
SELECT is((SELECT updated_at FROM trips WHERE id = :'trip'), now(), 'updated_at is the time of the update');
SELECT isnt((SELECT created_at FROM trips WHERE id = :'trip'), '2000-01-01'::timestamptz, 'created_at keeps its first value');

-- Realtime and storage.
SELECT is((SELECT count(*)::int FROM pg_publication_tables WHERE pubname = 'supabase_realtime'
            AND schemaname = (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'tripos_core')
            AND tablename IN ('trips', 'trip_items')), 2, 'trips and trip_items are published for realtime');
SELECT is((SELECT array_agg(id || ':' || public ORDER BY id) FROM storage.buckets
            WHERE id IN ('trip-images', 'place-photos', 'user-avatars')),
          ARRAY['place-photos:false', 'trip-images:false', 'user-avatars:true'], 'the three buckets exist, avatars public');

SELECT tripos_test.act_as(:'owner');
SET LOCAL ROLE authenticated;
INSERT INTO storage.objects (bucket_id, name, owner) VALUES
  ('user-avatars', :'owner' || '/me.png', :'owner'),
  ('trip-images', :'trip' || '/cover.jpg', :'owner'),
  ('place-photos', :'owner' || '/tower.jpg', :'owner');
UPDATE storage.objects SET metadata = '{"size": 1}' WHERE name = :'trip' || '/cover.jpg';
SELECT is((SELECT count(*)::int FROM storage.objects WHERE name = :'trip' || '/cover.jpg' AND metadata ->> 'size' = '1'), 1,
          'the owner uploads and replaces (upsert) a trip image');
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO storage.objects (bucket_id, name) VALUES (''user-avatars'', %L)', :'stranger' || '/x.png')), '42501',
  'nobody uploads into another user''s avatar folder');
SELECT tripos_test.act_as(:'stranger');
SELECT is((SELECT count(*)::int FROM storage.objects
            WHERE name IN (:'owner' || '/me.png', :'trip' || '/cover.jpg', :'owner' || '/tower.jpg')),
          0, 'a stranger lists none of them (avatars are served by public URL, not listed)');

SELECT * FROM finish();
ROLLBACK;
