-- The same insert into a trigger-less twin.
\set d random(1, 600)
INSERT INTO calls_plain (store_id, from_phone, to_phone, direction, start_time, end_time, status, intent_detected, cost_breakdown)
VALUES ('ca110000-0000-4000-8000-0000000f4241', '+14155550100', '+18005550000', 'inbound', now() - :d * interval '1 second', now(),
        'completed', 'order_status', '{"llm": 0.0125, "tts": 0.01, "stt": 0.004}');
