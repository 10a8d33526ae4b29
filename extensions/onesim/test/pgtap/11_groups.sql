-- Maintained counts: customer_groups.group_size and partners.total_customers
-- equal a recount of the rows after every kind of change, and group members
-- stay within their partner.
BEGIN;
SELECT plan(42);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_1', 'user_2', 'user_3', 'partner_a', 'partner_b', 'partner_c', 'customer_a1',
                       'customer_a2', 'customer_a3', 'customer_a4', 'customer_a5', 'customer_b1',
                       'customer_b2', 'group_antalya', 'group_dubai', 'group_bulk', 'group_beta');

-- Drift of each maintained count against a recount from the rows.
CREATE TEMP VIEW group_drift AS
  SELECT g.id, g.name, g.group_size,
         (SELECT count(*) FROM customer_group_members m WHERE m.group_id = g.id)::int AS recount
    FROM customer_groups g
   WHERE g.group_size <> (SELECT count(*) FROM customer_group_members m WHERE m.group_id = g.id);
CREATE TEMP VIEW partner_drift AS
  SELECT p.id, p.company_name, p.total_customers
    FROM partners p
   WHERE p.total_customers <> (SELECT count(*) FROM partner_customers c WHERE c.partner_id = p.id);
CREATE FUNCTION pg_temp.size_of(group_name text) RETURNS int LANGUAGE sql AS
  $$ SELECT group_size FROM customer_groups WHERE name = group_name $$;
CREATE FUNCTION pg_temp.members_of(group_name text) RETURNS int LANGUAGE sql AS
  $$ SELECT count(*)::int FROM customer_group_members m JOIN customer_groups g ON g.id = m.group_id
      WHERE g.name = group_name $$;
CREATE FUNCTION pg_temp.customers_of(company text) RETURNS int LANGUAGE sql AS
  $$ SELECT total_customers FROM partners WHERE company_name = company $$;
CREATE FUNCTION pg_temp.recount_customers(company text) RETURNS int LANGUAGE sql AS
  $$ SELECT count(*)::int FROM partner_customers c JOIN partners p ON p.id = c.partner_id
      WHERE p.company_name = company $$;

INSERT INTO auth.users (id, email) VALUES
  (pg_temp.id('user_1'), 'alpha@example.com'),
  (pg_temp.id('user_2'), 'beta@example.com');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  (pg_temp.id('partner_a'), pg_temp.id('user_1'), 'Alpha Tours', 'a@alpha.uz'),
  (pg_temp.id('partner_b'), pg_temp.id('user_2'), 'Beta Travel', 'b@beta.uz');

-- partners.total_customers -------------------------------------------------
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email)
SELECT pg_temp.id('customer_a' || i),
       pg_temp.id('partner_a'), 'A', 'Customer' || i, 'a' || i || '@example.com'
  FROM generate_series(1, 5) i;
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email) VALUES
  (pg_temp.id('customer_b1'), pg_temp.id('partner_b'), 'B', 'One', 'b1@example.com'),
  (pg_temp.id('customer_b2'), pg_temp.id('partner_b'), 'B', 'Two', 'b2@example.com');
SELECT is(pg_temp.customers_of('Alpha Tours'), 5, 'insert: Alpha has 5 customers');
SELECT is(pg_temp.customers_of('Alpha Tours'), pg_temp.recount_customers('Alpha Tours'), 'insert: Alpha total_customers = recount');
SELECT is(pg_temp.customers_of('Beta Travel'), pg_temp.recount_customers('Beta Travel'), 'insert: Beta total_customers = recount');

-- A customer never changes partner (guard trigger, test/pgtap/14_guards.sql);
-- the count still follows a move made with the guard disabled by an operator.
ALTER TABLE partner_customers DISABLE TRIGGER trg_partner_customers_partner_fixed;
UPDATE partner_customers SET partner_id = pg_temp.id('partner_b')
 WHERE id = pg_temp.id('customer_a5');
ALTER TABLE partner_customers ENABLE TRIGGER trg_partner_customers_partner_fixed;
SELECT is(pg_temp.customers_of('Alpha Tours'), 4, 'move: Alpha -1');
SELECT is(pg_temp.customers_of('Beta Travel'), 3, 'move: Beta +1');
SELECT is_empty('SELECT * FROM partner_drift', 'move: no partner drifts');

SELECT ctid::text AS ctid_before FROM partners WHERE company_name = 'Alpha Tours' \gset
UPDATE partner_customers SET notes = 'vip' WHERE partner_id = pg_temp.id('partner_a');
SELECT is((SELECT ctid::text FROM partners WHERE company_name = 'Alpha Tours'), :'ctid_before',
          'an update not moving customers writes no partner row');

DELETE FROM partner_customers WHERE id = pg_temp.id('customer_a5');
SELECT is(pg_temp.customers_of('Beta Travel'), 2, 'delete: Beta -1');
SELECT is_empty('SELECT * FROM partner_drift', 'delete: no partner drifts');

-- customer_groups.group_size -----------------------------------------------
INSERT INTO customer_groups (id, partner_id, name) VALUES
  (pg_temp.id('group_antalya'), pg_temp.id('partner_a'), 'Antalya'),
  (pg_temp.id('group_dubai'), pg_temp.id('partner_a'), 'Dubai'),
  (pg_temp.id('group_bulk'), pg_temp.id('partner_a'), 'Bulk'),
  (pg_temp.id('group_beta'), pg_temp.id('partner_b'), 'Beta group');
SELECT is(pg_temp.size_of('Antalya'), 0, 'a new group is empty');

INSERT INTO customer_group_members (group_id, customer_id)
SELECT pg_temp.id('group_antalya'), id FROM partner_customers
 WHERE partner_id = pg_temp.id('partner_a');
INSERT INTO customer_group_members (group_id, customer_id) VALUES
  (pg_temp.id('group_dubai'), pg_temp.id('customer_a1'));
SELECT is(pg_temp.size_of('Antalya'), 4, 'insert: Antalya has 4 members');
SELECT is(pg_temp.size_of('Antalya'), pg_temp.members_of('Antalya'), 'insert: Antalya group_size = recount');
SELECT is(pg_temp.size_of('Dubai'), pg_temp.members_of('Dubai'), 'insert: Dubai group_size = recount');

DELETE FROM customer_group_members
 WHERE group_id = pg_temp.id('group_antalya') AND customer_id = pg_temp.id('customer_a4');
SELECT is(pg_temp.size_of('Antalya'), 3, 'delete: Antalya -1');

UPDATE customer_group_members SET group_id = pg_temp.id('group_dubai')
 WHERE group_id = pg_temp.id('group_antalya') AND customer_id = pg_temp.id('customer_a2');
SELECT is(pg_temp.size_of('Antalya'), 2, 'move: Antalya -1');
SELECT is(pg_temp.size_of('Dubai'), 2, 'move: Dubai +1');
SELECT is_empty('SELECT * FROM group_drift', 'move: no group drifts');

SELECT ctid::text AS ctid_before FROM customer_groups WHERE name = 'Antalya' \gset
UPDATE customer_group_members SET added_at = added_at - interval '1 day';
SELECT is((SELECT ctid::text FROM customer_groups WHERE name = 'Antalya'), :'ctid_before',
          'an update not touching group_id writes no group row');

-- members stay within their partner
SELECT throws_ok(
  $$INSERT INTO customer_group_members (group_id, customer_id) VALUES
    (pg_temp.id('group_beta'), pg_temp.id('customer_a1'))$$,
  '23503', NULL, 'an Alpha customer cannot join a Beta group');
SELECT throws_like(
  $$INSERT INTO customer_group_members (group_id, customer_id) VALUES
    (pg_temp.id('group_antalya'), pg_temp.id('customer_b1'))$$,
  '%belong to different partners%', 'a Beta customer cannot join an Alpha group, with a clear message');
SELECT throws_ok(
  $$UPDATE customer_group_members SET group_id = pg_temp.id('group_beta')
     WHERE customer_id = pg_temp.id('customer_a1')
       AND group_id = pg_temp.id('group_dubai')$$,
  '23503', NULL, 'a member cannot be moved to another partner''s group');
SELECT lives_ok(
  $$INSERT INTO customer_group_members (group_id, customer_id) VALUES
    (pg_temp.id('group_beta'), pg_temp.id('customer_b1'))$$,
  'a Beta customer joins a Beta group');

-- bulk: 20,000 members in one statement
INSERT INTO partner_customers (partner_id, first_name, last_name, email)
SELECT pg_temp.id('partner_a'), 'Bulk', 'Customer' || i, 'bulk' || i || '@example.com'
  FROM generate_series(1, 20000) i;
SELECT is(pg_temp.customers_of('Alpha Tours'), pg_temp.recount_customers('Alpha Tours'), 'bulk: total_customers = recount');
SELECT is(pg_temp.customers_of('Alpha Tours'), 20004, 'bulk: Alpha has 20,004 customers');
INSERT INTO customer_group_members (group_id, customer_id)
SELECT pg_temp.id('group_bulk'), id FROM partner_customers WHERE email LIKE 'bulk%';
SELECT is(pg_temp.size_of('Bulk'), 20000, 'bulk: 20,000 members in one statement');
SELECT is(pg_temp.size_of('Bulk'), pg_temp.members_of('Bulk'), 'bulk: group_size = recount');

DELETE FROM customer_group_members m USING partner_customers c
 WHERE c.id = m.customer_id AND c.email LIKE 'bulk1%';
SELECT is(pg_temp.size_of('Bulk'), pg_temp.members_of('Bulk'), 'bulk delete: group_size = recount');
SELECT is(pg_temp.size_of('Bulk'), 20000 - 11111, 'bulk delete: 11,111 members removed');

-- cascades
DELETE FROM partner_customers WHERE id = pg_temp.id('customer_a1');  -- in Antalya and Dubai
SELECT is(pg_temp.size_of('Antalya'), pg_temp.members_of('Antalya'), 'customer deleted: Antalya = recount');
SELECT is(pg_temp.size_of('Dubai'), pg_temp.members_of('Dubai'), 'customer deleted: Dubai = recount');
SELECT is(pg_temp.size_of('Dubai'), 1, 'customer deleted: Dubai lost its member');

DELETE FROM partner_customers WHERE email LIKE 'bulk2%';
SELECT is_empty('SELECT * FROM group_drift', 'bulk customer delete: no group drifts');
SELECT is_empty('SELECT * FROM partner_drift', 'bulk customer delete: no partner drifts');

DELETE FROM customer_groups WHERE name = 'Dubai';
SELECT is_empty('SELECT * FROM group_drift', 'group deleted: no group drifts');

TRUNCATE customer_group_members;
SELECT is((SELECT count(*)::int FROM customer_groups WHERE group_size <> 0), 0, 'TRUNCATE: every group_size is 0');

INSERT INTO customer_group_members (group_id, customer_id)
SELECT pg_temp.id('group_bulk'), id FROM partner_customers WHERE email LIKE 'bulk3%';
SELECT is(pg_temp.size_of('Bulk'), pg_temp.members_of('Bulk'), 'refilled after TRUNCATE: group_size = recount');

DELETE FROM partners WHERE company_name = 'Beta Travel';
SELECT is_empty('SELECT * FROM partner_drift', 'partner deleted: no partner drifts');
DELETE FROM partners WHERE company_name = 'Alpha Tours';  -- cascades to its customers, groups and members
SELECT is((SELECT count(*)::int FROM customer_group_members), 0, 'partner deleted: its members are gone');

-- TRUNCATE partner_customers (CASCADE truncates the members too)
INSERT INTO auth.users (id, email) VALUES (pg_temp.id('user_3'), 'gamma@example.com');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  (pg_temp.id('partner_c'), pg_temp.id('user_3'), 'Gamma', 'c@gamma.uz');
INSERT INTO partner_customers (partner_id, first_name, last_name, email) VALUES
  (pg_temp.id('partner_c'), 'G', 'One', 'g1@example.com');
INSERT INTO customer_groups (partner_id, name) VALUES (pg_temp.id('partner_c'), 'Gamma group');
INSERT INTO customer_group_members (group_id, customer_id)
SELECT g.id, c.id FROM customer_groups g JOIN partner_customers c ON c.partner_id = g.partner_id
 WHERE g.name = 'Gamma group';
SELECT is(pg_temp.size_of('Gamma group'), 1, 'Gamma group has its member');
SET LOCAL client_min_messages = warning;  -- the "truncate cascades" notice
TRUNCATE partner_customers CASCADE;
SELECT is(pg_temp.customers_of('Gamma'), 0, 'TRUNCATE partner_customers: total_customers is 0');
SELECT is(pg_temp.size_of('Gamma group'), 0, 'TRUNCATE partner_customers CASCADE: group_size is 0');

SELECT is_empty($$
  SELECT p.oid::regprocedure FROM pg_proc p
   WHERE p.pronamespace = 'onesim_internal'::regnamespace AND p.prosecdef
     AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)$$,
  'SECURITY DEFINER trigger functions run with a fixed search_path');

-- How the count trigger function checks its attachment is tested as its owner,
-- the bootstrap superuser: test/pgtap_superuser/trigger_protocol.sql.

SELECT * FROM finish();
ROLLBACK;
