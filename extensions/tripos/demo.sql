-- Trip OS, end to end, the way the apps run it: each step is one API request
-- (one transaction, the JWT claims and SET LOCAL ROLE, as PostgREST does).
\pset footer off
\set ON_ERROR_STOP on
\set maya '7a100000-0000-4000-8000-0000000000a1'
\set leo '7a100000-0000-4000-8000-0000000000a2'
\set trip '7a100000-0000-4000-9000-0000000000a1'

\echo '== Sign-up: each stage adds its per-user rows (profile, settings, notification preferences, usage limits)'
INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES
  (:'maya', 'maya@tripos.example', '{"full_name": "Maya"}'),
  (:'leo', 'leo@tripos.example', '{"full_name": "Leo"}');
SELECT p.full_name, l.trips_limit, l.ai_runs_limit, n.quiet_hours_enabled
  FROM profiles p JOIN usage_limits l ON l.user_id = p.id JOIN notification_preferences n ON n.user_id = p.id
 WHERE p.id IN (:'maya', :'leo') ORDER BY p.full_name;

\echo '== Maya plans a 3-day trip; items go in at a position, the day stays dense (0, 1, 2, ...)'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'maya', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO trips (id, user_id, name, start_date, end_date, budget)
  VALUES (:'trip', :'maya', 'Kyoto', current_date + 30, current_date + 32, 1200);
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES
  (:'trip', :'maya', 'Fushimi Inari', 1, NULL), (:'trip', :'maya', 'Nishiki market', 1, NULL),
  (:'trip', :'maya', 'Kinkaku-ji', 2, NULL), (:'trip', :'maya', 'Arashiyama', 2, NULL);
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (:'trip', :'maya', 'Breakfast', 1, 0);
SELECT day_number, string_agg(name || ' (' || order_index || ')', ', ' ORDER BY order_index) AS itinerary
  FROM trip_items WHERE trip_id = :'trip' GROUP BY day_number ORDER BY day_number;
COMMIT;

\echo '== Maya upgrades to Pro (the free plan shares a trip with nobody): Stripe events arrive out of order, the newest wins'
BEGIN;
SET LOCAL ROLE service_role;
SELECT stripe_event_id, processed FROM handle_stripe_event(jsonb_build_object('id', 'evt_demo_2', 'type', 'customer.subscription.updated', 'created', 2000,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'sub_demo', 'customer', 'cus_demo', 'status', 'active',
    'items', jsonb_build_object('data', jsonb_build_array(jsonb_build_object('price', jsonb_build_object('id', 'price_pro_monthly')))),
    'metadata', jsonb_build_object('user_id', :'maya')))));
SELECT stripe_event_id, processed FROM handle_stripe_event(jsonb_build_object('id', 'evt_demo_1', 'type', 'customer.subscription.created', 'created', 1000,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'sub_demo', 'customer', 'cus_demo', 'status', 'incomplete',
    'items', jsonb_build_object('data', jsonb_build_array(jsonb_build_object('price', jsonb_build_object('id', 'price_pro_monthly')))),
    'metadata', jsonb_build_object('user_id', :'maya')))));
SELECT status, last_event_id FROM subscriptions WHERE user_id = :'maya';
SELECT collaborators_per_trip_limit, ai_runs_limit FROM usage_limits WHERE user_id = :'maya';
COMMIT;

\echo '== She invites Leo as an editor; he accepts with the token'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'maya', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT token FROM invite_collaborator(:'trip', 'leo@tripos.example', 'editor') \gset
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'leo', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT accept_invitation(:'token') IS NOT NULL AS accepted;
SELECT role, status FROM collaborators WHERE trip_id = :'trip' AND user_id = :'leo';
COMMIT;

\echo '== Leo moves Arashiyama to the top of day 1 and deletes the breakfast: both days close up'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'leo', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT name, day_number, order_index FROM move_trip_item((SELECT id FROM trip_items WHERE trip_id = :'trip' AND name = 'Arashiyama'), 1, 0);
SELECT name FROM delete_trip_item((SELECT id FROM trip_items WHERE trip_id = :'trip' AND name = 'Breakfast'));
SELECT day_number, string_agg(name || ' (' || order_index || ')', ', ' ORDER BY order_index) AS itinerary
  FROM trip_items WHERE trip_id = :'trip' GROUP BY day_number ORDER BY day_number;
COMMIT;

\echo '== Shared expenses in minor units: the splits always sum to the amount; balances and the fewest transfers'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'leo', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT (add_expense(:'trip', 'Ryokan', 100001, 'JPY', :'leo', 'equal', ARRAY[:'maya', :'leo']::uuid[])).title;
SELECT (add_expense(:'trip', 'Tea ceremony', 9000, 'JPY', :'maya', 'percent', ARRAY[:'maya', :'leo']::uuid[],
                    ARRAY[30, 70]::numeric[])).title;
SELECT e.title, e.amount_minor, s.user_id = :'maya' AS is_maya, s.share_minor
  FROM expenses e JOIN expense_splits s ON s.expense_id = e.id WHERE e.trip_id = :'trip' ORDER BY e.title, is_maya;
SELECT user_id = :'maya' AS is_maya, balance_minor FROM trip_balances WHERE trip_id = :'trip' ORDER BY is_maya;
SELECT from_user = :'maya' AS maya_pays, amount_minor FROM settlement_suggestions(:'trip', 'JPY');
COMMIT;
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'maya', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT amount_minor, currency FROM record_settlement(:'trip', :'maya', :'leo',
  (SELECT amount_minor FROM settlement_suggestions(:'trip', 'JPY')), 'JPY', 'settled up');
SELECT count(*) AS transfers_left FROM settlement_suggestions(:'trip', 'JPY');
COMMIT;

\echo '== The rules refuse bad input with a clear SQLSTATE'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'maya', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
DO $$
DECLARE
  maya uuid := '7a100000-0000-4000-8000-0000000000a1';
  trip uuid := '7a100000-0000-4000-9000-0000000000a1';
BEGIN
  BEGIN
    INSERT INTO trip_items (trip_id, user_id, name, day_number) VALUES (trip, maya, 'Day 9 of a 3-day trip', 9);
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'an item after the trip''s last day: % %', SQLSTATE, SQLERRM;
  END;
  BEGIN
    PERFORM add_expense(trip, 'Taxi', 1000, 'JPY', maya, 'exact', ARRAY[maya]::uuid[], ARRAY[999]::numeric[]);
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'exact splits that do not add up: % %', SQLSTATE, SQLERRM;
  END;
END $$;
COMMIT;

\echo '== The AI service records a run: usage is counted against the plan'
BEGIN;
SET LOCAL ROLE service_role;
INSERT INTO ai_runs (user_id, agent_id, input_text, status, tokens_prompt, tokens_completion)
  SELECT :'maya', id, 'Suggest a rainy-day plan', 'completed', 900, 400 FROM ai_agents WHERE name = 'itinerary';
SELECT ai_runs_used, ai_runs_limit, trips_used, trips_limit FROM usage_summary WHERE user_id = :'maya';
COMMIT;

\echo '== WhatsApp: a verified, opted-in number; the message status only moves forward whatever the webhook order'
INSERT INTO whatsapp_accounts (user_id, phone_number, country_code, is_verified) VALUES (:'maya', '+81901234567', 'JP', true);
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'maya', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
SELECT opt_in_status FROM set_whatsapp_opt_in(true);
COMMIT;
BEGIN;
SET LOCAL ROLE service_role;
SELECT id AS msg FROM queue_whatsapp_message(:'maya', 'trip_reminders', 'Your Kyoto trip starts soon') \gset
UPDATE whatsapp_messages SET external_id = 'wamid.demo', status = 'sent' WHERE id = :'msg';
SELECT processed FROM handle_whatsapp_webhook(jsonb_build_object('id', 'ev-demo-read', 'message_id', 'wamid.demo', 'status', 'read'));
SELECT processed FROM handle_whatsapp_webhook(jsonb_build_object('id', 'ev-demo-delivered', 'message_id', 'wamid.demo', 'status', 'delivered'));
SELECT status FROM whatsapp_messages WHERE id = :'msg';
COMMIT;

\echo '== An automation rule plans a job from the trip''s start; a worker claims it once'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'maya', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
  VALUES (:'maya', 'Day-before reminder', 'trip_start', '{"days_before": 1, "send_at": "09:00"}', 'send_whatsapp');
SELECT status, scheduled_for::date - current_date AS in_days FROM scheduled_jobs WHERE trip_id = :'trip';
COMMIT;
BEGIN;
SET LOCAL ROLE service_role;
UPDATE scheduled_jobs SET scheduled_for = now() - interval '1 minute' WHERE trip_id = :'trip' AND status = 'pending';
SELECT count(*) AS claimed FROM claim_scheduled_jobs(10) WHERE trip_id = :'trip';
SELECT count(*) AS claimed_again FROM claim_scheduled_jobs(10) WHERE trip_id = :'trip';
COMMIT;

\echo '== A schedule rule (cron, in the user''s time zone) plans its next run'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'maya', 'role', 'authenticated')::text, true) \gset
SET LOCAL ROLE authenticated;
INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
  VALUES (:'maya', 'Weekday packing list', 'schedule', '{"cron": "0 8 * * MON-FRI"}', 'send_whatsapp')
  RETURNING id AS weekday_rule \gset
SELECT to_char(j.scheduled_for AT TIME ZONE coalesce(p.timezone, 'UTC'), 'Dy HH24:MI') AS next_run_local,
       coalesce(p.timezone, 'UTC') AS time_zone
  FROM scheduled_jobs j LEFT JOIN notification_preferences p ON p.user_id = j.user_id
 WHERE j.automation_rule_id = :'weekday_rule';
COMMIT;

\echo '== Every maintained order and split checks out'
SELECT (SELECT count(*) FROM itinerary_order_problems()) AS itinerary_problems,
       (SELECT count(*) FROM expense_split_problems()) AS split_problems;
