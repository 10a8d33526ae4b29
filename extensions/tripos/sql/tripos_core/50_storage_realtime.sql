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
