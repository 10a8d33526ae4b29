-- Trip OS stage 1 (tripos_core), assembled at build time from sql/tripos_core/*.sql.
\echo Use "CREATE EXTENSION tripos_core CASCADE" to load this file. \quit

-- Helpers that policies and triggers call, and the privileged steps, live in
-- tripos_internal: a schema the API does not expose. Every Trip OS stage adds
-- its own functions to it.
CREATE SCHEMA tripos_internal;
COMMENT ON SCHEMA tripos_internal IS 'Trip OS internals: RLS helpers, trigger functions, privileged steps (not exposed through the API)';
REVOKE ALL ON SCHEMA tripos_internal FROM PUBLIC;
GRANT USAGE ON SCHEMA tripos_internal TO anon, authenticated, service_role;
-- ---------------------------------------------------------------------------
-- Tables (seed 004, stage 1). Every table: id uuid, created_at, updated_at,
-- kept true by triggers. Users are auth.users(id), always qualified.
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.profiles (
  id uuid PRIMARY KEY,
  -- Nullable: a user who signs up by phone has no email.
  email text UNIQUE,
  full_name text,
  avatar_url text,
  preferences jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_profiles_id FOREIGN KEY (id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT profiles_preferences_object CHECK (jsonb_typeof(preferences) = 'object')
);
COMMENT ON TABLE @extschema@.profiles IS 'One row per user (created on sign-up): public profile data';

CREATE TABLE @extschema@.trips (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  destination text,
  description text,
  start_date date,
  end_date date,
  status text NOT NULL DEFAULT 'planning'
    CHECK (status IN ('planning', 'booked', 'in_progress', 'completed', 'cancelled', 'archived')),
  budget numeric(10,2) CHECK (budget >= 0),
  currency text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  travelers integer NOT NULL DEFAULT 1 CHECK (travelers > 0),
  cover_image_url text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_trips_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT trips_dates_ordered CHECK (end_date >= start_date)
);
COMMENT ON TABLE @extschema@.trips IS 'A trip: owned by user_id; shared with collaborators once tripos_collab is installed';
COMMENT ON COLUMN @extschema@.trips.budget IS 'Planned spend in currency, 2 decimals';
-- (user_id, created_at DESC) serves the owner's trip list and the foreign key;
-- (user_id, status) the owner's trips by status.
CREATE INDEX idx_trips_user_id_created_at ON @extschema@.trips (user_id, created_at DESC);
CREATE INDEX idx_trips_user_id_status ON @extschema@.trips (user_id, status);
CREATE INDEX idx_trips_status ON @extschema@.trips (status);
CREATE INDEX idx_trips_start_date_end_date ON @extschema@.trips (start_date, end_date);

-- Created before trip_items, which refers to it (upstream has them the other way round).
CREATE TABLE @extschema@.locations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  google_place_id text UNIQUE,
  name text NOT NULL,
  category text NOT NULL DEFAULT 'other'
    CHECK (category IN ('accommodation', 'restaurant', 'attraction', 'transport', 'shopping', 'other')),
  address text,
  city text,
  country text,
  latitude numeric(10,8) NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude numeric(11,8) NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  rating numeric(2,1) CHECK (rating BETWEEN 0 AND 5),
  price_level integer CHECK (price_level BETWEEN 1 AND 4),
  phone text,
  website_url text,
  opening_hours jsonb,
  photos jsonb NOT NULL DEFAULT '[]'::jsonb,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.locations IS 'Shared place catalogue (Google Places): read by every signed-in user, written by the service';
CREATE INDEX idx_locations_category ON @extschema@.locations (category);
CREATE INDEX idx_locations_city_country ON @extschema@.locations (city, country);

CREATE TABLE @extschema@.trip_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trip_id uuid NOT NULL,
  user_id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) > 0),
  category text NOT NULL DEFAULT 'other'
    CHECK (category IN ('accommodation', 'activity', 'restaurant', 'transport', 'flight', 'other')),
  description text,
  -- NOT NULL (upstream allows NULL): the order is kept per (trip, day).
  day_number integer NOT NULL DEFAULT 1 CHECK (day_number > 0),
  start_time time,
  end_time time,
  duration_minutes integer CHECK (duration_minutes >= 0),
  -- No default: an INSERT without a position appends to the day.
  order_index integer NOT NULL CHECK (order_index >= 0),
  price numeric(10,2) CHECK (price >= 0),
  currency text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  booking_status text NOT NULL DEFAULT 'not_booked'
    CHECK (booking_status IN ('not_booked', 'pending', 'confirmed', 'cancelled')),
  booking_reference text,
  location_id uuid,
  address text,
  latitude numeric(10,8) CHECK (latitude BETWEEN -90 AND 90),
  longitude numeric(11,8) CHECK (longitude BETWEEN -180 AND 180),
  website_url text,
  phone text,
  notes text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_trip_items_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE,
  CONSTRAINT fk_trip_items_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_trip_items_location_id FOREIGN KEY (location_id) REFERENCES @extschema@.locations (id) ON DELETE SET NULL,
  CONSTRAINT trip_items_times_ordered CHECK (end_time > start_time),
  -- Positions are unique per (trip, day); checked at commit because a move
  -- passes through a moment where two rows share a position. The triggers keep
  -- them dense (0..n-1); this index also serves the itinerary read and the
  -- trip_id foreign key.
  CONSTRAINT idx_trip_items_trip_id_day_number_order_index
    UNIQUE (trip_id, day_number, order_index) DEFERRABLE INITIALLY DEFERRED
);
COMMENT ON TABLE @extschema@.trip_items IS 'Itinerary entries: order_index is dense (0..n-1) per (trip_id, day_number), kept so by triggers under concurrent edits';
COMMENT ON COLUMN @extschema@.trip_items.order_index IS 'Position within the day: an INSERT places the row there (NULL or past the end appends), an UPDATE moves it, a DELETE closes the gap';
CREATE INDEX idx_trip_items_user_id ON @extschema@.trip_items (user_id);
CREATE INDEX idx_trip_items_location_id ON @extschema@.trip_items (location_id);
CREATE INDEX idx_trip_items_category ON @extschema@.trip_items (category);

CREATE TABLE @extschema@.user_settings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL UNIQUE,
  theme text NOT NULL DEFAULT 'light' CHECK (theme IN ('light', 'dark', 'system')),
  language text NOT NULL DEFAULT 'en',
  timezone text NOT NULL DEFAULT 'UTC',
  currency text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  distance_unit text NOT NULL DEFAULT 'km' CHECK (distance_unit IN ('km', 'mi')),
  notifications_enabled boolean NOT NULL DEFAULT true,
  email_notifications boolean NOT NULL DEFAULT true,
  push_notifications boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_user_settings_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.user_settings IS 'One row per user (created on sign-up): app preferences';

CREATE TABLE @extschema@.activity_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  action text NOT NULL,
  resource_type text NOT NULL,
  resource_id uuid,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip_address text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_activity_log_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.activity_log IS 'What happened to a user''s trips: written by triggers and the service only';
CREATE INDEX idx_activity_log_user_id_created_at ON @extschema@.activity_log (user_id, created_at DESC);
CREATE INDEX idx_activity_log_resource ON @extschema@.activity_log (resource_type, resource_id);

-- pg_dump keeps the rows of extension tables only when they are registered.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.profiles', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.trips', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.locations', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.trip_items', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.user_settings', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.activity_log', '');
-- ---------------------------------------------------------------------------
-- Access helpers (C++: tripos/access.cpp). Policies call them as
-- (SELECT tripos_internal.fn()) so each runs once per statement. They read
-- trips and, when tripos_collab is installed, its collaborators table, as the
-- extension owner (SECURITY DEFINER: no policy of those tables runs, so no
-- 42P17 recursion), always for the caller's own auth.uid().
-- Without tripos_collab they answer owner-only; installing it widens every
-- stage-1 policy to accepted collaborators, dropping it narrows them again.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tripos_internal.readable_trip_ids() RETURNS uuid[]
AS 'MODULE_PATHNAME', 'tripos_readable_trip_ids'
LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.readable_trip_ids() IS
  'Trips the caller owns or collaborates on (accepted); owner-only without tripos_collab';

CREATE FUNCTION tripos_internal.editable_trip_ids() RETURNS uuid[]
AS 'MODULE_PATHNAME', 'tripos_editable_trip_ids'
LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.editable_trip_ids() IS
  'Trips the caller owns or collaborates on (accepted) with edit permission';

CREATE FUNCTION tripos_internal.shared_trip_ids() RETURNS uuid[]
AS 'MODULE_PATHNAME', 'tripos_shared_trip_ids'
LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.shared_trip_ids() IS
  'Trips the caller collaborates on (accepted) without owning them; empty without tripos_collab';

CREATE FUNCTION tripos_internal.shared_editable_trip_ids() RETURNS uuid[]
AS 'MODULE_PATHNAME', 'tripos_shared_editable_trip_ids'
LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.shared_editable_trip_ids() IS
  'Trips the caller collaborates on (accepted) with edit permission, without owning them';

CREATE FUNCTION tripos_internal.trip_role(trip_id uuid) RETURNS text
AS 'MODULE_PATHNAME', 'tripos_trip_role'
LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.trip_role(uuid) IS
  'owner, editor (accepted, can_edit), viewer (accepted) or none: the caller''s role on a trip';

CREATE FUNCTION tripos_internal.readable_trip_folders() RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
RETURN (SELECT tripos_internal.readable_trip_ids())::text[];
CREATE FUNCTION tripos_internal.editable_trip_folders() RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
RETURN (SELECT tripos_internal.editable_trip_ids())::text[];
COMMENT ON FUNCTION tripos_internal.readable_trip_folders() IS
  'readable_trip_ids() as text: the first folder of a trip-images object is its trip id';
COMMENT ON FUNCTION tripos_internal.editable_trip_folders() IS
  'editable_trip_ids() as text, for trip-images uploads';

CREATE FUNCTION tripos_internal.require_core_schema(stage text, schema_name text) RETURNS void
AS 'MODULE_PATHNAME', 'tripos_require_core_schema'
LANGUAGE c STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.require_core_schema(text, text) IS
  'Called by the install script of each later stage: refuses (0A000) a schema other than tripos_core''s';

-- ---------------------------------------------------------------------------
-- Trigger functions (C++: tripos/triggers/*.cpp). SECURITY DEFINER: the
-- itinerary renumbering must reach every row of a day whatever the caller's
-- policies show, and the sign-up trigger runs as the auth service's role.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tripos_internal.touch_updated_at() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_touch_updated_at'
LANGUAGE c SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.touch_updated_at() IS
  'BEFORE UPDATE: updated_at = now() (the transaction''s time), created_at kept';

CREATE FUNCTION tripos_internal.core_new_users() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_core_new_users'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.core_new_users() IS
  'AFTER INSERT ON auth.users (statement): a profile and user_settings row per new user';

CREATE FUNCTION tripos_internal.itinerary_insert() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_itinerary_insert'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION tripos_internal.itinerary_update() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_itinerary_update'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION tripos_internal.itinerary_delete() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_itinerary_delete'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.itinerary_insert() IS
  'BEFORE INSERT ON trip_items: places the row at order_index (NULL or past the end appends) and shifts the rest, under the trip''s lock';
COMMENT ON FUNCTION tripos_internal.itinerary_update() IS
  'BEFORE UPDATE OF day_number, order_index ON trip_items: moves the row within or across days, closing and opening gaps';
COMMENT ON FUNCTION tripos_internal.itinerary_delete() IS
  'AFTER DELETE ON trip_items (statement): closes the gaps the deleted rows left, per (trip, day) in sorted order';

CREATE FUNCTION tripos_internal.lock_itinerary(item_id uuid, day_number integer) RETURNS void
AS 'MODULE_PATHNAME', 'tripos_lock_itinerary'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.lock_itinerary(uuid, integer) IS
  'Takes the day locks of an item the caller may edit (its day and the day it moves to, NULL for none) before its row lock (move_trip_item, delete_trip_item): concurrent edits of one day then queue instead of deadlocking, edits of other days proceed';

CREATE FUNCTION tripos_internal.trip_dates_guard() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_trip_dates_guard'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.trip_dates_guard() IS
  'BEFORE UPDATE OF start_date, end_date ON trips: refuses a shorter trip that strands items past its last day, or (tripos.trip_shrink = move) appends them to the new last day';

CREATE FUNCTION tripos_internal.trip_activity() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_trip_activity'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.trip_activity() IS
  'AFTER INSERT/UPDATE/DELETE ON trips (statement): activity_log rows trip.created / trip.updated / trip.deleted';

CREATE FUNCTION tripos_internal.core_before_drop() RETURNS event_trigger
AS 'MODULE_PATHNAME', 'tripos_core_before_drop'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.core_before_drop() IS
  'Before DROP EXTENSION tripos_core: removes what the stage put outside its own objects (the sign-up trigger on auth.users, the storage.objects policies), which PostgreSQL does not count as members';

REVOKE ALL ON FUNCTION
  tripos_internal.readable_trip_ids(), tripos_internal.editable_trip_ids(),
  tripos_internal.shared_trip_ids(), tripos_internal.shared_editable_trip_ids(),
  tripos_internal.trip_role(uuid), tripos_internal.readable_trip_folders(),
  tripos_internal.editable_trip_folders(), tripos_internal.touch_updated_at(),
  tripos_internal.core_new_users(), tripos_internal.itinerary_insert(),
  tripos_internal.itinerary_update(), tripos_internal.itinerary_delete(),
  tripos_internal.trip_dates_guard(), tripos_internal.trip_activity(),
  tripos_internal.core_before_drop(), tripos_internal.lock_itinerary(uuid, integer),
  tripos_internal.require_core_schema(text, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  tripos_internal.readable_trip_ids(), tripos_internal.editable_trip_ids(),
  tripos_internal.shared_trip_ids(), tripos_internal.shared_editable_trip_ids(),
  tripos_internal.trip_role(uuid), tripos_internal.readable_trip_folders(),
  tripos_internal.editable_trip_folders(), tripos_internal.lock_itinerary(uuid, integer)
TO authenticated, service_role;
-- ---------------------------------------------------------------------------
-- Triggers
-- ---------------------------------------------------------------------------

CREATE TRIGGER trg_profiles_updated_at BEFORE UPDATE ON @extschema@.profiles
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_trips_updated_at BEFORE UPDATE ON @extschema@.trips
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_trip_items_updated_at BEFORE UPDATE ON @extschema@.trip_items
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_locations_updated_at BEFORE UPDATE ON @extschema@.locations
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_user_settings_updated_at BEFORE UPDATE ON @extschema@.user_settings
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_activity_log_updated_at BEFORE UPDATE ON @extschema@.activity_log
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();

-- The itinerary's order. The insert and update triggers are named to fire
-- before trg_trip_items_updated_at (triggers fire in name order).
CREATE TRIGGER trg_trip_items_order_insert BEFORE INSERT ON @extschema@.trip_items
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.itinerary_insert();
CREATE TRIGGER trg_trip_items_order_update BEFORE UPDATE OF trip_id, day_number, order_index ON @extschema@.trip_items
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.itinerary_update();
CREATE TRIGGER trg_trip_items_order_delete AFTER DELETE ON @extschema@.trip_items
  REFERENCING OLD TABLE AS deleted_items
  FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.itinerary_delete();

CREATE TRIGGER trg_trips_dates_guard BEFORE UPDATE OF start_date, end_date ON @extschema@.trips
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.trip_dates_guard();

CREATE TRIGGER trg_trips_activity_insert AFTER INSERT ON @extschema@.trips
  REFERENCING NEW TABLE AS changed_trips
  FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.trip_activity('trip.created');
CREATE TRIGGER trg_trips_activity_update AFTER UPDATE ON @extschema@.trips
  REFERENCING NEW TABLE AS changed_trips
  FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.trip_activity('trip.updated');
CREATE TRIGGER trg_trips_activity_delete AFTER DELETE ON @extschema@.trips
  REFERENCING OLD TABLE AS changed_trips
  FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.trip_activity('trip.deleted');

-- Sign-up: the auth service inserts into auth.users.
CREATE TRIGGER tripos_core_new_users AFTER INSERT ON auth.users
  REFERENCING NEW TABLE AS new_users
  FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.core_new_users();

CREATE EVENT TRIGGER tripos_core_before_drop ON ddl_command_start
  WHEN TAG IN ('DROP EXTENSION')
  EXECUTE FUNCTION tripos_internal.core_before_drop();
-- ---------------------------------------------------------------------------
-- Privileges and Row Level Security. Supabase grants the API roles everything
-- on new objects by default: take it all back, then grant what each role
-- needs, column by column where a row's owner must not change some columns
-- (who owns a row, which trip an item belongs to, the timestamps).
-- ---------------------------------------------------------------------------

-- Installed into a schema of its own, the API reaches it only with USAGE
-- (the later stages share this schema).
GRANT USAGE ON SCHEMA @extschema@ TO anon, authenticated, service_role;

REVOKE ALL ON @extschema@.profiles, @extschema@.trips, @extschema@.trip_items,
  @extschema@.locations, @extschema@.user_settings, @extschema@.activity_log
FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.profiles, @extschema@.trips, @extschema@.trip_items,
  @extschema@.locations, @extschema@.user_settings, @extschema@.activity_log
TO service_role;

GRANT SELECT ON @extschema@.profiles TO authenticated;
GRANT UPDATE (full_name, avatar_url, preferences) ON @extschema@.profiles TO authenticated;

GRANT SELECT, DELETE ON @extschema@.trips TO authenticated;
GRANT INSERT (id, user_id, name, destination, description, start_date, end_date, status, budget,
              currency, travelers, cover_image_url, metadata)
  ON @extschema@.trips TO authenticated;
GRANT UPDATE (name, destination, description, start_date, end_date, status, budget, currency,
              travelers, cover_image_url, metadata)
  ON @extschema@.trips TO authenticated;

GRANT SELECT, DELETE ON @extschema@.trip_items TO authenticated;
GRANT INSERT (id, trip_id, user_id, name, category, description, day_number, start_time, end_time,
              duration_minutes, order_index, price, currency, booking_status, booking_reference,
              location_id, address, latitude, longitude, website_url, phone, notes, metadata)
  ON @extschema@.trip_items TO authenticated;
GRANT UPDATE (name, category, description, day_number, start_time, end_time, duration_minutes,
              order_index, price, currency, booking_status, booking_reference, location_id, address,
              latitude, longitude, website_url, phone, notes, metadata)
  ON @extschema@.trip_items TO authenticated;

GRANT SELECT ON @extschema@.locations TO authenticated;

GRANT SELECT ON @extschema@.user_settings TO authenticated;
GRANT UPDATE (theme, language, timezone, currency, distance_unit, notifications_enabled,
              email_notifications, push_notifications)
  ON @extschema@.user_settings TO authenticated;

GRANT SELECT ON @extschema@.activity_log TO authenticated;

ALTER TABLE @extschema@.profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.trips ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.trip_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.locations ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.user_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.activity_log ENABLE ROW LEVEL SECURITY;

-- profiles, user_settings: user-owned (rows are created on sign-up).
CREATE POLICY "Users can view their own profile" ON @extschema@.profiles
  FOR SELECT TO authenticated USING (id = (SELECT auth.uid()));
CREATE POLICY "Users can update their own profile" ON @extschema@.profiles
  FOR UPDATE TO authenticated USING (id = (SELECT auth.uid())) WITH CHECK (id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own settings" ON @extschema@.user_settings
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can update their own settings" ON @extschema@.user_settings
  FOR UPDATE TO authenticated USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));

-- trips: owner, widened to accepted collaborators by tripos_collab (through
-- the helpers); only the owner deletes.
CREATE POLICY "Owners and collaborators can view trips" ON @extschema@.trips
  FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()) OR id = ANY ((SELECT tripos_internal.shared_trip_ids())::uuid[]));
CREATE POLICY "Users can create their own trips" ON @extschema@.trips
  FOR INSERT TO authenticated WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Owners and editors can update trips" ON @extschema@.trips
  FOR UPDATE TO authenticated
  USING (user_id = (SELECT auth.uid()) OR id = ANY ((SELECT tripos_internal.shared_editable_trip_ids())::uuid[]))
  WITH CHECK (user_id = (SELECT auth.uid()) OR id = ANY ((SELECT tripos_internal.shared_editable_trip_ids())::uuid[]));
CREATE POLICY "Owners can delete their trips" ON @extschema@.trips
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));

-- trip_items: readable by whoever reads the trip, written by whoever edits it.
CREATE POLICY "Trip members can view itinerary items" ON @extschema@.trip_items
  FOR SELECT TO authenticated USING (trip_id = ANY ((SELECT tripos_internal.readable_trip_ids())::uuid[]));
CREATE POLICY "Trip editors can add itinerary items" ON @extschema@.trip_items
  FOR INSERT TO authenticated
  WITH CHECK (trip_id = ANY ((SELECT tripos_internal.editable_trip_ids())::uuid[]) AND user_id = (SELECT auth.uid()));
CREATE POLICY "Trip editors can update itinerary items" ON @extschema@.trip_items
  FOR UPDATE TO authenticated
  USING (trip_id = ANY ((SELECT tripos_internal.editable_trip_ids())::uuid[]))
  WITH CHECK (trip_id = ANY ((SELECT tripos_internal.editable_trip_ids())::uuid[]));
CREATE POLICY "Trip editors can delete itinerary items" ON @extschema@.trip_items
  FOR DELETE TO authenticated USING (trip_id = ANY ((SELECT tripos_internal.editable_trip_ids())::uuid[]));

-- locations: a shared catalogue, read by every signed-in user; the service writes.
CREATE POLICY "Signed-in users can view locations" ON @extschema@.locations
  FOR SELECT TO authenticated USING (true);

-- activity_log: read-only for its user.
CREATE POLICY "Users can view their own activity" ON @extschema@.activity_log
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
-- ---------------------------------------------------------------------------
-- Storage buckets and their policies on storage.objects (supabase_platform
-- supplies the storage schema on plain PostgreSQL and adopts Supabase's).
-- Object names start with their owner's folder: user-avatars/<user id>/...,
-- place-photos/<user id>/..., trip-images/<trip id>/... . One policy per
-- action covers the three buckets; upserts need INSERT, SELECT and UPDATE.
-- The policies are not extension members (PostgreSQL records none for
-- policies): the event trigger tripos_core_before_drop removes them.
-- ---------------------------------------------------------------------------

-- owner_id 'extension:tripos_core' marks them as this script's: where
-- supabase_platform created storage, pg_dump leaves such rows out (the
-- restore's CREATE EXTENSION makes them again).
INSERT INTO storage.buckets (id, name, public, owner_id) VALUES
  ('trip-images', 'trip-images', false, 'extension:tripos_core'),
  ('place-photos', 'place-photos', false, 'extension:tripos_core'),
  ('user-avatars', 'user-avatars', true, 'extension:tripos_core')
ON CONFLICT (id) DO NOTHING;

-- user-avatars is a public bucket: its files are served by URL to anyone
-- without a policy, so no policy lets clients list other users' avatars.
CREATE POLICY "Trip OS: read avatars, own photos, trip images" ON storage.objects
  FOR SELECT TO authenticated
  USING ((bucket_id IN ('user-avatars', 'place-photos')
          AND (storage.foldername(objects.name))[1] = (SELECT auth.uid())::text)
         OR (bucket_id = 'trip-images'
             AND (storage.foldername(objects.name))[1] = ANY ((SELECT tripos_internal.readable_trip_folders())::text[])));
CREATE POLICY "Trip OS: upload avatar, own photos, trip images" ON storage.objects
  FOR INSERT TO authenticated
  WITH CHECK ((bucket_id IN ('user-avatars', 'place-photos')
               AND (storage.foldername(objects.name))[1] = (SELECT auth.uid())::text)
              OR (bucket_id = 'trip-images'
                  AND (storage.foldername(objects.name))[1] = ANY ((SELECT tripos_internal.editable_trip_folders())::text[])));
CREATE POLICY "Trip OS: replace avatar, own photos, trip images" ON storage.objects
  FOR UPDATE TO authenticated
  USING ((bucket_id IN ('user-avatars', 'place-photos')
          AND (storage.foldername(objects.name))[1] = (SELECT auth.uid())::text)
         OR (bucket_id = 'trip-images'
             AND (storage.foldername(objects.name))[1] = ANY ((SELECT tripos_internal.editable_trip_folders())::text[])))
  WITH CHECK ((bucket_id IN ('user-avatars', 'place-photos')
               AND (storage.foldername(objects.name))[1] = (SELECT auth.uid())::text)
              OR (bucket_id = 'trip-images'
                  AND (storage.foldername(objects.name))[1] = ANY ((SELECT tripos_internal.editable_trip_folders())::text[])));
CREATE POLICY "Trip OS: delete avatar, own photos, trip images" ON storage.objects
  FOR DELETE TO authenticated
  USING ((bucket_id IN ('user-avatars', 'place-photos')
          AND (storage.foldername(objects.name))[1] = (SELECT auth.uid())::text)
         OR (bucket_id = 'trip-images'
             AND (storage.foldername(objects.name))[1] = ANY ((SELECT tripos_internal.editable_trip_folders())::text[])));

-- Realtime: the itinerary screens subscribe to trips and trip_items.
ALTER PUBLICATION supabase_realtime ADD TABLE @extschema@.trips, @extschema@.trip_items;
-- ---------------------------------------------------------------------------
-- API (SECURITY INVOKER: the caller's policies apply)
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.move_trip_item(p_item_id uuid, p_day_number integer, p_position integer)
RETURNS @extschema@.trip_items
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.lock_itinerary(p_item_id, p_day_number);
  UPDATE @extschema@.trip_items SET day_number = p_day_number, order_index = p_position
   WHERE id = p_item_id
  RETURNING *;
END;
COMMENT ON FUNCTION @extschema@.move_trip_item(uuid, integer, integer) IS
  'Moves an itinerary item to a day and position (past the end: last); the other items of both days close and open up';

CREATE FUNCTION @extschema@.delete_trip_item(p_item_id uuid)
RETURNS @extschema@.trip_items
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT tripos_internal.lock_itinerary(p_item_id, NULL);
  DELETE FROM @extschema@.trip_items WHERE id = p_item_id RETURNING *;
END;
COMMENT ON FUNCTION @extschema@.delete_trip_item(uuid) IS
  'Deletes an itinerary item; the rest of its day closes up';

CREATE FUNCTION @extschema@.update_trip_dates(p_trip_id uuid, p_start_date date, p_end_date date,
                                             p_move_stranded_items boolean DEFAULT false)
RETURNS @extschema@.trips
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT set_config('tripos.trip_shrink', CASE WHEN p_move_stranded_items THEN 'move' ELSE 'refuse' END, true);
  UPDATE @extschema@.trips SET start_date = p_start_date, end_date = p_end_date
   WHERE id = p_trip_id
  RETURNING *;
END;
COMMENT ON FUNCTION @extschema@.update_trip_dates(uuid, date, date, boolean) IS
  'Changes a trip''s dates; items past the new last day make it refuse (23514), or with p_move_stranded_items move to the new last day, in order';

CREATE FUNCTION @extschema@.itinerary_order_problems()
RETURNS TABLE (trip_id uuid, day_number integer, items bigint, distinct_positions bigint, max_position integer)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT i.trip_id, i.day_number, count(*), count(DISTINCT i.order_index), max(i.order_index)
    FROM @extschema@.trip_items i
   GROUP BY i.trip_id, i.day_number
  HAVING count(DISTINCT i.order_index) <> count(*) OR max(i.order_index) <> count(*) - 1;
END;
COMMENT ON FUNCTION @extschema@.itinerary_order_problems() IS
  'Days whose order_index is not exactly 0..n-1 among the rows the caller sees (empty when the order is dense): the oracle of the tests';

REVOKE ALL ON FUNCTION @extschema@.move_trip_item(uuid, integer, integer), @extschema@.delete_trip_item(uuid),
  @extschema@.update_trip_dates(uuid, date, date, boolean),
  @extschema@.itinerary_order_problems()
FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION @extschema@.move_trip_item(uuid, integer, integer), @extschema@.delete_trip_item(uuid),
  @extschema@.update_trip_dates(uuid, date, date, boolean),
  @extschema@.itinerary_order_problems()
TO authenticated, service_role;

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
