-- ---------------------------------------------------------------------------
-- Tables (seed 004, stage 4). Stripe's amounts are integer minor units and
-- are stored as such (upstream divided by 100 into numeric(10,2)).
-- ---------------------------------------------------------------------------

-- Created before subscriptions, which refer to it (upstream: the other way round).
CREATE TABLE @extschema@.plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  description text,
  stripe_price_id text NOT NULL UNIQUE,
  stripe_product_id text NOT NULL,
  price_usd numeric(10,2) NOT NULL CHECK (price_usd >= 0),
  interval text NOT NULL CHECK (interval IN ('month', 'year')),
  features jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- -1 is unlimited.
  limits jsonb NOT NULL DEFAULT '{"ai_runs_per_month": 100, "trips_max": 10, "collaborators_per_trip": 5}'::jsonb
    CHECK (jsonb_typeof(limits -> 'ai_runs_per_month') = 'number' AND (limits ->> 'ai_runs_per_month')::numeric >= -1
           AND jsonb_typeof(limits -> 'trips_max') = 'number' AND (limits ->> 'trips_max')::numeric >= -1
           AND jsonb_typeof(limits -> 'collaborators_per_trip') = 'number'
           AND (limits ->> 'collaborators_per_trip')::numeric >= -1),
  is_active boolean NOT NULL DEFAULT true,
  -- The plan of users without a subscription that grants one (Free).
  is_default boolean NOT NULL DEFAULT false,
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.plans IS 'Subscription plans: their Stripe price and the limits they grant (-1: unlimited)';
CREATE UNIQUE INDEX idx_plans_is_default ON @extschema@.plans (is_default) WHERE is_default;
CREATE INDEX idx_plans_stripe_product_id ON @extschema@.plans (stripe_product_id);

CREATE TABLE @extschema@.subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL UNIQUE,
  stripe_customer_id text NOT NULL UNIQUE,
  stripe_subscription_id text UNIQUE,
  plan_id uuid NOT NULL,
  status text NOT NULL
    CHECK (status IN ('active', 'trialing', 'past_due', 'canceled', 'incomplete', 'incomplete_expired', 'unpaid', 'paused')),
  current_period_start timestamptz,
  current_period_end timestamptz,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  canceled_at timestamptz,
  trial_start timestamptz,
  trial_end timestamptz,
  -- The Stripe event that set this state: older events change nothing.
  last_event_created bigint,
  last_event_id text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_subscriptions_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_subscriptions_plan_id FOREIGN KEY (plan_id) REFERENCES @extschema@.plans (id) ON DELETE RESTRICT
);
COMMENT ON TABLE @extschema@.subscriptions IS 'A user''s Stripe subscription, as the newest Stripe event says';
CREATE INDEX idx_subscriptions_plan_id ON @extschema@.subscriptions (plan_id);
CREATE INDEX idx_subscriptions_status ON @extschema@.subscriptions (status);

-- One row per user (sign-up: the default plan's limits), kept equal to the
-- limits of the plan their subscription grants. The enforcement reads it.
CREATE TABLE @extschema@.usage_limits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL UNIQUE,
  plan_id uuid,
  ai_runs_limit integer NOT NULL CHECK (ai_runs_limit >= -1),
  trips_limit integer NOT NULL CHECK (trips_limit >= -1),
  collaborators_per_trip_limit integer NOT NULL CHECK (collaborators_per_trip_limit >= -1),
  reset_at timestamptz NOT NULL DEFAULT ((date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC'),
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_usage_limits_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
  CONSTRAINT fk_usage_limits_plan_id FOREIGN KEY (plan_id) REFERENCES @extschema@.plans (id) ON DELETE SET NULL
);
COMMENT ON TABLE @extschema@.usage_limits IS 'Per-user limits from their plan (-1: unlimited); what is used is in usage_summary';
CREATE INDEX idx_usage_limits_plan_id ON @extschema@.usage_limits (plan_id);

CREATE TABLE @extschema@.invoices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NULL once the account is deleted: invoices are the business's records
  -- (Stripe keeps them too) and stay, read by the service role only.
  user_id uuid,
  stripe_invoice_id text NOT NULL UNIQUE,
  stripe_subscription_id text,
  amount_due_minor bigint NOT NULL CHECK (amount_due_minor >= 0),
  amount_paid_minor bigint NOT NULL DEFAULT 0 CHECK (amount_paid_minor >= 0),
  currency text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  status text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'uncollectible', 'void')),
  invoice_pdf text,
  hosted_invoice_url text,
  due_date timestamptz,
  paid_at timestamptz,
  last_event_created bigint,
  last_event_id text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_invoices_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE SET NULL
);
COMMENT ON TABLE @extschema@.invoices IS 'Stripe invoices; amounts in the currency''s minor units, as Stripe sends them';
CREATE INDEX idx_invoices_user_id_created_at ON @extschema@.invoices (user_id, created_at DESC);

CREATE TABLE @extschema@.billing_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid,
  event_type text NOT NULL,
  stripe_event_id text NOT NULL UNIQUE,
  stripe_event_type text NOT NULL,
  stripe_created bigint NOT NULL,
  data jsonb NOT NULL,
  processed boolean NOT NULL DEFAULT false,
  processed_at timestamptz,
  error_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fk_billing_events_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE SET NULL
);
COMMENT ON TABLE @extschema@.billing_events IS 'Every Stripe webhook event once (by its id), with what applying it did';
CREATE INDEX idx_billing_events_user_id ON @extschema@.billing_events (user_id);
CREATE INDEX idx_billing_events_unprocessed ON @extschema@.billing_events (created_at) WHERE NOT processed;

-- Fixed ids: a restored dump's subscriptions refer to the plans CREATE EXTENSION makes.
INSERT INTO @extschema@.plans (id, name, description, stripe_price_id, stripe_product_id, price_usd, interval, limits, is_default, sort_order) VALUES
  ('a3000000-0000-4000-8000-000000000001', 'Free', 'Plan your first trips', 'price_free', 'prod_free', 0, 'month',
   '{"ai_runs_per_month": 10, "trips_max": 3, "collaborators_per_trip": 0}', true, 0),
  ('a3000000-0000-4000-8000-000000000002', 'Pro', 'For frequent travellers', 'price_pro_monthly', 'prod_pro', 9.99, 'month',
   '{"ai_runs_per_month": 500, "trips_max": 50, "collaborators_per_trip": 10}', false, 1),
  ('a3000000-0000-4000-8000-000000000003', 'Enterprise', 'Unlimited everything', 'price_enterprise_monthly', 'prod_enterprise', 29.99, 'month',
   '{"ai_runs_per_month": -1, "trips_max": -1, "collaborators_per_trip": -1}', false, 2);

-- Users who signed up before this stage get the default plan's limits.
INSERT INTO @extschema@.usage_limits (user_id, plan_id, ai_runs_limit, trips_limit, collaborators_per_trip_limit)
SELECT u.id, p.id, (p.limits ->> 'ai_runs_per_month')::int, (p.limits ->> 'trips_max')::int,
       (p.limits ->> 'collaborators_per_trip')::int
  FROM auth.users u CROSS JOIN @extschema@.plans p WHERE p.is_default;

SELECT pg_catalog.pg_extension_config_dump('@extschema@.plans', 'WHERE stripe_price_id NOT IN (''price_free'', ''price_pro_monthly'', ''price_enterprise_monthly'')');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.subscriptions', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.usage_limits', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.invoices', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.billing_events', '');
