
-- ---------------------------------------------------------------------------
-- Maintained counts (C++: src/onesim/group_triggers.cpp)
--   customer_groups.group_size   = count of customer_group_members of the group
--   partners.total_customers     = count of partner_customers of the partner
-- Statement-level AFTER triggers with transition tables, one per event (a
-- transition-table trigger cannot be INSERT OR UPDATE); per-parent deltas are
-- netted in C++ and applied with one UPDATE per parent in id order. Cascaded
-- deletes (a group, a customer, a partner) run as DELETE statements on the
-- child table and fire these triggers too.
-- The functions are SECURITY DEFINER: the counts are system-maintained and
-- must be written whatever the caller may update or see under RLS. Their
-- search_path is fixed, so no operator or function a caller puts on its own
-- search_path can be picked up while they run with the owner's rights.
-- ---------------------------------------------------------------------------

CREATE FUNCTION onesim_internal.maintain_child_count()
RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_maintain_child_count'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.maintain_child_count() IS
  'Statement trigger: keeps a parent''s count of child rows (argument: group_size or total_customers) from the statement''s transition tables';

CREATE FUNCTION onesim_internal.check_group_member_partner()
RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_check_group_member_partner'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.check_group_member_partner() IS
  'Statement trigger: a group member''s customer must belong to the group''s partner (23503 otherwise)';

REVOKE ALL ON FUNCTION onesim_internal.maintain_child_count() FROM PUBLIC;
REVOKE ALL ON FUNCTION onesim_internal.check_group_member_partner() FROM PUBLIC;

-- customer_groups.group_size
CREATE TRIGGER trg_customer_group_members_group_size_insert
  AFTER INSERT ON customer_group_members
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('group_size');
CREATE TRIGGER trg_customer_group_members_group_size_update
  AFTER UPDATE ON customer_group_members
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('group_size');
CREATE TRIGGER trg_customer_group_members_group_size_delete
  AFTER DELETE ON customer_group_members
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('group_size');
CREATE TRIGGER trg_customer_group_members_group_size_truncate
  AFTER TRUNCATE ON customer_group_members
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('group_size');

CREATE TRIGGER trg_customer_group_members_same_partner_insert
  AFTER INSERT ON customer_group_members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.check_group_member_partner();
CREATE TRIGGER trg_customer_group_members_same_partner_update
  AFTER UPDATE ON customer_group_members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.check_group_member_partner();

-- partners.total_customers
CREATE TRIGGER trg_partner_customers_total_customers_insert
  AFTER INSERT ON partner_customers
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('total_customers');
CREATE TRIGGER trg_partner_customers_total_customers_update
  AFTER UPDATE ON partner_customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('total_customers');
CREATE TRIGGER trg_partner_customers_total_customers_delete
  AFTER DELETE ON partner_customers
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('total_customers');
CREATE TRIGGER trg_partner_customers_total_customers_truncate
  AFTER TRUNCATE ON partner_customers
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('total_customers');
