-- =============================================================================
-- Backups: every table's rows are the shop's data, so pg_dump dumps them (an
-- extension's tables are otherwise left out of a dump), the internal one
-- included: profiles (the names users edited), the rules an admin wrote or
-- changed, catalog_metadata and rules_version. A restore loads them as dumped
-- (esimgo.restore_mode: the insert triggers step aside, so no profile is made
-- twice from auth.users and no rule is validated or versioned again), and its
-- CREATE EXTENSION seeds nothing (70_default_rules.sql), so the dumped rows
-- never meet the install's.
-- =============================================================================
CREATE FUNCTION esimgo_internal.dump_every_table() RETURNS void
AS 'MODULE_PATHNAME', 'esimgo_dump_every_table' LANGUAGE C SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION esimgo_internal.dump_every_table() FROM PUBLIC;
SELECT esimgo_internal.dump_every_table();
