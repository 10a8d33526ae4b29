-- The self-test's schema (run.sh --self-test): one object for each case the
-- checks must pass and one for each they must catch. fixture.expected holds
-- the verdicts; a check that stopped catching its case changes them.
CREATE SCHEMA typegen_fixture;

CREATE TYPE typegen_fixture.state AS ENUM ('new', 'done');
CREATE TYPE typegen_fixture.money_pair AS (amount numeric, currency text);

-- Passes: every type has a TypeScript counterpart.
CREATE TABLE typegen_fixture.good_rows (
  id uuid PRIMARY KEY,
  n integer NOT NULL,
  state typegen_fixture.state NOT NULL DEFAULT 'new',
  tags text[],
  doc jsonb,
  pair typegen_fixture.money_pair,
  at timestamptz NOT NULL DEFAULT now(),
  -- Not a list of the column's values: a function of it.
  code text CHECK (lower(code) = ANY (ARRAY['a', 'b']))
);

-- Caught: inet and int4range come out as unknown; status and mode take a
-- list of values but are typed string.
CREATE TABLE typegen_fixture.bad_rows (
  id integer PRIMARY KEY,
  addr inet,
  span int4range,
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  mode varchar(10) CHECK (mode IS NULL OR mode IN ('x', 'y'))
);

-- Caught: a view column typed unknown.
CREATE VIEW typegen_fixture.bad_view WITH (security_invoker = true) AS
  SELECT id, addr FROM typegen_fixture.bad_rows;

-- Passes: RETURNS TABLE and a defaulted argument.
CREATE FUNCTION typegen_fixture.good_fn(a integer, b text DEFAULT 'x')
  RETURNS TABLE (x integer, y text) LANGUAGE sql AS $$ SELECT a, b $$;

-- Caught: OUT parameters come out as Record<string, unknown>.
CREATE FUNCTION typegen_fixture.out_fn(a numeric, OUT x numeric, OUT y numeric)
  LANGUAGE sql AS $$ SELECT a, a $$;

-- Caught: an unnamed argument; PostgREST cannot call it and the types leave it out.
CREATE FUNCTION typegen_fixture.unnamed_fn(integer) RETURNS integer
  LANGUAGE sql AS $$ SELECT $1 $$;

-- Passes with a note: a bare record has no shape PostgreSQL knows.
CREATE FUNCTION typegen_fixture.bare_record() RETURNS record
  LANGUAGE sql AS $$ SELECT 1, 2 $$;

-- Caught: the row it returns holds unknown columns.
CREATE FUNCTION typegen_fixture.returns_row(id integer) RETURNS typegen_fixture.bad_rows
  LANGUAGE sql AS $$ SELECT * FROM typegen_fixture.bad_rows WHERE bad_rows.id = returns_row.id $$;

-- Passes: pseudo-types may be unknown.
CREATE FUNCTION typegen_fixture.poly(x anyelement) RETURNS anyelement
  LANGUAGE sql AS $$ SELECT x $$;

-- Pass: void, overloads told apart by their argument names, a composite argument, a set of scalars.
CREATE FUNCTION typegen_fixture.void_fn() RETURNS void LANGUAGE sql AS $$ SELECT $$;
CREATE FUNCTION typegen_fixture.over(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION typegen_fixture.over(a integer, b integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + b $$;
CREATE FUNCTION typegen_fixture.takes_pair(p typegen_fixture.money_pair, states typegen_fixture.state[])
  RETURNS numeric LANGUAGE sql AS $$ SELECT (p).amount $$;
CREATE FUNCTION typegen_fixture.numbers(n integer) RETURNS SETOF bigint
  LANGUAGE sql AS $$ SELECT generate_series(1, n)::bigint $$;
