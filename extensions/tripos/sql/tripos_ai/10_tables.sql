-- ---------------------------------------------------------------------------
-- Tables (seed 004, stage 3, plus model prices and monthly usage)
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.ai_agents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  description text,
  version text NOT NULL DEFAULT '1.0.0',
  model text NOT NULL DEFAULT 'gpt-4',
  system_prompt text NOT NULL,
  temperature numeric(2,1) NOT NULL DEFAULT 0.7 CHECK (temperature BETWEEN 0 AND 2),
  max_tokens integer NOT NULL DEFAULT 1000 CHECK (max_tokens > 0),
  is_active boolean NOT NULL DEFAULT true,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.ai_agents IS 'The AI agents the app runs (written by the service)';

-- What a model costs, from a date: a run is priced at the prices in force
-- when it was created (replaces upstream's hard-coded 0.03 per 1k tokens).
CREATE TABLE @extschema@.ai_model_prices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  model text NOT NULL,
  input_per_1k numeric(12,6) NOT NULL CHECK (input_per_1k >= 0),
  output_per_1k numeric(12,6) NOT NULL CHECK (output_per_1k >= 0),
  effective_from timestamptz NOT NULL DEFAULT '-infinity',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ai_model_prices_model_effective_from_key UNIQUE (model, effective_from)
);
COMMENT ON TABLE @extschema@.ai_model_prices IS 'USD per 1,000 prompt (input) and completion (output) tokens, per model, from effective_from';

CREATE TABLE @extschema@.ai_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  agent_id uuid NOT NULL,
  trip_id uuid,
  -- A saved place (tripos_collab): no foreign key, so this stage installs
  -- without stage 2 (upstream's reference made stage 3 need it).
  saved_place_id uuid,
  input_text text NOT NULL,
  output_text text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
  model_used text,
  tokens_prompt integer NOT NULL DEFAULT 0 CHECK (tokens_prompt >= 0),
  tokens_completion integer NOT NULL DEFAULT 0 CHECK (tokens_completion >= 0),
  tokens_total integer NOT NULL DEFAULT 0,
  cost_usd numeric(10,6) NOT NULL DEFAULT 0,
  latency_ms integer CHECK (latency_ms >= 0),
  error_message text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_ai_runs_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_ai_runs_agent_id FOREIGN KEY (agent_id) REFERENCES @extschema@.ai_agents (id) ON DELETE RESTRICT,
  CONSTRAINT fk_ai_runs_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE,
  CONSTRAINT ai_runs_tokens_total CHECK (tokens_total = tokens_prompt + tokens_completion)
);
COMMENT ON TABLE @extschema@.ai_runs IS 'One AI agent execution: tokens_total and cost_usd are computed from the tokens and ai_model_prices';
CREATE INDEX idx_ai_runs_user_id_created_at ON @extschema@.ai_runs (user_id, created_at DESC);
CREATE INDEX idx_ai_runs_agent_id ON @extschema@.ai_runs (agent_id);
CREATE INDEX idx_ai_runs_trip_id ON @extschema@.ai_runs (trip_id);
CREATE INDEX idx_ai_runs_saved_place_id ON @extschema@.ai_runs (saved_place_id);
CREATE INDEX idx_ai_runs_status ON @extschema@.ai_runs (status);
CREATE INDEX idx_ai_runs_created_at ON @extschema@.ai_runs (created_at);

CREATE TABLE @extschema@.ai_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  ai_run_id uuid,
  trip_id uuid,
  role text NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
  content text NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_ai_messages_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_ai_messages_ai_run_id FOREIGN KEY (ai_run_id) REFERENCES @extschema@.ai_runs (id) ON DELETE CASCADE,
  CONSTRAINT fk_ai_messages_trip_id FOREIGN KEY (trip_id) REFERENCES @extschema@.trips (id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.ai_messages IS 'Conversation history: users write their own messages, the service writes the assistant''s';
CREATE INDEX idx_ai_messages_user_id_created_at ON @extschema@.ai_messages (user_id, created_at DESC);
CREATE INDEX idx_ai_messages_ai_run_id ON @extschema@.ai_messages (ai_run_id);
CREATE INDEX idx_ai_messages_trip_id ON @extschema@.ai_messages (trip_id);

CREATE TABLE @extschema@.ai_memory (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  memory_type text NOT NULL CHECK (memory_type IN ('preference', 'fact', 'feedback', 'context')),
  key text NOT NULL,
  value jsonb NOT NULL,
  confidence numeric(3,2) CHECK (confidence BETWEEN 0 AND 1),
  source text,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_ai_memory_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT ai_memory_user_id_memory_type_key_key UNIQUE (user_id, memory_type, key)
);
COMMENT ON TABLE @extschema@.ai_memory IS 'What the agents remember about a user (written by the service)';

CREATE TABLE @extschema@.ai_feedback (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  ai_run_id uuid NOT NULL,
  feedback_type text NOT NULL
    CHECK (feedback_type IN ('thumbs_up', 'thumbs_down', 'helpful', 'not_helpful', 'incorrect', 'offensive')),
  comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_ai_feedback_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_ai_feedback_ai_run_id FOREIGN KEY (ai_run_id) REFERENCES @extschema@.ai_runs (id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.ai_feedback IS 'A user''s judgement of one of their runs';
CREATE INDEX idx_ai_feedback_user_id ON @extschema@.ai_feedback (user_id);
CREATE INDEX idx_ai_feedback_ai_run_id ON @extschema@.ai_feedback (ai_run_id);

-- Maintained from ai_runs by statement-level triggers (C++: ai_usage.cpp);
-- runs of a month are admitted against the plan's ai_runs_per_month here,
-- atomically. reconcile_ai_usage() recomputes it from the runs.
CREATE TABLE @extschema@.ai_usage_monthly (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  month date NOT NULL CHECK (month = date_trunc('month', month)),
  runs integer NOT NULL DEFAULT 0 CHECK (runs >= 0),
  tokens_total bigint NOT NULL DEFAULT 0 CHECK (tokens_total >= 0),
  cost_usd numeric(14,6) NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_ai_usage_monthly_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT ai_usage_monthly_user_id_month_key UNIQUE (user_id, month)
);
COMMENT ON TABLE @extschema@.ai_usage_monthly IS 'Runs, tokens and cost per user and UTC month, equal to what ai_runs says';

-- Fixed ids: a restored dump's runs refer to the agents CREATE EXTENSION makes.
INSERT INTO @extschema@.ai_agents (id, name, description, system_prompt) VALUES
  ('a1000000-0000-4000-8000-000000000001', 'explore', 'Finds places and experiences for a destination', 'You suggest places to visit for the user''s trip.'),
  ('a1000000-0000-4000-8000-000000000002', 'itinerary', 'Builds and optimizes day-by-day itineraries', 'You plan the days of the user''s trip.'),
  ('a1000000-0000-4000-8000-000000000003', 'budget', 'Tracks and advises on trip spending', 'You help the user keep their trip within budget.'),
  ('a1000000-0000-4000-8000-000000000004', 'research', 'Answers questions about destinations', 'You research destinations for the user.'),
  ('a1000000-0000-4000-8000-000000000005', 'proactive', 'Suggests next steps before and during a trip', 'You suggest what the user should do next for their trip.'),
  ('a1000000-0000-4000-8000-000000000006', 'collaboration', 'Helps a group agree on plans', 'You help the trip''s group agree on choices.');
INSERT INTO @extschema@.ai_model_prices (id, model, input_per_1k, output_per_1k) VALUES
  ('a2000000-0000-4000-8000-000000000001', 'gpt-4', 0.03, 0.06);
-- pg_dump keeps the rows of extension tables only when they are registered;
-- the seeded agents and price come back with CREATE EXTENSION itself.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ai_agents',
  'WHERE name NOT IN (''explore'', ''itinerary'', ''budget'', ''research'', ''proactive'', ''collaboration'')');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ai_model_prices',
  'WHERE NOT (model = ''gpt-4'' AND effective_from = ''-infinity'')');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ai_runs', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ai_messages', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ai_memory', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ai_feedback', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ai_usage_monthly', '');
