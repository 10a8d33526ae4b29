-- OneSIM's trigger functions check how they are attached: on another table
-- than the extension's, to another event or per statement they fail with
-- 39P01 (trigger_protocol_violated), as the README says, not an internal
-- error. Only their owner (the bootstrap superuser) may execute them, so only
-- a superuser can attach them at all; that the API roles cannot is checked in
-- test/pgtap/50_attacks.sql (42501). Hence this file runs as the superuser.
BEGIN;
SELECT plan(7);
\ir ../pgtap/fixtures/test_ids.psql
SELECT pg_temp.new_ids('stamp_user', 'stamp_partner', 'other_user');

INSERT INTO auth.users (id, email) VALUES (pg_temp.id('stamp_user'), 'stamp@example.com');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  (pg_temp.id('stamp_partner'), pg_temp.id('stamp_user'), 'Gamma', 'c@gamma.uz');

-- maintain_child_count: attached to the wrong table.
CREATE TRIGGER misattached AFTER INSERT ON customer_groups
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.maintain_child_count('group_size');
SELECT throws_like(
  $$INSERT INTO customer_groups (partner_id, name) VALUES (pg_temp.id('stamp_partner'), 'x')$$,
  '%must be attached to table "customer_group_members"%', 'a count trigger on the wrong table is refused');
DROP TRIGGER misattached ON customer_groups;

-- touch_updated_at: attached to INSERT.
CREATE TRIGGER misattached BEFORE INSERT ON partners
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.touch_updated_at();
SELECT throws_ok(
  $$INSERT INTO auth.users (id, email) VALUES (pg_temp.id('other_user'), 'x@example.com');
    INSERT INTO partners (user_id, company_name, business_email)
    VALUES (pg_temp.id('other_user'), 'X', 'x@x.uz')$$,
  '39P01', NULL, 'touch_updated_at attached to INSERT is refused (trigger protocol)');
DROP TRIGGER misattached ON partners;

-- The profile guard (onesim_internal.profiles_guard_user_type()) attached
-- any other way than BEFORE UPDATE FOR EACH ROW.
CREATE TEMP TABLE guarded (user_type text);
CREATE TRIGGER guard_on_insert BEFORE INSERT ON guarded
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.profiles_guard_user_type();
SELECT throws_ok($$INSERT INTO guarded VALUES ('admin')$$, '39P01', NULL, 'profile guard BEFORE INSERT: 39P01');
DROP TRIGGER guard_on_insert ON guarded;
INSERT INTO guarded VALUES ('customer');

CREATE TRIGGER guard_after_update AFTER UPDATE ON guarded
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.profiles_guard_user_type();
SELECT throws_ok($$UPDATE guarded SET user_type = 'admin'$$, '39P01', NULL, 'profile guard AFTER UPDATE: 39P01');
DROP TRIGGER guard_after_update ON guarded;

CREATE TRIGGER guard_per_statement BEFORE UPDATE ON guarded
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.profiles_guard_user_type();
SELECT throws_ok($$UPDATE guarded SET user_type = 'admin'$$, '39P01', NULL, 'profile guard FOR EACH STATEMENT: 39P01');

-- Even their owner cannot attach them to another table: the C++ refuses any
-- table that is not the extension's.
CREATE TEMP TABLE hijack_owner (id uuid, order_status text);
CREATE TRIGGER t AFTER DELETE ON hijack_owner REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.orders_audit();
INSERT INTO hijack_owner VALUES (gen_random_uuid(), 'PENDING');
SELECT throws_ok('DELETE FROM hijack_owner', '39P01', NULL,
                 'orders_audit() on a table that is not the extension''s: 39P01');
CREATE TEMP TABLE hijack_owner2 (LIKE orders INCLUDING DEFAULTS);
CREATE TRIGGER t BEFORE INSERT ON hijack_owner2
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.orders_before_write();
SELECT throws_ok($$INSERT INTO hijack_owner2 (id, package_code, price_usd) VALUES (gen_random_uuid(), 'X', 1)$$,
                 '39P01', NULL, 'orders_before_write() on a copy of orders: 39P01');

SELECT * FROM finish();
ROLLBACK;
