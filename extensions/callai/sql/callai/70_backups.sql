-- =============================================================================
-- Backups: every table's rows are the project's data, so pg_dump dumps them
-- (an extension's tables are otherwise left out of a dump), the internal
-- ones included. A restore loads them as dumped (callai.restore_mode: the
-- insert triggers step aside), so no figure is counted twice, no stock is
-- reserved again and no store gets its default settings a second time.
-- =============================================================================
CREATE FUNCTION callai_internal.dump_every_table() RETURNS void
AS 'MODULE_PATHNAME', 'callai_dump_every_table' LANGUAGE C SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION callai_internal.dump_every_table() FROM PUBLIC;
SELECT callai_internal.dump_every_table();
