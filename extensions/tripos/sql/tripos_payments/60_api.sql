-- ---------------------------------------------------------------------------
-- API
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.handle_stripe_event(p_event jsonb) RETURNS @extschema@.billing_events
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.ingest_stripe_event(p_event);
END;
COMMENT ON FUNCTION @extschema@.handle_stripe_event(jsonb) IS
  'For the webhook (service role), after verifying Stripe''s signature: records the event once and applies it';

-- What each user has used against their limits: this month's AI runs and
-- their trips (SECURITY INVOKER: a user sees their own row).
CREATE VIEW @extschema@.usage_summary WITH (security_invoker = true) AS
  SELECT l.user_id, l.plan_id, l.ai_runs_limit,
         coalesce((SELECT m.runs FROM @extschema@.ai_usage_monthly m
                    WHERE m.user_id = l.user_id AND m.month = date_trunc('month', now() AT TIME ZONE 'UTC')::date), 0)
           AS ai_runs_used,
         l.trips_limit,
         (SELECT count(*) FROM @extschema@.trips t WHERE t.user_id = l.user_id) AS trips_used,
         l.collaborators_per_trip_limit, l.reset_at
    FROM @extschema@.usage_limits l;
COMMENT ON VIEW @extschema@.usage_summary IS 'Limits (-1: unlimited) and what is used: AI runs this UTC month, trips owned';

CREATE FUNCTION @extschema@.reset_monthly_usage_limits() RETURNS bigint
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  WITH moved AS (
    UPDATE @extschema@.usage_limits
       SET reset_at = (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC'
     WHERE reset_at <= now() RETURNING 1)
  SELECT count(*) FROM moved;
END;
COMMENT ON FUNCTION @extschema@.reset_monthly_usage_limits() IS
  'Moves reset_at to the next month where it has passed (usage itself is counted per UTC month in ai_usage_monthly, so nothing needs zeroing); for the service role or pg_cron';

REVOKE ALL ON FUNCTION @extschema@.handle_stripe_event(jsonb), @extschema@.reset_monthly_usage_limits()
  FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION @extschema@.handle_stripe_event(jsonb), @extschema@.reset_monthly_usage_limits() TO service_role;
REVOKE ALL ON @extschema@.usage_summary FROM PUBLIC, anon;
GRANT SELECT ON @extschema@.usage_summary TO authenticated, service_role;
