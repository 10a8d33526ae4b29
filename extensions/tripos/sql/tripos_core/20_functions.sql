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
