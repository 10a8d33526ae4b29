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
