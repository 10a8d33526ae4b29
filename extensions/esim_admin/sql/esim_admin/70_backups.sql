-- =============================================================================
-- Backups: every table's rows are the project's data, so pg_dump dumps them
-- (an extension's tables are otherwise left out of a dump), the internal
-- ones included: the ticket counters (numbers stay gapless after a restore),
-- the key of the secret columns (the restored ciphertext stays readable), the
-- daily sales, and the sequences' positions (audit_log's ids). A restore
-- loads them as dumped (esim_admin.restore_mode: the insert triggers step
-- aside), so nothing is counted twice.
-- =============================================================================
CREATE FUNCTION esim_admin_internal.dump_every_table() RETURNS void
AS 'MODULE_PATHNAME', 'esim_admin_dump_every_table' LANGUAGE C SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION esim_admin_internal.dump_every_table() FROM PUBLIC;
SELECT esim_admin_internal.dump_every_table();
