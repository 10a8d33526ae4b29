-- Identical in both databases and part of neither design: deterministic ids
-- so that the data and the pgbench scripts name the same rows everywhere.
--   kind 0 partner's auth user, 1 partner, 2 partner customer, 3 B2C user,
--   4 order, 5 customer group, 9 admin
CREATE SCHEMA bench;
CREATE FUNCTION bench.uid(kind int, n bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ('00000000-0000-0000-' || lpad(to_hex(kind), 4, '0') || '-' || lpad(to_hex(n), 12, '0'))::uuid $$;
GRANT USAGE ON SCHEMA bench TO PUBLIC;
