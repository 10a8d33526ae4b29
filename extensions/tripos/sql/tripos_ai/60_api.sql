-- ---------------------------------------------------------------------------
-- API
-- ---------------------------------------------------------------------------

-- Completed runs of a user between two instants (start inclusive, end
-- exclusive). SECURITY INVOKER: a user gets their own figures, the service
-- anyone's; someone else's id gives zeros.
CREATE FUNCTION @extschema@.get_ai_usage_stats(p_user_id uuid, p_start timestamptz, p_end timestamptz)
RETURNS TABLE (total_runs bigint, total_tokens bigint, total_cost_usd numeric, avg_latency_ms numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT count(*), coalesce(sum(r.tokens_total), 0)::bigint, coalesce(sum(r.cost_usd), 0),
         round(avg(r.latency_ms), 1)
    FROM @extschema@.ai_runs r
   WHERE r.user_id = p_user_id AND r.status = 'completed' AND r.created_at >= p_start AND r.created_at < p_end;
END;
COMMENT ON FUNCTION @extschema@.get_ai_usage_stats(uuid, timestamptz, timestamptz) IS
  'Completed runs, tokens, cost (USD) and mean latency of a user over [p_start, p_end)';

-- The oracle: usage rows that differ from what the runs say.
CREATE FUNCTION @extschema@.reconcile_ai_usage()
RETURNS TABLE (user_id uuid, month date, stored_runs bigint, actual_runs bigint, stored_tokens bigint,
               actual_tokens bigint, stored_cost numeric, actual_cost numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  WITH actual AS (
    SELECT r.user_id, date_trunc('month', r.created_at AT TIME ZONE 'UTC')::date AS month,
           count(*) AS runs, sum(r.tokens_total)::bigint AS tokens, sum(r.cost_usd) AS cost
      FROM @extschema@.ai_runs r GROUP BY 1, 2)
  SELECT coalesce(u.user_id, a.user_id), coalesce(u.month, a.month), u.runs, a.runs, u.tokens_total, a.tokens,
         u.cost_usd, a.cost
    FROM @extschema@.ai_usage_monthly u FULL JOIN actual a ON a.user_id = u.user_id AND a.month = u.month
   WHERE coalesce(u.runs, 0) <> coalesce(a.runs, 0) OR coalesce(u.tokens_total, 0) <> coalesce(a.tokens, 0)
      OR coalesce(u.cost_usd, 0) <> coalesce(a.cost, 0);
END;
COMMENT ON FUNCTION @extschema@.reconcile_ai_usage() IS
  'ai_usage_monthly rows that disagree with ai_runs (empty when the figures are true), among the rows the caller sees';

REVOKE ALL ON FUNCTION @extschema@.get_ai_usage_stats(uuid, timestamptz, timestamptz),
  @extschema@.reconcile_ai_usage() FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION @extschema@.get_ai_usage_stats(uuid, timestamptz, timestamptz),
  @extschema@.reconcile_ai_usage() TO authenticated, service_role;
