-- Calls on the one store: a new one ringing in a random hour of two days, or
-- one that was answered ends (duration, billing, cost, intent and analytics
-- move), or the pending call figures are folded (as pg_cron's job does)
-- while the others write.
\set h random(0, 47)
\set s random(0, 3599)
\set what random(1, 5)
\if :what = 1
INSERT INTO callai.calls (store_id, from_phone, to_phone, direction, start_time, status)
VALUES ('ca110000-0000-4000-8000-00000000f100', '+1415555' || lpad(:s::text, 4, '0'), '+18005550000',
        CASE WHEN :s % 4 = 0 THEN 'outbound' ELSE 'inbound' END::callai.call_direction,
        '2026-11-10'::timestamptz + :h * interval '1 hour' + :s * interval '1 second',
        CASE WHEN :s % 5 = 0 THEN 'no_answer' ELSE 'answered' END::callai.call_status);
\elif :what = 5
SELECT callai_internal.fold_call_figures();
\else
UPDATE callai.calls SET status = 'completed', end_time = start_time + (:s % 600) * interval '1 second',
       intent_detected = (ARRAY['order_status', 'refund', 'product_question'])[1 + :s % 3],
       satisfaction_rating = 1 + :s % 5, quality_score = (:s % 100) / 100.0, escalated_to_human = (:s % 7 = 0),
       cost_breakdown = jsonb_build_object('llm', 0.0125, 'tts', 0.01, 'stt', (:s % 50) / 10000.0)
 WHERE id = (SELECT id FROM callai.calls WHERE store_id = 'ca110000-0000-4000-8000-00000000f100' AND status = 'answered'
              ORDER BY start_time LIMIT 1 FOR UPDATE SKIP LOCKED);
\endif
