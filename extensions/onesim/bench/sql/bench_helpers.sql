-- Identical in both databases and part of neither design: deterministic ids
-- so that the data and the pgbench scripts name the same rows everywhere.
--   kind 0 partner's auth user, 1 partner, 2 partner customer, 3 B2C user,
--   4 order, 5 customer group, 9 admin
-- uid(kind, n) = 00000000-0000-0000-000<kind>-<100000000000 + n>: the last
-- group is n + 10^11 in decimal digits, so a pgbench script writes the id as
-- a literal ('00000000-0000-0000-0001-:v' after \set v 100000000000 + :p)
-- and the statements measured carry no function call of the benchmark's own.
CREATE SCHEMA bench;
CREATE FUNCTION bench.uid(kind int, n bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ('00000000-0000-0000-' || lpad(kind::text, 4, '0') || '-' || (100000000000 + n)::text)::uuid $$;
GRANT USAGE ON SCHEMA bench TO PUBLIC;
