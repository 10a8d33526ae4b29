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
  -- Who added the item; NULL once their account is deleted (the item stays
  -- in the trip it was planned into, and the day's order stays dense).
  user_id uuid,
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
  CONSTRAINT fk_trip_items_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE SET NULL,
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
