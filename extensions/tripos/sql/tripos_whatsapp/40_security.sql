-- ---------------------------------------------------------------------------
-- Privileges and RLS. Users read their own rows and edit their preferences
-- and automations; opt-in goes through set_whatsapp_opt_in(); verification,
-- messages, jobs and delivery logs are the service's.
-- ---------------------------------------------------------------------------
REVOKE ALL ON @extschema@.whatsapp_accounts, @extschema@.whatsapp_templates, @extschema@.whatsapp_messages,
  @extschema@.whatsapp_webhook_events, @extschema@.notification_preferences, @extschema@.automation_rules,
  @extschema@.scheduled_jobs, @extschema@.delivery_logs
FROM PUBLIC, anon, authenticated;
GRANT ALL ON @extschema@.whatsapp_accounts, @extschema@.whatsapp_templates, @extschema@.whatsapp_messages,
  @extschema@.whatsapp_webhook_events, @extschema@.notification_preferences, @extschema@.automation_rules,
  @extschema@.scheduled_jobs, @extschema@.delivery_logs
TO service_role;
GRANT SELECT (id, user_id, phone_number, country_code, is_verified, verification_expires_at, opt_in_status,
              opted_in_at, opted_out_at, metadata, created_at, updated_at)
  ON @extschema@.whatsapp_accounts TO authenticated;
GRANT SELECT ON @extschema@.whatsapp_templates, @extschema@.whatsapp_messages, @extschema@.notification_preferences,
  @extschema@.automation_rules, @extschema@.scheduled_jobs, @extschema@.delivery_logs TO authenticated;
GRANT UPDATE (trip_reminders, booking_confirmations, itinerary_updates, budget_alerts, ai_suggestions,
              collaborator_updates, marketing, quiet_hours_enabled, quiet_hours_start, quiet_hours_end, timezone)
  ON @extschema@.notification_preferences TO authenticated;
GRANT INSERT (id, user_id, name, description, trigger_type, trigger_config, action_type, action_config, is_active, metadata),
      UPDATE (name, description, trigger_type, trigger_config, action_type, action_config, is_active, metadata),
      DELETE
  ON @extschema@.automation_rules TO authenticated;

ALTER TABLE @extschema@.whatsapp_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.whatsapp_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.whatsapp_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.whatsapp_webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.notification_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.automation_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.scheduled_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.delivery_logs ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Users can view their own WhatsApp account" ON @extschema@.whatsapp_accounts
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Signed-in users can view approved templates" ON @extschema@.whatsapp_templates
  FOR SELECT TO authenticated USING (status = 'approved');
CREATE POLICY "Users can view their own WhatsApp messages" ON @extschema@.whatsapp_messages
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Only the service reads webhook events" ON @extschema@.whatsapp_webhook_events
  FOR SELECT TO service_role USING (true);
CREATE POLICY "Users can view their own notification preferences" ON @extschema@.notification_preferences
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can update their own notification preferences" ON @extschema@.notification_preferences
  FOR UPDATE TO authenticated USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own automations" ON @extschema@.automation_rules
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can create automations" ON @extschema@.automation_rules
  FOR INSERT TO authenticated WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can update their own automations" ON @extschema@.automation_rules
  FOR UPDATE TO authenticated USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can delete their own automations" ON @extschema@.automation_rules
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own scheduled jobs" ON @extschema@.scheduled_jobs
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can view their own delivery logs" ON @extschema@.delivery_logs
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

ALTER PUBLICATION supabase_realtime ADD TABLE @extschema@.whatsapp_messages;
