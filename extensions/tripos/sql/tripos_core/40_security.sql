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
