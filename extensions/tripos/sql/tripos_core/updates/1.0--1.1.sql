-- Trip OS stage 1 update from 1.0 to 1.1 (ALTER EXTENSION tripos_core UPDATE).
\echo Use "ALTER EXTENSION tripos_core UPDATE TO '1.1'" to load this file. \quit

-- trip_items.user_id (who added the item): a deleted account leaves its items
-- in the trip, author unknown, instead of deleting them from the owner's
-- itinerary (CASCADE).
ALTER TABLE @extschema@.trip_items ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE @extschema@.trip_items DROP CONSTRAINT fk_trip_items_user_id;
ALTER TABLE @extschema@.trip_items ADD CONSTRAINT fk_trip_items_user_id
  FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE SET NULL;
