-- ---------------------------------------------------------------------------
-- Workflows: state machines, checkout sessions, catalog sync jobs
-- (C++: triggers/transition_guards.cpp, api/checkout.cpp, api/sync_jobs.cpp).
-- ---------------------------------------------------------------------------

CREATE FUNCTION esimgo_internal.guard_transition() RETURNS trigger
AS 'MODULE_PATHNAME', 'esimgo_guard_transition' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esimgo_internal.esim_owner() RETURNS trigger
AS 'MODULE_PATHNAME', 'esimgo_esim_owner' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION esimgo_internal.guard_transition(), esimgo_internal.esim_owner() FROM PUBLIC;

CREATE TRIGGER guard_status BEFORE UPDATE OF status ON @extschema@.esim_orders
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.guard_transition('order', 'status');
CREATE TRIGGER guard_status BEFORE UPDATE OF status ON @extschema@.esims
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.guard_transition('esim', 'status');
CREATE TRIGGER guard_state BEFORE UPDATE OF state ON @extschema@.esim_bundles
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.guard_transition('bundle', 'state');
CREATE TRIGGER guard_status BEFORE UPDATE OF status ON @extschema@.catalog_sync_jobs
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.guard_transition('job', 'status');
CREATE TRIGGER guard_state BEFORE UPDATE OF state ON @extschema@.checkout_sessions
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.guard_transition('checkout', 'state');
CREATE TRIGGER esim_owner BEFORE INSERT OR UPDATE OF user_id, order_id ON @extschema@.esims
  FOR EACH ROW EXECUTE FUNCTION esimgo_internal.esim_owner();

-- Checkout sessions
CREATE FUNCTION @extschema@.create_checkout_session(
  requested_days integer, country text DEFAULT NULL, region text DEFAULT NULL, bundle_group text DEFAULT NULL,
  payment_method text DEFAULT 'ISRAELI_CARD')
RETURNS jsonb AS 'MODULE_PATHNAME', 'esimgo_create_checkout_session'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.create_checkout_session(integer, text, text, text, text) IS
  'Opens a checkout priced by the engine (30 minutes); returns the session and, once, its token (anonymous sessions are reachable only with it)';

CREATE FUNCTION @extschema@.advance_checkout_session(session_id uuid, to_state text, session_token text DEFAULT NULL)
RETURNS jsonb AS 'MODULE_PATHNAME', 'esimgo_advance_checkout_session'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.advance_checkout_session(uuid, text, text) IS
  'Moves a checkout session along its state machine (its owner, its token holder or the service); illegal transitions: 23514';

CREATE FUNCTION @extschema@.complete_checkout(session_id uuid, payment_intent_id text)
RETURNS jsonb AS 'MODULE_PATHNAME', 'esimgo_complete_checkout'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.complete_checkout(uuid, text) IS
  'Payment webhook (service role): creates the order at the session''s price; a repeated call returns the same order';

CREATE FUNCTION @extschema@.fail_checkout_payment(session_id uuid)
RETURNS jsonb AS 'MODULE_PATHNAME', 'esimgo_fail_checkout_payment'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION @extschema@.cleanup_expired_checkout_sessions()
RETURNS integer AS 'MODULE_PATHNAME', 'esimgo_cleanup_expired_checkout_sessions'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;

-- Catalog sync jobs
CREATE FUNCTION @extschema@.create_sync_job(
  job_type text, bundle_group text DEFAULT NULL, country_id text DEFAULT NULL, priority text DEFAULT 'normal',
  force boolean DEFAULT false)
RETURNS uuid AS 'MODULE_PATHNAME', 'esimgo_create_sync_job'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.create_sync_job(text, text, text, text, boolean) IS
  'Queues a sync job; at most one pending or running job per (job_type, bundle_group, country_id); force cancels pending ones';

CREATE FUNCTION @extschema@.next_sync_job() RETURNS uuid AS 'MODULE_PATHNAME', 'esimgo_next_sync_job'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION @extschema@.set_sync_job_status(job_id uuid, status text, error_message text DEFAULT NULL)
RETURNS text AS 'MODULE_PATHNAME', 'esimgo_set_sync_job_status'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION @extschema@.fail_stuck_sync_jobs() RETURNS integer AS 'MODULE_PATHNAME', 'esimgo_fail_stuck_sync_jobs'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION @extschema@.purge_sync_jobs(older_than interval DEFAULT '30 days')
RETURNS integer AS 'MODULE_PATHNAME', 'esimgo_purge_sync_jobs'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION @extschema@.sync_catalog(job_id uuid, bundles jsonb)
RETURNS jsonb AS 'MODULE_PATHNAME', 'esimgo_sync_catalog'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.sync_catalog(uuid, jsonb) IS
  'Upserts a provider payload into catalog_bundles for a running job: counts added / updated / unchanged / removed, records price changes, keeps catalog_metadata';

REVOKE EXECUTE ON FUNCTION
  @extschema@.create_checkout_session(integer, text, text, text, text),
  @extschema@.advance_checkout_session(uuid, text, text), @extschema@.complete_checkout(uuid, text),
  @extschema@.fail_checkout_payment(uuid), @extschema@.cleanup_expired_checkout_sessions(),
  @extschema@.create_sync_job(text, text, text, text, boolean), @extschema@.next_sync_job(),
  @extschema@.set_sync_job_status(uuid, text, text), @extschema@.fail_stuck_sync_jobs(),
  @extschema@.purge_sync_jobs(interval), @extschema@.sync_catalog(uuid, jsonb)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  @extschema@.create_checkout_session(integer, text, text, text, text),
  @extschema@.advance_checkout_session(uuid, text, text)
TO anon, authenticated, service_role;
-- The rest check their caller too (admins or the service role).
GRANT EXECUTE ON FUNCTION
  @extschema@.create_sync_job(text, text, text, text, boolean), @extschema@.next_sync_job(),
  @extschema@.set_sync_job_status(uuid, text, text), @extschema@.fail_stuck_sync_jobs(),
  @extschema@.purge_sync_jobs(interval), @extschema@.sync_catalog(uuid, jsonb)
TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION @extschema@.complete_checkout(uuid, text), @extschema@.fail_checkout_payment(uuid),
  @extschema@.cleanup_expired_checkout_sessions() TO service_role;
