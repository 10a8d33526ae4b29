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
  -- paid_by, created_by, expense_splits.user_id and the settlements' users
  -- become NULL when that account is deleted (a former member): the money
  -- they paid and owed stays on the trip, so the others' balances hold.
  paid_by uuid,
  expense_date date NOT NULL DEFAULT CURRENT_DATE,
  split_method text NOT NULL CHECK (split_method IN ('equal', 'exact', 'percent', 'shares')),
  notes text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_expenses_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE,
  CONSTRAINT fk_expenses_trip_item_id FOREIGN KEY (trip_item_id) REFERENCES @extschema@.trip_items (id) ON DELETE SET NULL,
  CONSTRAINT fk_expenses_paid_by FOREIGN KEY (paid_by) REFERENCES auth.users (id) ON DELETE SET NULL,
  CONSTRAINT fk_expenses_created_by FOREIGN KEY (created_by) REFERENCES auth.users (id) ON DELETE SET NULL
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
  user_id uuid,
  share_minor bigint NOT NULL CHECK (share_minor >= 0),
  share_percent numeric(5,2) CHECK (share_percent BETWEEN 0 AND 100),
  shares integer CHECK (shares >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_expense_splits_expense_id FOREIGN KEY (expense_id) REFERENCES @extschema@.expenses (id) ON DELETE CASCADE,
  CONSTRAINT fk_expense_splits_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE SET NULL,
  CONSTRAINT expense_splits_expense_id_user_id_key UNIQUE (expense_id, user_id)
);
COMMENT ON TABLE @extschema@.expense_splits IS 'Each participant''s share of an expense; the shares of an expense sum to its amount';
CREATE INDEX idx_expense_splits_user_id ON @extschema@.expense_splits (user_id);

CREATE TABLE @extschema@.settlements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trip_id uuid NOT NULL,
  from_user uuid,
  to_user uuid,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  settled_at timestamptz NOT NULL DEFAULT now(),
  note text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_settlements_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE,
  CONSTRAINT fk_settlements_from_user FOREIGN KEY (from_user) REFERENCES auth.users (id) ON DELETE SET NULL,
  CONSTRAINT fk_settlements_to_user FOREIGN KEY (to_user) REFERENCES auth.users (id) ON DELETE SET NULL,
  CONSTRAINT fk_settlements_created_by FOREIGN KEY (created_by) REFERENCES auth.users (id) ON DELETE SET NULL,
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
