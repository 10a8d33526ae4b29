-- Stage 3: runs priced from ai_model_prices, monthly usage kept true,
-- read-only runs for clients, messages and feedback, usage stats.
BEGIN;
SELECT plan(20);
\ir fixtures/users.psql
SELECT id AS agent FROM ai_agents WHERE name = 'itinerary' \gset
SELECT is((SELECT count(*)::int FROM ai_agents WHERE name IN ('explore', 'itinerary', 'budget', 'research', 'proactive', 'collaboration')),
          6, 'the six agents are seeded');

SET LOCAL ROLE service_role;
INSERT INTO ai_model_prices (model, input_per_1k, output_per_1k, effective_from)
VALUES ('cheap-1', 0.0015, 0.002, '2026-01-01'), ('cheap-1', 0.001, 0.001, '2026-06-01');
INSERT INTO ai_runs (user_id, agent_id, input_text, status, tokens_prompt, tokens_completion, latency_ms, created_at)
VALUES (:'owner', :'agent', 'plan day 1', 'completed', 1000, 500, 800, '2026-03-10');
SELECT is((SELECT tokens_total || ' ' || cost_usd FROM ai_runs WHERE user_id = :'owner'), '1500 0.060000',
          'tokens_total and cost from the agent''s model price (gpt-4: 1000 x 0.03 + 500 x 0.06 per 1k)');
INSERT INTO ai_runs (user_id, agent_id, input_text, status, model_used, tokens_prompt, tokens_completion, latency_ms, created_at)
VALUES (:'owner', :'agent', 'cheap', 'completed', 'cheap-1', 1, 0, 200, '2026-03-11'),
       (:'owner', :'agent', 'cheap later', 'completed', 'cheap-1', 1000, 1000, 400, '2026-07-01');
SELECT is((SELECT array_agg(cost_usd ORDER BY created_at) FROM ai_runs WHERE model_used = 'cheap-1' AND user_id = :'owner'),
          ARRAY[0.000002, 0.002000]::numeric[], 'the price in force at the run''s time; half-up at 6 decimals');
UPDATE ai_runs SET tokens_completion = 1000 WHERE input_text = 'plan day 1' AND user_id = :'owner';
SELECT is((SELECT cost_usd FROM ai_runs WHERE input_text = 'plan day 1' AND user_id = :'owner'), 0.090000::numeric,
          'a token update re-prices the run');
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO ai_runs (user_id, agent_id, input_text, model_used, tokens_prompt) VALUES (%L, %L, ''x'', ''unknown-model'', 5)',
  :'owner', :'agent')), '22023', 'tokens without a known price are refused');
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO ai_runs (user_id, agent_id, input_text, tokens_prompt) VALUES (%L, %L, ''x'', -1)', :'owner', :'agent')),
  '23514', 'negative tokens are refused');
SELECT is(tripos_test.sqlstate_of(format(
  'UPDATE ai_runs SET tokens_total = 1 WHERE user_id = %L', :'owner')), '00000', 'a written tokens_total is recomputed');
SELECT is((SELECT sum(tokens_total)::int FROM ai_runs WHERE user_id = :'owner'), 4001, 'so it stays the sum of its parts');

SELECT is((SELECT array_agg(runs || '/' || tokens_total || '/' || cost_usd ORDER BY month) FROM ai_usage_monthly WHERE user_id = :'owner'),
          ARRAY['2/2001/0.090002', '1/2000/0.002000'], 'monthly usage per UTC month');
DELETE FROM ai_runs WHERE input_text = 'cheap' AND user_id = :'owner';
UPDATE ai_runs SET tokens_completion = 2000, created_at = '2026-07-02' WHERE input_text = 'plan day 1' AND user_id = :'owner';
SELECT is((SELECT array_agg(runs || '/' || tokens_total ORDER BY month) FROM ai_usage_monthly WHERE user_id = :'owner'),
          ARRAY['1/3000', '1/2000'], 'deletes and token updates are followed (created_at keeps its first value)');
SELECT is((SELECT count(*)::int FROM reconcile_ai_usage()), 0, 'reconcile_ai_usage() finds no drift');

-- Clients.
RESET ROLE;
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
SELECT is((SELECT count(*)::int FROM ai_runs), 2, 'a user sees their runs');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO ai_runs (user_id, agent_id, input_text) VALUES (%L, %L, ''x'')', :'owner', :'agent')),
          '42501', 'but does not write them');
SELECT is(tripos_test.sqlstate_of(format('UPDATE ai_runs SET cost_usd = 0 WHERE user_id = %L', :'owner')), '42501',
          'nor change their cost');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO ai_messages (user_id, role, content) VALUES (%L, ''user'', ''hi'')', :'owner')),
          '00000', 'a user writes their own message');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO ai_messages (user_id, role, content) VALUES (%L, ''assistant'', ''hi'')', :'owner')),
          '42501', 'but not the assistant''s');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO ai_feedback (user_id, ai_run_id, feedback_type) SELECT %L, id, ''helpful'' FROM ai_runs LIMIT 1', :'owner')),
          '00000', 'feedback on one''s own run');
SELECT is((SELECT total_runs || '/' || total_tokens || '/' || total_cost_usd || '/' || avg_latency_ms
             FROM get_ai_usage_stats(:'owner', '2026-01-01', '2027-01-01')), '2/5000/0.152000/600.0', 'get_ai_usage_stats');
SELECT tripos_test.act_as(:'stranger');
SELECT is((SELECT total_runs FROM get_ai_usage_stats(:'owner', '2026-01-01', '2027-01-01')), 0::bigint,
          'someone else''s stats are zeros');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO ai_feedback (user_id, ai_run_id, feedback_type) VALUES (%L, %L, ''helpful'')',
          :'stranger', (SELECT id FROM ai_runs LIMIT 1))), '42501', 'no feedback on someone else''s run');

SELECT * FROM finish();
ROLLBACK;
