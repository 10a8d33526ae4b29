-- =============================================================================
-- reconcile(): every maintained figure recomputed from the rows it
-- summarises, written independently of the C++ that maintains it (plain SQL
-- aggregates), so the tests use it as their oracle and operators as a check.
-- One row per figure that differs; none when all agree.
-- =============================================================================

CREATE VIEW callai_internal.figure_drift WITH (security_invoker = true) AS
WITH line_sums AS (
  SELECT o.id, o.fulfillment_status AS stored_fulfilment,
         coalesce(sum(l.total_price), 0) AS subtotal, count(l.id) AS lines,
         count(l.id) FILTER (WHERE l.fulfilled_quantity = l.quantity) AS fulfilled_lines,
         count(l.id) FILTER (WHERE l.fulfilled_quantity > 0) AS touched_lines
  FROM @extschema@.orders o LEFT JOIN @extschema@.order_line_items l ON l.order_id = o.id
  GROUP BY o.id),
customer_figures AS (
  SELECT c.id, c.total_spent, c.lifetime_value, c.total_orders, c.last_order_date,
         coalesce(sum(o.total_price) FILTER (WHERE o.status NOT IN ('cancelled', 'refunded')), 0) AS spent,
         count(o.id) FILTER (WHERE o.status NOT IN ('cancelled', 'refunded')) AS orders,
         max(o.order_date) FILTER (WHERE o.status NOT IN ('cancelled', 'refunded')) AS last_date
  FROM @extschema@.customers c LEFT JOIN @extschema@.orders o ON o.customer_id = c.id
  GROUP BY c.id),
call_buckets AS (
  SELECT store_id, (start_time AT TIME ZONE 'UTC')::date AS date_period,
         extract(hour FROM start_time AT TIME ZONE 'UTC')::int AS hour_period,
         count(*) AS total_calls,
         count(*) FILTER (WHERE direction = 'inbound') AS inbound_calls,
         count(*) FILTER (WHERE direction = 'outbound') AS outbound_calls,
         count(*) FILTER (WHERE status IN ('answered', 'completed')) AS answered_calls,
         count(*) FILTER (WHERE status IN ('busy', 'no_answer', 'cancelled', 'failed')) AS missed_calls,
         count(*) FILTER (WHERE dropped_call) AS dropped_calls,
         count(*) FILTER (WHERE status = 'completed' AND NOT dropped_call AND NOT escalated_to_human) AS ai_resolved_calls,
         count(*) FILTER (WHERE escalated_to_human) AS escalated_calls,
         coalesce(sum(duration_seconds), 0) AS duration_seconds_sum, count(duration_seconds) AS duration_samples,
         coalesce(sum(quality_score), 0) AS quality_score_sum, count(quality_score) AS quality_samples,
         coalesce(sum(satisfaction_rating), 0) AS satisfaction_sum, count(satisfaction_rating) AS satisfaction_samples
  FROM @extschema@.calls GROUP BY 1, 2, 3),
intent_counts AS (
  SELECT store_id, (start_time AT TIME ZONE 'UTC')::date AS date_period,
         extract(hour FROM start_time AT TIME ZONE 'UTC')::int AS hour_period, intent_detected AS intent,
         count(*) AS calls
  FROM @extschema@.calls WHERE intent_detected IS NOT NULL AND intent_detected <> '' GROUP BY 1, 2, 3, 4),
top_intents AS (
  SELECT store_id, date_period, hour_period,
         jsonb_agg(jsonb_build_object('intent', intent, 'calls', calls) ORDER BY calls DESC, intent) AS top
  FROM (SELECT *, row_number() OVER (PARTITION BY store_id, date_period, hour_period ORDER BY calls DESC, intent) AS rank
        FROM intent_counts) ranked
  WHERE rank <= 5 GROUP BY 1, 2, 3),
usage AS (
  SELECT store_id, date_trunc('month', start_time AT TIME ZONE 'UTC')::date AS period_start, count(*) AS calls,
         sum(billable_seconds) AS billable_seconds, sum(cost_usd) AS cost_usd,
         sum(coalesce(llm_prompt_tokens, 0)::bigint + coalesce(llm_completion_tokens, 0)) AS tokens
  FROM @extschema@.calls GROUP BY 1, 2)
SELECT 'order_line_items.total_price' AS figure, l.id::text AS key, l.total_price::text AS stored,
       (round(l.price * l.quantity, 2) - l.discount_amount)::text AS expected
FROM @extschema@.order_line_items l WHERE l.total_price <> round(l.price * l.quantity, 2) - l.discount_amount
UNION ALL
SELECT 'orders.subtotal_price', o.id::text, o.subtotal_price::text, s.subtotal::text
FROM @extschema@.orders o JOIN line_sums s ON s.id = o.id WHERE o.subtotal_price <> s.subtotal
UNION ALL
SELECT 'orders.total_price', o.id::text, o.total_price::text,
       (o.subtotal_price + o.total_tax + o.total_shipping - o.total_discounts)::text
FROM @extschema@.orders o WHERE o.total_price <> o.subtotal_price + o.total_tax + o.total_shipping - o.total_discounts
UNION ALL
SELECT 'orders.fulfillment_status', s.id::text, s.stored_fulfilment::text, e.status
FROM line_sums s CROSS JOIN LATERAL (SELECT CASE
    WHEN s.stored_fulfilment IN ('restocked', 'cancelled') THEN s.stored_fulfilment::text
    WHEN s.lines > 0 AND s.fulfilled_lines = s.lines THEN 'fulfilled'
    WHEN s.touched_lines > 0 THEN 'partial' ELSE 'unfulfilled' END AS status) e
WHERE s.stored_fulfilment::text <> e.status
UNION ALL
SELECT 'customers.total_spent', id::text, total_spent::text, spent::text FROM customer_figures WHERE total_spent <> spent
UNION ALL
SELECT 'customers.lifetime_value', id::text, lifetime_value::text, spent::text FROM customer_figures WHERE lifetime_value <> spent
UNION ALL
SELECT 'customers.total_orders', id::text, total_orders::text, orders::text FROM customer_figures WHERE total_orders <> orders
UNION ALL
SELECT 'customers.last_order_date', id::text, last_order_date::text, last_date::text
FROM customer_figures WHERE last_order_date IS DISTINCT FROM last_date
UNION ALL
SELECT 'conversations.message_count', c.id::text, c.message_count::text, count(m.id)::text
FROM @extschema@.conversations c LEFT JOIN @extschema@.conversation_messages m ON m.conversation_id = c.id
GROUP BY c.id HAVING c.message_count <> count(m.id)
UNION ALL
SELECT 'calls.duration_seconds', id::text, duration_seconds::text,
       floor(extract(epoch FROM end_time - start_time))::int::text
FROM @extschema@.calls WHERE end_time IS NOT NULL
  AND duration_seconds IS DISTINCT FROM floor(extract(epoch FROM end_time - start_time))::int
UNION ALL
SELECT 'calls.billable_seconds', id::text, billable_seconds::text,
       (CASE WHEN status IN ('answered', 'completed') AND duration_seconds > 0
             THEN ceil(duration_seconds / 60.0)::int * 60 ELSE 0 END)::text
FROM @extschema@.calls
WHERE billable_seconds <> CASE WHEN status IN ('answered', 'completed') AND duration_seconds > 0
                               THEN ceil(duration_seconds / 60.0)::int * 60 ELSE 0 END
UNION ALL
SELECT 'call_analytics', coalesce(a.store_id, b.store_id)::text || ' ' || coalesce(a.date_period, b.date_period)::text
       || ' ' || coalesce(a.hour_period, b.hour_period)::text,
       CASE WHEN a.store_id IS NULL THEN NULL ELSE row(a.total_calls, a.inbound_calls, a.outbound_calls,
         a.answered_calls, a.missed_calls, a.dropped_calls, a.ai_resolved_calls, a.escalated_calls,
         a.duration_seconds_sum, a.duration_samples, a.quality_score_sum, a.quality_samples, a.satisfaction_sum,
         a.satisfaction_samples, a.top_intents)::text END,
       CASE WHEN b.store_id IS NULL THEN NULL ELSE row(b.total_calls, b.inbound_calls, b.outbound_calls,
         b.answered_calls, b.missed_calls, b.dropped_calls, b.ai_resolved_calls, b.escalated_calls,
         b.duration_seconds_sum, b.duration_samples, b.quality_score_sum, b.quality_samples, b.satisfaction_sum,
         b.satisfaction_samples, coalesce(t.top, '[]'::jsonb))::text END
FROM (SELECT * FROM @extschema@.call_analytics WHERE total_calls <> 0 OR duration_samples <> 0) a
FULL JOIN call_buckets b USING (store_id, date_period, hour_period)
LEFT JOIN top_intents t USING (store_id, date_period, hour_period)
WHERE a.store_id IS NULL OR b.store_id IS NULL
   OR (a.total_calls, a.inbound_calls, a.outbound_calls, a.answered_calls, a.missed_calls, a.dropped_calls,
       a.ai_resolved_calls, a.escalated_calls, a.duration_seconds_sum, a.duration_samples, a.quality_score_sum,
       a.quality_samples, a.satisfaction_sum, a.satisfaction_samples)
      IS DISTINCT FROM
      (b.total_calls::int, b.inbound_calls::int, b.outbound_calls::int, b.answered_calls::int, b.missed_calls::int,
       b.dropped_calls::int, b.ai_resolved_calls::int, b.escalated_calls::int, b.duration_seconds_sum::bigint,
       b.duration_samples::int, b.quality_score_sum, b.quality_samples::int, b.satisfaction_sum::bigint,
       b.satisfaction_samples::int)
   OR a.top_intents IS DISTINCT FROM coalesce(t.top, '[]'::jsonb)
UNION ALL
SELECT 'call_intent_counts', coalesce(a.store_id, b.store_id)::text || ' ' || coalesce(a.intent, b.intent),
       a.calls::text, b.calls::text
FROM (SELECT * FROM @extschema@.call_intent_counts WHERE calls <> 0) a
FULL JOIN intent_counts b USING (store_id, date_period, hour_period, intent)
WHERE a.calls IS DISTINCT FROM b.calls::int
UNION ALL
SELECT 'store_usage_periods', coalesce(a.store_id, b.store_id)::text || ' ' || coalesce(a.period_start, b.period_start)::text,
       row(a.calls, a.billable_seconds, a.cost_usd, a.tokens)::text, row(b.calls, b.billable_seconds, b.cost_usd, b.tokens)::text
FROM (SELECT * FROM @extschema@.store_usage_periods WHERE calls <> 0) a
FULL JOIN usage b USING (store_id, period_start)
WHERE (a.calls, a.billable_seconds, a.cost_usd, a.tokens) IS DISTINCT FROM
      (b.calls::int, b.billable_seconds::bigint, b.cost_usd, b.tokens::bigint)
UNION ALL
SELECT 'stores.owner', s.id::text, 'no owner', 'at least one owner'
FROM @extschema@.stores s
WHERE NOT EXISTS (SELECT 1 FROM @extschema@.store_members m WHERE m.store_id = s.id AND m.role = 'owner')
  AND s.created_by IS NOT NULL;
REVOKE ALL ON callai_internal.figure_drift FROM PUBLIC, anon, authenticated;
GRANT SELECT ON callai_internal.figure_drift TO service_role;

CREATE FUNCTION @extschema@.reconcile()
RETURNS TABLE (figure text, key text, stored text, expected text)
LANGUAGE sql STABLE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT figure, key, stored, expected FROM callai_internal.figure_drift ORDER BY figure, key;
END;
COMMENT ON FUNCTION @extschema@.reconcile() IS
  'Every maintained figure that differs from what its rows say (none when all agree); for the service role';
REVOKE ALL ON FUNCTION @extschema@.reconcile() FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION @extschema@.reconcile() TO service_role;
