-- ---------------------------------------------------------------------------
-- booking_pending automation rules: fired when an item of the owner's trip
-- becomes pending booking (written to be run again: the install and every
-- update run this part).
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tripos_internal.fire_booking_rules() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_fire_booking_rules'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.fire_booking_rules() IS
  'AFTER INSERT / UPDATE OF booking_status ON trip_items (row, when it became pending): the trip owner''s active booking_pending rules get a job due at once, one while such a job is pending';
REVOKE ALL ON FUNCTION tripos_internal.fire_booking_rules() FROM PUBLIC;

-- Outside this stage's tables: removed by tripos_core's drop guard before
-- DROP EXTENSION tripos_whatsapp. Only rows whose booking became pending
-- fire (itinerary moves do not reach the function).
CREATE OR REPLACE TRIGGER trg_trip_items_booking_pending_insert AFTER INSERT ON @extschema@.trip_items
  FOR EACH ROW WHEN (NEW.booking_status = 'pending') EXECUTE FUNCTION tripos_internal.fire_booking_rules();
CREATE OR REPLACE TRIGGER trg_trip_items_booking_pending_update AFTER UPDATE OF booking_status ON @extschema@.trip_items
  FOR EACH ROW WHEN (NEW.booking_status = 'pending' AND OLD.booking_status IS DISTINCT FROM 'pending')
  EXECUTE FUNCTION tripos_internal.fire_booking_rules();
