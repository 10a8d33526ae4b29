\set u random(1, 1000)
BEGIN;
SELECT id, body FROM bench.notes_plain WHERE user_id = ('00000000-0000-0000-0000-' || lpad(:u::text, 12, '0'))::uuid;
COMMIT;
