-- Rows of every stage, written through the API as users and the service.
INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES
  ('00000000-0000-0000-0000-0000000000a1', 'backup-owner@example.test', '{"full_name": "Bea"}'),
  ('00000000-0000-0000-0000-0000000000a2', 'backup-friend@example.test', '{}');
UPDATE usage_limits SET trips_limit = -1, collaborators_per_trip_limit = -1, ai_runs_limit = -1;
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-0000000000a1", "role": "authenticated"}', true);
INSERT INTO trips (id, user_id, name, start_date, end_date, budget)
VALUES ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000a1', 'Oslo', current_date + 20, current_date + 23, 500);
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index)
SELECT '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000a1', 'item ' || g, 1 + g % 3, 0
  FROM generate_series(1, 12) g;
SELECT token FROM invite_collaborator('00000000-0000-0000-0000-0000000000b1', 'backup-friend@example.test', 'editor') \gset
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-0000000000a2", "role": "authenticated"}', true);
SELECT accept_invitation(:'token');
SELECT add_expense('00000000-0000-0000-0000-0000000000b1', 'Ferry', 45000, 'USD', '00000000-0000-0000-0000-0000000000a2',
                   'equal', ARRAY['00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000a2']::uuid[]);
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-0000000000a1", "role": "authenticated"}', true);
INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
VALUES ('00000000-0000-0000-0000-0000000000a1', 'Remind', 'trip_start', '{"days_before": 2}', 'send_whatsapp');
COMMIT;
BEGIN;
SET LOCAL ROLE service_role;
INSERT INTO ai_runs (user_id, agent_id, input_text, status, tokens_prompt, tokens_completion)
SELECT '00000000-0000-0000-0000-0000000000a1', id, 'plan', 'completed', 1200, 300 FROM ai_agents WHERE name = 'itinerary';
SELECT handle_stripe_event(jsonb_build_object('id', 'evt_backup', 'type', 'customer.subscription.created', 'created', 5,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'sub_b', 'customer', 'cus_b', 'status', 'active',
    'items', jsonb_build_object('data', jsonb_build_array(jsonb_build_object('price', jsonb_build_object('id', 'price_pro_monthly')))),
    'metadata', jsonb_build_object('user_id', '00000000-0000-0000-0000-0000000000a1')))));
COMMIT;
