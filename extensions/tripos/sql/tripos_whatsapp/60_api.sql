-- ---------------------------------------------------------------------------
-- API. The service's steps (webhooks, sending, workers) are executable by
-- service_role only; users opt in and out themselves.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.handle_whatsapp_webhook(p_event jsonb) RETURNS @extschema@.whatsapp_webhook_events
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.ingest_whatsapp_status(p_event);
END;
COMMENT ON FUNCTION @extschema@.handle_whatsapp_webhook(jsonb) IS
  'A provider status report {id, message_id, status, error}: recorded once by id; the message''s status only moves forward';

CREATE FUNCTION @extschema@.queue_whatsapp_message(p_user_id uuid, p_category text, p_content text,
                                                  p_trip_id uuid DEFAULT NULL, p_message_type text DEFAULT 'text',
                                                  p_template_id uuid DEFAULT NULL)
RETURNS @extschema@.whatsapp_messages
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.queue_whatsapp_message(p_user_id, p_category, p_content, p_trip_id, p_message_type,
                                                       p_template_id);
END;
COMMENT ON FUNCTION @extschema@.queue_whatsapp_message(uuid, text, text, uuid, text, uuid) IS
  'Queues an outbound message if the user opted in and wants this category (trip_reminders, booking_confirmations, itinerary_updates, budget_alerts, ai_suggestions, collaborator_updates, marketing); during their quiet hours send_after is the window''s end in their time zone';

CREATE FUNCTION @extschema@.retry_whatsapp_message(p_message_id uuid) RETURNS @extschema@.whatsapp_messages
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.retry_whatsapp_message(p_message_id);
END;

CREATE FUNCTION @extschema@.claim_scheduled_jobs(p_limit integer DEFAULT 10) RETURNS SETOF @extschema@.scheduled_jobs
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  UPDATE @extschema@.scheduled_jobs j SET status = 'running', locked_at = now()
   WHERE j.id IN (SELECT d.id FROM @extschema@.scheduled_jobs d
                   WHERE d.status = 'pending' AND d.scheduled_for <= now()
                     AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now())
                   ORDER BY d.priority DESC, d.scheduled_for
                   LIMIT greatest(p_limit, 0)
                   FOR UPDATE SKIP LOCKED)
  RETURNING j.*;
END;
COMMENT ON FUNCTION @extschema@.claim_scheduled_jobs(integer) IS
  'For workers: takes up to p_limit due jobs (priority, then time), skipping those another worker holds: no job runs twice';

CREATE FUNCTION @extschema@.complete_scheduled_job(p_job_id uuid, p_succeeded boolean, p_result jsonb DEFAULT NULL,
                                                  p_error text DEFAULT NULL)
RETURNS @extschema@.scheduled_jobs
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.complete_scheduled_job(p_job_id, p_succeeded, p_result, p_error);
END;
COMMENT ON FUNCTION @extschema@.complete_scheduled_job(uuid, boolean, jsonb, text) IS
  'For workers: a claimed job succeeded (completed) or failed (pending again after 60 s x 2^retries, capped at 1 h, until max_retries; then failed)';

CREATE FUNCTION @extschema@.set_whatsapp_opt_in(p_opt_in boolean) RETURNS @extschema@.whatsapp_accounts
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM tripos_internal.set_whatsapp_opt_in(p_opt_in);
END;
COMMENT ON FUNCTION @extschema@.set_whatsapp_opt_in(boolean) IS
  'The caller opts in to (a verified number only) or out of WhatsApp messages';

REVOKE ALL ON FUNCTION @extschema@.handle_whatsapp_webhook(jsonb),
  @extschema@.queue_whatsapp_message(uuid, text, text, uuid, text, uuid), @extschema@.retry_whatsapp_message(uuid),
  @extschema@.claim_scheduled_jobs(integer), @extschema@.complete_scheduled_job(uuid, boolean, jsonb, text),
  @extschema@.set_whatsapp_opt_in(boolean)
FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION @extschema@.handle_whatsapp_webhook(jsonb),
  @extschema@.queue_whatsapp_message(uuid, text, text, uuid, text, uuid), @extschema@.retry_whatsapp_message(uuid),
  @extschema@.claim_scheduled_jobs(integer), @extschema@.complete_scheduled_job(uuid, boolean, jsonb, text)
TO service_role;
GRANT EXECUTE ON FUNCTION @extschema@.set_whatsapp_opt_in(boolean) TO authenticated, service_role;
