\set u random(1, 1000)
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-' || lpad(:u::text, 12, '0') || '","role":"authenticated"}', true);
SET LOCAL ROLE authenticated;
SELECT id, body FROM bench.notes_inline;
COMMIT;
