-- ---------------------------------------------------------------------------
-- Privileges and RLS. Membership is answered by the C++ helpers of stage 1
-- (readable_trip_ids / editable_trip_ids), which read collaborators as the
-- extension owner: no policy here refers to another table's policies, so
-- nothing recurses (42P17). Installing this stage widens stage 1's trips,
-- trip_items and trip-images policies through the same helpers.
-- ---------------------------------------------------------------------------

REVOKE ALL ON @extschema@.saved_places, @extschema@.collections, @extschema@.collection_items,
  @extschema@.collaborators, @extschema@.trip_invitations, @extschema@.votes, @extschema@.tags,
  @extschema@.expenses, @extschema@.expense_splits, @extschema@.settlements
FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.saved_places, @extschema@.collections, @extschema@.collection_items,
  @extschema@.collaborators, @extschema@.trip_invitations, @extschema@.votes, @extschema@.tags,
  @extschema@.expenses, @extschema@.expense_splits, @extschema@.settlements
TO service_role;

GRANT SELECT, DELETE ON @extschema@.saved_places, @extschema@.collections, @extschema@.tags TO authenticated;
GRANT INSERT (id, user_id, location_id, name, category, notes, rating, visited, visited_date, photos, metadata),
      UPDATE (location_id, name, category, notes, rating, visited, visited_date, photos, metadata)
  ON @extschema@.saved_places TO authenticated;
GRANT INSERT (id, user_id, name, description, icon, color, is_public, metadata),
      UPDATE (name, description, icon, color, is_public, metadata)
  ON @extschema@.collections TO authenticated;
GRANT SELECT, DELETE ON @extschema@.collection_items TO authenticated;
GRANT INSERT (id, collection_id, saved_place_id, order_index, notes), UPDATE (order_index, notes)
  ON @extschema@.collection_items TO authenticated;
GRANT INSERT (id, user_id, resource_type, resource_id, tag_name, color), UPDATE (tag_name, color)
  ON @extschema@.tags TO authenticated;
-- Collaborators and invitations change only through the invitation functions.
GRANT SELECT ON @extschema@.collaborators TO authenticated;
GRANT SELECT (id, trip_id, email, role, can_edit, can_invite, invited_by, expires_at, accepted_at, accepted_by,
              declined_at, revoked_at, created_at, updated_at)
  ON @extschema@.trip_invitations TO authenticated;
GRANT SELECT, DELETE ON @extschema@.votes TO authenticated;
GRANT INSERT (id, trip_id, trip_item_id, saved_place_id, user_id, vote_type), UPDATE (vote_type)
  ON @extschema@.votes TO authenticated;
-- Amounts and splits change only through add_expense (the splits must keep
-- summing to the amount); the descriptive columns are editable.
GRANT SELECT, DELETE ON @extschema@.expenses TO authenticated;
GRANT UPDATE (title, category, expense_date, notes) ON @extschema@.expenses TO authenticated;
GRANT SELECT ON @extschema@.expense_splits TO authenticated;
GRANT SELECT, DELETE ON @extschema@.settlements TO authenticated;

ALTER TABLE @extschema@.saved_places ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.collections ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.collection_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.collaborators ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.trip_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.votes ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.expenses ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.expense_splits ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.settlements ENABLE ROW LEVEL SECURITY;

-- saved_places, tags: user-owned.
CREATE POLICY "Users can view their own saved places" ON @extschema@.saved_places
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can save places" ON @extschema@.saved_places
  FOR INSERT TO authenticated WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can update their own saved places" ON @extschema@.saved_places
  FOR UPDATE TO authenticated USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can delete their own saved places" ON @extschema@.saved_places
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own tags" ON @extschema@.tags
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can tag" ON @extschema@.tags
  FOR INSERT TO authenticated WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can update their own tags" ON @extschema@.tags
  FOR UPDATE TO authenticated USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can delete their own tags" ON @extschema@.tags
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));

-- collections: the owner's, and public ones readable by everyone signed in.
CREATE POLICY "Users can view their own and public collections" ON @extschema@.collections
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()) OR is_public);
CREATE POLICY "Users can create collections" ON @extschema@.collections
  FOR INSERT TO authenticated WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can update their own collections" ON @extschema@.collections
  FOR UPDATE TO authenticated USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can delete their own collections" ON @extschema@.collections
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));

-- collection_items: follow their collection (whose policy refers to nothing else).
CREATE POLICY "Users can view items of visible collections" ON @extschema@.collection_items
  FOR SELECT TO authenticated
  USING (collection_id IN (SELECT c.id FROM @extschema@.collections c));
CREATE POLICY "Users can add places to their collections" ON @extschema@.collection_items
  FOR INSERT TO authenticated
  WITH CHECK (collection_id IN (SELECT c.id FROM @extschema@.collections c WHERE c.user_id = (SELECT auth.uid()))
              AND saved_place_id IN (SELECT p.id FROM @extschema@.saved_places p WHERE p.user_id = (SELECT auth.uid())));
CREATE POLICY "Users can reorder their collections" ON @extschema@.collection_items
  FOR UPDATE TO authenticated
  USING (collection_id IN (SELECT c.id FROM @extschema@.collections c WHERE c.user_id = (SELECT auth.uid())))
  WITH CHECK (collection_id IN (SELECT c.id FROM @extschema@.collections c WHERE c.user_id = (SELECT auth.uid())));
CREATE POLICY "Users can remove places from their collections" ON @extschema@.collection_items
  FOR DELETE TO authenticated
  USING (collection_id IN (SELECT c.id FROM @extschema@.collections c WHERE c.user_id = (SELECT auth.uid())));

-- collaborators: the trip's members see the member list; an invitee sees
-- their own row. Writes go through the functions only.
CREATE POLICY "Trip members and invitees can view collaborators" ON @extschema@.collaborators
  FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()) OR trip_id = ANY ((SELECT tripos_internal.readable_trip_ids())::uuid[]));
CREATE POLICY "Trip members and invitees can view invitations" ON @extschema@.trip_invitations
  FOR SELECT TO authenticated
  USING (email = lower((SELECT auth.email()))
         OR trip_id = ANY ((SELECT tripos_internal.readable_trip_ids())::uuid[]));

-- votes: members (owner or accepted collaborator) vote and see the trip's votes.
CREATE POLICY "Trip members can view votes" ON @extschema@.votes
  FOR SELECT TO authenticated USING (trip_id = ANY ((SELECT tripos_internal.readable_trip_ids())::uuid[]));
CREATE POLICY "Trip members can vote" ON @extschema@.votes
  FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND trip_id = ANY ((SELECT tripos_internal.readable_trip_ids())::uuid[]));
CREATE POLICY "Members can change their own votes" ON @extschema@.votes
  FOR UPDATE TO authenticated
  USING (user_id = (SELECT auth.uid()))
  WITH CHECK (user_id = (SELECT auth.uid()) AND trip_id = ANY ((SELECT tripos_internal.readable_trip_ids())::uuid[]));
CREATE POLICY "Members can withdraw their own votes" ON @extschema@.votes
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));

-- expenses, splits, settlements: members read; editors delete expenses; the
-- recorder of a settlement may delete it.
CREATE POLICY "Trip members can view expenses" ON @extschema@.expenses
  FOR SELECT TO authenticated USING (trip_id = ANY ((SELECT tripos_internal.readable_trip_ids())::uuid[]));
CREATE POLICY "Trip editors can update expenses" ON @extschema@.expenses
  FOR UPDATE TO authenticated
  USING (trip_id = ANY ((SELECT tripos_internal.editable_trip_ids())::uuid[]))
  WITH CHECK (trip_id = ANY ((SELECT tripos_internal.editable_trip_ids())::uuid[]));
CREATE POLICY "Trip editors can delete expenses" ON @extschema@.expenses
  FOR DELETE TO authenticated USING (trip_id = ANY ((SELECT tripos_internal.editable_trip_ids())::uuid[]));
CREATE POLICY "Trip members can view expense splits" ON @extschema@.expense_splits
  FOR SELECT TO authenticated
  USING (expense_id IN (SELECT e.id FROM @extschema@.expenses e));
CREATE POLICY "Trip members can view settlements" ON @extschema@.settlements
  FOR SELECT TO authenticated USING (trip_id = ANY ((SELECT tripos_internal.readable_trip_ids())::uuid[]));
CREATE POLICY "Recorders can delete their settlements" ON @extschema@.settlements
  FOR DELETE TO authenticated USING (created_by = (SELECT auth.uid()));

REVOKE ALL ON @extschema@.budget_events FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.budget_events TO service_role;
GRANT SELECT ON @extschema@.budget_events TO authenticated;
ALTER TABLE @extschema@.budget_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Trip members can view budget events" ON @extschema@.budget_events
  FOR SELECT TO authenticated USING (trip_id = ANY ((SELECT tripos_internal.readable_trip_ids())::uuid[]));

ALTER PUBLICATION supabase_realtime ADD TABLE @extschema@.collaborators, @extschema@.votes;
