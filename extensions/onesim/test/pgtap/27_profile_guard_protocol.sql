-- The profile guard (onesim_internal.profiles_guard_user_type()) attached
-- any other way than BEFORE UPDATE FOR EACH ROW fails with 39P01
-- (trigger_protocol_violated), as the README says, not an internal error.
BEGIN;
SELECT plan(3);

CREATE TEMP TABLE guarded (user_type text);
CREATE TRIGGER guard_on_insert BEFORE INSERT ON guarded
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.profiles_guard_user_type();
SELECT throws_ok($$INSERT INTO guarded VALUES ('admin')$$, '39P01', NULL, 'BEFORE INSERT: 39P01');
DROP TRIGGER guard_on_insert ON guarded;
INSERT INTO guarded VALUES ('customer');

CREATE TRIGGER guard_after_update AFTER UPDATE ON guarded
  FOR EACH ROW EXECUTE FUNCTION onesim_internal.profiles_guard_user_type();
SELECT throws_ok($$UPDATE guarded SET user_type = 'admin'$$, '39P01', NULL, 'AFTER UPDATE: 39P01');
DROP TRIGGER guard_after_update ON guarded;

CREATE TRIGGER guard_per_statement BEFORE UPDATE ON guarded
  FOR EACH STATEMENT EXECUTE FUNCTION onesim_internal.profiles_guard_user_type();
SELECT throws_ok($$UPDATE guarded SET user_type = 'admin'$$, '39P01', NULL, 'FOR EACH STATEMENT: 39P01');

SELECT * FROM finish();
ROLLBACK;
