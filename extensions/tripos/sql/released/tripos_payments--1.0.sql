-- Trip OS stage 4 (tripos_payments), assembled at build time from sql/tripos_payments/*.sql.
\echo Use "CREATE EXTENSION tripos_payments CASCADE" to load this file. \quit

SELECT tripos_internal.require_core_schema('tripos_payments', '@extschema@');
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
  user_id uuid NOT NULL,
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
  CONSTRAINT fk_invoices_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE
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
-- ---------------------------------------------------------------------------
-- Functions and triggers (C++: api/stripe.cpp, triggers/plan_limits.cpp)
-- ---------------------------------------------------------------------------

CREATE FUNCTION tripos_internal.ingest_stripe_event(event jsonb) RETURNS @extschema@.billing_events
AS 'MODULE_PATHNAME', 'tripos_ingest_stripe_event'
LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.ingest_stripe_event(jsonb) IS
  'Records a Stripe event once by its id (a replay changes nothing) and applies it: subscriptions and invoices take the newest event''s state; usage_limits follow the plan';

CREATE FUNCTION tripos_internal.payments_new_users() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_payments_new_users'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.payments_new_users() IS
  'AFTER INSERT ON auth.users (statement): usage_limits from the default plan for each new user';

CREATE FUNCTION tripos_internal.trips_plan_limit() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_trips_plan_limit'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.trips_plan_limit() IS
  'AFTER INSERT ON trips (statement): each owner''s trips stay within their plan''s trips_max (53400), owners locked in id order';

REVOKE ALL ON FUNCTION tripos_internal.ingest_stripe_event(jsonb), tripos_internal.payments_new_users(),
  tripos_internal.trips_plan_limit() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tripos_internal.ingest_stripe_event(jsonb) TO service_role;

CREATE TRIGGER trg_plans_updated_at BEFORE UPDATE ON @extschema@.plans
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_subscriptions_updated_at BEFORE UPDATE ON @extschema@.subscriptions
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_usage_limits_updated_at BEFORE UPDATE ON @extschema@.usage_limits
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_invoices_updated_at BEFORE UPDATE ON @extschema@.invoices
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();
CREATE TRIGGER trg_billing_events_updated_at BEFORE UPDATE ON @extschema@.billing_events
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.touch_updated_at();

-- Outside this stage's tables: removed by tripos_core's drop guard before
-- DROP EXTENSION tripos_payments.
CREATE TRIGGER tripos_payments_new_users AFTER INSERT ON auth.users
  REFERENCING NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.payments_new_users();
CREATE TRIGGER trg_trips_plan_limit AFTER INSERT ON @extschema@.trips
  REFERENCING NEW TABLE AS new_trips FOR EACH STATEMENT EXECUTE FUNCTION tripos_internal.trips_plan_limit();
-- ---------------------------------------------------------------------------
-- Privileges and RLS: read-only for clients (the service role and the
-- webhook function write); active plans are public to signed-in users.
-- ---------------------------------------------------------------------------
REVOKE ALL ON @extschema@.plans, @extschema@.subscriptions, @extschema@.usage_limits, @extschema@.invoices,
  @extschema@.billing_events FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.plans, @extschema@.subscriptions, @extschema@.usage_limits, @extschema@.invoices,
  @extschema@.billing_events TO service_role;
GRANT SELECT ON @extschema@.plans, @extschema@.subscriptions, @extschema@.usage_limits, @extschema@.invoices,
  @extschema@.billing_events TO authenticated;

ALTER TABLE @extschema@.plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.usage_limits ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.billing_events ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Signed-in users can view active plans" ON @extschema@.plans
  FOR SELECT TO authenticated USING (is_active);
CREATE POLICY "Users can view their own subscription" ON @extschema@.subscriptions
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own usage limits" ON @extschema@.usage_limits
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own invoices" ON @extschema@.invoices
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own billing events" ON @extschema@.billing_events
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
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

-- ---------------------------------------------------------------------------
-- Appended by the build to every install and update script of every system
-- (cmake/PgSystem.cmake, mk/system.mk).
--
-- A trusted extension's script runs as the bootstrap superuser, so the tables
-- it creates would be the superuser's. Where a non-superuser installed the
-- extension (on Supabase: postgres), the tables in the extension's schema
-- are handed to that owner, so the project's owner can do with them what
-- Supabase users do with their tables: add their own policies, indexes and
-- columns, and add them to the supabase_realtime publication. The internal
-- schema and everything in it stay the superuser's; the functions stay the
-- superuser's too (SECURITY DEFINER steps and triggers run as it). Nothing
-- changes where a superuser installed.
-- ---------------------------------------------------------------------------
DO $hand_over_tables$
DECLARE
  member record;
BEGIN
  FOR member IN
    SELECT c.oid::pg_catalog.regclass AS rel, e.extowner
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_depend d
        ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e'
       AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
      JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
     WHERE c.relnamespace = '@extschema@'::pg_catalog.regnamespace AND c.relkind IN ('r', 'p')
       AND c.relowner <> e.extowner
       AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE oid = e.extowner)
     ORDER BY c.oid
  LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s OWNER TO %I', member.rel, pg_catalog.pg_get_userbyid(member.extowner));
  END LOOP;
END
$hand_over_tables$;
