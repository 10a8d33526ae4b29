-- Stage 5: monotonic status from idempotent webhooks, the send gate with
-- quiet hours in the user's time zone, jobs planned from trip dates and
-- re-planned, SKIP LOCKED claims, retries with backoff, opt-in.
BEGIN;
SELECT plan(35);
\ir fixtures/users.psql
SELECT gen_random_uuid() AS trip \gset
SELECT is((SELECT count(*)::int FROM notification_preferences WHERE user_id IN (:'owner', :'viewer')), 2,
          'sign-up creates notification preferences');
INSERT INTO whatsapp_accounts (user_id, phone_number, country_code, is_verified)
VALUES (:'owner', '+3519' || lpad((random() * 1e7)::int::text, 8, '0'), 'PT', true),
       (:'viewer', '+3519' || lpad((random() * 1e7)::int::text, 8, '1'), 'PT', false);

SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'viewer');
SELECT is(tripos_test.sqlstate_of('SELECT set_whatsapp_opt_in(true)'), '55000', 'an unverified number cannot opt in');
SELECT is(tripos_test.sqlstate_of('UPDATE whatsapp_accounts SET opt_in_status = ''opted_in'''), '42501',
          'nor can it be set by hand');
SELECT tripos_test.act_as(:'owner');
SELECT is((set_whatsapp_opt_in(true)).opt_in_status, 'opted_in', 'a verified user opts in');
UPDATE notification_preferences SET quiet_hours_enabled = true, quiet_hours_start = '00:00', quiet_hours_end = '23:59:59',
       timezone = 'Asia/Tokyo';
SELECT is(tripos_test.sqlstate_of('UPDATE notification_preferences SET timezone = ''Mars/Olympus'''), '22023',
          'an unknown time zone is refused');
RESET ROLE;

SET LOCAL ROLE service_role;
SELECT (queue_whatsapp_message(:'owner', 'trip_reminders', 'Pack tonight')).* \gset msg_
SELECT is(:'msg_status'::text, 'pending', 'a message is queued as pending');
SELECT is(:'msg_send_after'::timestamptz,
          ((now() AT TIME ZONE 'Asia/Tokyo')::date + time '23:59:59') AT TIME ZONE 'Asia/Tokyo',
          'inside quiet hours it waits for their end in the user''s time zone');
UPDATE notification_preferences SET quiet_hours_enabled = false WHERE user_id = :'owner';
SELECT is((queue_whatsapp_message(:'owner', 'trip_reminders', 'now')).send_after, now(), 'outside quiet hours: now');
SELECT is(tripos_test.sqlstate_of(format('SELECT queue_whatsapp_message(%L, ''marketing'', ''sale'')', :'owner')), '55000',
          'marketing is off by default');
SELECT is(tripos_test.sqlstate_of(format('SELECT queue_whatsapp_message(%L, ''trip_reminders'', ''x'')', :'viewer')), '55000',
          'nothing goes to a user who has not opted in');
SELECT is(tripos_test.sqlstate_of(format('SELECT queue_whatsapp_message(%L, ''gossip'', ''x'')', :'owner')), '22023',
          'an unknown category is refused');

-- Status reports in any order, replays ignored.
UPDATE whatsapp_messages SET external_id = 'wamid.' || :'msg_id' WHERE id = :'msg_id';
SELECT handle_whatsapp_webhook(jsonb_build_object('id', 'ev-' || :'msg_id' || '-read', 'message_id', 'wamid.' || :'msg_id', 'status', 'read'));
SELECT handle_whatsapp_webhook(jsonb_build_object('id', 'ev-' || :'msg_id' || '-delivered', 'message_id', 'wamid.' || :'msg_id', 'status', 'delivered'));
SELECT handle_whatsapp_webhook(jsonb_build_object('id', 'ev-' || :'msg_id' || '-sent', 'message_id', 'wamid.' || :'msg_id', 'status', 'sent'));
SELECT is((SELECT status FROM whatsapp_messages WHERE id = :'msg_id'), 'read', 'late delivered and sent reports never undo read');
SELECT ok((SELECT sent_at IS NOT NULL AND delivered_at IS NOT NULL AND read_at IS NOT NULL FROM whatsapp_messages WHERE id = :'msg_id'),
          'and every stage is stamped');
SELECT handle_whatsapp_webhook(jsonb_build_object('id', 'ev-' || :'msg_id' || '-failed', 'message_id', 'wamid.' || :'msg_id', 'status', 'failed', 'error', 'late'));
SELECT is((SELECT status || '/' || coalesce(failed_reason, '-') FROM whatsapp_messages WHERE id = :'msg_id'), 'read/-',
          'a failure report after delivery changes nothing');
SELECT is((handle_whatsapp_webhook(jsonb_build_object('id', 'ev-' || :'msg_id' || '-read', 'message_id', 'x', 'status', 'sent'))).external_id,
          'wamid.' || :'msg_id', 'a replayed report returns the recorded one');
SELECT is((SELECT count(*)::int FROM whatsapp_webhook_events WHERE provider_event_id LIKE 'ev-' || :'msg_id' || '%'), 4, 'each report once');
SELECT is((handle_whatsapp_webhook(jsonb_build_object('id', 'ev-x-' || :'msg_id', 'message_id', 'wamid.none', 'status', 'sent'))).processed,
          false, 'a report for an unknown message is kept, unprocessed');

-- Failed messages retry with backoff.
SELECT (queue_whatsapp_message(:'owner', 'trip_reminders', 'again')).id AS m2 \gset
UPDATE whatsapp_messages SET status = 'failed', failed_reason = 'noActiveSession' WHERE id = :'m2';
UPDATE whatsapp_messages SET status = 'sent' WHERE id = :'m2';
SELECT is((SELECT status FROM whatsapp_messages WHERE id = :'m2'), 'failed', 'failed is terminal for status reports');
SELECT is((retry_whatsapp_message(:'m2')).status, 'pending', 'an explicit retry sets it pending again');
SELECT is((SELECT retry_count || '/' || (send_after > now() + interval '59 seconds') FROM whatsapp_messages WHERE id = :'m2'), '1/true',
          'counted, after a backoff');
SELECT is(tripos_test.sqlstate_of(format('SELECT retry_whatsapp_message(%L)', :'m2')), '55000', 'only failed messages are retried');
RESET ROLE;

-- Automations: a reminder the day before the trip at 09:00 in the user's zone.
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
UPDATE notification_preferences SET timezone = 'America/New_York';
INSERT INTO trips (id, user_id, name, start_date, end_date) VALUES (:'trip', :'owner', 'NYC', current_date + 30, current_date + 33);
INSERT INTO automation_rules (user_id, name, trigger_type, trigger_config, action_type)
VALUES (:'owner', 'Reminder', 'trip_start', '{"days_before": 1, "send_at": "09:00"}', 'send_whatsapp');
SELECT is((SELECT scheduled_for FROM scheduled_jobs WHERE trip_id = :'trip' AND status = 'pending'),
          ((current_date + 29) + time '09:00') AT TIME ZONE 'America/New_York', 'a job is planned from the trip''s start');
UPDATE trips SET start_date = current_date + 40, end_date = current_date + 42 WHERE id = :'trip';
SELECT is((SELECT array_agg(status ORDER BY status) FROM scheduled_jobs WHERE trip_id = :'trip'), ARRAY['cancelled', 'pending'],
          'changing the dates re-plans the job');
SELECT is((SELECT scheduled_for FROM scheduled_jobs WHERE trip_id = :'trip' AND status = 'pending'),
          ((current_date + 39) + time '09:00') AT TIME ZONE 'America/New_York', 'for the new start');
RESET ROLE;

-- Workers: claim, fail with backoff, give up at max_retries.
SET LOCAL ROLE service_role;
UPDATE scheduled_jobs SET scheduled_for = now() - interval '1 minute', max_retries = 1 WHERE trip_id = :'trip' AND status = 'pending';
SELECT id AS job FROM claim_scheduled_jobs(10) WHERE trip_id = :'trip' \gset
SELECT is((SELECT count(*)::int FROM claim_scheduled_jobs(10) WHERE trip_id = :'trip'), 0, 'a claimed job is not claimed twice');
SELECT is((complete_scheduled_job(:'job', false, NULL, 'timeout')).status, 'pending', 'a failure schedules a retry');
SELECT ok((SELECT next_attempt_at BETWEEN now() + interval '59 seconds' AND now() + interval '61 seconds' FROM scheduled_jobs WHERE id = :'job'),
          'after the first backoff (60 s)');
UPDATE scheduled_jobs SET next_attempt_at = now() - interval '1 second' WHERE id = :'job';
SELECT is((SELECT count(*)::int FROM claim_scheduled_jobs(10) WHERE id = :'job'), 1, 'it is claimed again when due');
SELECT is((complete_scheduled_job(:'job', false, NULL, 'timeout')).status, 'failed', 'and fails for good past max_retries');

-- A worker that dies after claiming: release_stalled_jobs() counts it as a
-- failed attempt once the job has been claimed longer than the limit.
UPDATE scheduled_jobs SET status = 'pending', retry_count = 0, max_retries = 1, next_attempt_at = NULL WHERE id = :'job';
SELECT is((SELECT count(*)::int FROM claim_scheduled_jobs(10) WHERE id = :'job'), 1, 'claimed by a worker that never reports');
SELECT is(release_stalled_jobs(15), 0::bigint, 'within the limit the claim stands');
UPDATE scheduled_jobs SET locked_at = now() - interval '16 minutes' WHERE id = :'job';
SELECT is(release_stalled_jobs(15), 1::bigint, 'past it the job is released');
SELECT is((SELECT status || ' ' || retry_count || ' ' || error_message FROM scheduled_jobs WHERE id = :'job'),
          'pending 1 no result from its worker within 15 minutes', 'as a failed attempt, retried after the backoff');
SELECT is(tripos_test.sqlstate_of(format('SELECT complete_scheduled_job(%L, true)', :'job')), '55000',
          'the late worker''s result is refused: its claim is gone');
SELECT is(tripos_test.sqlstate_of('SELECT release_stalled_jobs(0)'), '22023', 'a limit under a minute is refused');

SELECT * FROM finish();
ROLLBACK;
