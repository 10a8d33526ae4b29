-- Support tickets, KYC, notifications from templates, the knowledge base,
-- settings, soft deletes, sign-up and account deletion, passwords, revenue
-- reports and the dashboard.
BEGIN;
SELECT plan(44);
\ir fixtures/world.psql

-- Sign-up and the user record.
SELECT is((SELECT first_name || ' ' || last_name FROM users WHERE id = :'cust_a'), 'Ada A',
          'sign-up creates the panel user with the names from the metadata');
SELECT is((SELECT role::text || '/' || status::text || '/' || kyc_status::text FROM users WHERE id = :'cust_a'),
          'customer/active/pending', 'a new user is an active customer awaiting KYC');
UPDATE users SET password_hash = 'correct horse' WHERE id = :'cust_b';
SELECT ok((SELECT password_hash ~ '^\$2a\$08\$' AND password_hash = extensions.crypt('correct horse', password_hash)
             FROM users WHERE id = :'cust_b'), 'a plain password is stored as its bcrypt hash');
SELECT is(test_helpers.outcome(format('UPDATE users SET email = ''x@y.z'' WHERE id = %L', :'cust_b')), 'ok:1',
          'the service may change an email');
SELECT test_helpers.become_user(:'admin');
SELECT is(test_helpers.outcome(format('UPDATE users SET first_name = ''Z'', status = ''banned'' WHERE id = %L', :'cust_b')), 'ok:1',
          'an admin bans a user');
UPDATE users SET status = 'banned' WHERE id = :'cust_b';
SELECT test_helpers.become('none');
SELECT is((SELECT count(*)::int FROM audit_log WHERE row_id = :'cust_b' AND action = 'user_change'
             AND before ->> 'status' = 'active' AND after ->> 'status' = 'banned' AND actor_id = :'admin'), 1,
          'the status change is audited with its actor, before and after');

-- A banned customer loses access.
SELECT is(test_helpers.outcome_as('authenticated', :'cust_b', format('SELECT * FROM purchase(%L, ''paypal'')', :'plan')), '42501',
          'a banned user cannot purchase');

-- Soft deletes.
SELECT test_helpers.become_user(:'admin');
SELECT is(test_helpers.outcome(format('DELETE FROM plans WHERE id = %L', :'plan2')), 'ok:0',
          'a DELETE through the API removes no row (it marks it)');
DELETE FROM plans WHERE id = :'plan2';
SELECT is((SELECT count(*)::int FROM plans WHERE id = :'plan2'), 0, 'a deleted plan vanishes from policy-filtered reads');
SELECT test_helpers.become('none');
SELECT isnt((SELECT deleted_at FROM plans WHERE id = :'plan2'), NULL, 'the row is kept with deleted_at');
SELECT is((SELECT count(*)::int FROM audit_log WHERE row_id = :'plan2' AND action = 'soft_delete'), 1, 'and the delete is audited');

-- Account deletion keeps the money history.
DELETE FROM auth.users WHERE id = :'cust_a';
SELECT is((SELECT email::text FROM users WHERE id = :'cust_a'), :'cust_a' || '@deleted.invalid', 'deleting the account anonymises the user');
SELECT ok((SELECT deleted_at IS NOT NULL AND phone IS NULL AND first_name = '' FROM users WHERE id = :'cust_a'),
          'and marks it deleted');
SELECT is((SELECT count(*)::int FROM transactions WHERE user_id = :'cust_a'), 1, 'its transactions stay');

-- Tickets.
SELECT alike((SELECT ticket_number::text FROM support_tickets WHERE id = :'ticket_a'), 'TKT-____-______', 'tickets get TKT-<year>-<number>');
SELECT test_helpers.become_user(:'support');
UPDATE support_tickets SET status = 'resolved' WHERE id = :'ticket_a';
SELECT isnt((SELECT resolved_at FROM support_tickets WHERE id = :'ticket_a'), NULL, 'resolving sets resolved_at');
SELECT is(test_helpers.outcome(format('UPDATE support_tickets SET ticket_number = ''TKT-1999-000001'' WHERE id = %L', :'ticket_a')),
          '42501', 'a ticket number is not writable through the API');
SELECT test_helpers.become('none');
SELECT is(test_helpers.outcome(format('UPDATE support_tickets SET ticket_number = ''TKT-1999-000001'' WHERE id = %L', :'ticket_a')),
          '55000', 'nor by the service: it never changes');
SELECT test_helpers.become_user(:'support');
UPDATE support_tickets SET status = 'closed' WHERE id = :'ticket_a';
SELECT is(test_helpers.outcome(format('UPDATE support_tickets SET status = ''in_progress'' WHERE id = %L', :'ticket_a')), '55000',
          'staff do not reopen a closed ticket');
SELECT test_helpers.become('none');
SELECT test_helpers.new_user('c_' || gen_random_uuid() || '@t.io') AS cust_c \gset
SELECT test_helpers.become_user(:'cust_c');
INSERT INTO support_tickets (user_id, subject, description) VALUES (:'cust_c', 's', 'd') RETURNING id AS ticket_c \gset
SELECT test_helpers.become_user(:'support');
UPDATE support_tickets SET status = 'resolved' WHERE id = :'ticket_c';
SELECT test_helpers.become_user(:'cust_c');
INSERT INTO ticket_messages (ticket_id, message) VALUES (:'ticket_c', 'It broke again');
SELECT test_helpers.become('none');
SELECT is((SELECT status::text || '/' || coalesce(resolved_at::text, 'none') FROM support_tickets WHERE id = :'ticket_c'), 'open/none',
          'the customer''s reply reopens a resolved ticket and clears resolved_at');
SELECT is((SELECT sender_id FROM ticket_messages WHERE ticket_id = :'ticket_c'), :'cust_c'::uuid, 'the sender is the caller');
SELECT is(test_helpers.outcome_as('authenticated', :'cust_c',
            format('INSERT INTO support_tickets (user_id, subject, description) VALUES (%L, ''s'', ''d'') RETURNING ticket_number', :'cust_c')),
          'ok:1', 'a customer opens a ticket');

-- KYC.
SELECT test_helpers.become_user(:'cust_c');
INSERT INTO kyc_documents (user_id, document_type, document_url) VALUES (:'cust_c', 'passport', 's3://p') RETURNING id AS doc1 \gset
INSERT INTO kyc_documents (user_id, document_type, document_url) VALUES (:'cust_c', 'utility_bill', 's3://u') RETURNING id AS doc2 \gset
SELECT test_helpers.become_user(:'support');
SELECT is(test_helpers.outcome(format('UPDATE kyc_documents SET status = ''rejected'' WHERE id = %L', :'doc1')), '23502',
          'a rejection needs a reason');
UPDATE kyc_documents SET status = 'rejected', rejection_reason = 'blurred' WHERE id = :'doc1';
SELECT test_helpers.become('none');
SELECT is((SELECT kyc_status::text FROM users WHERE id = :'cust_c'), 'pending', 'one rejected, one pending: still pending');
SELECT test_helpers.become_user(:'support');
UPDATE kyc_documents SET status = 'rejected', rejection_reason = 'expired' WHERE id = :'doc2';
SELECT test_helpers.become('none');
SELECT is((SELECT kyc_status::text FROM users WHERE id = :'cust_c'), 'rejected', 'all rejected: rejected');
SELECT test_helpers.become_user(:'support');
UPDATE kyc_documents SET status = 'approved' WHERE id = :'doc2';
SELECT test_helpers.become('none');
SELECT is((SELECT kyc_status::text FROM users WHERE id = :'cust_c'), 'verified', 'one approved: verified');
SELECT is((SELECT verified_by FROM kyc_documents WHERE id = :'doc2'), :'support'::uuid, 'verified_by is the reviewer');

-- Notifications from templates.
INSERT INTO email_templates (name, subject, body_html, body_text, template_type, variables)
  VALUES ('welcome_' || :'cust_c', 'Welcome {{first_name}}', '<p>Hi {{first_name}}, plan {{plan}}</p>', 'Hi {{first_name}}, plan {{plan}}',
          'welcome', '["first_name", "plan"]') RETURNING name AS tpl \gset
SELECT test_helpers.become_user(:'support');
SELECT notify_from_template(:'cust_c', :'tpl', 'email', '{"first_name": "<Cy>", "plan": "5GB"}') AS notif \gset
SELECT test_helpers.become('none');
SELECT is((SELECT subject || ' | ' || message FROM notifications WHERE id = :'notif'),
          'Welcome <Cy> | <p>Hi &lt;Cy&gt;, plan 5GB</p>', 'variables are substituted (escaped in HTML)');
SELECT is(test_helpers.outcome_as('authenticated', :'support',
            format('SELECT notify_from_template(%L, %L, ''sms'', ''{"first_name": "Cy"}'')', :'cust_c', :'tpl')),
          '22023', 'a missing variable is an error, not an empty hole');
SELECT is(test_helpers.outcome_as('authenticated', :'cust_c',
            format('SELECT notify_from_template(%L, %L, ''sms'', ''{"first_name": "Cy", "plan": "x"}'')', :'cust_c', :'tpl')),
          '42501', 'customers send no notifications');
SELECT is(test_helpers.outcome_as('authenticated', :'cust_c', format('UPDATE notifications SET status = ''read'' WHERE id = %L', :'notif')),
          'ok:1', 'the recipient marks it read');
SELECT is(test_helpers.outcome_as('authenticated', :'cust_c', format('UPDATE notifications SET status = ''failed'' WHERE id = %L', :'notif')),
          '42501', 'and nothing else');
UPDATE notifications SET status = 'read' WHERE id = :'notif';
SELECT isnt((SELECT read_at FROM notifications WHERE id = :'notif'), NULL, 'read_at follows the status');

-- Knowledge base.
SELECT test_helpers.become('anon');
SELECT is(record_article_view((SELECT slug FROM knowledge_base WHERE slug LIKE 'install-%' LIMIT 1)), 1, 'a view is counted');
SELECT is(test_helpers.outcome(format('SELECT record_article_view(%L)', (SELECT slug FROM published_articles LIMIT 1) || 'x')), 'P0002',
          'an unknown article is P0002');
SELECT test_helpers.become('none');
SELECT is(test_helpers.outcome_as('anon', NULL, format('SELECT record_article_view(%L)',
            (SELECT slug FROM knowledge_base WHERE slug LIKE 'install-%' LIMIT 1))), 'ok:1', 'anon counts a view too');
SELECT is(test_helpers.outcome_as('anon', NULL, format('SELECT record_article_view(%L)',
            (SELECT slug FROM knowledge_base WHERE slug LIKE 'draft-%' LIMIT 1))), 'P0002', 'drafts are not viewable');
-- updated_at is the last edit: a counted view leaves it, an edit moves it.
UPDATE knowledge_base SET updated_at = '2020-01-01 00:00:00+00' WHERE slug LIKE 'install-%';
SELECT record_article_view((SELECT slug FROM knowledge_base WHERE slug LIKE 'install-%' LIMIT 1));
SELECT is((SELECT updated_at FROM knowledge_base WHERE slug LIKE 'install-%' LIMIT 1), '2020-01-01 00:00:00+00'::timestamptz,
          'a counted view is no edit');
UPDATE knowledge_base SET content = content || '.' WHERE slug LIKE 'install-%';
SELECT is((SELECT updated_at FROM knowledge_base WHERE slug LIKE 'install-%' LIMIT 1), now(), 'an edit moves updated_at');

-- Settings.
SELECT is(test_helpers.outcome('INSERT INTO system_settings (key, value, data_type) VALUES (''t.bad_number'', ''12,5'', ''number'')'),
          '22P02', 'a number setting must hold a number');
SELECT is(test_helpers.outcome('INSERT INTO system_settings (key, value, data_type) VALUES (''t.bad_json'', ''{"a":'', ''json'')'),
          '22P02', 'a json setting must hold JSON');

-- Reports and the dashboard.
SELECT * FROM generate_revenue_report('monthly', current_date) \gset report_
SELECT is(:'report_total_revenue'::numeric,
          (SELECT coalesce(sum(total_amount), 0) FROM transactions WHERE status IN ('completed', 'refunded') AND deleted_at IS NULL
              AND completed_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
          - (SELECT coalesce(sum(amount), 0) FROM refunds WHERE status = 'processed'
              AND processed_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
          'the month''s revenue is its completed purchases less its refunds');
SELECT is((SELECT count(*)::int FROM generate_revenue_report('monthly', current_date)), 1, 'regenerating replaces the report');
SELECT is(test_helpers.outcome_as('authenticated', :'support', 'SELECT * FROM generate_revenue_report(''daily'', current_date)'), '42501',
          'reports are for admins');

SELECT * FROM finish();
ROLLBACK;
