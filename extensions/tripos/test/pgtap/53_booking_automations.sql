-- booking_pending automations: an item of the owner's trip whose booking
-- becomes pending fires the owner's active booking_pending rules (of that
-- trip when one is named) as a job due at once, one while it is pending.
BEGIN;
SELECT plan(8);
\ir fixtures/users.psql
\ir fixtures/shared_trip.psql
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
INSERT INTO automation_rules (user_id, name, trigger_type, action_type)
  VALUES (:'owner', 'Chase bookings', 'booking_pending', 'send_whatsapp') RETURNING id AS rule \gset
INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
  VALUES (:'owner', 'Another trip', 'booking_pending', json_build_object('trip_id', gen_random_uuid())::jsonb, 'send_email')
  RETURNING id AS elsewhere_rule \gset
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id IN (:'rule', :'elsewhere_rule')), 0,
          'writing the rules plans no job');

-- The editor adds an item pending booking: the owner's rule fires.
SELECT tripos_test.act_as(:'editor');
INSERT INTO trip_items (trip_id, user_id, name, day_number, booking_status)
  VALUES (:'trip', :'editor', 'Ryokan', 2, 'pending') RETURNING id AS ryokan \gset
SELECT tripos_test.act_as(:'owner');
SELECT ok((SELECT count(*) = 1 AND bool_and(job_type = 'send_whatsapp' AND trip_id = :'trip' AND user_id = :'owner'
                                            AND status = 'pending' AND scheduled_for <= now())
             FROM scheduled_jobs WHERE automation_rule_id = :'rule'),
          'an item added pending booking fires the owner''s rule: one job, due at once');
SELECT ok((SELECT last_triggered_at IS NOT NULL FROM automation_rules WHERE id = :'rule'), 'the rule is stamped');
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'elsewhere_rule'), 0,
          'a rule naming another trip does not fire');

-- Another item becomes pending while that job is pending: no second job.
UPDATE trip_items SET booking_status = 'pending' WHERE trip_id = :'trip' AND name = 'Temple';
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'rule'), 1,
          'while its job is pending, the rule fires no other');
-- Moves and other edits of a pending item fire nothing.
SELECT move_trip_item(:'ryokan', 1, 0);
UPDATE trip_items SET name = 'Ryokan Sakura' WHERE id = :'ryokan';
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'rule'), 1,
          'moving or renaming a pending item fires nothing');
-- Once the worker completed the job, the next pending booking fires again.
RESET ROLE;
UPDATE scheduled_jobs SET status = 'completed', executed_at = now() WHERE automation_rule_id = :'rule';
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
UPDATE trip_items SET booking_status = 'confirmed' WHERE id = :'ryokan';
UPDATE trip_items SET booking_status = 'pending' WHERE id = :'ryokan';
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'rule' AND status = 'pending'), 1,
          'after its job completed, a booking becoming pending again fires again');
UPDATE automation_rules SET is_active = false WHERE id = :'rule';
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'rule' AND status = 'pending'), 0,
          'switching the rule off cancels its pending job');
RESET ROLE;
SELECT * FROM finish();
ROLLBACK;
