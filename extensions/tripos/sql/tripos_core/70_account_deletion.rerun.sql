-- ---------------------------------------------------------------------------
-- Account deletion (written to be run again: the install and every update
-- run this part). Before the auth service's DELETE FROM auth.users reaches
-- the foreign keys, the user's own trips are deleted with everything in them
-- (triggers/deleted_users.cpp says why the order matters); DROP EXTENSION
-- tripos_core removes the trigger.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION tripos_internal.core_deleted_users() RETURNS trigger
AS 'MODULE_PATHNAME', 'tripos_core_deleted_users'
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION tripos_internal.core_deleted_users() IS
  'BEFORE DELETE ON auth.users (row): the user''s own trips first, then the foreign keys'' SET NULL elsewhere';
REVOKE ALL ON FUNCTION tripos_internal.core_deleted_users() FROM PUBLIC;

DROP TRIGGER IF EXISTS tripos_core_deleted_users ON auth.users;
CREATE TRIGGER tripos_core_deleted_users BEFORE DELETE ON auth.users
  FOR EACH ROW EXECUTE FUNCTION tripos_internal.core_deleted_users();
