-- budget_exceeded automations (stages 2 and 5 together): a budget event fires
-- the trip owner's active rules of that threshold (and trip, when named) as
-- scheduled jobs due at once; the rule is stamped; bad thresholds are refused.
BEGIN;
SELECT plan(12);
\ir fixtures/users.psql
\ir fixtures/shared_trip.psql
-- The trip's budget is 2000.00 USD; a second trip of the owner for a rule
-- that names it.
UPDATE trips SET currency = 'USD' WHERE id = :'trip';
SELECT gen_random_uuid() AS other_trip \gset
INSERT INTO trips (id, user_id, name, budget, currency) VALUES (:'other_trip', :'owner', 'Osaka', 1000, 'USD');

SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
SELECT is(tripos_test.sqlstate_of($$INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
            VALUES ((SELECT auth.uid()), 'Never', 'budget_exceeded', '{"threshold_percent": 90}', 'send_whatsapp')$$),
          '22023', 'a threshold no budget event is raised for is refused');
INSERT INTO automation_rules (user_id, name, trigger_type, action_type)
  VALUES (:'owner', 'Over budget', 'budget_exceeded', 'send_whatsapp') RETURNING id AS over_rule \gset
INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
  VALUES (:'owner', 'Nearly there', 'budget_exceeded', '{"threshold_percent": 80}', 'send_email') RETURNING id AS near_rule \gset
INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
  VALUES (:'owner', 'Osaka only', 'budget_exceeded', json_build_object('trip_id', :'other_trip')::jsonb, 'send_whatsapp')
  RETURNING id AS osaka_rule \gset
INSERT INTO automation_rules (user_id, name, trigger_type, action_type, is_active)
  VALUES (:'owner', 'Switched off', 'budget_exceeded', 'send_whatsapp', false) RETURNING id AS off_rule \gset
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE trip_id = :'trip'), 0, 'writing the rules plans no job');

SELECT add_expense(:'trip', 'Hotel', 170000, 'USD', :'owner', 'equal', ARRAY[:'owner']::uuid[]);
SELECT is((SELECT array_agg(automation_rule_id::text) FROM scheduled_jobs WHERE trip_id = :'trip'),
          ARRAY[:'near_rule'], 'crossing 80 % fires the 80 % rule only');
SELECT ok((SELECT job_type = 'send_email' AND status = 'pending' AND scheduled_for <= now() AND user_id = :'owner'
             FROM scheduled_jobs WHERE automation_rule_id = :'near_rule'),
          'as a pending job of the rule''s action, due at once, for the owner');
SELECT ok((SELECT last_triggered_at IS NOT NULL FROM automation_rules WHERE id = :'near_rule'), 'the rule is stamped');

-- A collaborator's expense takes the trip over its budget: the owner's rule fires.
SELECT tripos_test.act_as(:'editor');
SELECT (add_expense(:'trip', 'Flight', 40000, 'USD', :'editor', 'equal', ARRAY[:'editor']::uuid[])).id AS flight \gset
SELECT tripos_test.act_as(:'owner');
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'over_rule' AND trip_id = :'trip'), 1,
          'crossing 100 % by a collaborator''s expense fires the owner''s rule once');
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id IN (:'osaka_rule', :'off_rule')), 0,
          'neither the rule for another trip nor the inactive one fired');

-- Falling below and crossing again fires again; editing the rule keeps its job.
DELETE FROM expenses WHERE id = :'flight';
SELECT add_expense(:'trip', 'Flight again', 40000, 'USD', :'owner', 'equal', ARRAY[:'owner']::uuid[]);
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'over_rule' AND status = 'pending'), 2,
          'crossing 100 % again fires the rule again');
UPDATE automation_rules SET name = 'Over budget!' WHERE id = :'over_rule';
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'over_rule' AND status = 'pending'), 2,
          'renaming the rule keeps the jobs it fired');
UPDATE automation_rules SET is_active = false WHERE id = :'over_rule';
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'over_rule' AND status = 'pending'), 0,
          'switching it off cancels them');

-- The rule naming the other trip fires there.
SELECT add_expense(:'other_trip', 'Ryokan', 100000, 'USD', :'owner', 'equal', ARRAY[:'owner']::uuid[]);
SELECT is((SELECT array_agg(automation_rule_id::text ORDER BY automation_rule_id::text) FROM scheduled_jobs WHERE trip_id = :'other_trip'),
          (SELECT array_agg(id::text ORDER BY id::text) FROM automation_rules WHERE id IN (:'osaka_rule', :'near_rule')),
          'the other trip''s crossing of 100 % fires the rule naming it (the 80 % rule fires on its 80 %)');
SELECT is(tripos_test.sqlstate_of(format($$UPDATE automation_rules SET trigger_config = '{"threshold_percent": 50}' WHERE id = %L$$, :'near_rule')),
          '22023', 'nor can a rule be changed to such a threshold');
RESET ROLE;
SELECT * FROM finish();
ROLLBACK;
