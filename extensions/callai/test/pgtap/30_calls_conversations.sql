-- Calls (duration, billing, cost, analytics, usage), conversations (message
-- index, counts, resolution, idle completion), routing and sync upserts.
BEGIN;
\ir ../../../../test/lib/pgtap_helpers.psql
\ir fixtures/stores.psql
SELECT plan(50);

INSERT INTO store_phone_numbers (store_id, phone_number, is_primary)
VALUES (:'store_a', '+18005550100', true) RETURNING id AS number_a \gset
INSERT INTO voice_agents (store_id, provider, name, external_assistant_id, first_message)
VALUES (:'store_a', 'vapi', 'Ava', 'asst_1', 'Hi, this is Ava') RETURNING id AS agent_ava \gset
INSERT INTO customers (store_id, external_id, phone, first_name) VALUES (:'store_a', 'cust-1', '+14155550101', 'Carla')
RETURNING id AS carla \gset
INSERT INTO orders (store_id, external_id, customer_id, order_number, total_shipping, order_date)
VALUES (:'store_a', 'ord-1', :'carla', '#1001', 5, '2026-04-01 08:00+00'),
       (:'store_a', 'ord-2', :'carla', '#1002', 7, '2026-04-03 08:00+00');

-- A call inserted already ended gets its duration (upstream computed it on UPDATE only).
SELECT test_helpers.become('service_role');
INSERT INTO calls (store_id, provider, provider_call_id, from_phone, to_phone, direction, start_time, end_time,
                   status, intent_detected, quality_score, satisfaction_rating, cost_breakdown)
VALUES (:'store_a', 'vapi', 'call-1', '+14155550101', '+18005550100', 'inbound', '2026-04-05 10:15:00+00',
        '2026-04-05 10:16:01.9+00', 'completed', 'order_status', 0.80, 5,
        '{"transport": 0.0100, "stt": 0.0125, "llm": 0.03005, "tts": 0.02, "vapi": 0.05, "total": 0.1226,
          "llmPromptTokens": 1200, "llmCompletionTokens": 150, "ttsCharacters": 900}')
RETURNING id AS call1 \gset
SELECT is((SELECT (duration_seconds, billable_seconds, cost_usd, llm_prompt_tokens, llm_completion_tokens, tts_characters)::text
           FROM calls WHERE id = :'call1'), '(61,120,0.1226,1200,150,900)',
          'duration 61 s, billed 2 started minutes, cost = sum of the breakdown (half up to 4 dp), tokens from it');
SELECT is(test_helpers.outcome(format($$INSERT INTO calls (store_id, from_phone, to_phone, direction, cost_breakdown)
  VALUES (%L, '+14155550101', '+18005550100', 'inbound', '{"llm": 0.01, "total": 0.5}')$$, :'store_a')),
  '22023', 'a breakdown whose total disagrees with its parts is refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO calls (store_id, from_phone, to_phone, direction, cost_breakdown)
  VALUES (%L, '+14155550101', '+18005550100', 'inbound', '{"llm": "cheap"}')$$, :'store_a')),
  '22023', 'a part that is not a number is refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO calls (store_id, from_phone, to_phone, direction, cost_breakdown)
  VALUES (%L, '+14155550101', '+18005550100', 'inbound', '[1]')$$, :'store_a')),
  '22023', 'a breakdown that is not an object is refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO calls (store_id, from_phone, to_phone, direction, start_time, end_time)
  VALUES (%L, '+14155550101', '+18005550100', 'inbound', now(), now() - interval '1 second')$$, :'store_a')),
  '23514', 'an end before the start is refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO calls (store_id, from_phone, to_phone, direction)
  VALUES (%L, '4155550101', '+18005550100', 'inbound')$$, :'store_a')), '23514', 'a phone number not in E.164 is refused');

INSERT INTO calls (store_id, from_phone, to_phone, direction, start_time, status)
VALUES (:'store_a', '+14155550199', '+18005550100', 'inbound', '2026-04-05 10:40:00+00', 'no_answer'),
       (:'store_a', '+14155550101', '+14155550155', 'outbound', '2026-04-05 10:50:00+00', 'ringing');
INSERT INTO calls (store_id, from_phone, to_phone, direction, start_time, end_time, status, escalated_to_human, intent_detected)
VALUES (:'store_a', '+14155550101', '+18005550100', 'inbound', '2026-04-05 10:55:00+00', '2026-04-05 10:58:00+00', 'completed', true, 'refund')
RETURNING id AS call4 \gset
SELECT is((SELECT (total_calls, inbound_calls, outbound_calls, answered_calls, missed_calls, ai_resolved_calls, escalated_calls,
                   average_call_duration, average_quality_score, average_satisfaction_rating, ai_resolution_rate,
                   human_escalation_rate)::text
           FROM call_analytics WHERE store_id = :'store_a' AND date_period = '2026-04-05' AND hour_period = 10),
          '(4,3,1,2,1,1,1,120.50,0.80,5.00,25.00,25.00)', 'the hour''s analytics: counts, averages and rates');
SELECT is((SELECT top_intents FROM call_analytics WHERE store_id = :'store_a' AND date_period = '2026-04-05' AND hour_period = 10),
          '[{"calls": 1, "intent": "order_status"}, {"calls": 1, "intent": "refund"}]'::jsonb, 'top intents');
UPDATE calls SET status = 'completed', end_time = start_time + interval '30 seconds', intent_detected = 'refund'
WHERE to_phone = '+14155550155';
SELECT is((SELECT (total_calls, outbound_calls, answered_calls, ai_resolved_calls, average_call_duration, top_intents)::text
           FROM call_analytics WHERE store_id = :'store_a' AND date_period = '2026-04-05' AND hour_period = 10),
          '(4,1,3,2,90.33,"[{""calls"": 2, ""intent"": ""refund""}, {""calls"": 1, ""intent"": ""order_status""}]")',
          'an update moves the figures: answered, resolved, a new duration, the intent ranking');
UPDATE calls SET start_time = '2026-04-05 11:05:00+00', end_time = '2026-04-05 11:08:00+00' WHERE id = :'call4';
SELECT is((SELECT array_agg((hour_period, total_calls)::text ORDER BY hour_period) FROM call_analytics
           WHERE store_id = :'store_a' AND date_period = '2026-04-05'), '{"(10,3)","(11,1)"}', 'a call moved to another hour moves bucket');
DELETE FROM calls WHERE id = :'call1';
SELECT is((SELECT (total_calls, answered_calls, average_quality_score)::text FROM call_analytics
           WHERE store_id = :'store_a' AND date_period = '2026-04-05' AND hour_period = 10), '(2,1,)', 'a deleted call leaves the figures');
SELECT is((SELECT (calls, billable_seconds, cost_usd)::text FROM store_usage_periods WHERE store_id = :'store_a' AND period_start = '2026-04-01'),
          '(3,240,0.0000)', 'usage of the month: calls, billable seconds (60 + 180), cost');
SELECT is((SELECT count(*)::int FROM reconcile()), 0, 'reconcile() agrees with every call figure');
SELECT test_helpers.become('none');

-- Call statements leave pending deltas; folding them into the totals changes
-- no figure a reader sees, and figures added after a fold add up with it.
SELECT is(test_helpers.outcome_as('authenticated', :'owner_a', 'SELECT callai_internal.fold_call_figures()'), '42501',
          'members do not fold');
SELECT test_helpers.become('service_role');
CREATE TEMP TABLE before_fold ON COMMIT DROP AS
  SELECT 'analytics' AS kind, to_jsonb(a) AS row FROM call_analytics a
  UNION ALL SELECT 'intents', to_jsonb(i) FROM call_intent_counts i
  UNION ALL SELECT 'usage', to_jsonb(u) FROM store_usage_periods u;
SELECT ok((SELECT count(*) FROM callai_internal.call_analytics_pending) > 0
          AND (SELECT count(*) FROM callai_internal.store_usage_pending) > 0, 'call statements leave pending deltas');
SELECT ok(callai_internal.fold_call_figures() > 0, 'the service role folds them');
SELECT is((SELECT count(*)::int FROM callai_internal.call_analytics_pending)
          + (SELECT count(*)::int FROM callai_internal.store_usage_pending), 0, 'nothing is left pending');
SELECT set_eq($$SELECT kind, row FROM before_fold$$,
  $$SELECT 'analytics', to_jsonb(a) FROM call_analytics a UNION ALL SELECT 'intents', to_jsonb(i) FROM call_intent_counts i
    UNION ALL SELECT 'usage', to_jsonb(u) FROM store_usage_periods u$$,
  'folding changes no figure and no timestamp of call_analytics, call_intent_counts or store_usage_periods');
INSERT INTO calls (store_id, from_phone, to_phone, direction, start_time, end_time, status, intent_detected)
VALUES (:'store_a', '+14155550101', '+18005550100', 'inbound', '2026-04-05 10:20:00+00', '2026-04-05 10:22:00+00', 'completed', 'refund');
UPDATE calls SET status = 'failed' WHERE start_time = '2026-04-05 10:40:00+00';
SELECT is((SELECT (total_calls, answered_calls, missed_calls, top_intents)::text FROM call_analytics
           WHERE store_id = :'store_a' AND date_period = '2026-04-05' AND hour_period = 10),
          '(3,2,1,"[{""calls"": 2, ""intent"": ""refund""}]")', 'folded totals and new pending deltas add up');
SELECT is((SELECT count(*)::int FROM reconcile()), 0, 'reconcile() agrees after a fold and more calls');
SELECT test_helpers.become('none');
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a', 'SELECT * FROM store_usage_periods'), 'ok:0',
          'usage stays the owners'': an admin sees no month');
SELECT is(test_helpers.outcome_as('authenticated', :'admin_a', 'SELECT * FROM callai_internal.store_usage_pending'), 'ok:0',
          'nor its pending deltas');
SELECT is(test_helpers.outcome_as('authenticated', :'owner_a', 'SELECT * FROM store_usage_periods'), 'ok:1',
          'the owner sees the month');

-- Agents may annotate calls, not bill them.
SELECT is(test_helpers.outcome_as('authenticated', :'agent_a', format($$UPDATE calls SET satisfaction_rating = 4 WHERE id = %L$$, :'call4')),
          'ok:1', 'an agent rates a call');
SELECT is(test_helpers.outcome_as('authenticated', :'agent_a', format($$UPDATE calls SET cost_usd = 0 WHERE id = %L$$, :'call4')),
          '42501', 'but cannot change its cost');
SELECT is(test_helpers.outcome_as('authenticated', :'agent_a', 'SELECT * FROM call_events'), 'ok:0', 'webhook logs are for admins');

-- Conversations.
SELECT test_helpers.become_user(:'agent_a');
INSERT INTO conversations (store_id, channel, customer_id, start_time, last_activity_at)
VALUES (:'store_a', 'voice', :'carla', now() - interval '3 hours', now() - interval '3 hours') RETURNING id AS conv \gset
INSERT INTO conversation_messages (conversation_id, role, content, "timestamp") VALUES
  (:'conv', 'customer', 'Where is my order?', now() - interval '2 hours'),
  (:'conv', 'ai_assistant', 'It shipped yesterday.', now() - interval '2 hours' + interval '2 seconds');
INSERT INTO conversation_messages (conversation_id, role, content, "timestamp")
VALUES (:'conv', 'customer', 'Thanks', now() - interval '119 minutes');
SELECT is((SELECT array_agg(message_index ORDER BY "timestamp") FROM conversation_messages WHERE conversation_id = :'conv'),
          '{0,1,2}', 'message indexes are assigned 0, 1, 2 in order');
SELECT is((SELECT store_id FROM conversation_messages WHERE conversation_id = :'conv' LIMIT 1), :'store_a'::uuid,
          'a message takes its conversation''s store');
SELECT is((SELECT (message_count, last_activity_at = (SELECT max("timestamp") FROM conversation_messages WHERE conversation_id = :'conv'))::text
           FROM conversations WHERE id = :'conv'), '(3,t)', 'message_count and last_activity_at follow the messages');
SELECT is(test_helpers.outcome(format($$INSERT INTO conversation_messages (conversation_id, role, content, message_index) VALUES (%L, 'customer', 'dup', 1)$$, :'conv')),
          '23505', 'an index given twice is refused');
SELECT is(test_helpers.outcome(format($$INSERT INTO conversation_messages (conversation_id, role, content) VALUES (%L, 'customer', '   ')$$, :'conv')),
          '23514', 'a blank message is refused');
SELECT is(test_helpers.outcome(format($$UPDATE conversations SET message_count = 99 WHERE id = %L$$, :'conv')),
          '42501', 'message_count is the database''s');
SELECT test_helpers.become('none');
SELECT is(test_helpers.outcome(format($$UPDATE conversations SET message_count = 99 WHERE id = %L$$, :'conv')),
          '22023', 'even for the owner');
-- Other stores' idle conversations (a database with data) are completed too.
SELECT count(*) AS idle_elsewhere FROM conversations
 WHERE store_id <> :'store_a' AND status = 'active' AND channel IN ('voice', 'chat')
   AND last_activity_at < now() - interval '1 hour' \gset
SELECT is(callai_internal.complete_idle_conversations('1 hour'), :idle_elsewhere + 1, 'the idle voice conversation is completed');
SELECT is((SELECT (status, end_time = last_activity_at, resolution_time_seconds BETWEEN 3660 AND 3662)::text FROM conversations WHERE id = :'conv'),
          '(completed,t,t)', 'ended at its last activity, resolution time from its start');
SELECT is(test_helpers.outcome(format($$INSERT INTO conversation_messages (conversation_id, role, content) VALUES (%L, 'customer', 'one more thing')$$, :'conv')),
          'ok:1', 'a message after completion is accepted (upstream''s CHECK refused it)');
UPDATE conversations SET status = 'active' WHERE id = :'conv';
SELECT is((SELECT (end_time, resolution_time_seconds)::text FROM conversations WHERE id = :'conv'), '(,)', 'reopening clears the end');
UPDATE conversations SET status = 'resolved', end_time = start_time + interval '90 seconds' WHERE id = :'conv';
SELECT is((SELECT resolution_time_seconds FROM conversations WHERE id = :'conv'), 90, 'resolution time from a given end_time');

-- Routing.
SELECT test_helpers.become('service_role');
SELECT is((SELECT route_inbound_call('+1 (800) 555-0100', '+1 415 555 0101') #>> '{customer,first_name}'), 'Carla',
          'the caller is found as the store''s customer');
SELECT is((SELECT jsonb_array_length(route_inbound_call('+18005550100', '+14155550101') -> 'recent_orders')), 2, 'with their orders');
SELECT is((SELECT route_inbound_call('+18005550100', '+14155550101') #>> '{recent_orders,0,order_number}'), '#1002', 'latest first');
SELECT is((SELECT route_inbound_call('+18005550100', '+14155550101') #>> '{voice_agent,external_assistant_id}'), 'asst_1', 'the store''s voice agent');
SELECT is(route_inbound_call('+18005550999', '+14155550101'), NULL, 'an unknown number routes nowhere');
SELECT is(test_helpers.outcome($$SELECT route_inbound_call('555-0100', '+14155550101')$$), '22023', 'a number that is not E.164 is refused');
SELECT test_helpers.become('none');
SELECT is(test_helpers.outcome_as('authenticated', :'owner_b', $$SELECT route_inbound_call('+18005550100', '+14155550101') IS NULL$$),
          'ok:1', 'another store''s member learns nothing from it (NULL)');

-- Sync upserts skip unchanged payloads.
SELECT test_helpers.become('service_role');
SELECT is(ARRAY[sync_customer(:'store_a', 'sync-1', '{"email": "d@example.com", "first_name": "Dana"}', 'h1'),
                sync_customer(:'store_a', 'sync-1', '{"email": "d@example.com", "first_name": "Dana"}', 'h1'),
                sync_customer(:'store_a', 'sync-1', '{"email": "d@example.com", "first_name": "Dane"}', 'h2')],
          ARRAY['inserted', 'unchanged', 'updated'], 'sync_customer: inserted, unchanged by hash, updated');
-- A payload is one record: an array of them or a scalar is refused by name.
SELECT throws_ok(format($$SELECT sync_customer(%L, 'sync-2', '[{"email": "e@example.com"}]', 'h')$$, :'store_a'),
                 '22023', 'data must be a JSON object: one customer in its table''s column names', 'sync_customer: an array is refused');
SELECT throws_ok(format($$SELECT sync_product(%L, 'p-2', '"x"', 'h')$$, :'store_a'),
                 '22023', 'data must be a JSON object: one product in its table''s column names', 'sync_product: a scalar is refused');
SELECT throws_ok(format($$SELECT sync_order(%L, 'o-2', '[]', 'h')$$, :'store_a'),
                 '22023', 'data must be a JSON object: one order in its table''s column names', 'sync_order: an array is refused');
SELECT throws_ok(format($$SELECT sync_customer(%L, 'sync-2', NULL, 'h')$$, :'store_a'),
                 '22004', NULL, 'sync_customer: no data is refused');
SELECT test_helpers.become('none');
SELECT * FROM finish();
ROLLBACK;
