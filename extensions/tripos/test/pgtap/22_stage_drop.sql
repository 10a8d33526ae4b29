-- Dropping tripos_collab restores stage 1's owner-only access (the helpers
-- stop counting collaborators) and leaves stage 1's data; installing it again
-- widens access again. Everything inside this file's transaction.
BEGIN;
SELECT plan(9);
\ir fixtures/users.psql
\ir fixtures/shared_trip.psql
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'editor');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 2, 'with stage 2, the editor sees the items');
RESET ROLE;
SELECT lives_ok('DROP EXTENSION tripos_collab', 'tripos_collab drops alone (DROP EXTENSION, no CASCADE)');
SELECT is((SELECT count(*)::int FROM pg_extension WHERE extname = 'tripos_core'), 1, 'tripos_core stays');
SELECT is(to_regclass('collaborators'), NULL, 'stage 2''s tables are gone');
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'editor');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 0, 'without stage 2, the editor sees nothing');
SELECT is(tripos_internal.trip_role(:'trip'), 'none', 'and trip_role() says none');
SELECT tripos_test.act_as(:'owner');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 2, 'the owner keeps the trip and its items');
RESET ROLE;
SELECT lives_ok('CREATE EXTENSION tripos_collab', 'stage 2 installs again on stage 1''s data');
SELECT is((SELECT count(*)::int FROM pg_publication_tables WHERE pubname = 'supabase_realtime' AND tablename IN ('collaborators', 'votes')),
          2, 'and puts its tables in the realtime publication again');
SELECT * FROM finish();
ROLLBACK;
