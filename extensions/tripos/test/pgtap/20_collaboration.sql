-- Stage 2: invitations by token, roles and the collaborative policies as
-- owner / editor / viewer / pending invitee / stranger / service role.
BEGIN;
SELECT plan(44);
\ir fixtures/users.psql
\ir fixtures/shared_trip.psql

SELECT ok(:'editor_joined'::boolean AND :'viewer_joined'::boolean, 'the editor and the viewer accepted their invitations');
SELECT is((SELECT array_agg(role || '/' || status || '/' || can_edit ORDER BY role, status) FROM collaborators WHERE trip_id = :'trip'),
          ARRAY['editor/accepted/true', 'editor/pending/true', 'viewer/accepted/false'],
          'collaborators: two accepted, one pending (invitation to an existing user)');
SELECT is((SELECT count(*)::int FROM trip_invitations WHERE trip_id = :'trip' AND accepted_at IS NOT NULL), 2,
          'the accepted invitations are stamped');
SELECT is((SELECT count(*)::int FROM trip_invitations WHERE token_hash IS NULL), 0, 'tokens are stored as hashes only');

-- Reading.
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'editor');
SELECT is((SELECT count(*)::int FROM trips WHERE id = :'trip'), 1, 'the editor sees the trip');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 2, 'and its items');
SELECT is(tripos_internal.trip_role(:'trip'), 'editor', 'trip_role() says editor');
SELECT tripos_test.act_as(:'viewer');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 2, 'the viewer sees the items');
SELECT is(tripos_internal.trip_role(:'trip'), 'viewer', 'trip_role() says viewer');
SELECT is((SELECT count(*)::int FROM collaborators WHERE trip_id = :'trip'), 3, 'members see the member list');
SELECT tripos_test.act_as(:'pending');
SELECT is((SELECT count(*)::int FROM trips WHERE id = :'trip'), 0, 'a pending invitee does not see the trip');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 0, 'nor its items');
SELECT is((SELECT status FROM collaborators WHERE trip_id = :'trip'), 'pending', 'but sees their own invitation row');
SELECT is(tripos_internal.trip_role(:'trip'), 'none', 'trip_role() says none');
SELECT tripos_test.act_as(:'stranger');
SELECT is((SELECT count(*)::int FROM collaborators WHERE trip_id = :'trip'), 0, 'a stranger sees no member');
SELECT is((SELECT count(*)::int FROM trip_invitations WHERE trip_id = :'trip'), 0, 'nor any invitation');

-- Writing.
SELECT tripos_test.act_as(:'editor');
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (:'trip', :'editor', 'Tea house', 1, 0);
UPDATE trips SET description = 'edited by the editor' WHERE id = :'trip';
SELECT is((SELECT description FROM trips WHERE id = :'trip'), 'edited by the editor', 'the editor updates the trip');
SELECT is((SELECT string_agg(name, ',' ORDER BY order_index) FROM trip_items WHERE trip_id = :'trip'),
          'Tea house,Temple,Market', 'the editor inserts at the top of the day');
DELETE FROM trips WHERE id = :'trip';
SELECT is((SELECT count(*)::int FROM trips WHERE id = :'trip'), 1, 'only the owner deletes the trip');
SELECT is(tripos_test.sqlstate_of(format('SELECT change_collaborator_role(%L, %L, ''editor'')', :'trip', :'viewer')), '42501',
          'an editor cannot change roles');
SELECT is(tripos_test.sqlstate_of(format('SELECT invite_collaborator(%L, ''x@example.test'')', :'trip')), '42501',
          'an editor without can_invite cannot invite');
SELECT is(tripos_test.sqlstate_of(format('UPDATE collaborators SET can_invite = true WHERE trip_id = %L', :'trip')), '42501',
          'nobody writes collaborators directly');
SELECT tripos_test.act_as(:'viewer');
UPDATE trip_items SET name = 'viewer was here' WHERE trip_id = :'trip';
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip' AND name = 'viewer was here'), 0,
          'a viewer cannot edit items');
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (%L, %L, ''x'', 1, NULL)', :'trip', :'viewer')),
  '42501', 'nor add them');
SELECT is(tripos_test.sqlstate_of(format('SELECT invite_collaborator(%L, ''x@example.test'', ''editor'')', :'trip')), '42501',
          'a viewer allowed to invite cannot invite an editor');
SELECT is(tripos_test.sqlstate_of(format('SELECT invite_collaborator(%L, ''x@example.test'', ''viewer'', true)', :'trip')), '42501',
          'nor pass on the right to invite');
SELECT is((SELECT count(*)::int FROM invite_collaborator(:'trip', 'friend@example.test', 'viewer')), 1,
          'but invites a viewer');

-- Tokens: addressed, single use, revocable, expiring.
SELECT tripos_test.act_as(:'stranger');
SELECT is(tripos_test.sqlstate_of(format('SELECT accept_invitation(%L)', :'pending_token')), '42501',
          'a token is no use to someone else');
SELECT is(tripos_test.sqlstate_of('SELECT accept_invitation(''not-a-token'')'), 'P0002', 'an unknown token: P0002');
SELECT tripos_test.act_as(:'editor');
SELECT is(tripos_test.sqlstate_of(format('SELECT accept_invitation(%L)', :'editor_token')), '55000', 'a token works once');
SELECT tripos_test.act_as(:'owner');
SELECT revoke_invitation(:'pending_invitation');
SELECT is((SELECT status FROM collaborators WHERE trip_id = :'trip' AND user_id = :'pending'), 'removed',
          'revoking withdraws the pending row');
SELECT tripos_test.act_as(:'pending');
SELECT is(tripos_test.sqlstate_of(format('SELECT accept_invitation(%L)', :'pending_token')), '55000',
          'a revoked invitation cannot be accepted');
SELECT tripos_test.act_as(:'owner');
SELECT token AS late_token FROM invite_collaborator(:'trip', 'pending-' || :'pending' || '@example.test', 'viewer', false, '1 second') \gset
RESET ROLE;
UPDATE trip_invitations SET expires_at = now() - interval '1 minute' WHERE token_hash = sha256(convert_to(:'late_token', 'UTF8'));
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'pending');
SELECT is(tripos_test.sqlstate_of(format('SELECT accept_invitation(%L)', :'late_token')), '55000', 'an expired invitation is refused');
SELECT tripos_test.act_as(:'owner');
SELECT is(tripos_test.sqlstate_of(format('SELECT invite_collaborator(%L, ''a@b.c'', ''owner'')', :'trip')), '22023',
          'nobody is invited as owner');
SELECT is(tripos_test.sqlstate_of(format('SELECT invite_collaborator(%L, ''not an email'')', :'trip')), '22023',
          'an invitation needs an email');
SELECT is(tripos_test.sqlstate_of(format('SELECT invite_collaborator(%L, %L)', :'trip', 'editor-' || :'editor' || '@example.test')),
          '55000', 'an accepted collaborator is not invited again');

-- Roles and removal (owner only; the owner stays).
SELECT change_collaborator_role(:'trip', :'viewer', 'editor');
SELECT is((SELECT role || '/' || can_edit FROM collaborators WHERE trip_id = :'trip' AND user_id = :'viewer'), 'editor/true',
          'the owner promotes the viewer to editor');
SELECT is(tripos_test.sqlstate_of(format('SELECT remove_collaborator(%L, %L)', :'trip', :'owner')), '42501',
          'the owner is never removed');
SELECT remove_collaborator(:'trip', :'editor');
SELECT tripos_test.act_as(:'editor');
SELECT is((SELECT count(*)::int FROM trips WHERE id = :'trip'), 0, 'a removed collaborator loses access');
SELECT tripos_test.act_as(:'viewer');
SELECT remove_collaborator(:'trip', :'viewer');
SELECT is((SELECT count(*)::int FROM trip_items WHERE trip_id = :'trip'), 0, 'a collaborator may leave');

-- Trip images follow the trip's membership.
SELECT tripos_test.act_as(:'owner');
INSERT INTO storage.objects (bucket_id, name) VALUES ('trip-images', :'trip' || '/day1.jpg');
SELECT token AS again FROM invite_collaborator(:'trip', 'stranger-' || :'stranger' || '@example.test', 'editor') \gset
SELECT tripos_test.act_as(:'stranger');
SELECT is((SELECT count(*)::int FROM storage.objects WHERE name = :'trip' || '/day1.jpg'), 0, 'before accepting: no trip images');
SELECT accept_invitation(:'again');
SELECT is((SELECT count(*)::int FROM storage.objects WHERE name = :'trip' || '/day1.jpg'), 1, 'after accepting, the trip images');
INSERT INTO storage.objects (bucket_id, name) VALUES ('trip-images', :'trip' || '/day2.jpg');
SELECT is((SELECT count(*)::int FROM storage.objects WHERE name LIKE :'trip' || '/%'), 2, 'and an editor uploads to them');

-- The service role sees all.
RESET ROLE;
SET LOCAL ROLE service_role;
SELECT is((SELECT count(*)::int FROM collaborators WHERE trip_id = :'trip'), 4, 'the service role sees every collaborator row');

SELECT * FROM finish();
ROLLBACK;
