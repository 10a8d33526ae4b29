-- What an app sees of one schema, read from the catalog, as one JSON document:
-- its tables and views with their columns, its functions with their arguments
-- and results, its enum and composite types, and every type these refer to
-- (array elements, domain bases and composite attributes followed to the end).
-- check.mjs compares the generated TypeScript with it and writes the client
-- from it, so a new table or function is covered without editing the test.
--
--   psql -v schema=NAME -v extensions='ext1 ext2' -f catalog.sql
--
-- Objects of the schema that belong to another extension (pgcrypto installed
-- into the same schema by CASCADE, say) are left out: they are not the
-- system's API.
WITH RECURSIVE
system_extensions AS (
  SELECT oid FROM pg_extension WHERE extname = ANY (string_to_array(:'extensions', ' '))
),
target AS (
  SELECT oid FROM pg_namespace WHERE nspname = :'schema'
),
foreign_members AS (
  SELECT d.classid, d.objid
    FROM pg_depend d
   WHERE d.deptype = 'e' AND d.refobjid NOT IN (SELECT oid FROM system_extensions)
),
relations AS (
  SELECT c.oid, c.relname, c.relkind
    FROM pg_class c
   WHERE c.relnamespace = (SELECT oid FROM target)
     AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     AND (c.relispartition IS FALSE)
     AND NOT EXISTS (SELECT 1 FROM foreign_members m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
),
columns AS (
  SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull
    FROM pg_attribute a
   WHERE a.attrelid IN (SELECT oid FROM relations) AND a.attnum > 0 AND NOT a.attisdropped
),
-- What PostgREST can call: plain functions, no trigger or internal plumbing.
functions AS (
  SELECT p.*
    FROM pg_proc p
   WHERE p.pronamespace = (SELECT oid FROM target)
     AND p.prokind = 'f'
     AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype, 'internal'::regtype,
                              'language_handler'::regtype, 'fdw_handler'::regtype,
                              'index_am_handler'::regtype, 'table_am_handler'::regtype,
                              'tsm_handler'::regtype)
     AND NOT ('internal'::regtype = ANY (p.proargtypes::oid[]))
     AND NOT EXISTS (SELECT 1 FROM foreign_members m WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
),
function_args AS (
  SELECT f.oid AS function_oid, a.position, a.type_oid,
         coalesce(f.proargmodes[a.position], 'i') AS mode,
         coalesce(f.proargnames[a.position], '') AS name
    FROM functions f,
         unnest(coalesce(f.proallargtypes, f.proargtypes::oid[])) WITH ORDINALITY AS a(type_oid, position)
),
-- Defaults belong to the last pronargdefaults input arguments.
input_args AS (
  SELECT fa.*,
         row_number() OVER (PARTITION BY fa.function_oid ORDER BY fa.position) AS input_position
    FROM function_args fa
   WHERE fa.mode IN ('i', 'b', 'v')
),
schema_types AS (
  SELECT t.oid
    FROM pg_type t
   WHERE t.typnamespace = (SELECT oid FROM target)
     AND (t.typtype = 'e' OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
     AND NOT EXISTS (SELECT 1 FROM foreign_members m WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
),
referenced_types(oid) AS (
  SELECT atttypid FROM columns
  UNION SELECT type_oid FROM function_args
  UNION SELECT prorettype FROM functions
  UNION SELECT oid FROM schema_types
  UNION
  SELECT next.oid
    FROM referenced_types r
    JOIN pg_type t ON t.oid = r.oid
    CROSS JOIN LATERAL (
      SELECT t.typelem WHERE t.typcategory = 'A' AND t.typelem <> 0
      UNION ALL SELECT t.typbasetype WHERE t.typbasetype <> 0
      UNION ALL SELECT a.atttypid FROM pg_attribute a
                 WHERE t.typrelid <> 0 AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
    ) AS next(oid)
),
-- A text column held by a CHECK to a list of values (col IN ('a', 'b')):
-- apps get `string` where an enum would give them the union of the values.
fixed_value_columns AS (
  SELECT c.conrelid, c.conkey[1] AS attnum,
         array(SELECT m[1] FROM regexp_matches(pg_get_constraintdef(c.oid), '''((?:[^'']|'''')*)''', 'g') AS m) AS values_list
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    JOIN pg_type t ON t.oid = a.atttypid
   WHERE c.contype = 'c' AND cardinality(c.conkey) = 1
     AND c.conrelid IN (SELECT oid FROM relations)
     AND t.typcategory = 'S'
     -- "(status = ANY (ARRAY[...]))" for text, "((status)::text = ANY (...))" for varchar
     -- (the column itself, not lower(status) or char_length(status))
     AND pg_get_constraintdef(c.oid) ~ ('[ (]\(\(?' || regexp_replace(quote_ident(a.attname), '([^[:alnum:]_])', '\\\1', 'g')
                                        || '\)?(::[a-z ]+)? = ANY \(')
)
SELECT jsonb_build_object(
  'schema', :'schema',
  'relations', coalesce((
    SELECT jsonb_agg(jsonb_build_object(
             'name', r.relname,
             'kind', CASE r.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'f' THEN 'foreign table'
                                    WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' END,
             'columns', (
               SELECT jsonb_agg(jsonb_build_object(
                        'name', c.attname,
                        'type', c.atttypid::text,
                        'sql', format_type(c.atttypid, c.atttypmod),
                        'not_null', c.attnotnull,
                        'fixed_values', (SELECT to_jsonb(fv.values_list) FROM fixed_value_columns fv
                                          WHERE fv.conrelid = c.attrelid AND fv.attnum = c.attnum LIMIT 1))
                      ORDER BY c.attnum)
                 FROM columns c WHERE c.attrelid = r.oid))
           ORDER BY r.relname)
      FROM relations r), '[]'),
  'functions', coalesce((
    SELECT jsonb_agg(jsonb_build_object(
             'name', f.proname,
             'result_sql', pg_get_function_result(f.oid),
             'returns', f.prorettype::text,
             'returns_set', f.proretset,
             'rows', CASE WHEN f.proretset THEN nullif(f.prorows, 0) END,
             'args', coalesce((
               SELECT jsonb_agg(jsonb_build_object(
                        'name', fa.name,
                        'mode', fa.mode,
                        'type', fa.type_oid::text,
                        'sql', format_type(fa.type_oid, NULL),
                        'has_default', ia.input_position IS NOT NULL
                                       AND ia.input_position > (SELECT count(*) FROM input_args x WHERE x.function_oid = f.oid) - f.pronargdefaults)
                      ORDER BY fa.position)
                 FROM function_args fa
                 LEFT JOIN input_args ia ON ia.function_oid = fa.function_oid AND ia.position = fa.position
                WHERE fa.function_oid = f.oid), '[]'))
           ORDER BY f.proname, pg_get_function_identity_arguments(f.oid))
      FROM functions f), '[]'),
  'enums', coalesce((
    SELECT jsonb_agg(t.typname ORDER BY t.typname) FROM pg_type t
     WHERE t.oid IN (SELECT oid FROM schema_types) AND t.typtype = 'e'), '[]'),
  'composite_types', coalesce((
    SELECT jsonb_agg(t.typname ORDER BY t.typname) FROM pg_type t
     WHERE t.oid IN (SELECT oid FROM schema_types) AND t.typtype = 'c'), '[]'),
  'types', coalesce((
    SELECT jsonb_object_agg(t.oid::text, jsonb_build_object(
             'name', t.typname,
             'schema', n.nspname,
             'sql', format_type(t.oid, NULL),
             'typtype', t.typtype,
             'category', t.typcategory,
             'element', CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem::text END,
             'base', CASE WHEN t.typtype = 'd' THEN t.typbasetype::text END,
             'labels', CASE WHEN t.typtype = 'e' THEN (
                         SELECT jsonb_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) END,
             'relation_kind', CASE WHEN t.typrelid <> 0 THEN (SELECT relkind::text FROM pg_class WHERE oid = t.typrelid) END,
             'attributes', CASE WHEN t.typrelid <> 0 THEN (
                         SELECT jsonb_agg(jsonb_build_object('name', a.attname, 'type', a.atttypid::text,
                                                             'sql', format_type(a.atttypid, a.atttypmod),
                                                             'not_null', a.attnotnull) ORDER BY a.attnum)
                           FROM pg_attribute a
                          WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END))
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.oid IN (SELECT oid FROM referenced_types)), '{}')
);
