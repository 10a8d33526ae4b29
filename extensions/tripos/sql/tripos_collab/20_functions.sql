-- ---------------------------------------------------------------------------
-- Privileged steps (C++: collab/*.cpp), SECURITY DEFINER in tripos_internal;
-- each acts only for the caller's auth.uid() and checks the caller's role.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tripos_internal.invite_collaborator(trip_id uuid, email text, role text, can_invite boolean,
                                                    expires_in interval)
RETURNS TABLE (invitation_id uuid, token text)
AS 'MODULE_PATHNAME', 'tripos_invite_collaborator'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION tripos_internal.answer_invitation(token text, accept boolean) RETURNS @extschema@.collaborators
AS 'MODULE_PATHNAME', 'tripos_answer_invitation'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION tripos_internal.revoke_invitation(invitation_id uuid) RETURNS void
AS 'MODULE_PATHNAME', 'tripos_revoke_invitation'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION tripos_internal.change_collaborator(trip_id uuid, user_id uuid, new_role text, can_invite boolean,
                                                    remove boolean)
RETURNS void
AS 'MODULE_PATHNAME', 'tripos_change_collaborator'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION tripos_internal.add_expense(trip_id uuid, title text, amount_minor bigint, currency text,
                                            paid_by uuid, split_method text, participants uuid[],
                                            split_values numeric[], trip_item_id uuid, category text,
                                            expense_date date, notes text)
RETURNS @extschema@.expenses
AS 'MODULE_PATHNAME', 'tripos_add_expense'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION tripos_internal.record_settlement(trip_id uuid, from_user uuid, to_user uuid, amount_minor bigint,
                                                  currency text, note text)
RETURNS @extschema@.settlements
AS 'MODULE_PATHNAME', 'tripos_record_settlement'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION tripos_internal.vote_guard() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_vote_guard'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.vote_guard() IS
  'BEFORE INSERT OR UPDATE ON votes: a vote on an itinerary item belongs to the item''s trip (filled in when NULL, refused when different)';

CREATE FUNCTION tripos_internal.collection_order_insert() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_collection_order_insert'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION tripos_internal.collection_order_update() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_collection_order_update'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION tripos_internal.collection_order_delete() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_collection_order_delete'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.collection_order_insert() IS
  'BEFORE INSERT ON collection_items: the same dense order as trip_items, per collection';
REVOKE ALL ON FUNCTION tripos_internal.collection_order_insert(), tripos_internal.collection_order_update(),
  tripos_internal.collection_order_delete() FROM PUBLIC;

CREATE FUNCTION tripos_internal.budget_watch() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_budget_watch'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.budget_watch() IS
  'AFTER INSERT / UPDATE / DELETE ON expenses (statement): per trip, under its lock, a budget_events row for each threshold (80 %, 100 %) the spending crossed upwards';

REVOKE ALL ON FUNCTION tripos_internal.budget_watch() FROM PUBLIC;
REVOKE ALL ON FUNCTION
  tripos_internal.invite_collaborator(uuid, text, text, boolean, interval),
  tripos_internal.answer_invitation(text, boolean), tripos_internal.revoke_invitation(uuid),
  tripos_internal.change_collaborator(uuid, uuid, text, boolean, boolean),
  tripos_internal.add_expense(uuid, text, bigint, text, uuid, text, uuid[], numeric[], uuid, text, date, text),
  tripos_internal.record_settlement(uuid, uuid, uuid, bigint, text, text),
  tripos_internal.vote_guard()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  tripos_internal.invite_collaborator(uuid, text, text, boolean, interval),
  tripos_internal.answer_invitation(text, boolean), tripos_internal.revoke_invitation(uuid),
  tripos_internal.change_collaborator(uuid, uuid, text, boolean, boolean),
  tripos_internal.add_expense(uuid, text, bigint, text, uuid, text, uuid[], numeric[], uuid, text, date, text),
  tripos_internal.record_settlement(uuid, uuid, uuid, bigint, text, text)
TO authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Triggers
-- ---------------------------------------------------------------------------
CREATE TRIGGER trg_saved_places_updated_at BEFORE UPDATE ON @extschema@.saved_places
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_collections_updated_at BEFORE UPDATE ON @extschema@.collections
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_collection_items_updated_at BEFORE UPDATE ON @extschema@.collection_items
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_collaborators_updated_at BEFORE UPDATE ON @extschema@.collaborators
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_trip_invitations_updated_at BEFORE UPDATE ON @extschema@.trip_invitations
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_votes_updated_at BEFORE UPDATE ON @extschema@.votes
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_tags_updated_at BEFORE UPDATE ON @extschema@.tags
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_expenses_updated_at BEFORE UPDATE ON @extschema@.expenses
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_expense_splits_updated_at BEFORE UPDATE ON @extschema@.expense_splits
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_settlements_updated_at BEFORE UPDATE ON @extschema@.settlements
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_votes_guard BEFORE INSERT OR UPDATE OF trip_id, trip_item_id ON @extschema@.votes
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.vote_guard();
CREATE TRIGGER trg_budget_events_updated_at BEFORE UPDATE ON @extschema@.budget_events
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_expenses_budget_insert AFTER INSERT ON @extschema@.expenses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.budget_watch();
CREATE TRIGGER trg_expenses_budget_update AFTER UPDATE ON @extschema@.expenses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.budget_watch();
CREATE TRIGGER trg_expenses_budget_delete AFTER DELETE ON @extschema@.expenses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.budget_watch();
CREATE TRIGGER trg_collection_items_order_insert BEFORE INSERT ON @extschema@.collection_items
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.collection_order_insert();
CREATE TRIGGER trg_collection_items_order_update BEFORE UPDATE OF collection_id, order_index ON @extschema@.collection_items
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.collection_order_update();
CREATE TRIGGER trg_collection_items_order_delete AFTER DELETE ON @extschema@.collection_items
  REFERENCING OLD TABLE AS deleted_items FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.collection_order_delete();
