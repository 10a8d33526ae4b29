-- Stage 4: plans and usage limits, Stripe events idempotent and newest-wins,
-- invoices in minor units, limits on trips, collaborators and AI runs.
BEGIN;
SELECT plan(25);
\ir fixtures/users.psql
SELECT id AS agent FROM ai_agents WHERE name = 'explore' \gset
-- Back to the free plan for the owner and the editor (the fixture lifted their limits).
UPDATE usage_limits l SET ai_runs_limit = 10, trips_limit = 3, collaborators_per_trip_limit = 0
 WHERE user_id IN (:'owner', :'editor');
SELECT gen_random_uuid() AS newcomer \gset
INSERT INTO auth.users (id, email) VALUES (:'newcomer', 'newcomer-' || :'newcomer' || '@example.test');
SELECT is((SELECT ai_runs_limit || '/' || trips_limit || '/' || collaborators_per_trip_limit FROM usage_limits WHERE user_id = :'newcomer'),
          '10/3/0', 'sign-up gives the free plan''s limits');

SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
INSERT INTO trips (user_id, name) VALUES (:'owner', 't1'), (:'owner', 't2'), (:'owner', 't3');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO trips (user_id, name) VALUES (%L, ''t4'')', :'owner')), '53400',
          'the free plan''s fourth trip is refused (53400)');
SELECT is((SELECT trips_used::int FROM usage_summary), 3, 'usage_summary counts the trips');
SELECT token AS tok FROM invite_collaborator((SELECT id FROM trips WHERE name = 't1' AND user_id = :'owner'),
                                             'editor-' || :'editor' || '@example.test', 'editor') \gset
SELECT tripos_test.act_as(:'editor');
SELECT is(tripos_test.sqlstate_of(format('SELECT accept_invitation(%L)', :'tok')), '53400',
          'the free plan allows no collaborator');
SELECT is(tripos_test.sqlstate_of('SELECT handle_stripe_event(''{}'')'), '42501', 'clients cannot post Stripe events');
RESET ROLE;

-- AI quota: ten runs a month on the free plan.
SET LOCAL ROLE service_role;
INSERT INTO ai_runs (user_id, agent_id, input_text) SELECT :'owner', :'agent', 'run ' || g FROM generate_series(1, 9) g;
INSERT INTO ai_runs (user_id, agent_id, input_text) VALUES (:'owner', :'agent', 'run 10');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO ai_runs (user_id, agent_id, input_text) VALUES (%L, %L, ''run 11'')',
          :'owner', :'agent')), '53400', 'the eleventh run of the month is refused');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO ai_runs (user_id, agent_id, input_text) SELECT %L, %L, ''bulk'' FROM generate_series(1, 2)',
          :'editor', :'agent')), '00000', 'a statement within the quota passes');
SELECT is((SELECT runs FROM ai_usage_monthly WHERE user_id = :'owner'), 10, 'the usage says 10');

-- Stripe: a subscription to Pro.
SELECT is((handle_stripe_event(jsonb_build_object('id', 'evt_2', 'type', 'customer.subscription.updated', 'created', 2000,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'sub_1', 'customer', 'cus_1', 'status', 'active',
    'current_period_start', 1700000000, 'current_period_end', 1702592000,
    'items', jsonb_build_object('data', jsonb_build_array(jsonb_build_object('price', jsonb_build_object('id', 'price_pro_monthly')))),
    'metadata', jsonb_build_object('user_id', :'owner')))))).processed, true, 'a subscription event is applied');
SELECT is((SELECT s.status || '/' || p.name FROM subscriptions s JOIN plans p ON p.id = s.plan_id WHERE s.user_id = :'owner'),
          'active/Pro', 'the subscription is active on Pro');
SELECT is((SELECT ai_runs_limit || '/' || trips_limit || '/' || collaborators_per_trip_limit FROM usage_limits WHERE user_id = :'owner'),
          '500/50/10', 'and the limits follow the plan');
SELECT is((handle_stripe_event(jsonb_build_object('id', 'evt_2', 'type', 'customer.subscription.updated', 'created', 2000,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'sub_1', 'customer', 'cus_1', 'status', 'unpaid'))))).stripe_event_id,
  'evt_2', 'a replayed event id returns the recorded event');
SELECT is((SELECT count(*)::int FROM billing_events WHERE stripe_event_id = 'evt_2'), 1, 'once');
SELECT is((SELECT status FROM subscriptions WHERE user_id = :'owner'), 'active', 'and changes nothing');
SELECT handle_stripe_event(jsonb_build_object('id', 'evt_1', 'type', 'customer.subscription.updated', 'created', 1000,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'sub_1', 'customer', 'cus_1', 'status', 'incomplete',
    'items', jsonb_build_object('data', jsonb_build_array(jsonb_build_object('price', jsonb_build_object('id', 'price_pro_monthly'))))))));
SELECT is((SELECT status FROM subscriptions WHERE user_id = :'owner'), 'active', 'an older event arriving late changes nothing');
SELECT handle_stripe_event(jsonb_build_object('id', 'evt_3', 'type', 'customer.subscription.deleted', 'created', 3000,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'sub_1', 'customer', 'cus_1', 'status', 'canceled',
    'items', jsonb_build_object('data', jsonb_build_array(jsonb_build_object('price', jsonb_build_object('id', 'price_pro_monthly'))))))));
SELECT is((SELECT status FROM subscriptions WHERE user_id = :'owner'), 'canceled', 'a newer cancellation applies (customer known by id)');
SELECT is((SELECT trips_limit FROM usage_limits WHERE user_id = :'owner'), 3, 'and the free plan''s limits return');

-- Invoices in minor units.
SELECT handle_stripe_event(jsonb_build_object('id', 'evt_4', 'type', 'invoice.paid', 'created', 3100,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'in_1', 'customer', 'cus_1', 'status', 'paid',
    'subscription', 'sub_1', 'amount_due', 999, 'amount_paid', 999, 'currency', 'USD', 'status_transitions',
    jsonb_build_object('paid_at', 1700000100)))));
SELECT is((SELECT amount_due_minor || ' ' || amount_paid_minor || ' ' || currency || ' ' || status FROM invoices WHERE stripe_invoice_id = 'in_1'),
          '999 999 usd paid', 'an invoice keeps Stripe''s minor units');
SELECT is((SELECT paid_at FROM invoices WHERE stripe_invoice_id = 'in_1'), to_timestamp(1700000100), 'and its payment time');

-- Bad events.
SELECT is(tripos_test.sqlstate_of('SELECT handle_stripe_event(''{"type": "invoice.paid"}'')'), '22023', 'an event without an id is refused');
SELECT is((handle_stripe_event(jsonb_build_object('id', 'evt_5', 'type', 'customer.subscription.created', 'created', 10,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'sub_9', 'customer', 'cus_unknown', 'status', 'active'))))).error_message,
  'no user for this customer (metadata.user_id or an earlier subscription)', 'an unknown customer is recorded, not applied');
SELECT is((SELECT processed FROM billing_events WHERE stripe_event_id = 'evt_5'), false, 'and stays unprocessed');
SELECT is((handle_stripe_event(jsonb_build_object('id', 'evt_6', 'type', 'customer.subscription.created', 'created', 10,
  'data', jsonb_build_object('object', jsonb_build_object('id', 'sub_9', 'customer', 'cus_9', 'status', 'sleeping',
  'metadata', jsonb_build_object('user_id', 'not-a-uuid')))))).processed, false, 'a malformed user id does not fail the webhook');

RESET ROLE;
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
SELECT is((SELECT count(*)::int FROM billing_events), 4, 'a user sees their own billing events');
SELECT is((SELECT count(*)::int FROM plans), 3, 'and the active plans');

SELECT * FROM finish();
ROLLBACK;
