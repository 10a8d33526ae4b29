-- ---------------------------------------------------------------------------
-- Privileges and RLS: runs, memory and usage are read-only for clients (the
-- service writes them); users write their own messages and feedback.
-- ---------------------------------------------------------------------------
REVOKE ALL ON @extschema@.ai_agents, @extschema@.ai_model_prices, @extschema@.ai_runs, @extschema@.ai_messages,
  @extschema@.ai_memory, @extschema@.ai_feedback, @extschema@.ai_usage_monthly
FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.ai_agents, @extschema@.ai_model_prices, @extschema@.ai_runs, @extschema@.ai_messages,
  @extschema@.ai_memory, @extschema@.ai_feedback, @extschema@.ai_usage_monthly
TO service_role;
GRANT SELECT ON @extschema@.ai_agents, @extschema@.ai_model_prices, @extschema@.ai_runs, @extschema@.ai_messages,
  @extschema@.ai_memory, @extschema@.ai_feedback, @extschema@.ai_usage_monthly
TO authenticated;
GRANT INSERT (id, user_id, ai_run_id, trip_id, role, content, metadata) ON @extschema@.ai_messages TO authenticated;
GRANT INSERT (id, user_id, ai_run_id, feedback_type, comment) ON @extschema@.ai_feedback TO authenticated;

ALTER TABLE @extschema@.ai_agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.ai_model_prices ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.ai_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.ai_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.ai_memory ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.ai_feedback ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.ai_usage_monthly ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Signed-in users can view active agents" ON @extschema@.ai_agents
  FOR SELECT TO authenticated USING (is_active);
CREATE POLICY "Signed-in users can view model prices" ON @extschema@.ai_model_prices
  FOR SELECT TO authenticated USING (true);
CREATE POLICY "Users can view their own AI runs" ON @extschema@.ai_runs
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own AI messages" ON @extschema@.ai_messages
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can write their own AI messages" ON @extschema@.ai_messages
  FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND role = 'user'
              AND (ai_run_id IS NULL OR ai_run_id IN (SELECT r.id FROM @extschema@.ai_runs r))
              AND (trip_id IS NULL OR trip_id = ANY ((SELECT tripos_internal.readable_trip_ids())::uuid[])));
CREATE POLICY "Users can view their own AI memory" ON @extschema@.ai_memory
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own AI feedback" ON @extschema@.ai_feedback
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can give feedback on their own runs" ON @extschema@.ai_feedback
  FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND ai_run_id IN (SELECT r.id FROM @extschema@.ai_runs r));
CREATE POLICY "Users can view their own AI usage" ON @extschema@.ai_usage_monthly
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

ALTER PUBLICATION supabase_realtime ADD TABLE @extschema@.ai_messages;
