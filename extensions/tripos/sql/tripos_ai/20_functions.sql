-- ---------------------------------------------------------------------------
-- Functions and triggers (C++: triggers/ai_runs.cpp)
-- ---------------------------------------------------------------------------

CREATE FUNCTION tripos_internal.ai_run_cost() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_ai_run_cost'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.ai_run_cost() IS
  'BEFORE INSERT OR UPDATE ON ai_runs: tokens_total = prompt + completion; cost_usd from the model''s prices in force at created_at (22023 when tokens were used and no price is known)';

CREATE FUNCTION tripos_internal.ai_usage() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_ai_usage'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.ai_usage() IS
  'AFTER INSERT / UPDATE / DELETE ON ai_runs (statement): ai_usage_monthly per user and month, keys in sorted order; new runs are admitted against the plan''s ai_runs_per_month (53400 beyond it)';

REVOKE ALL ON FUNCTION tripos_internal.ai_run_cost(), tripos_internal.ai_usage() FROM PUBLIC;

CREATE TRIGGER trg_ai_agents_updated_at BEFORE UPDATE ON @extschema@.ai_agents
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_ai_model_prices_updated_at BEFORE UPDATE ON @extschema@.ai_model_prices
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_ai_runs_updated_at BEFORE UPDATE ON @extschema@.ai_runs
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_ai_messages_updated_at BEFORE UPDATE ON @extschema@.ai_messages
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_ai_memory_updated_at BEFORE UPDATE ON @extschema@.ai_memory
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_ai_feedback_updated_at BEFORE UPDATE ON @extschema@.ai_feedback
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_ai_usage_monthly_updated_at BEFORE UPDATE ON @extschema@.ai_usage_monthly
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();

CREATE TRIGGER trg_ai_runs_cost BEFORE INSERT OR UPDATE OF tokens_prompt, tokens_completion, tokens_total, cost_usd, model_used, agent_id, created_at
  ON @extschema@.ai_runs FOR EACH ROW EXECUTE FUNCTION tripos_internal.ai_run_cost();
CREATE TRIGGER trg_ai_runs_usage_insert AFTER INSERT ON @extschema@.ai_runs
  REFERENCING NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.ai_usage();
CREATE TRIGGER trg_ai_runs_usage_update AFTER UPDATE ON @extschema@.ai_runs
  REFERENCING OLD TABLE AS old_runs NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.ai_usage();
CREATE TRIGGER trg_ai_runs_usage_delete AFTER DELETE ON @extschema@.ai_runs
  REFERENCING OLD TABLE AS old_runs FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.ai_usage();
