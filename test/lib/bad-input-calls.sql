-- Prints the statements of the bad-input suite (test/lib/bad-input.sh), one
-- transaction a line: calls of every function of the extensions named in
-- :'extensions' (space-separated) that a caller can reach, then writes into
-- every table of theirs, then (behind 'READ ') reads of every table and
-- view. The callers:
--   anon, authenticated (as each of :'user_ids', users of the data, and as
--   :'stranger_id', whom no row knows) and service_role: the functions each
--   may execute; the owner (the superuser): the C functions (where a crash
--   would come from) that no API role may execute.
-- Arguments: all NULL; then a plausible vector (a value the data holds for
-- an argument named like a column of its type, else the type's first
-- candidate);
-- then that vector with one argument at a time replaced by each candidate
-- of its type: NULL, empty, zero, negative, extreme, NaN, infinite, the
-- longest text, empty, NULL-holding and 10,000-element arrays, deep or
-- mistyped JSON.
-- Each call and each write is its own transaction, rolled back.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE TEMP TABLE fuzz_extensions AS
  SELECT e.oid, e.extname FROM pg_extension e WHERE e.extname = ANY (string_to_array(:'extensions', ' '));
-- Their tables, views and materialized views.
CREATE TEMP TABLE fuzz_relations AS
  SELECT c.oid, c.relkind, c.relkind IN ('r', 'p') AS is_table
    FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN fuzz_extensions e ON e.oid = d.refobjid
   WHERE c.relkind IN ('r', 'p', 'v', 'm');

-- The callers and how each one's transaction starts: the API roles as
-- PostgREST sets them (the claims, then the role), authenticated once for
-- each user in :'user_ids' and once as :'stranger_id', and with claims no
-- gateway should pass (not JSON, a sub that is no uuid, none, a JSON null);
-- the owner as it is.
CREATE TEMP TABLE fuzz_callers AS
  SELECT c.role, c.api_role,
         CASE WHEN c.api_role IS NULL THEN ''
              ELSE format('SELECT set_config(''request.jwt.claims'', %L, true) IS NULL; SET LOCAL ROLE %I;',
                          c.claims, c.api_role) END AS prelude
    FROM (SELECT 'anon' AS role, 'anon' AS api_role, json_build_object('role', 'anon')::text AS claims
          UNION ALL
          SELECT 'service_role', 'service_role', json_build_object('role', 'service_role')::text
          UNION ALL
          SELECT 'user ' || u, 'authenticated', json_build_object('sub', u, 'role', 'authenticated')::text
            FROM unnest(string_to_array(:'user_ids', ' ') || :'stranger_id'::text) u
          UNION ALL
          SELECT 'forged ' || f, 'authenticated', f
            FROM unnest(ARRAY['not json', '{"sub":"not-a-uuid","role":"authenticated"}', '{"role":"authenticated"}',
                              '{"sub":null,"role":"authenticated"}', '[]']) f
          UNION ALL
          SELECT 'owner', NULL, NULL) c;

-- A value the data holds for each column name and type of the extensions'
-- tables: the plausible value of an argument of that name and type.
CREATE TEMP TABLE fuzz_known_values (column_name text, typ oid, value text, PRIMARY KEY (column_name, typ));
DO $known$
DECLARE
  col record;
  found text;
BEGIN
  FOR col IN
    SELECT DISTINCT ON (a.attname, a.atttypid) a.attname::text AS name, a.atttypid AS typ, c.oid::regclass AS rel
      FROM fuzz_relations c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.is_table
     ORDER BY a.attname, a.atttypid, c.oid
  LOOP
    EXECUTE format('SELECT %I::text FROM %s WHERE %I IS NOT NULL LIMIT 1', col.name, col.rel, col.name) INTO found;
    IF found IS NOT NULL THEN
      INSERT INTO fuzz_known_values VALUES (col.name, col.typ, found);
    END IF;
  END LOOP;
END
$known$;

-- Candidate literals of a type, the plausible one first; NULL is added for every type.
CREATE FUNCTION pg_temp.fuzz_candidates(t oid) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
  elem oid;
  base oid;
  typname text := format_type(t, NULL);
BEGIN
  SELECT typelem INTO elem FROM pg_type WHERE oid = t AND typcategory = 'A';
  IF elem IS NOT NULL AND elem <> 0 THEN
    RETURN NEXT format('''{}''::%s', typname);
    RETURN NEXT format('ARRAY[NULL]::%s', typname);
    RETURN QUERY SELECT format('ARRAY[%s]::%s', c, typname) FROM pg_temp.fuzz_candidates(elem) c LIMIT 2;
    -- 10,000 elements (the element's first candidate, a new uuid each):
    -- work must grow with the input, not with its square.
    RETURN QUERY SELECT format('ARRAY(SELECT %s FROM pg_catalog.generate_series(1, 10000))::%s', c, typname)
      FROM pg_temp.fuzz_candidates(elem) c LIMIT 1;
    RETURN;
  END IF;
  SELECT typbasetype INTO base FROM pg_type WHERE oid = t AND typtype = 'd';
  IF base IS NOT NULL THEN
    RETURN QUERY SELECT format('(%s)::%s', c, typname) FROM pg_temp.fuzz_candidates(base) c;
    RETURN;
  END IF;
  IF (SELECT typtype FROM pg_type WHERE oid = t) = 'e' THEN
    RETURN QUERY SELECT format('%L::%s', enumlabel, typname) FROM pg_enum WHERE enumtypid = t ORDER BY enumsortorder LIMIT 3;
    RETURN;
  END IF;
  CASE t
    WHEN 'uuid'::regtype THEN
      RETURN NEXT 'gen_random_uuid()';
      RETURN NEXT '''00000000-0000-0000-0000-000000000000''::uuid';
    WHEN 'text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'name'::regtype THEN
      RETURN QUERY SELECT format('%s::%s', v, typname)
        FROM unnest(ARRAY['''x''', '''''', ''' ''', 'repeat(''x'', 100000)', '''%_\''', '''-1''', '''null''']) v;
    WHEN 'int2'::regtype THEN
      RETURN QUERY SELECT v || '::int2' FROM unnest(ARRAY['1', '0', '(-1)', '32767', '(-32768)']) v;
    WHEN 'int4'::regtype THEN
      RETURN QUERY SELECT v || '::int4' FROM unnest(ARRAY['1', '0', '(-1)', '2147483647', '(-2147483648)']) v;
    WHEN 'int8'::regtype THEN
      RETURN QUERY SELECT v || '::int8' FROM unnest(ARRAY['1', '0', '(-1)', '9223372036854775807', '(-9223372036854775808)']) v;
    WHEN 'numeric'::regtype THEN
      RETURN QUERY SELECT v || '::numeric' FROM unnest(ARRAY['1', '0', '(-1)', '''NaN''', '1e30', '(-1e30)', '0.000000001', '''Infinity''']) v;
    WHEN 'float4'::regtype, 'float8'::regtype THEN
      RETURN QUERY SELECT format('%s::%s', v, typname) FROM unnest(ARRAY['1', '0', '''NaN''', '''Infinity''', '''-Infinity''', '(-1)']) v;
    WHEN 'bool'::regtype THEN
      RETURN NEXT 'true';
      RETURN NEXT 'false';
    WHEN 'json'::regtype, 'jsonb'::regtype THEN
      RETURN QUERY SELECT format('%L::%s', v, typname)
        FROM unnest(ARRAY['{}', '[]', 'null', '"x"', '1', '{"a":{"b":[1,{"c":null}]},"id":"x","amount":-1}', '[{}]']) v;
    WHEN 'date'::regtype THEN
      RETURN QUERY SELECT format('%L::date', v) FROM unnest(ARRAY['2026-01-15', 'infinity', '-infinity', '0001-01-01', '9999-12-31', '4713-01-01 BC']) v;
    WHEN 'timestamptz'::regtype, 'timestamp'::regtype THEN
      RETURN QUERY SELECT format('%L::%s', v, typname)
        FROM unnest(ARRAY['2026-01-15 12:00:00+00', 'infinity', '-infinity', '0001-01-01 00:00:00+00', '294276-12-31 00:00:00+00', '4713-01-01 00:00:00+00 BC']) v;
    WHEN 'interval'::regtype THEN
      RETURN QUERY SELECT format('%L::interval', v) FROM unnest(ARRAY['1 day', '0', '-1 day', '178000000 years', '-178000000 years']) v;
    WHEN 'time'::regtype, 'timetz'::regtype THEN
      RETURN QUERY SELECT format('%L::%s', v, typname) FROM unnest(ARRAY['12:00', '24:00', '00:00']) v;
    WHEN 'inet'::regtype THEN
      RETURN QUERY SELECT format('%L::inet', v) FROM unnest(ARRAY['127.0.0.1', '::', '0.0.0.0/0']) v;
    WHEN 'bytea'::regtype THEN
      RETURN QUERY SELECT format('%L::bytea', v) FROM unnest(ARRAY['\x00', '\x']) v;
    ELSE
      NULL;  -- NULL only
  END CASE;
END
$f$;

CREATE TEMP TABLE fuzz_functions AS
  SELECT p.oid, p.oid::regprocedure::text AS signature, p.prokind,
         format('%I.%I', n.nspname, p.proname) AS callee,
         p.proargtypes::oid[] AS argtypes,
         (SELECT array_agg(coalesce(nm, '') ORDER BY i)
            FROM unnest(coalesce(p.proargnames, '{}'), coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[p.pronargs]))) WITH ORDINALITY a(nm, mode, i)
           WHERE mode IN ('i', 'b', 'v')) AS argnames,
         p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c') AS in_c
    FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN fuzz_extensions e ON e.oid = d.refobjid
   WHERE p.prokind IN ('f', 'p')
     AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
     AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::oid[]) t
                      WHERE t IN ('internal'::regtype, 'cstring'::regtype, 'anyelement'::regtype,
                                  'anyarray'::regtype, 'anynonarray'::regtype, 'anyenum'::regtype,
                                  'anycompatible'::regtype, 'record'::regtype));

-- The candidates of each argument, numbered (1 = the plausible value).
CREATE TEMP TABLE fuzz_arguments AS
  SELECT f.oid, a.pos, c.n, c.lit
    FROM fuzz_functions f
    CROSS JOIN LATERAL unnest(f.argtypes) WITH ORDINALITY a(typ, pos)
    CROSS JOIN LATERAL (
      SELECT row_number() OVER (ORDER BY source, ord) AS n, lit FROM (
        SELECT 0 AS source, 0::bigint AS ord, format('%L::%s', k.value, format_type(a.typ, NULL)) AS lit
          FROM fuzz_known_values k
         WHERE (k.typ = a.typ  -- or text given from a text or enum column
                OR ((SELECT typcategory FROM pg_type WHERE oid = a.typ) = 'S'
                    AND (SELECT typcategory FROM pg_type WHERE oid = k.typ) IN ('S', 'E')))
           AND k.column_name = regexp_replace(regexp_replace(f.argnames[a.pos], '^(p_|_|in_|arg_)', ''), '^$', '-')
        UNION ALL
        SELECT 1, x.ord, x.lit FROM pg_temp.fuzz_candidates(a.typ) WITH ORDINALITY x(lit, ord)
        UNION ALL
        SELECT 2, 0, format('NULL::%s', format_type(a.typ, NULL))) l
    ) c;

CREATE TEMP TABLE fuzz_vectors AS
  WITH plausible AS (
    SELECT oid, pos, lit FROM fuzz_arguments WHERE n = 1
  ), all_null AS (
    SELECT f.oid, 0 AS variant, string_agg(format('NULL::%s', format_type(t, NULL)), ', ' ORDER BY pos) AS args
      FROM fuzz_functions f CROSS JOIN LATERAL unnest(f.argtypes) WITH ORDINALITY a(t, pos)
     GROUP BY f.oid
  ), varied AS (
    SELECT v.oid, v.pos * 1000 + v.n AS variant,
           string_agg(CASE WHEN p.pos = v.pos THEN v.lit ELSE p.lit END, ', ' ORDER BY p.pos) AS args
      FROM fuzz_arguments v JOIN plausible p ON p.oid = v.oid
     GROUP BY v.oid, v.pos, v.n
  )
  SELECT * FROM all_null
  UNION ALL SELECT * FROM varied
  UNION ALL SELECT oid, 0, '' FROM fuzz_functions WHERE cardinality(argtypes) = 0;

-- One line per call: the caller's transaction, the call, a rollback.
SELECT format('BEGIN; %s %s %s(%s); ROLLBACK;', c.prelude,
              CASE f.prokind WHEN 'p' THEN 'CALL' ELSE 'SELECT' END, f.callee, v.args)
  FROM fuzz_functions f
  JOIN fuzz_vectors v ON v.oid = f.oid
  JOIN fuzz_callers c
    ON CASE WHEN c.api_role IS NULL
            THEN f.in_c AND NOT (has_function_privilege('anon', f.oid, 'EXECUTE')
                                 OR has_function_privilege('authenticated', f.oid, 'EXECUTE')
                                 OR has_function_privilege('service_role', f.oid, 'EXECUTE'))
            ELSE has_function_privilege(c.api_role, f.oid, 'EXECUTE') END
 ORDER BY f.signature, c.role, v.variant;

-- Writes through the tables, where the triggers' C++ meets the values: for
-- every table of the extensions, as the service role and as the user where
-- they hold the privilege (else as the owner), each column of up to three
-- rows the data holds set to each candidate of its type (UPDATE; several
-- rows, so statement triggers fold more than one), copies of those rows with
-- the column replaced (INSERT; a key with a default is left to it), and the
-- rows deleted.
CREATE TEMP TABLE fuzz_tables AS
  SELECT c.oid, c.oid::regclass::text AS rel,
         ARRAY(SELECT a.attnum FROM pg_attribute a
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                  AND a.attidentity <> 'a'
                  AND NOT (a.atthasdef AND EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary
                                                     AND a.attnum = ANY (i.indkey::int2[])))
                ORDER BY a.attnum) AS insert_columns
    FROM fuzz_relations c
   WHERE c.is_table;

CREATE TEMP TABLE fuzz_writes AS
  WITH cols AS (
    SELECT t.oid, t.rel, a.attnum, quote_ident(a.attname) AS col, a.atttypid AS typ, t.insert_columns
      FROM fuzz_tables t
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                         AND a.attidentity <> 'a'
  ), cands AS (
    SELECT cols.*, c.lit FROM cols CROSS JOIN LATERAL (
      SELECT x AS lit FROM pg_temp.fuzz_candidates(cols.typ) x
      UNION ALL SELECT format('NULL::%s', format_type(cols.typ, NULL))) c
  ), one_row AS (
    SELECT oid, format('(SELECT ctid FROM %s LIMIT 3)', rel) AS ctid_of FROM fuzz_tables
  )
  SELECT c.oid, 'UPDATE' AS privilege,
         format('UPDATE %s SET %s = %s WHERE ctid IN %s', c.rel, c.col, c.lit, r.ctid_of) AS statement
    FROM cands c JOIN one_row r USING (oid)
  UNION ALL
  SELECT c.oid, 'INSERT',
         format('INSERT INTO %s (%s) SELECT %s FROM %s LIMIT 3', c.rel,
                (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                  WHERE attrelid = c.oid AND attnum = ANY (c.insert_columns)),
                (SELECT string_agg(CASE WHEN attnum = c.attnum THEN c.lit ELSE quote_ident(attname) END, ', ' ORDER BY attnum)
                   FROM pg_attribute WHERE attrelid = c.oid AND attnum = ANY (c.insert_columns)),
                c.rel)
    FROM cands c WHERE c.attnum = ANY (c.insert_columns)
  UNION ALL
  SELECT t.oid, 'DELETE', format('DELETE FROM %s WHERE ctid IN (SELECT ctid FROM %s LIMIT 3)', t.rel, t.rel)
    FROM fuzz_tables t;

SELECT format('BEGIN; %s %s; ROLLBACK;', c.prelude, w.statement)
  FROM fuzz_writes w
  JOIN fuzz_callers c
    ON CASE WHEN c.api_role IS NULL
            THEN NOT has_table_privilege('service_role', w.oid, w.privilege)
                 AND NOT has_table_privilege('authenticated', w.oid, w.privilege)
            ELSE c.api_role <> 'anon' AND has_table_privilege(c.api_role, w.oid, w.privilege) END
 ORDER BY w.oid, w.privilege, w.statement, c.role;

-- Reads of every table and view of the extensions, each row turned into text
-- (and that into its md5, so that rows of 100,000-character values add up to
-- no more than 32 bytes each) so that every column is computed, by each caller that may select from it:
-- printed behind 'READ ' for the suite's last pass, which runs them on what
-- the committed passes left.
SELECT format('READ BEGIN; %s SELECT count(*), md5(coalesce(string_agg(md5(fuzz_row_::text), ''''), '''')) FROM %s fuzz_row_; ROLLBACK;',
              c.prelude, rel.oid::regclass)
  FROM fuzz_relations rel
  JOIN fuzz_callers c ON c.api_role IS NULL OR has_table_privilege(c.api_role, rel.oid, 'SELECT')
 ORDER BY rel.oid::regclass::text, c.role;
