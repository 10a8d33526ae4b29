-- =============================================================================
-- Backups: every table's rows are the project's data, so pg_dump dumps them
-- (an extension's tables are otherwise left out of a dump), the internal
-- ones included. A restore loads them as dumped (callai.restore_mode: the
-- insert triggers step aside), so no figure is counted twice, no stock is
-- reserved again and no store gets its default settings a second time.
-- =============================================================================
DO $backups$
DECLARE
  member regclass;
BEGIN
  FOR member IN
    SELECT c.oid::pg_catalog.regclass
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_depend d
        ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e'
     WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
       AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'callai')
       AND c.relkind IN ('r', 'p', 'S')
     ORDER BY c.oid
  LOOP
    PERFORM pg_catalog.pg_extension_config_dump(member, '');
  END LOOP;
END
$backups$;
