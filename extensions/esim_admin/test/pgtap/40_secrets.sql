-- Secrets at rest: encrypted on write, readable in plain only by the
-- service role's reveal functions, every read audited.
BEGIN;
SELECT plan(14);
\ir fixtures/world.psql

SELECT test_helpers.become_user(:'super');
INSERT INTO twilio_config (account_sid, auth_token_encrypted, api_key, api_secret_encrypted)
  VALUES ('AC' || md5(random()::text), 'tok-plain-123', 'SK1', 'sec-plain-456') RETURNING id AS cfg \gset
INSERT INTO data_providers (name, api_endpoint, api_key_encrypted) VALUES ('Prov', 'https://p.example', 'pk-789')
  RETURNING id AS prov \gset
SELECT test_helpers.become('none');

SELECT ok((SELECT auth_token_encrypted LIKE 'enc:v1:%' AND api_secret_encrypted LIKE 'enc:v1:%'
                  AND auth_token_encrypted !~ 'tok-plain' FROM twilio_config WHERE id = :'cfg'),
          'a plain token is stored as ciphertext');
SELECT ok((SELECT api_key_encrypted LIKE 'enc:v1:%' FROM data_providers WHERE id = :'prov'), 'so is a provider''s key');
SELECT isnt((SELECT auth_token_encrypted FROM twilio_config WHERE id = :'cfg'),
            (SELECT 'enc:v1:' || encode(extensions.pgp_sym_encrypt('tok-plain-123', 'wrong key'), 'base64')),
            'with a key of the server''s');

SELECT is(test_helpers.outcome_as('authenticated', :'super', format('SELECT * FROM reveal_twilio_config(%L)', :'cfg')), '42501',
          'a super_admin cannot read the plaintext');
SELECT is(test_helpers.outcome_as('authenticated', :'super', format('SELECT esim_admin_internal.reveal_secrets(''twilio_config'', %L)', :'cfg')),
          '42501', 'nor call the privileged step');
SELECT test_helpers.become('service_role');
SELECT is((SELECT auth_token || '/' || api_secret FROM reveal_twilio_config(:'cfg')), 'tok-plain-123/sec-plain-456',
          'the service role reads the plaintext');
SELECT is(reveal_provider_key(:'prov'), 'pk-789', 'and a provider''s key');
SELECT test_helpers.become('none');
SELECT is((SELECT count(*)::int FROM audit_log WHERE action = 'secret_read' AND row_id IN (:'cfg', :'prov')), 2,
          'each read is audited');
SELECT is((SELECT after -> 'columns' FROM audit_log WHERE action = 'secret_read' AND row_id = :'cfg'),
          '["api_secret", "auth_token"]'::jsonb, 'with the columns read');

SELECT test_helpers.become_user(:'super');
SELECT is(test_helpers.outcome(format('UPDATE twilio_config SET auth_token_encrypted = (SELECT auth_token_encrypted FROM twilio_config LIMIT 1) WHERE id <> %L', :'cfg')),
          '42501', 'no API role reads ciphertext to copy it');
SELECT is(test_helpers.outcome(format('UPDATE twilio_config SET auth_token_encrypted = ''enc:v1:forged'' WHERE id = %L', :'cfg')),
          '22023', 'a value that looks like ciphertext is refused');
UPDATE twilio_config SET webhook_url = 'https://hooks.example' WHERE id = :'cfg';
UPDATE twilio_config SET auth_token_encrypted = 'tok-rotated' WHERE id = :'cfg';
SELECT test_helpers.become('service_role');
SELECT is((SELECT auth_token || '/' || api_secret FROM reveal_twilio_config(:'cfg')), 'tok-rotated/sec-plain-456',
          'a rotated token is encrypted again; the other secret is untouched');
SELECT test_helpers.become('none');
SELECT is(test_helpers.outcome_as('authenticated', :'admin', 'SELECT auth_token_encrypted FROM twilio_config'), '42501',
          'admins read no secret column');
SELECT is((SELECT count(*)::int FROM audit_log WHERE row_id = :'cfg' AND action = 'integration_change'), 2,
          'integration changes are audited (the secret rotation is not one of the recorded columns)');

SELECT * FROM finish();
ROLLBACK;
