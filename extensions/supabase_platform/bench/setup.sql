-- The auth.uid() benchmark's tables: 100,000 rows of 1,000 users, three times
-- over. notes_inline's policy calls auth.uid() as this version defines it;
-- notes_pinned's calls uid_pinned(), version 1.0's definition (the same body
-- with SET search_path); notes_plain has no RLS (the floor, read as the owner).
CREATE SCHEMA bench;
CREATE FUNCTION bench.uid_pinned() RETURNS uuid LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $f$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$f$;
CREATE TABLE bench.notes_plain (id bigint PRIMARY KEY, user_id uuid NOT NULL, body text NOT NULL);
INSERT INTO bench.notes_plain
SELECT g, ('00000000-0000-0000-0000-' || lpad((g % 1000 + 1)::text, 12, '0'))::uuid, 'note ' || g
  FROM generate_series(1, 100000) g;
CREATE TABLE bench.notes_inline (LIKE bench.notes_plain INCLUDING ALL);
CREATE TABLE bench.notes_pinned (LIKE bench.notes_plain INCLUDING ALL);
INSERT INTO bench.notes_inline SELECT * FROM bench.notes_plain;
INSERT INTO bench.notes_pinned SELECT * FROM bench.notes_plain;
CREATE INDEX ON bench.notes_plain (user_id);
CREATE INDEX ON bench.notes_inline (user_id);
CREATE INDEX ON bench.notes_pinned (user_id);
ALTER TABLE bench.notes_inline ENABLE ROW LEVEL SECURITY;
ALTER TABLE bench.notes_pinned ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_notes ON bench.notes_inline FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY own_notes ON bench.notes_pinned FOR SELECT TO authenticated USING (user_id = (SELECT bench.uid_pinned()));
GRANT USAGE ON SCHEMA bench TO authenticated;
GRANT SELECT ON bench.notes_inline, bench.notes_pinned TO authenticated;
GRANT EXECUTE ON FUNCTION bench.uid_pinned() TO authenticated;
VACUUM ANALYZE bench.notes_plain, bench.notes_inline, bench.notes_pinned;
