-- schedule automations: trigger_config.cron (five fields, the owner's time
-- zone) plans the rule's next run; claiming a run plans the one after; a
-- change of the schedule re-plans, switching off cancels; bad schedules 22023.
BEGIN;
SELECT plan(16);
\ir fixtures/users.psql
\ir fixtures/shared_trip.psql
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
UPDATE notification_preferences SET timezone = 'Asia/Tokyo' WHERE user_id = :'owner';
-- The oracle: the next 09:00 in Tokyo after now (now() is the transaction's start).
SELECT (date_trunc('day', now() AT TIME ZONE 'Asia/Tokyo') + interval '9 hours'
        + CASE WHEN (now() AT TIME ZONE 'Asia/Tokyo')::time >= '09:00' THEN interval '1 day' ELSE interval '0' END)
       AT TIME ZONE 'Asia/Tokyo' AS next_nine \gset

INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
  VALUES (:'owner', 'Morning digest', 'schedule', '{"cron": "0 9 * * *"}', 'send_whatsapp') RETURNING id AS rule \gset
SELECT ok((SELECT count(*) = 1 AND bool_and(status = 'pending' AND user_id = :'owner' AND job_type = 'send_whatsapp'
                                            AND trip_id IS NULL)
             FROM scheduled_jobs WHERE automation_rule_id = :'rule'),
          'a schedule rule plans one run');
SELECT is((SELECT scheduled_for FROM scheduled_jobs WHERE automation_rule_id = :'rule'), :'next_nine'::timestamptz,
          'at the next 09:00 in the owner''s time zone');

-- Bad schedules are refused, the rule with them.
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type) VALUES (%L, %L, %L, %L, %L)',
  :'owner', 'No cron', 'schedule', '{}', 'send_email')), '22023', 'a schedule rule without trigger_config.cron: 22023');
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type) VALUES (%L, %L, %L, %L, %L)',
  :'owner', 'Bad hour', 'schedule', '{"cron": "0 25 * * *"}', 'send_email')), '22023', 'an hour of 25: 22023');
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type) VALUES (%L, %L, %L, %L, %L)',
  :'owner', 'Four fields', 'schedule', '{"cron": "0 9 * *"}', 'send_email')), '22023', 'four fields: 22023');
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type) VALUES (%L, %L, %L, %L, %L)',
  :'owner', 'Never', 'schedule', '{"cron": "0 0 30 2 *"}', 'send_email')), '22023', 'a schedule that never fires: 22023');
SELECT is(tripos_test.sqlstate_of(format('UPDATE automation_rules SET trigger_config = %L WHERE id = %L',
                                         '{"cron": "*/0 * * * *"}', :'rule')), '22023',
          'changing a rule to a bad schedule: 22023');

-- A worker claims the run once due: the next run is planned then.
RESET ROLE;
UPDATE scheduled_jobs SET scheduled_for = now() - interval '1 minute' WHERE automation_rule_id = :'rule';
SET LOCAL ROLE service_role;
SELECT id AS first_run FROM claim_scheduled_jobs(100) WHERE automation_rule_id = :'rule' \gset
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'rule' AND status = 'pending'
             AND scheduled_for = :'next_nine'::timestamptz), 1,
          'claiming a run plans the next one');
-- The run fails and is retried: claiming the retry plans no second run.
SELECT status FROM complete_scheduled_job(:'first_run', false, NULL, 'provider down');
RESET ROLE;
UPDATE scheduled_jobs SET next_attempt_at = now() - interval '1 second' WHERE id = :'first_run';
SET LOCAL ROLE service_role;
SELECT is((SELECT count(*)::int FROM claim_scheduled_jobs(100) WHERE id = :'first_run'), 1, 'the retry is claimed');
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'rule' AND status = 'pending'), 1,
          'claiming a retry plans no second run');

-- A new schedule replaces the planned run.
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
UPDATE automation_rules SET trigger_config = '{"cron": "30 18 * * FRI"}' WHERE id = :'rule';
SELECT ok((SELECT count(*) = 1
                  AND bool_and(extract(isodow FROM scheduled_for AT TIME ZONE 'Asia/Tokyo') = 5
                               AND (scheduled_for AT TIME ZONE 'Asia/Tokyo')::time = '18:30'
                               AND scheduled_for > now() AND scheduled_for <= now() + interval '7 days')
             FROM scheduled_jobs WHERE automation_rule_id = :'rule' AND status = 'pending'),
          'a new schedule re-plans: the next Friday 18:30 in Tokyo, the old run cancelled');

-- A rule of one trip: its runs carry the trip; a trip that is not the owner's plans nothing.
INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
  VALUES (:'owner', 'Trip digest', 'schedule', json_build_object('cron', '@daily', 'trip_id', :'trip')::jsonb,
          'run_ai_agent') RETURNING id AS trip_rule \gset
SELECT is((SELECT trip_id FROM scheduled_jobs WHERE automation_rule_id = :'trip_rule'), :'trip'::uuid,
          'a rule naming the owner''s trip plans runs for that trip');
SELECT is((SELECT (scheduled_for AT TIME ZONE 'Asia/Tokyo')::time FROM scheduled_jobs WHERE automation_rule_id = :'trip_rule'),
          '00:00'::time, '@daily runs at local midnight');
INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
  VALUES (:'owner', 'Elsewhere', 'schedule', json_build_object('cron', '@daily', 'trip_id', gen_random_uuid())::jsonb,
          'send_email') RETURNING id AS elsewhere_rule \gset
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'elsewhere_rule'), 0,
          'a rule naming a trip that is not the owner''s plans nothing');

-- Switched off: the planned run is cancelled and a claim plans nothing more.
UPDATE automation_rules SET is_active = false WHERE id = :'rule';
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'rule' AND status = 'pending'), 0,
          'switching the rule off cancels its planned run');
RESET ROLE;
INSERT INTO scheduled_jobs (user_id, automation_rule_id, job_type, scheduled_for)
  VALUES (:'owner', :'rule', 'send_whatsapp', now() - interval '1 minute');
SET LOCAL ROLE service_role;
SELECT count(*) FROM claim_scheduled_jobs(100) WHERE automation_rule_id = :'rule';
SELECT is((SELECT count(*)::int FROM scheduled_jobs WHERE automation_rule_id = :'rule' AND status = 'pending'), 0,
          'claiming a run of a switched-off rule plans none');
RESET ROLE;
SELECT * FROM finish();
ROLLBACK;
