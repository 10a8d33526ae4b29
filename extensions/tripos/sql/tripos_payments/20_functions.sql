-- ---------------------------------------------------------------------------
-- Functions and triggers (C++: api/stripe.cpp, triggers/plan_limits.cpp)
-- ---------------------------------------------------------------------------

CREATE FUNCTION tripos_internal.ingest_stripe_event(event jsonb) RETURNS @extschema@.billing_events
AS 'MODULE_PATHNAME', 'tripos_ingest_stripe_event'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.ingest_stripe_event(jsonb) IS
  'Records a Stripe event once by its id (a replay changes nothing) and applies it: subscriptions and invoices take the newest event''s state; usage_limits follow the plan';

CREATE FUNCTION tripos_internal.payments_new_users() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_payments_new_users'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.payments_new_users() IS
  'AFTER INSERT ON auth.users (statement): usage_limits from the default plan for each new user';

CREATE FUNCTION tripos_internal.trips_plan_limit() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_trips_plan_limit'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.trips_plan_limit() IS
  'AFTER INSERT ON trips (statement): each owner''s trips stay within their plan''s trips_max (53400), owners locked in id order';

REVOKE ALL ON FUNCTION tripos_internal.ingest_stripe_event(jsonb), tripos_internal.payments_new_users(),
  tripos_internal.trips_plan_limit() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tripos_internal.ingest_stripe_event(jsonb) TO service_role;

CREATE TRIGGER trg_plans_updated_at BEFORE UPDATE ON @extschema@.plans
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_subscriptions_updated_at BEFORE UPDATE ON @extschema@.subscriptions
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_usage_limits_updated_at BEFORE UPDATE ON @extschema@.usage_limits
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_invoices_updated_at BEFORE UPDATE ON @extschema@.invoices
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_billing_events_updated_at BEFORE UPDATE ON @extschema@.billing_events
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();

-- Outside this stage's tables: removed by tripos_core's drop guard before
-- DROP EXTENSION tripos_payments.
CREATE TRIGGER tripos_payments_new_users AFTER INSERT ON auth.users
  REFERENCING NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.payments_new_users();
CREATE TRIGGER trg_trips_plan_limit AFTER INSERT ON @extschema@.trips
  REFERENCING NEW TABLE AS new_trips FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.trips_plan_limit();
