-- Row snapshots for the bad-input suite's pass of callers who own nothing
-- (test/lib/bad-input.sh): fuzz_rows.take() records every row of the
-- extensions' tables (named in :'extensions') as text by primary key;
-- fuzz_rows.changed() lists the recorded rows that are no longer the same:
-- changed or gone. Columns named in :'may_change' (table.column, space-
-- separated: what anyone may move, such as a view counter) are left out.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE SCHEMA fuzz_rows;
CREATE TABLE fuzz_rows.tables AS
  SELECT c.oid::regclass AS rel,
         (SELECT string_agg(format('%I', a.attname), ', ' ORDER BY k.n)
            FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
           WHERE i.indrelid = c.oid AND i.indisprimary) AS key,
         (SELECT string_agg(format('fuzz_row_.%I', a.attname), ', ' ORDER BY a.attnum)
            FROM pg_attribute a
           WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             AND NOT c.relname || '.' || a.attname = ANY (string_to_array(:'may_change', ' '))) AS cols
    FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = ANY (string_to_array(:'extensions', ' '))
   WHERE c.relkind IN ('r', 'p');
DELETE FROM fuzz_rows.tables WHERE key IS NULL;
CREATE TABLE fuzz_rows.digests (rel regclass, key text, row_text text, PRIMARY KEY (rel, key));

CREATE FUNCTION fuzz_rows.take() RETURNS void LANGUAGE plpgsql AS $f$
DECLARE t record;
BEGIN
  TRUNCATE fuzz_rows.digests;
  FOR t IN SELECT * FROM fuzz_rows.tables LOOP
    EXECUTE format('INSERT INTO fuzz_rows.digests SELECT %L, (ROW(%s))::text, (ROW(%s))::text FROM %s fuzz_row_',
                   t.rel, 'fuzz_row_.' || replace(t.key, ', ', ', fuzz_row_.'), t.cols, t.rel);
  END LOOP;
END $f$;

CREATE FUNCTION fuzz_rows.changed() RETURNS TABLE (rel regclass, key text, before text, after text)
LANGUAGE plpgsql AS $f$
DECLARE t record;
BEGIN
  FOR t IN SELECT * FROM fuzz_rows.tables LOOP
    RETURN QUERY EXECUTE format(
      'SELECT d.rel, d.key, d.row_text, CASE WHEN fuzz_row_.%s IS NULL THEN NULL ELSE (ROW(%s))::text END
         FROM fuzz_rows.digests d LEFT JOIN %s fuzz_row_ ON (ROW(%s))::text = d.key
        WHERE d.rel = %L::regclass AND (fuzz_row_.%s IS NULL OR (ROW(%s))::text <> d.row_text)',
      split_part(t.key, ', ', 1), t.cols, t.rel, 'fuzz_row_.' || replace(t.key, ', ', ', fuzz_row_.'), t.rel,
      split_part(t.key, ', ', 1), t.cols);
  END LOOP;
END $f$;
