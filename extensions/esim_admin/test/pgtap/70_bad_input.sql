-- Bad input gets a clear error with a proper SQLSTATE, never a crash or a
-- silent wrong figure.
BEGIN;
SELECT plan(29);
\ir fixtures/world.psql

SELECT test_helpers.become_user(:'cust_b');
SELECT is(test_helpers.outcome('SELECT * FROM purchase(NULL, ''paypal'')'), '22004', 'purchase without a plan');
SELECT is(test_helpers.outcome(format('SELECT * FROM purchase(%L, ''paypal'')', gen_random_uuid())), 'P0002', 'purchase of an unknown plan');
SELECT is(test_helpers.outcome(format('SELECT * FROM purchase(%L, ''paypal'')', :'plan2')), 'P0002', 'purchase of a plan not on sale');
SELECT is(test_helpers.outcome(format('SELECT * FROM purchase(%L, ''cash'')', :'plan')), '22P02', 'an unknown payment method');
SELECT is(test_helpers.outcome(format('SELECT * FROM purchase(%L, ''paypal'', ''NO-SUCH-CODE'')', :'plan')), 'P0002', 'an unknown code');
SELECT is(test_helpers.outcome('SELECT record_article_view(NULL)'), '22004', 'a view of no article');
SELECT is(test_helpers.outcome('SELECT dashboard()'), 'ok:1', 'a customer''s dashboard call answers');
SELECT is(dashboard(), NULL, 'with nothing');
SELECT test_helpers.become_user(:'admin');
SELECT ok((SELECT (dashboard() -> 'month' ->> 'transactions')::int >= 1), 'an admin''s dashboard counts the month''s purchases');
SELECT is(test_helpers.outcome('SELECT * FROM generate_revenue_report(''monthly'', NULL)'), '22004', 'a report of no day');
SELECT test_helpers.become('none');

SELECT is(test_helpers.outcome('INSERT INTO system_settings (key, value, data_type) VALUES (''t.x'', ''1'', ''integer'')'), '22P02',
          'an unknown data_type');
SELECT is(test_helpers.outcome('INSERT INTO system_settings (key, value, data_type) VALUES (''t.flag'', ''yes'', ''boolean'')'), '22P02',
          'a boolean setting takes true or false');
SELECT is(test_helpers.outcome('INSERT INTO promotional_codes (code, discount_type, discount_value, valid_from, valid_to) VALUES (''BIG'', ''percentage'', 150, now(), now() + interval ''1 day'')'),
          '23514', 'a percentage above 100');
SELECT is(test_helpers.outcome('INSERT INTO promotional_codes (code, discount_type, discount_value, valid_from, valid_to) VALUES (''BACK'', ''fixed_amount'', 1, now(), now() - interval ''1 day'')'),
          '23514', 'a window that ends before it starts');
SELECT is(test_helpers.outcome(format('INSERT INTO esims (iccid, plan_id) VALUES (''12ab'', %L)', :'plan')), '23514', 'a malformed ICCID');
SELECT is(test_helpers.outcome(format('UPDATE esims SET status = ''expired'' WHERE id = %L', :'esim_a')), 'ok:1', 'active -> expired');
UPDATE esims SET status = 'expired' WHERE id = :'esim_a';
SELECT is(test_helpers.outcome(format('UPDATE esims SET status = ''active'' WHERE id = %L', :'esim_a')), '55000', 'an expired eSIM stays expired');
SELECT is(test_helpers.outcome(format('INSERT INTO refunds (transaction_id, amount) VALUES (%L, 0)', :'tx_a')), '23514', 'a zero refund');
INSERT INTO transactions (user_id, plan_id, amount, payment_method, total_amount) VALUES (:'cust_b', :'plan', 5, 'paypal', 0)
  RETURNING id AS pending_tx \gset
SELECT is(test_helpers.outcome(format('INSERT INTO refunds (transaction_id, amount) VALUES (%L, 1)', :'pending_tx')), '55000',
          'a refund of a pending purchase');
SELECT is(test_helpers.outcome(format('INSERT INTO plan_pricing (plan_id, cost_price, selling_price, effective_from) VALUES (%L, 1, 20, ''2031-01-01'')', :'plan')),
          '22003', 'a markup that does not fit numeric(5,2)');
SELECT is(test_helpers.outcome(format('INSERT INTO transactions (user_id, plan_id, amount, tax_amount, payment_method, total_amount) VALUES (%L, %L, 99999999.99, 0.01, ''paypal'', 0)', :'cust_b', :'plan')),
          '22003', 'a total beyond numeric(10,2)');
INSERT INTO email_templates (name, subject, body_html, template_type, variables)
  VALUES ('broken_' || :'cust_b', 'Hi {{first_name', '<p/>', 'welcome', '["first_name"]') RETURNING name AS broken \gset
SELECT is(test_helpers.outcome(format('SELECT notify_from_template(%L, %L, ''email'', ''{"first_name": "x"}'')', :'cust_b', :'broken')),
          '22P02', 'a template with an unclosed variable');
SELECT is(test_helpers.outcome(format('SELECT notify_from_template(%L, %L, ''email'', ''[1]'')', :'cust_b', :'broken')),
          '22023', 'variables must be a JSON object');
SELECT test_helpers.become('service_role');
SELECT is(test_helpers.outcome(format('SELECT esim_admin_internal.reveal_secrets(''users'', %L)', :'cust_b')), '22023',
          'secrets live in two tables only');
-- A NULL where a trigger reads a NOT NULL column: the constraint's own error
-- (the BEFORE row triggers run before PostgreSQL checks NOT NULL).
SELECT is(test_helpers.outcome(format('UPDATE %s SET %I = NULL WHERE id = %L', t, c, id)), '23502',
          format('%s.%s set to NULL', t, c))
  FROM (VALUES ('esims', 'status', :'esim_a'), ('transactions', 'status', :'tx_a'), ('support_tickets', 'status', :'ticket_a')) v(t, c, id);
SELECT is(test_helpers.outcome(format('INSERT INTO ticket_messages (ticket_id, message, is_internal) VALUES (%L, ''x'', NULL)', :'ticket_a')),
          '23502', 'a message whose is_internal is NULL');
SELECT is(test_helpers.outcome('UPDATE system_settings SET data_type = NULL WHERE key = (SELECT min(key) FROM system_settings WHERE value IS NOT NULL)'),
          '23502', 'a setting whose data_type is NULL');
SELECT test_helpers.become('none');

SELECT * FROM finish();
ROLLBACK;
