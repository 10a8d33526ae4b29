-- ---------------------------------------------------------------------------
-- API (SECURITY INVOKER: the caller's policies apply). Written to be run
-- again: the install and every update run this part.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION @extschema@.move_trip_item(p_item_id uuid, p_day_number integer, p_position integer)
RETURNS @extschema@.trip_items
AS 'MODULE_PATHNAME', 'tripos_move_trip_item'
LANGUAGE c SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.move_trip_item(uuid, integer, integer) IS
  'Moves an itinerary item to a day and position (past the end: last); the other items of both days close and open up';

CREATE OR REPLACE FUNCTION @extschema@.delete_trip_item(p_item_id uuid)
RETURNS @extschema@.trip_items
AS 'MODULE_PATHNAME', 'tripos_delete_trip_item'
LANGUAGE c SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.delete_trip_item(uuid) IS
  'Deletes an itinerary item; the rest of its day closes up';

CREATE OR REPLACE FUNCTION @extschema@.update_trip_dates(p_trip_id uuid, p_start_date date, p_end_date date,
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

CREATE OR REPLACE FUNCTION @extschema@.itinerary_order_problems()
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
