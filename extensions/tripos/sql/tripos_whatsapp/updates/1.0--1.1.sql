-- Trip OS stage 5 update from 1.0 to 1.1 (ALTER EXTENSION tripos_whatsapp UPDATE).
-- The build appends every sql/tripos_whatsapp/NN_*.rerun.sql part to this
-- file: release_stalled_jobs() and its pg_cron job, the booking_pending
-- trigger and the schedule rules' trigger come from there.
\echo Use "ALTER EXTENSION tripos_whatsapp UPDATE TO '1.1'" to load this file. \quit

-- budget_exceeded and booking_pending rules fire on events (the library's
-- budget trigger; 25_booking_rules.rerun.sql); schedule rules plan their runs
-- (26_schedule_rules.rerun.sql).
COMMENT ON TABLE @extschema@.automation_rules IS 'A user''s automations: trip_start / trip_end rules plan scheduled jobs from trip dates (days_before, days_after, send_at); budget_exceeded rules (threshold_percent 80 or 100, default 100) get a job due at once when a trip''s spending crosses that share of its budget (with tripos_collab); booking_pending rules when an item''s booking becomes pending; schedule rules run on trigger_config.cron (five cron fields in the owner''s time zone), each claimed run planning the next';
COMMENT ON FUNCTION tripos_internal.plan_rule_jobs() IS
  'AFTER INSERT / UPDATE ON automation_rules, or AFTER UPDATE ON trips when dates changed (statement): re-plans the pending jobs of trip_start / trip_end rules from trip dates; plans the next run of schedule rules from trigger_config.cron; validates budget_exceeded rules; switching off an event or schedule rule cancels its pending jobs';
