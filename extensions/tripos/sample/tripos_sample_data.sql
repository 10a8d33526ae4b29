-- =============================================================================
-- Trip OS sample data: a planned trip in use across the five stages, loaded
-- by the project's owner after the extensions are created, through the API
-- as the apps write it (the triggers keep positions, splits and usage).
-- A trip to Lisbon with a 9-item itinerary over 3 days, shared with an
-- editor who paid a dinner split between both; a reminder rule (its job is
-- planned from the trip's start); an AI run; Ines's Pro subscription from
-- Stripe (the free plan has no collaborators).
-- =============================================================================
INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES
  ('7a100000-0000-4000-8000-000000000001', 'ines@tripos.example', '{"full_name": "Ines"}'),
  ('7a100000-0000-4000-8000-000000000002', 'joao@tripos.example', '{"full_name": "Joao"}');

-- Ines is on the Pro plan (Stripe's webhook): collaborators and AI runs.
BEGIN;
SET LOCAL ROLE service_role;
INSERT INTO ai_runs (user_id, agent_id, input_text, status, tokens_prompt, tokens_completion)
SELECT '7a100000-0000-4000-8000-000000000001', id, 'Plan three days in Lisbon', 'completed', 1400, 520
  FROM ai_agents WHERE name = 'itinerary';
SELECT (handle_stripe_event(jsonb_build_object('id', 'evt_sample_1', 'type', 'customer.subscription.created', 'created', 1767225600,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'sub_sample', 'customer', 'cus_sample', 'status', 'active',
    'items', jsonb_build_object('data', jsonb_build_array(jsonb_build_object('price', jsonb_build_object('id', 'price_pro_monthly')))),
    'metadata', jsonb_build_object('user_id', '7a100000-0000-4000-8000-000000000001')))))).id AS stripe_event \gset
COMMIT;

BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub": "7a100000-0000-4000-8000-000000000001", "role": "authenticated"}', true) \gset
INSERT INTO trips (id, user_id, name, start_date, end_date, budget)
VALUES ('7a100000-0000-4000-9000-000000000001', '7a100000-0000-4000-8000-000000000001', 'Lisbon', current_date + 20,
        current_date + 22, 900);
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index)
SELECT '7a100000-0000-4000-9000-000000000001', '7a100000-0000-4000-8000-000000000001', s.name, s.day, NULL
  FROM (VALUES ('Alfama walk', 1), ('Tram 28', 1), ('Fado dinner', 1), ('Belem tower', 2), ('Pasteis de Belem', 2),
               ('MAAT', 2), ('Sintra day trip', 3), ('Pena palace', 3), ('Cascais sunset', 3)) AS s(name, day);
SELECT token FROM invite_collaborator('7a100000-0000-4000-9000-000000000001', 'joao@tripos.example', 'editor') \gset
SELECT set_config('request.jwt.claims', '{"sub": "7a100000-0000-4000-8000-000000000002", "role": "authenticated"}', true) \gset
SELECT (accept_invitation(:'token')).id AS collaboration \gset
SELECT (add_expense('7a100000-0000-4000-9000-000000000001', 'Fado dinner', 8600, 'EUR', '7a100000-0000-4000-8000-000000000002',
                   'equal', ARRAY['7a100000-0000-4000-8000-000000000001', '7a100000-0000-4000-8000-000000000002']::uuid[])).id AS expense \gset
SELECT set_config('request.jwt.claims', '{"sub": "7a100000-0000-4000-8000-000000000001", "role": "authenticated"}', true) \gset
INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
VALUES ('7a100000-0000-4000-8000-000000000001', 'Pack reminder', 'trip_start', '{"days_before": 1, "send_at": "09:00"}',
        'send_whatsapp');
COMMIT;

