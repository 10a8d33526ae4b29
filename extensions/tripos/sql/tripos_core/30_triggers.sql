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
