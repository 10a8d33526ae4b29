-- Trip OS stage 2 (tripos_collab), assembled at build time from sql/tripos_collab/*.sql.
\echo Use "CREATE EXTENSION tripos_collab CASCADE" to load this file. \quit

-- Later stages live in tripos_core's schema: their tables refer to trips and
-- their rows widen stage 1's policies. Refused clearly (0A000) otherwise.
SELECT tripos_internal.require_core_schema('tripos_collab', '@extschema@');
-- ---------------------------------------------------------------------------
-- Tables (seed 004, stage 2, plus invitations, expenses, splits, settlements)
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.saved_places (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  location_id uuid,
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  category text NOT NULL DEFAULT 'other',
  notes text,
  rating numeric(2,1) CHECK (rating BETWEEN 0 AND 5),
  visited boolean NOT NULL DEFAULT false,
  visited_date date,
  photos jsonb NOT NULL DEFAULT '[]'::jsonb,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_saved_places_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_saved_places_location_id FOREIGN KEY (location_id) REFERENCES @extschema@.locations (id) ON DELETE SET NULL
);
COMMENT ON TABLE @extschema@.saved_places IS 'A user''s bookmarked places';
CREATE INDEX idx_saved_places_user_id_created_at ON @extschema@.saved_places (user_id, created_at DESC);
CREATE INDEX idx_saved_places_location_id ON @extschema@.saved_places (location_id);
CREATE INDEX idx_saved_places_category ON @extschema@.saved_places (category);

CREATE TABLE @extschema@.collections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  description text,
  icon text,
  color text,
  is_public boolean NOT NULL DEFAULT false,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_collections_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.collections IS 'Named lists of saved places; public ones are readable by every signed-in user';
CREATE INDEX idx_collections_user_id ON @extschema@.collections (user_id);
CREATE INDEX idx_collections_is_public ON @extschema@.collections (created_at DESC) WHERE is_public;

CREATE TABLE @extschema@.collection_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  collection_id uuid NOT NULL,
  saved_place_id uuid NOT NULL,
  -- Dense 0..n-1 per collection, kept as trip_items' (no default: appends).
  order_index integer NOT NULL CHECK (order_index >= 0),
  notes text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT idx_collection_items_collection_id_order_index
    UNIQUE (collection_id, order_index) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT fk_collection_items_collection_id FOREIGN KEY (collection_id) REFERENCES @extschema@.collections (id) ON DELETE CASCADE,
  CONSTRAINT fk_collection_items_saved_place_id FOREIGN KEY (saved_place_id) REFERENCES @extschema@.saved_places (id) ON DELETE CASCADE,
  CONSTRAINT collection_items_collection_id_saved_place_id_key UNIQUE (collection_id, saved_place_id)
);
COMMENT ON TABLE @extschema@.collection_items IS 'Places in a collection, in order';
CREATE INDEX idx_collection_items_saved_place_id ON @extschema@.collection_items (saved_place_id);

-- The owner is trips.user_id; a row here is anyone else's standing on the
-- trip. Rows are written only by the invitation functions.
CREATE TABLE @extschema@.collaborators (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trip_id uuid NOT NULL,
  user_id uuid NOT NULL,
  invited_by uuid,
  -- No 'owner' (upstream allows it): ownership is trips.user_id, never a row.
  role text NOT NULL DEFAULT 'viewer' CHECK (role IN ('editor', 'viewer')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'removed')),
  can_edit boolean NOT NULL DEFAULT false,
  can_invite boolean NOT NULL DEFAULT false,
  accepted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_collaborators_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE,
  CONSTRAINT fk_collaborators_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_collaborators_invited_by FOREIGN KEY (invited_by) REFERENCES auth.users (id) ON DELETE SET NULL,
  CONSTRAINT collaborators_trip_id_user_id_key UNIQUE (trip_id, user_id),
  CONSTRAINT collaborators_editor_can_edit CHECK ((role = 'editor') = can_edit),
  CONSTRAINT collaborators_accepted_at CHECK ((status = 'accepted') <= (accepted_at IS NOT NULL))
);
COMMENT ON TABLE @extschema@.collaborators IS 'Who shares a trip: accepted rows give access (viewer reads, editor with can_edit writes)';
CREATE INDEX idx_collaborators_user_id_status ON @extschema@.collaborators (user_id, status);
CREATE INDEX idx_collaborators_invited_by ON @extschema@.collaborators (invited_by);

CREATE TABLE @extschema@.trip_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trip_id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
  role text NOT NULL DEFAULT 'viewer' CHECK (role IN ('editor', 'viewer')),
  can_edit boolean NOT NULL DEFAULT false,
  can_invite boolean NOT NULL DEFAULT false,
  -- sha256 of the token: the token itself is shown once, to the inviter.
  token_hash bytea NOT NULL UNIQUE,
  invited_by uuid NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid,
  declined_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_trip_invitations_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE,
  CONSTRAINT fk_trip_invitations_invited_by FOREIGN KEY (invited_by) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_trip_invitations_accepted_by FOREIGN KEY (accepted_by) REFERENCES auth.users (id) ON DELETE SET NULL,
  CONSTRAINT trip_invitations_one_outcome CHECK (num_nonnulls(accepted_at, declined_at, revoked_at) <= 1)
);
COMMENT ON TABLE @extschema@.trip_invitations IS 'Invitations by email with a single-use, expiring token';
CREATE INDEX idx_trip_invitations_trip_id ON @extschema@.trip_invitations (trip_id);
CREATE INDEX idx_trip_invitations_email ON @extschema@.trip_invitations (email);
CREATE INDEX idx_trip_invitations_invited_by ON @extschema@.trip_invitations (invited_by);
CREATE INDEX idx_trip_invitations_accepted_by ON @extschema@.trip_invitations (accepted_by);

CREATE TABLE @extschema@.votes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trip_id uuid NOT NULL,
  trip_item_id uuid,
  saved_place_id uuid,
  user_id uuid NOT NULL,
  vote_type text NOT NULL CHECK (vote_type IN ('up', 'down', 'favorite')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_votes_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE,
  CONSTRAINT fk_votes_trip_item_id FOREIGN KEY (trip_item_id) REFERENCES @extschema@.trip_items (id) ON DELETE CASCADE,
  CONSTRAINT fk_votes_saved_place_id FOREIGN KEY (saved_place_id) REFERENCES @extschema@.saved_places (id) ON DELETE CASCADE,
  CONSTRAINT fk_votes_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT votes_one_target CHECK (num_nonnulls(trip_item_id, saved_place_id) = 1)
);
COMMENT ON TABLE @extschema@.votes IS 'Group votes on itinerary items and saved places: up and down exclude each other per user and target; favorite is separate';
-- Up and down share one slot per (target, user); favorite has its own.
CREATE UNIQUE INDEX idx_votes_trip_item_id_user_id_opinion ON @extschema@.votes (trip_item_id, user_id)
  WHERE vote_type <> 'favorite';
CREATE UNIQUE INDEX idx_votes_trip_item_id_user_id_favorite ON @extschema@.votes (trip_item_id, user_id)
  WHERE vote_type = 'favorite';
CREATE UNIQUE INDEX idx_votes_saved_place_id_user_id_opinion ON @extschema@.votes (saved_place_id, user_id, trip_id)
  WHERE vote_type <> 'favorite';
CREATE UNIQUE INDEX idx_votes_saved_place_id_user_id_favorite ON @extschema@.votes (saved_place_id, user_id, trip_id)
  WHERE vote_type = 'favorite';
CREATE INDEX idx_votes_trip_id ON @extschema@.votes (trip_id);
CREATE INDEX idx_votes_trip_item_id ON @extschema@.votes (trip_item_id);
CREATE INDEX idx_votes_saved_place_id ON @extschema@.votes (saved_place_id);
CREATE INDEX idx_votes_user_id ON @extschema@.votes (user_id);

CREATE TABLE @extschema@.tags (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  resource_type text NOT NULL CHECK (resource_type IN ('trip', 'trip_item', 'saved_place', 'collection')),
  resource_id uuid NOT NULL,
  tag_name text NOT NULL CHECK (length(btrim(tag_name)) > 0),
  color text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_tags_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT tags_user_id_resource_key UNIQUE (user_id, resource_type, resource_id, tag_name)
);
COMMENT ON TABLE @extschema@.tags IS 'A user''s labels on their trips, items, places and collections';
CREATE INDEX idx_tags_resource ON @extschema@.tags (resource_type, resource_id);

-- Money in integer minor units of the currency (cents), as Stripe counts it:
-- splits then add up exactly (domain/splits).
CREATE TABLE @extschema@.expenses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trip_id uuid NOT NULL,
  trip_item_id uuid,
  title text NOT NULL CHECK (length(btrim(title)) > 0),
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  category text NOT NULL DEFAULT 'other'
    CHECK (category IN ('accommodation', 'activity', 'food', 'transport', 'shopping', 'other')),
  paid_by uuid NOT NULL,
  expense_date date NOT NULL DEFAULT CURRENT_DATE,
  split_method text NOT NULL CHECK (split_method IN ('equal', 'exact', 'percent', 'shares')),
  notes text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_expenses_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE,
  CONSTRAINT fk_expenses_trip_item_id FOREIGN KEY (trip_item_id) REFERENCES @extschema@.trip_items (id) ON DELETE SET NULL,
  CONSTRAINT fk_expenses_paid_by FOREIGN KEY (paid_by) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_expenses_created_by FOREIGN KEY (created_by) REFERENCES auth.users (id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.expenses IS 'What a trip member paid for the group; split among members by add_expense()';
COMMENT ON COLUMN @extschema@.expenses.amount_minor IS 'In minor units of currency (cents for USD)';
CREATE INDEX idx_expenses_trip_id_expense_date ON @extschema@.expenses (trip_id, expense_date);
CREATE INDEX idx_expenses_trip_item_id ON @extschema@.expenses (trip_item_id);
CREATE INDEX idx_expenses_paid_by ON @extschema@.expenses (paid_by);
CREATE INDEX idx_expenses_created_by ON @extschema@.expenses (created_by);

CREATE TABLE @extschema@.expense_splits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  expense_id uuid NOT NULL,
  user_id uuid NOT NULL,
  share_minor bigint NOT NULL CHECK (share_minor >= 0),
  share_percent numeric(5,2) CHECK (share_percent BETWEEN 0 AND 100),
  shares integer CHECK (shares >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_expense_splits_expense_id FOREIGN KEY (expense_id) REFERENCES @extschema@.expenses (id) ON DELETE CASCADE,
  CONSTRAINT fk_expense_splits_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT expense_splits_expense_id_user_id_key UNIQUE (expense_id, user_id)
);
COMMENT ON TABLE @extschema@.expense_splits IS 'Each participant''s share of an expense; the shares of an expense sum to its amount';
CREATE INDEX idx_expense_splits_user_id ON @extschema@.expense_splits (user_id);

CREATE TABLE @extschema@.settlements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trip_id uuid NOT NULL,
  from_user uuid NOT NULL,
  to_user uuid NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  settled_at timestamptz NOT NULL DEFAULT now(),
  note text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_settlements_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE,
  CONSTRAINT fk_settlements_from_user FOREIGN KEY (from_user) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_settlements_to_user FOREIGN KEY (to_user) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_settlements_created_by FOREIGN KEY (created_by) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT settlements_two_people CHECK (from_user <> to_user)
);
COMMENT ON TABLE @extschema@.settlements IS 'Money one member paid another to settle trip expenses';
CREATE INDEX idx_settlements_trip_id ON @extschema@.settlements (trip_id);
CREATE INDEX idx_settlements_from_user ON @extschema@.settlements (from_user);
CREATE INDEX idx_settlements_to_user ON @extschema@.settlements (to_user);
CREATE INDEX idx_settlements_created_by ON @extschema@.settlements (created_by);

-- pg_dump keeps the rows of extension tables only when they are registered.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.saved_places', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.collections', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.collection_items', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.collaborators', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.trip_invitations', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.votes', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.tags', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.expenses', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.expense_splits', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.settlements', '');

-- Raised when a trip's expenses in its own currency cross 80 % or 100 % of
-- trips.budget (once per crossing; falling back below re-arms it). Stage 5
-- automations (budget_exceeded) and the app read them.
CREATE TABLE @extschema@.budget_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trip_id uuid NOT NULL,
  threshold_percent integer NOT NULL CHECK (threshold_percent BETWEEN 1 AND 1000),
  spent_minor bigint NOT NULL,
  budget numeric(10,2) NOT NULL,
  currency text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_budget_events_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.budget_events IS 'A trip''s spending crossed a share of its budget (written by the expenses trigger)';
CREATE INDEX idx_budget_events_trip_id ON @extschema@.budget_events (trip_id, created_at);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.budget_events', '');
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
-- ---------------------------------------------------------------------------
-- API (SECURITY INVOKER; the privileged steps check the caller themselves)
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.invite_collaborator(p_trip_id uuid, p_email text, p_role text DEFAULT 'viewer',
                                               p_can_invite boolean DEFAULT false,
                                               p_expires_in interval DEFAULT '7 days')
RETURNS TABLE (invitation_id uuid, token text)
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.invite_collaborator(p_trip_id, p_email, p_role, p_can_invite, p_expires_in);
END;
COMMENT ON FUNCTION @extschema@.invite_collaborator(uuid, text, text, boolean, interval) IS
  'Invites an email to a trip (the owner, or a collaborator allowed to invite): returns the single-use token, shown only here';

CREATE FUNCTION @extschema@.accept_invitation(p_token text) RETURNS @extschema@.collaborators
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.answer_invitation(p_token, true);
END;
COMMENT ON FUNCTION @extschema@.accept_invitation(text) IS
  'Accepts an invitation addressed to the caller''s email: once, before it expires; returns the collaborator row';

CREATE FUNCTION @extschema@.decline_invitation(p_token text) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.answer_invitation(p_token, false);
END;

CREATE FUNCTION @extschema@.revoke_invitation(p_invitation_id uuid) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.revoke_invitation(p_invitation_id);
END;

CREATE FUNCTION @extschema@.change_collaborator_role(p_trip_id uuid, p_user_id uuid, p_role text,
                                                    p_can_invite boolean DEFAULT NULL)
RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.change_collaborator(p_trip_id, p_user_id, p_role, p_can_invite, false);
END;
COMMENT ON FUNCTION @extschema@.change_collaborator_role(uuid, uuid, text, boolean) IS
  'Owner only: sets an accepted collaborator''s role (viewer or editor) and, when given, can_invite';

CREATE FUNCTION @extschema@.remove_collaborator(p_trip_id uuid, p_user_id uuid) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.change_collaborator(p_trip_id, p_user_id, NULL, NULL, true);
END;
COMMENT ON FUNCTION @extschema@.remove_collaborator(uuid, uuid) IS
  'The owner removes a collaborator, or a collaborator leaves (p_user_id = themselves); the owner is never removed';

CREATE FUNCTION @extschema@.add_expense(p_trip_id uuid, p_title text, p_amount_minor bigint, p_currency text,
                                       p_paid_by uuid, p_split_method text, p_participants uuid[],
                                       p_split_values numeric[] DEFAULT NULL, p_trip_item_id uuid DEFAULT NULL,
                                       p_category text DEFAULT 'other', p_expense_date date DEFAULT CURRENT_DATE,
                                       p_notes text DEFAULT NULL)
RETURNS @extschema@.expenses
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.add_expense(p_trip_id, p_title, p_amount_minor, p_currency, p_paid_by,
                                            p_split_method, p_participants, p_split_values, p_trip_item_id,
                                            p_category, p_expense_date, p_notes);
END;
COMMENT ON FUNCTION @extschema@.add_expense(uuid, text, bigint, text, uuid, text, uuid[], numeric[], uuid, text, date, text) IS
  'A trip editor records an expense and its split among members: equal (values ignored), exact (minor units), percent (summing to 100) or shares (weights); remainders go deterministically so the shares sum to the amount';

CREATE FUNCTION @extschema@.record_settlement(p_trip_id uuid, p_from_user uuid, p_to_user uuid,
                                             p_amount_minor bigint, p_currency text, p_note text DEFAULT NULL)
RETURNS @extschema@.settlements
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.record_settlement(p_trip_id, p_from_user, p_to_user, p_amount_minor, p_currency, p_note);
END;
COMMENT ON FUNCTION @extschema@.record_settlement(uuid, uuid, uuid, bigint, text, text) IS
  'A member records a payment they made or received to settle the trip''s expenses';

-- balance = paid - owed + settlements sent - settlements received
-- (positive: the group owes the member). Rows the caller can see only.
CREATE VIEW @extschema@.trip_balances WITH (security_invoker = true) AS
  SELECT trip_id, user_id, currency, sum(delta)::bigint AS balance_minor
    FROM (SELECT e.trip_id, e.paid_by AS user_id, e.currency, e.amount_minor AS delta FROM @extschema@.expenses e
          UNION ALL
          SELECT e.trip_id, s.user_id, e.currency, -s.share_minor
            FROM @extschema@.expense_splits s JOIN @extschema@.expenses e ON e.id = s.expense_id
          UNION ALL
          SELECT t.trip_id, t.from_user, t.currency, t.amount_minor FROM @extschema@.settlements t
          UNION ALL
          SELECT t.trip_id, t.to_user, t.currency, -t.amount_minor FROM @extschema@.settlements t) AS moves
   GROUP BY trip_id, user_id, currency;
COMMENT ON VIEW @extschema@.trip_balances IS
  'Per trip, member and currency: paid - owed + settlements sent - received, in minor units (positive: the group owes them)';

CREATE FUNCTION @extschema@.settlement_suggestions(p_trip_id uuid, p_currency text)
RETURNS TABLE (from_user uuid, to_user uuid, amount_minor bigint)
AS 'MODULE_PATHNAME', 'tripos_settlement_suggestions'
LANGUAGE c STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.settlement_suggestions(uuid, text) IS
  'Who pays whom to settle the trip in one currency, with the fewest transfers (exact up to 16 members with a balance)';

CREATE VIEW @extschema@.vote_tallies WITH (security_invoker = true) AS
  SELECT trip_id, trip_item_id, saved_place_id,
         count(*) FILTER (WHERE vote_type = 'up') AS up_votes,
         count(*) FILTER (WHERE vote_type = 'down') AS down_votes,
         count(*) FILTER (WHERE vote_type = 'favorite') AS favorites,
         count(*) FILTER (WHERE vote_type = 'up') - count(*) FILTER (WHERE vote_type = 'down') AS score
    FROM @extschema@.votes
   GROUP BY trip_id, trip_item_id, saved_place_id;
COMMENT ON VIEW @extschema@.vote_tallies IS 'Votes per itinerary item or saved place of a trip';

CREATE FUNCTION @extschema@.expense_split_problems()
RETURNS TABLE (expense_id uuid, amount_minor bigint, splits_minor bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT e.id, e.amount_minor, coalesce(sum(s.share_minor), 0)::bigint
    FROM @extschema@.expenses e LEFT JOIN @extschema@.expense_splits s ON s.expense_id = e.id
   GROUP BY e.id, e.amount_minor
  HAVING coalesce(sum(s.share_minor), 0) <> e.amount_minor;
END;
COMMENT ON FUNCTION @extschema@.expense_split_problems() IS
  'Expenses whose splits do not sum to the amount (empty when all is well): the oracle of the tests';

REVOKE ALL ON FUNCTION
  @extschema@.invite_collaborator(uuid, text, text, boolean, interval), @extschema@.accept_invitation(text),
  @extschema@.decline_invitation(text), @extschema@.revoke_invitation(uuid),
  @extschema@.change_collaborator_role(uuid, uuid, text, boolean), @extschema@.remove_collaborator(uuid, uuid),
  @extschema@.add_expense(uuid, text, bigint, text, uuid, text, uuid[], numeric[], uuid, text, date, text),
  @extschema@.record_settlement(uuid, uuid, uuid, bigint, text, text),
  @extschema@.settlement_suggestions(uuid, text), @extschema@.expense_split_problems()
FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION
  @extschema@.invite_collaborator(uuid, text, text, boolean, interval), @extschema@.accept_invitation(text),
  @extschema@.decline_invitation(text), @extschema@.revoke_invitation(uuid),
  @extschema@.change_collaborator_role(uuid, uuid, text, boolean), @extschema@.remove_collaborator(uuid, uuid),
  @extschema@.add_expense(uuid, text, bigint, text, uuid, text, uuid[], numeric[], uuid, text, date, text),
  @extschema@.record_settlement(uuid, uuid, uuid, bigint, text, text),
  @extschema@.settlement_suggestions(uuid, text), @extschema@.expense_split_problems()
TO authenticated, service_role;
REVOKE ALL ON @extschema@.trip_balances, @extschema@.vote_tallies FROM PUBLIC, anon;
GRANT SELECT ON @extschema@.trip_balances, @extschema@.vote_tallies TO authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Appended by the build to every install and update script of every system
-- (cmake/PgSystem.cmake, mk/system.mk).
--
-- A trusted extension's script runs as the bootstrap superuser, so the tables
-- it creates would be the superuser's. Where a non-superuser installed the
-- extension (on Supabase: postgres), the tables in the extension's schema
-- are handed to that owner, so the project's owner can do with them what
-- Supabase users do with their tables: add their own policies, indexes and
-- columns, and add them to the supabase_realtime publication. The internal
-- schema and everything in it stay the superuser's; the functions stay the
-- superuser's too (SECURITY DEFINER steps and triggers run as it). Nothing
-- changes where a superuser installed.
-- ---------------------------------------------------------------------------
DO $hand_over_tables$
DECLARE
  member record;
BEGIN
  FOR member IN
    SELECT c.oid::pg_catalog.regclass AS rel, e.extowner
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_depend d
        ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e'
       AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
      JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
     WHERE c.relnamespace = '@extschema@'::pg_catalog.regnamespace AND c.relkind IN ('r', 'p')
       AND c.relowner <> e.extowner
       AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE oid = e.extowner)
     ORDER BY c.oid
  LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s OWNER TO %I', member.rel, pg_catalog.pg_get_userbyid(member.extowner));
  END LOOP;
END
$hand_over_tables$;
