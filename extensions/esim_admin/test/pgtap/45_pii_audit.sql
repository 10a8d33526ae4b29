-- Personal data is read through audited functions only: staff's reads of a
-- customer's KYC document URL or record leave a pii_read entry (who, whose,
-- which columns, when, why); the columns themselves are refused to every
-- API role; a customer reading their own data is not logged; the audit
-- trail is append-only for everyone but retention.
BEGIN;
SELECT plan(27);
\ir fixtures/world.psql

INSERT INTO kyc_documents (user_id, document_type, document_url) VALUES (:'cust_a', 'passport', 's3://kyc/a-passport')
  RETURNING id AS doc_a \gset
INSERT INTO kyc_documents (user_id, document_type, document_url) VALUES (:'cust_b', 'id_card', 's3://kyc/b-id')
  RETURNING id AS doc_b \gset
CREATE TEMP VIEW pii_reads AS SELECT * FROM audit_log WHERE action = 'pii_read';
GRANT SELECT ON pii_reads TO PUBLIC;

-- Support reads a document to verify it.
SELECT test_helpers.become_user(:'support');
SELECT is(kyc_document_url(:'doc_a', 'KYC review of ticket 42'), 's3://kyc/a-passport',
          'support reads a KYC document''s URL through kyc_document_url()');
SELECT test_helpers.become('none');
SELECT is((SELECT count(*)::int FROM pii_reads WHERE table_name = 'kyc_documents'), 1, 'the read leaves one log entry');
SELECT is((SELECT actor_id FROM pii_reads WHERE table_name = 'kyc_documents'), :'support'::uuid, 'naming the reader');
SELECT is((SELECT actor_role FROM pii_reads WHERE table_name = 'kyc_documents'), 'support', 'and the reader''s role');
SELECT is((SELECT row_id FROM pii_reads WHERE table_name = 'kyc_documents'), :'cust_a'::uuid, 'whose data was read');
SELECT is((SELECT after -> 'columns' FROM pii_reads WHERE table_name = 'kyc_documents'), '["document_url"]'::jsonb,
          'which column');
SELECT is((SELECT after ->> 'document_id' FROM pii_reads WHERE table_name = 'kyc_documents'), :'doc_a'::text,
          'which document');
SELECT is((SELECT after ->> 'reason' FROM pii_reads WHERE table_name = 'kyc_documents'), 'KYC review of ticket 42',
          'why');
SELECT is((SELECT created_at FROM pii_reads WHERE table_name = 'kyc_documents'), now(), 'and when');

-- The column itself is refused.
SELECT is(test_helpers.outcome_as('authenticated', :'support', format('SELECT document_url FROM kyc_documents WHERE id = %L', :'doc_a')),
          '42501', 'a direct SELECT of document_url by support is refused');
SELECT is(test_helpers.outcome_as('authenticated', :'admin', 'SELECT * FROM kyc_documents'), '42501',
          'so is an admin''s SELECT * of the documents');
SELECT is(test_helpers.outcome_as('authenticated', :'admin', format('SELECT email, phone FROM users WHERE id = %L', :'cust_a')),
          '42501', 'and an admin''s SELECT of a user''s personal columns');
SELECT is(test_helpers.outcome_as('authenticated', :'support', format('SELECT kyc_document_url(%L)', gen_random_uuid())),
          'P0002', 'an unknown document is not found');
SELECT is(test_helpers.outcome_as('authenticated', :'cust_b', format('SELECT kyc_document_url(%L)', :'doc_a')),
          '42501', 'a customer reads no one else''s document');
SELECT is(test_helpers.outcome_as('anon', NULL, format('SELECT kyc_document_url(%L)', :'doc_a')), '42501', 'nor does anon');

-- A customer's own data: readable, and not logged as an access.
SELECT count(*) AS reads_before FROM pii_reads \gset
SELECT email AS email_a FROM auth.users WHERE id = :'cust_a' \gset
SELECT test_helpers.become_user(:'cust_a');
SELECT is(kyc_document_url(:'doc_a'), 's3://kyc/a-passport', 'a customer reads their own document''s URL');
SELECT is((SELECT email::text FROM my_profile()), :'email_a'::text,
          'and their own profile with its personal columns');
SELECT test_helpers.become('none');
SELECT is((SELECT count(*) FROM pii_reads), :'reads_before'::bigint, 'neither read is logged');

-- A customer record, with a reason.
SELECT test_helpers.become_user(:'admin');
SELECT is(customer_record(:'cust_b', 'chargeback 7') -> 'kyc_documents' -> 0 ->> 'document_url', 's3://kyc/b-id',
          'an admin reads a customer record, document URLs included');
SELECT test_helpers.become('none');
SELECT is((SELECT after ->> 'reason' FROM pii_reads WHERE row_id = :'cust_b' AND actor_id = :'admin'), 'chargeback 7',
          'the record''s read is logged with its reason');
SELECT is(test_helpers.outcome_as('authenticated', :'support', format('SELECT kyc_document_url(%L, repeat(''x'', 501))', :'doc_a')),
          '22023', 'a reason is bounded');

-- Append-only.
SELECT is(test_helpers.outcome_as('authenticated', :'admin', 'DELETE FROM audit_log'), '42501', 'an admin deletes no entry');
SELECT is(test_helpers.outcome_as('service_role', NULL, 'UPDATE audit_log SET action = ''x'''), '42501',
          'the service role changes none');
SELECT is(test_helpers.outcome(format('UPDATE audit_log SET actor_id = NULL WHERE row_id = %L', :'cust_a')), '42501',
          'nor does the table''s owner');
SELECT is(test_helpers.outcome('DELETE FROM audit_log'), '42501', 'who deletes none either');
SELECT is(test_helpers.outcome('TRUNCATE audit_log'), '42501', 'nor truncates the log');

-- Retention removes entries past 7 years, and only those.
INSERT INTO audit_log (actor_role, action, table_name, created_at) VALUES ('service', 'old_entry', 'users', now() - interval '8 years');
SELECT test_helpers.become('service_role');
SELECT apply_retention() ->> 'audit_deleted' AS purged \gset
SELECT test_helpers.become('none');
SELECT ok(:'purged'::int >= 1 AND NOT EXISTS (SELECT FROM audit_log WHERE action = 'old_entry')
          AND EXISTS (SELECT FROM pii_reads WHERE row_id = :'cust_a'),
          'apply_retention() removes entries older than 7 years and keeps the others');

SELECT * FROM finish();
ROLLBACK;
