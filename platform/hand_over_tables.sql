
-- ---------------------------------------------------------------------------
-- Appended by the build to every install and update script of every system
-- (cmake/PgSystem.cmake, mk/system.mk).
--
-- A trusted extension's script runs as the bootstrap superuser, so the tables
-- it creates would be the superuser's. Where a non-superuser installed the
-- extension (on Supabase: postgres), the tables in the extension's schema
-- are handed to that owner, so the project's owner can do with them what
-- Supabase users do with their tables: add their own policies, indexes and
-- columns, and add them to the supabase_realtime publication. The internal
-- schema and everything in it stay the superuser's; the functions stay the
-- superuser's too (SECURITY DEFINER steps and triggers run as it). Nothing
-- changes where a superuser installed.
-- ---------------------------------------------------------------------------
DO $hand_over_tables$
DECLARE
  member record;
BEGIN
  FOR member IN
    SELECT c.oid::pg_catalog.regclass AS rel, e.extowner
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_depend d
        ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e'
       AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
      JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
     WHERE c.relnamespace = '@extschema@'::pg_catalog.regnamespace AND c.relkind IN ('r', 'p')
       AND c.relowner <> e.extowner
       AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE oid = e.extowner)
     ORDER BY c.oid
  LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s OWNER TO %I', member.rel, pg_catalog.pg_get_userbyid(member.extowner));
  END LOOP;
END
$hand_over_tables$;
