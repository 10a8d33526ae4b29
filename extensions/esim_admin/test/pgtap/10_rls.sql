-- Who sees and changes what, through the API roles, one case per line:
-- test_helpers.outcome_as(role, sub, statement) -> 'ok:<rows>' or SQLSTATE.
BEGIN;
SELECT plan(74);
\ir fixtures/world.psql
INSERT INTO kyc_documents (user_id, document_type, document_url) VALUES (:'cust_a', 'id_card', 's3://kyc/a-id');

CREATE TEMP TABLE cases (n serial, who text, sub uuid, stmt text, expected text, description text);
GRANT ALL ON cases TO PUBLIC;
GRANT ALL ON SEQUENCE cases_n_seq TO PUBLIC;
INSERT INTO cases (who, sub, stmt, expected, description) VALUES
-- anon
('anon', NULL, 'SELECT * FROM users', '42501', 'anon reads no user'),
('anon', NULL, format('SELECT * FROM plans WHERE id IN (%L, %L)', :'plan', :'plan2'), 'ok:1', 'anon sees active plans only'),
('anon', NULL, 'SELECT cost_price FROM plan_pricing', '42501', 'anon reads no cost price'),
('anon', NULL, format('SELECT selling_price FROM plan_pricing WHERE plan_id = %L', :'plan'), 'ok:1', 'anon reads selling prices'),
('anon', NULL, 'SELECT * FROM transactions', '42501', 'anon reads no transaction'),
('anon', NULL, 'SELECT * FROM system_settings WHERE key LIKE ''t\_%''', 'ok:1', 'anon reads public settings only'),
('anon', NULL, 'SELECT * FROM knowledge_base WHERE slug ~ ''^(install|draft)-''', 'ok:1', 'anon reads published articles only'),
('anon', NULL, 'SELECT purchase(id, ''paypal'') FROM plans LIMIT 1', '42501', 'anon cannot purchase'),
-- customer A
('authenticated', :'cust_a', 'SELECT id, status FROM users', 'ok:1', 'a customer sees only their own user row'),
('authenticated', :'cust_a', 'SELECT email FROM users', '42501', 'personal columns are not selectable from the table'),
('authenticated', :'cust_a', 'SELECT * FROM my_profile()', 'ok:1', 'a customer reads their own profile through my_profile()'),
('authenticated', :'cust_a', 'SELECT document_url FROM kyc_documents', '42501', 'nor is a KYC document''s URL, even one''s own'),
('authenticated', :'cust_a', 'SELECT password_hash FROM users', '42501', 'no API role reads password_hash'),
('authenticated', :'cust_a', format('UPDATE users SET first_name = ''Ada2'' WHERE id = %L', :'cust_a'), 'ok:1', 'a customer edits their name'),
('authenticated', :'cust_a', format('UPDATE users SET role = ''admin'' WHERE id = %L', :'cust_a'), '42501', 'a customer cannot change their role'),
('authenticated', :'cust_a', format('UPDATE users SET status = ''active'', role = ''super_admin'' WHERE id = %L', :'cust_a'), '42501', 'nor make themselves super_admin'),
('authenticated', :'cust_a', format('UPDATE users SET kyc_status = ''verified'' WHERE id = %L', :'cust_a'), '42501', 'a customer cannot set kyc_status'),
('authenticated', :'cust_a', format('UPDATE users SET first_name = ''X'' WHERE id = %L', :'cust_b'), 'ok:0', 'a customer cannot edit another user'),
('authenticated', :'cust_a', 'SELECT * FROM transactions', 'ok:1', 'a customer sees their own transactions'),
('authenticated', :'cust_b', 'SELECT * FROM transactions', 'ok:0', 'and not another customer''s'),
('authenticated', :'cust_a', format('UPDATE transactions SET status = ''refunded'' WHERE id = %L', :'tx_a'), 'ok:0', 'a customer cannot change a transaction'),
('authenticated', :'cust_a', format('UPDATE transactions SET total_amount = 0 WHERE id = %L', :'tx_a'), '42501', 'nor its total (no column privilege)'),
('authenticated', :'cust_a', format('INSERT INTO transactions (user_id, plan_id, amount, payment_method, total_amount) VALUES (%L, %L, 0, ''paypal'', 0)', :'cust_a', :'plan'), '42501', 'a customer inserts no transaction by hand'),
('authenticated', :'cust_a', format('INSERT INTO refunds (transaction_id, amount) VALUES (%L, 1)', :'tx_a'), '42501', 'a customer records no refund'),
('authenticated', :'cust_a', 'SELECT * FROM promotional_codes', 'ok:0', 'a customer lists no promotional code'),
('authenticated', :'cust_a', format('UPDATE promotional_codes SET used_count = 0 WHERE id = %L', :'promo'), '42501', 'nor resets a code''s uses'),
('authenticated', :'cust_a', 'SELECT * FROM esims', 'ok:1', 'a customer sees their own eSIM'),
('authenticated', :'cust_b', 'SELECT * FROM esims', 'ok:0', 'and no one else''s'),
('authenticated', :'cust_a', format('UPDATE esims SET status = ''cancelled'' WHERE id = %L', :'esim_a'), 'ok:0', 'a customer cannot change an eSIM''s status'),
('authenticated', :'cust_a', 'SELECT * FROM support_tickets', 'ok:1', 'a customer sees their own ticket'),
('authenticated', :'cust_b', 'SELECT * FROM support_tickets', 'ok:0', 'and not another customer''s'),
('authenticated', :'cust_a', format('SELECT * FROM ticket_messages WHERE ticket_id = %L', :'ticket_a'), 'ok:1', 'internal notes are invisible to the customer'),
('authenticated', :'cust_a', format('INSERT INTO ticket_messages (ticket_id, message, is_internal) VALUES (%L, ''x'', true)', :'ticket_a'), '42501', 'a customer writes no internal note'),
('authenticated', :'cust_b', format('INSERT INTO ticket_messages (ticket_id, message) VALUES (%L, ''x'')', :'ticket_a'), '42501', 'nor a message on another''s ticket'),
('authenticated', :'cust_a', format('UPDATE support_tickets SET status = ''closed'' WHERE id = %L', :'ticket_a'), 'ok:0', 'a customer does not work tickets'),
('authenticated', :'cust_a', format('INSERT INTO support_tickets (user_id, subject, description) VALUES (%L, ''s'', ''d'')', :'cust_b'), '42501', 'nor opens one for another user'),
('authenticated', :'cust_a', 'SELECT id, account_sid FROM twilio_config', 'ok:0', 'a customer sees no integration'),
('authenticated', :'cust_a', 'SELECT auth_token_encrypted FROM twilio_config', '42501', 'no API role reads a secret column'),
('authenticated', :'cust_a', 'SELECT * FROM audit_log', 'ok:0', 'a customer reads no audit trail'),
('authenticated', :'cust_a', format('SELECT esim_admin_internal.notify_from_template(%L, ''x'', ''sms'', ''{}'')', :'cust_b'), '42501', 'the privileged step checks the requesting role too'),
('authenticated', :'support', format('SELECT esim_admin_internal.generate_revenue_report(''daily'', current_date)'), '42501', 'so does the report''s'),
('authenticated', :'cust_a', 'SELECT * FROM system_settings WHERE key LIKE ''t\_%''', 'ok:1', 'a customer reads public settings only'),
('authenticated', :'cust_a', format('INSERT INTO kyc_documents (user_id, document_type, document_url) VALUES (%L, ''passport'', ''s3://a'')', :'cust_a'), 'ok:1', 'a customer uploads a KYC document'),
('authenticated', :'cust_a', format('INSERT INTO kyc_documents (user_id, document_type, document_url) VALUES (%L, ''passport'', ''s3://b'')', :'cust_b'), '42501', 'but not for another user'),
('authenticated', :'cust_a', format('INSERT INTO analytics_events (event_type, user_id) VALUES (''view'', %L)', :'cust_b'), '42501', 'events are recorded for oneself only'),
-- support
('authenticated', :'support', format('SELECT id, status FROM users WHERE id IN (%L, %L)', :'cust_a', :'cust_b'), 'ok:0', 'support reads no other user''s record through the table'),
('authenticated', :'support', 'SELECT id, status FROM kyc_documents', 'ok:1', 'support sees the KYC documents to verify'),
('authenticated', :'support', 'SELECT document_url FROM kyc_documents', '42501', 'but not their URLs from the table (kyc_document_url())'),
('authenticated', :'support', format('SELECT customer_record(%L)', :'cust_a'), 'ok:1', 'support reads a customer''s record through customer_record()'),
('authenticated', :'cust_b', format('SELECT customer_record(%L)', :'cust_a'), '42501', 'a customer reads no one else''s record'),
('authenticated', :'admin', format('SELECT id, status, role FROM users WHERE id IN (%L, %L)', :'cust_a', :'cust_b'), 'ok:2', 'admins read users through the table'),
('authenticated', :'admin', format('SELECT id, email, phone FROM users WHERE id IN (%L, %L)', :'cust_a', :'cust_b'), '42501', 'but not their personal columns (customer_record(), audited)'),
('authenticated', :'support', format('SELECT * FROM ticket_messages WHERE ticket_id = %L', :'ticket_a'), 'ok:2', 'support sees internal notes'),
('authenticated', :'support', format('UPDATE support_tickets SET status = ''in_progress'' WHERE id = %L', :'ticket_a'), 'ok:1', 'support works tickets'),
('authenticated', :'support', format('UPDATE users SET status = ''banned'' WHERE id = %L', :'cust_a'), 'ok:0', 'support does not change a user''s status'),
('authenticated', :'support', format('SELECT * FROM transactions WHERE id = %L', :'tx_a'), 'ok:0', 'support does not see payments'),
('authenticated', :'support', 'SELECT * FROM audit_log', 'ok:0', 'support reads no audit trail'),
-- admin
('authenticated', :'admin', format('SELECT * FROM transactions WHERE id = %L', :'tx_a'), 'ok:1', 'an admin sees every transaction'),
('authenticated', :'admin', format('UPDATE users SET status = ''suspended'' WHERE id = %L', :'cust_b'), 'ok:1', 'an admin suspends a user'),
('authenticated', :'admin', format('UPDATE users SET role = ''support'' WHERE id = %L', :'cust_b'), '42501', 'only a super_admin changes roles'),
('authenticated', :'admin', 'SELECT id FROM twilio_config', 'ok:0', 'integrations are the super_admin''s'),
('authenticated', :'admin', format('SELECT * FROM audit_log WHERE row_id = %L', :'tx_a'), 'ok:1', 'an admin reads the audit trail (the completion)'),
('authenticated', :'admin', 'INSERT INTO audit_log (actor_role, action, table_name) VALUES (''admin'', ''x'', ''y'')', '42501', 'nobody writes the audit trail by hand'),
('authenticated', :'admin', 'SELECT * FROM system_settings WHERE key LIKE ''t\_%''', 'ok:2', 'an admin reads every setting'),
-- super_admin
('authenticated', :'super', format('UPDATE users SET role = ''support'' WHERE id = %L', :'cust_b'), 'ok:1', 'a super_admin changes roles'),
('authenticated', :'super', 'SELECT id FROM twilio_config', 'ok:1', 'a super_admin manages integrations'),
('authenticated', :'super', 'SELECT api_secret_encrypted FROM twilio_config', '42501', 'even a super_admin reads no secret column'),
-- service role
('service_role', NULL, format('SELECT * FROM transactions WHERE id = %L', :'tx_a'), 'ok:1', 'the service role reads everything'),
('service_role', NULL, format('UPDATE users SET kyc_status = ''verified'' WHERE id = %L', :'cust_b'), 'ok:1', 'the service role may import KYC results'),
('service_role', NULL, 'INSERT INTO audit_log (actor_role, action, table_name) VALUES (''service'', ''x'', ''y'')', '42501', 'the service role does not write the audit trail either'),
-- a suspended admin loses their powers
('authenticated', :'admin', format('UPDATE users SET status = ''suspended'' WHERE id = %L', :'admin'), 'ok:1', 'an admin may suspend themselves');

SELECT is(test_helpers.outcome_as(c.who, c.sub, c.stmt), c.expected, c.n || '. ' || c.description)
  FROM cases c ORDER BY c.n;

SELECT test_helpers.become_user(:'support');
SELECT is(customer_record(:'cust_a') -> 'user' ->> 'id', :'cust_a'::text, 'customer_record returns the customer''s record');
SELECT test_helpers.become('none');
SELECT is((SELECT count(*)::int FROM audit_log WHERE action = 'pii_read' AND row_id = :'cust_a' AND actor_id = :'support'), 1,
          'each read is audited: who read whose record, when');
SELECT is(test_helpers.outcome_as('authenticated', :'support', format('SELECT customer_record(%L)', gen_random_uuid())), 'P0002',
          'an unknown user is not found');

SELECT * FROM finish();
ROLLBACK;
