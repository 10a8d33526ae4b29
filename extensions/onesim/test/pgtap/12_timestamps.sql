-- updated_at / created_at: every table with updated_at has the trigger; an
-- UPDATE sets updated_at to now() and cannot rewrite created_at.
BEGIN;
SELECT plan(11);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('user', 'partner', 'group', 'customer');

SELECT is_empty($$
  SELECT c.relname
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'updated_at' AND NOT a.attisdropped
   WHERE c.relnamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'onesim')
     AND c.relkind = 'r'
     AND NOT EXISTS (SELECT 1 FROM pg_trigger t
                      WHERE t.tgrelid = c.oid
                        AND t.tgname = 'trg_' || c.relname || '_updated_at'
                        AND t.tgfoid = 'onesim_internal.touch_updated_at()'::regprocedure)$$,
  'every table with updated_at has trg_<table>_updated_at');
SELECT cmp_ok((SELECT count(*)::int FROM pg_trigger WHERE tgname LIKE 'trg\_%\_updated\_at'), '>=', 20,
              'the 20 tables with updated_at are covered');

INSERT INTO auth.users (id, email) VALUES (pg_temp.id('user'), 'ts@example.com');
INSERT INTO partners (id, user_id, company_name, business_email, created_at, updated_at) VALUES
  (pg_temp.id('partner'), pg_temp.id('user'), 'Stamp Co', 's@stamp.uz',
   '2020-01-01 00:00:00+00', '2020-01-01 00:00:00+00');
SELECT is((SELECT created_at FROM partners WHERE company_name = 'Stamp Co'), '2020-01-01 00:00:00+00'::timestamptz,
          'inserts keep what they are given');

UPDATE partners SET website = 'https://stamp.uz' WHERE company_name = 'Stamp Co';
SELECT is((SELECT updated_at FROM partners WHERE company_name = 'Stamp Co'), now(), 'an update sets updated_at = now()');
SELECT is((SELECT created_at FROM partners WHERE company_name = 'Stamp Co'), '2020-01-01 00:00:00+00'::timestamptz,
          'an update keeps created_at');

UPDATE partners SET created_at = '1999-01-01', updated_at = '1999-01-01' WHERE company_name = 'Stamp Co';
SELECT is((SELECT created_at FROM partners WHERE company_name = 'Stamp Co'), '2020-01-01 00:00:00+00'::timestamptz,
          'a client cannot rewrite created_at');
SELECT is((SELECT updated_at FROM partners WHERE company_name = 'Stamp Co'), now(),
          'a client cannot backdate updated_at');

-- partners, partner_customers and partner_earnings skip the trigger when it
-- would change nothing (the extension's own writes set updated_at = now()):
-- setting updated_at to now() does not open a way to rewrite created_at.
UPDATE partners SET created_at = '1999-01-01', updated_at = now() WHERE company_name = 'Stamp Co';
SELECT is((SELECT created_at FROM partners WHERE company_name = 'Stamp Co'), '2020-01-01 00:00:00+00'::timestamptz,
          'updated_at set to now() along with created_at: created_at is still kept');
SELECT is((SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'trg_partners_updated_at'),
          'CREATE TRIGGER trg_partners_updated_at BEFORE UPDATE ON public.partners FOR EACH ROW WHEN '
          '(((new.updated_at IS DISTINCT FROM now()) OR (new.created_at IS DISTINCT FROM old.created_at))) '
          'EXECUTE FUNCTION onesim_internal.touch_updated_at()',
          'the guard of partners: skipped only when the trigger would change nothing');

-- a second table, through a maintained count: the group row is updated by the trigger
INSERT INTO customer_groups (id, partner_id, name, created_at, updated_at) VALUES
  (pg_temp.id('group'), pg_temp.id('partner'), 'Stamped',
   '2020-01-01', '2020-01-01');
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email) VALUES
  (pg_temp.id('customer'), pg_temp.id('partner'), 'T', 'S', 't@example.com');
INSERT INTO customer_group_members (group_id, customer_id) VALUES
  (pg_temp.id('group'), pg_temp.id('customer'));
SELECT is((SELECT updated_at FROM customer_groups WHERE name = 'Stamped'), now(),
          'a group whose size changes is stamped');
SELECT is((SELECT created_at FROM customer_groups WHERE name = 'Stamped'), '2020-01-01'::timestamptz,
          'and keeps its created_at');

-- Misuse (the function attached to INSERT) is tested as the function's owner,
-- the bootstrap superuser: test/pgtap_superuser/trigger_protocol.sql.

SELECT * FROM finish();
ROLLBACK;
