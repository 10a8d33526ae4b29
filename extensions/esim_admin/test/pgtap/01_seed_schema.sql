-- The schema against the seed (001_3634694e96fd9ca2.txt), column by column:
-- every table, column (in the seed's order), type, NOT NULL, UNIQUE,
-- DEFAULT, foreign key, enum value and listed index. The facts below are
-- the seed's tables as test/tools/seed_facts.py reads them (regenerate with
--   python3 test/tools/seed_facts.py SEED > facts.sql).
-- Departures the design makes on purpose are listed in `departures` and
-- checked to be exactly those (docs/design.md, "Departures from the seed").
BEGIN;
SELECT plan(18);

CREATE TEMP TABLE seed_columns (
  tbl text, pos int, col text, seed_type text, not_null boolean, is_unique boolean,
  dflt text, fk_table text, enum_values text[]);
CREATE TEMP TABLE seed_indexes (tbl text, col text);
INSERT INTO seed_columns VALUES
  ('users', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('users', 2, 'email', 'VARCHAR(255)', true, true, NULL, NULL, NULL),
  ('users', 3, 'password_hash', 'VARCHAR(255)', true, false, NULL, NULL, NULL),
  ('users', 4, 'first_name', 'VARCHAR(100)', true, false, NULL, NULL, NULL),
  ('users', 5, 'last_name', 'VARCHAR(100)', true, false, NULL, NULL, NULL),
  ('users', 6, 'phone', 'VARCHAR(20)', false, false, NULL, NULL, NULL),
  ('users', 7, 'status', 'ENUM', true, false, NULL, NULL, ARRAY['active', 'inactive', 'suspended', 'banned']),
  ('users', 8, 'role', 'ENUM', true, false, NULL, NULL, ARRAY['customer', 'admin', 'super_admin', 'support']),
  ('users', 9, 'kyc_status', 'ENUM', false, false, '''pending''', NULL, ARRAY['pending', 'verified', 'rejected']),
  ('users', 10, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('users', 11, 'updated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('users', 12, 'last_login', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('kyc_documents', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('kyc_documents', 2, 'user_id', 'UUID', false, false, NULL, 'users', NULL),
  ('kyc_documents', 3, 'document_type', 'ENUM', true, false, NULL, NULL, ARRAY['passport', 'id_card', 'drivers_license', 'utility_bill']),
  ('kyc_documents', 4, 'document_url', 'TEXT', true, false, NULL, NULL, NULL),
  ('kyc_documents', 5, 'status', 'ENUM', false, false, '''pending''', NULL, ARRAY['pending', 'approved', 'rejected']),
  ('kyc_documents', 6, 'verified_by', 'UUID', false, false, NULL, 'users', NULL),
  ('kyc_documents', 7, 'verified_at', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('kyc_documents', 8, 'rejection_reason', 'TEXT', false, false, NULL, NULL, NULL),
  ('kyc_documents', 9, 'uploaded_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('esims', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('esims', 2, 'iccid', 'VARCHAR(22)', true, true, NULL, NULL, NULL),
  ('esims', 3, 'eid', 'VARCHAR(32)', false, false, NULL, NULL, NULL),
  ('esims', 4, 'user_id', 'UUID', false, false, NULL, 'users', NULL),
  ('esims', 5, 'plan_id', 'UUID', false, false, NULL, 'plans', NULL),
  ('esims', 6, 'twilio_sid', 'VARCHAR(100)', false, true, NULL, NULL, NULL),
  ('esims', 7, 'status', 'ENUM', true, false, NULL, NULL, ARRAY['available', 'active', 'suspended', 'expired', 'cancelled']),
  ('esims', 8, 'activation_code', 'VARCHAR(100)', false, false, NULL, NULL, NULL),
  ('esims', 9, 'qr_code_url', 'TEXT', false, false, NULL, NULL, NULL),
  ('esims', 10, 'activated_at', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('esims', 11, 'expires_at', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('esims', 12, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('esims', 13, 'updated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('esim_data_usage', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('esim_data_usage', 2, 'esim_id', 'UUID', false, false, NULL, 'esims', NULL),
  ('esim_data_usage', 3, 'data_used_mb', 'DECIMAL(10,2)', true, false, NULL, NULL, NULL),
  ('esim_data_usage', 4, 'data_limit_mb', 'DECIMAL(10,2)', false, false, NULL, NULL, NULL),
  ('esim_data_usage', 5, 'voice_minutes', 'INTEGER', false, false, '0', NULL, NULL),
  ('esim_data_usage', 6, 'sms_count', 'INTEGER', false, false, '0', NULL, NULL),
  ('esim_data_usage', 7, 'period_start', 'TIMESTAMP', true, false, NULL, NULL, NULL),
  ('esim_data_usage', 8, 'period_end', 'TIMESTAMP', true, false, NULL, NULL, NULL),
  ('esim_data_usage', 9, 'recorded_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('plans', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('plans', 2, 'name', 'VARCHAR(100)', true, false, NULL, NULL, NULL),
  ('plans', 3, 'description', 'TEXT', false, false, NULL, NULL, NULL),
  ('plans', 4, 'data_limit_mb', 'DECIMAL(10,2)', false, false, NULL, NULL, NULL),
  ('plans', 5, 'voice_minutes', 'INTEGER', false, false, '0', NULL, NULL),
  ('plans', 6, 'sms_count', 'INTEGER', false, false, '0', NULL, NULL),
  ('plans', 7, 'validity_days', 'INTEGER', true, false, NULL, NULL, NULL),
  ('plans', 8, 'regions', 'JSONB', false, false, NULL, NULL, NULL),
  ('plans', 9, 'is_active', 'BOOLEAN', false, false, 'true', NULL, NULL),
  ('plans', 10, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('plans', 11, 'updated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('plan_pricing', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('plan_pricing', 2, 'plan_id', 'UUID', false, false, NULL, 'plans', NULL),
  ('plan_pricing', 3, 'region', 'VARCHAR(50)', false, false, NULL, NULL, NULL),
  ('plan_pricing', 4, 'cost_price', 'DECIMAL(10,2)', true, false, NULL, NULL, NULL),
  ('plan_pricing', 5, 'selling_price', 'DECIMAL(10,2)', true, false, NULL, NULL, NULL),
  ('plan_pricing', 6, 'markup_percentage', 'DECIMAL(5,2)', false, false, NULL, NULL, NULL),
  ('plan_pricing', 7, 'currency', 'VARCHAR(3)', false, false, '''USD''', NULL, NULL),
  ('plan_pricing', 8, 'effective_from', 'TIMESTAMP', true, false, NULL, NULL, NULL),
  ('plan_pricing', 9, 'effective_to', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('plan_pricing', 10, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('promotional_codes', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('promotional_codes', 2, 'code', 'VARCHAR(50)', true, true, NULL, NULL, NULL),
  ('promotional_codes', 3, 'discount_type', 'ENUM', true, false, NULL, NULL, ARRAY['percentage', 'fixed_amount']),
  ('promotional_codes', 4, 'discount_value', 'DECIMAL(10,2)', true, false, NULL, NULL, NULL),
  ('promotional_codes', 5, 'max_uses', 'INTEGER', false, false, NULL, NULL, NULL),
  ('promotional_codes', 6, 'used_count', 'INTEGER', false, false, '0', NULL, NULL),
  ('promotional_codes', 7, 'valid_from', 'TIMESTAMP', true, false, NULL, NULL, NULL),
  ('promotional_codes', 8, 'valid_to', 'TIMESTAMP', true, false, NULL, NULL, NULL),
  ('promotional_codes', 9, 'applicable_plans', 'JSONB', false, false, NULL, NULL, NULL),
  ('promotional_codes', 10, 'is_active', 'BOOLEAN', false, false, 'true', NULL, NULL),
  ('promotional_codes', 11, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('transactions', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('transactions', 2, 'user_id', 'UUID', false, false, NULL, 'users', NULL),
  ('transactions', 3, 'esim_id', 'UUID', false, false, NULL, 'esims', NULL),
  ('transactions', 4, 'plan_id', 'UUID', false, false, NULL, 'plans', NULL),
  ('transactions', 5, 'amount', 'DECIMAL(10,2)', true, false, NULL, NULL, NULL),
  ('transactions', 6, 'currency', 'VARCHAR(3)', false, false, '''USD''', NULL, NULL),
  ('transactions', 7, 'payment_method', 'ENUM', true, false, NULL, NULL, ARRAY['credit_card', 'paypal', 'crypto', 'bank_transfer']),
  ('transactions', 8, 'payment_gateway', 'VARCHAR(50)', false, false, NULL, NULL, NULL),
  ('transactions', 9, 'gateway_transaction_id', 'VARCHAR(255)', false, false, NULL, NULL, NULL),
  ('transactions', 10, 'status', 'ENUM', true, false, NULL, NULL, ARRAY['pending', 'completed', 'failed', 'refunded', 'cancelled']),
  ('transactions', 11, 'promo_code_id', 'UUID', false, false, NULL, 'promotional_codes', NULL),
  ('transactions', 12, 'discount_amount', 'DECIMAL(10,2)', false, false, '0', NULL, NULL),
  ('transactions', 13, 'tax_amount', 'DECIMAL(10,2)', false, false, '0', NULL, NULL),
  ('transactions', 14, 'total_amount', 'DECIMAL(10,2)', true, false, NULL, NULL, NULL),
  ('transactions', 15, 'invoice_url', 'TEXT', false, false, NULL, NULL, NULL),
  ('transactions', 16, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('transactions', 17, 'completed_at', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('refunds', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('refunds', 2, 'transaction_id', 'UUID', false, false, NULL, 'transactions', NULL),
  ('refunds', 3, 'amount', 'DECIMAL(10,2)', true, false, NULL, NULL, NULL),
  ('refunds', 4, 'reason', 'TEXT', false, false, NULL, NULL, NULL),
  ('refunds', 5, 'status', 'ENUM', true, false, NULL, NULL, ARRAY['pending', 'processed', 'failed']),
  ('refunds', 6, 'processed_by', 'UUID', false, false, NULL, 'users', NULL),
  ('refunds', 7, 'gateway_refund_id', 'VARCHAR(255)', false, false, NULL, NULL, NULL),
  ('refunds', 8, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('refunds', 9, 'processed_at', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('twilio_config', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('twilio_config', 2, 'account_sid', 'VARCHAR(100)', true, true, NULL, NULL, NULL),
  ('twilio_config', 3, 'auth_token_encrypted', 'TEXT', true, false, NULL, NULL, NULL),
  ('twilio_config', 4, 'api_key', 'VARCHAR(100)', false, false, NULL, NULL, NULL),
  ('twilio_config', 5, 'api_secret_encrypted', 'TEXT', false, false, NULL, NULL, NULL),
  ('twilio_config', 6, 'webhook_url', 'TEXT', false, false, NULL, NULL, NULL),
  ('twilio_config', 7, 'is_active', 'BOOLEAN', false, false, 'true', NULL, NULL),
  ('twilio_config', 8, 'last_sync_at', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('twilio_config', 9, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('twilio_config', 10, 'updated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('data_providers', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('data_providers', 2, 'name', 'VARCHAR(100)', true, false, NULL, NULL, NULL),
  ('data_providers', 3, 'api_endpoint', 'TEXT', true, false, NULL, NULL, NULL),
  ('data_providers', 4, 'api_key_encrypted', 'TEXT', true, false, NULL, NULL, NULL),
  ('data_providers', 5, 'provider_type', 'VARCHAR(50)', false, false, NULL, NULL, NULL),
  ('data_providers', 6, 'priority', 'INTEGER', false, false, '1', NULL, NULL),
  ('data_providers', 7, 'is_active', 'BOOLEAN', false, false, 'true', NULL, NULL),
  ('data_providers', 8, 'available_data_gb', 'DECIMAL(10,2)', false, false, NULL, NULL, NULL),
  ('data_providers', 9, 'cost_per_gb', 'DECIMAL(10,2)', false, false, NULL, NULL, NULL),
  ('data_providers', 10, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('data_providers', 11, 'updated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('data_allocations', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('data_allocations', 2, 'esim_id', 'UUID', false, false, NULL, 'esims', NULL),
  ('data_allocations', 3, 'provider_id', 'UUID', false, false, NULL, 'data_providers', NULL),
  ('data_allocations', 4, 'allocated_mb', 'DECIMAL(10,2)', true, false, NULL, NULL, NULL),
  ('data_allocations', 5, 'used_mb', 'DECIMAL(10,2)', false, false, '0', NULL, NULL),
  ('data_allocations', 6, 'cost', 'DECIMAL(10,2)', true, false, NULL, NULL, NULL),
  ('data_allocations', 7, 'allocated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('email_templates', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('email_templates', 2, 'name', 'VARCHAR(100)', true, true, NULL, NULL, NULL),
  ('email_templates', 3, 'subject', 'VARCHAR(255)', true, false, NULL, NULL, NULL),
  ('email_templates', 4, 'body_html', 'TEXT', true, false, NULL, NULL, NULL),
  ('email_templates', 5, 'body_text', 'TEXT', false, false, NULL, NULL, NULL),
  ('email_templates', 6, 'template_type', 'ENUM', true, false, NULL, NULL, ARRAY['welcome', 'purchase', 'activation', 'expiry', 'payment']),
  ('email_templates', 7, 'variables', 'JSONB', false, false, NULL, NULL, NULL),
  ('email_templates', 8, 'is_active', 'BOOLEAN', false, false, 'true', NULL, NULL),
  ('email_templates', 9, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('email_templates', 10, 'updated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('notifications', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('notifications', 2, 'user_id', 'UUID', false, false, NULL, 'users', NULL),
  ('notifications', 3, 'type', 'ENUM', true, false, NULL, NULL, ARRAY['email', 'sms', 'push', 'in_app']),
  ('notifications', 4, 'template_id', 'UUID', false, false, NULL, 'email_templates', NULL),
  ('notifications', 5, 'subject', 'VARCHAR(255)', false, false, NULL, NULL, NULL),
  ('notifications', 6, 'message', 'TEXT', true, false, NULL, NULL, NULL),
  ('notifications', 7, 'status', 'ENUM', true, false, NULL, NULL, ARRAY['pending', 'sent', 'failed', 'read']),
  ('notifications', 8, 'sent_at', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('notifications', 9, 'read_at', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('notifications', 10, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('support_tickets', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('support_tickets', 2, 'ticket_number', 'VARCHAR(20)', true, true, NULL, NULL, NULL),
  ('support_tickets', 3, 'user_id', 'UUID', false, false, NULL, 'users', NULL),
  ('support_tickets', 4, 'assigned_to', 'UUID', false, false, NULL, 'users', NULL),
  ('support_tickets', 5, 'subject', 'VARCHAR(255)', true, false, NULL, NULL, NULL),
  ('support_tickets', 6, 'description', 'TEXT', true, false, NULL, NULL, NULL),
  ('support_tickets', 7, 'priority', 'ENUM', false, false, '''medium''', NULL, ARRAY['low', 'medium', 'high', 'urgent']),
  ('support_tickets', 8, 'status', 'ENUM', false, false, '''open''', NULL, ARRAY['open', 'in_progress', 'resolved', 'closed']),
  ('support_tickets', 9, 'category', 'VARCHAR(50)', false, false, NULL, NULL, NULL),
  ('support_tickets', 10, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('support_tickets', 11, 'updated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('support_tickets', 12, 'resolved_at', 'TIMESTAMP', false, false, NULL, NULL, NULL),
  ('ticket_messages', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('ticket_messages', 2, 'ticket_id', 'UUID', false, false, NULL, 'support_tickets', NULL),
  ('ticket_messages', 3, 'sender_id', 'UUID', false, false, NULL, 'users', NULL),
  ('ticket_messages', 4, 'message', 'TEXT', true, false, NULL, NULL, NULL),
  ('ticket_messages', 5, 'attachments', 'JSONB', false, false, NULL, NULL, NULL),
  ('ticket_messages', 6, 'is_internal', 'BOOLEAN', false, false, 'false', NULL, NULL),
  ('ticket_messages', 7, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('knowledge_base', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('knowledge_base', 2, 'title', 'VARCHAR(255)', true, false, NULL, NULL, NULL),
  ('knowledge_base', 3, 'slug', 'VARCHAR(255)', true, true, NULL, NULL, NULL),
  ('knowledge_base', 4, 'content', 'TEXT', true, false, NULL, NULL, NULL),
  ('knowledge_base', 5, 'category', 'VARCHAR(100)', false, false, NULL, NULL, NULL),
  ('knowledge_base', 6, 'tags', 'JSONB', false, false, NULL, NULL, NULL),
  ('knowledge_base', 7, 'views', 'INTEGER', false, false, '0', NULL, NULL),
  ('knowledge_base', 8, 'is_published', 'BOOLEAN', false, false, 'false', NULL, NULL),
  ('knowledge_base', 9, 'author_id', 'UUID', false, false, NULL, 'users', NULL),
  ('knowledge_base', 10, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('knowledge_base', 11, 'updated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('analytics_events', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('analytics_events', 2, 'event_type', 'VARCHAR(100)', true, false, NULL, NULL, NULL),
  ('analytics_events', 3, 'user_id', 'UUID', false, false, NULL, 'users', NULL),
  ('analytics_events', 4, 'esim_id', 'UUID', false, false, NULL, 'esims', NULL),
  ('analytics_events', 5, 'metadata', 'JSONB', false, false, NULL, NULL, NULL),
  ('analytics_events', 6, 'created_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('revenue_reports', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('revenue_reports', 2, 'period_type', 'ENUM', true, false, NULL, NULL, ARRAY['daily', 'weekly', 'monthly', 'yearly']),
  ('revenue_reports', 3, 'period_start', 'DATE', true, false, NULL, NULL, NULL),
  ('revenue_reports', 4, 'period_end', 'DATE', true, false, NULL, NULL, NULL),
  ('revenue_reports', 5, 'total_revenue', 'DECIMAL(12,2)', true, false, NULL, NULL, NULL),
  ('revenue_reports', 6, 'total_cost', 'DECIMAL(12,2)', true, false, NULL, NULL, NULL),
  ('revenue_reports', 7, 'profit', 'DECIMAL(12,2)', true, false, NULL, NULL, NULL),
  ('revenue_reports', 8, 'transaction_count', 'INTEGER', true, false, NULL, NULL, NULL),
  ('revenue_reports', 9, 'new_users', 'INTEGER', false, false, '0', NULL, NULL),
  ('revenue_reports', 10, 'active_esims', 'INTEGER', false, false, '0', NULL, NULL),
  ('revenue_reports', 11, 'generated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL),
  ('system_settings', 1, 'id', 'UUID', true, false, NULL, NULL, NULL),
  ('system_settings', 2, 'key', 'VARCHAR(100)', true, true, NULL, NULL, NULL),
  ('system_settings', 3, 'value', 'TEXT', false, false, NULL, NULL, NULL),
  ('system_settings', 4, 'data_type', 'ENUM', true, false, NULL, NULL, ARRAY['string', 'number', 'boolean', 'json']),
  ('system_settings', 5, 'category', 'VARCHAR(50)', false, false, NULL, NULL, NULL),
  ('system_settings', 6, 'description', 'TEXT', false, false, NULL, NULL, NULL),
  ('system_settings', 7, 'is_public', 'BOOLEAN', false, false, 'false', NULL, NULL),
  ('system_settings', 8, 'updated_at', 'TIMESTAMP', false, false, 'NOW()', NULL, NULL);
INSERT INTO seed_indexes VALUES
  ('users', 'email'),
  ('users', 'status'),
  ('users', 'role'),
  ('users', 'created_at'),
  ('kyc_documents', 'user_id'),
  ('kyc_documents', 'status'),
  ('esims', 'iccid'),
  ('esims', 'user_id'),
  ('esims', 'status'),
  ('esims', 'twilio_sid'),
  ('esim_data_usage', 'esim_id'),
  ('esim_data_usage', 'period_start'),
  ('esim_data_usage', 'period_end'),
  ('plans', 'is_active'),
  ('plans', 'created_at'),
  ('plan_pricing', 'plan_id'),
  ('plan_pricing', 'region'),
  ('plan_pricing', 'effective_from'),
  ('promotional_codes', 'code'),
  ('promotional_codes', 'is_active'),
  ('promotional_codes', 'valid_from'),
  ('promotional_codes', 'valid_to'),
  ('transactions', 'user_id'),
  ('transactions', 'status'),
  ('transactions', 'created_at'),
  ('transactions', 'gateway_transaction_id'),
  ('refunds', 'transaction_id'),
  ('refunds', 'status'),
  ('refunds', 'created_at'),
  ('data_providers', 'is_active'),
  ('data_providers', 'priority'),
  ('data_allocations', 'esim_id'),
  ('data_allocations', 'provider_id'),
  ('data_allocations', 'allocated_at'),
  ('notifications', 'user_id'),
  ('notifications', 'type'),
  ('notifications', 'status'),
  ('notifications', 'created_at'),
  ('support_tickets', 'ticket_number'),
  ('support_tickets', 'user_id'),
  ('support_tickets', 'assigned_to'),
  ('support_tickets', 'status'),
  ('support_tickets', 'priority'),
  ('ticket_messages', 'ticket_id'),
  ('ticket_messages', 'created_at'),
  ('knowledge_base', 'slug'),
  ('knowledge_base', 'category'),
  ('knowledge_base', 'is_published'),
  ('analytics_events', 'event_type'),
  ('analytics_events', 'user_id'),
  ('analytics_events', 'created_at'),
  ('revenue_reports', 'period_type'),
  ('revenue_reports', 'period_start'),
  ('revenue_reports', 'period_end'),
  ('system_settings', 'key'),
  ('system_settings', 'category');

-- Columns the seed leaves nullable that are NOT NULL here: a default that a
-- figure, status or policy depends on, and the owning foreign keys.
CREATE TEMP TABLE departures (tbl text, col text, why text);
INSERT INTO departures
  SELECT tbl, col, 'default made NOT NULL' FROM seed_columns WHERE NOT not_null AND dflt IS NOT NULL;
INSERT INTO departures VALUES
  ('kyc_documents', 'user_id', 'owning foreign key'),
  ('esim_data_usage', 'esim_id', 'owning foreign key'),
  ('plan_pricing', 'plan_id', 'owning foreign key'),
  ('refunds', 'transaction_id', 'owning foreign key'),
  ('data_allocations', 'esim_id', 'owning foreign key'),
  ('data_allocations', 'provider_id', 'owning foreign key'),
  ('notifications', 'user_id', 'owning foreign key'),
  ('support_tickets', 'user_id', 'owning foreign key'),
  ('ticket_messages', 'ticket_id', 'owning foreign key');

CREATE TEMP VIEW app AS
  SELECT e.extnamespace AS nsp FROM pg_extension e WHERE e.extname = 'esim_admin';
CREATE TEMP VIEW actual_columns AS
  SELECT c.relname::text AS tbl, a.attname::text AS col, a.attnum, a.atttypid, a.attnotnull,
         format_type(a.atttypid, a.atttypmod) AS type_text, c.oid AS relid,
         pg_get_expr(d.adbin, d.adrelid) AS dflt
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
   WHERE c.relnamespace = (SELECT nsp FROM app) AND c.relkind = 'r';

SELECT is((SELECT count(*)::int FROM seed_columns), 204, 'the seed specifies 204 columns');
SELECT is((SELECT count(DISTINCT tbl)::int FROM seed_columns), 20, 'the seed specifies 20 tables');

SELECT is(ARRAY(SELECT DISTINCT s.tbl FROM seed_columns s
                 WHERE NOT EXISTS (SELECT FROM actual_columns a WHERE a.tbl = s.tbl) ORDER BY 1),
          '{}'::text[], 'every table of the seed exists in the extension''s schema');

SELECT is(ARRAY(SELECT s.tbl || '.' || s.col FROM seed_columns s
                 WHERE NOT EXISTS (SELECT FROM actual_columns a WHERE a.tbl = s.tbl AND a.col = s.col) ORDER BY 1),
          '{}'::text[], 'every column of the seed exists');

SELECT is(ARRAY(SELECT a.tbl || '.' || a.col FROM actual_columns a
                 WHERE a.tbl IN (SELECT tbl FROM seed_columns) AND a.col <> 'deleted_at'
                   AND NOT EXISTS (SELECT FROM seed_columns s WHERE s.tbl = a.tbl AND s.col = a.col) ORDER BY 1),
          '{}'::text[], 'no column beyond the seed''s but deleted_at');

SELECT is(ARRAY(SELECT tbl FROM (
                  SELECT s.tbl, array_agg(s.col ORDER BY s.pos) AS seed_order,
                         array_agg(s.col ORDER BY a.attnum) AS actual_order
                    FROM seed_columns s JOIN actual_columns a USING (tbl, col) GROUP BY s.tbl) x
                 WHERE seed_order <> actual_order ORDER BY 1),
          '{}'::text[], 'columns come in the seed''s order');

SELECT is(ARRAY(SELECT s.tbl || '.' || s.col || ': ' || s.seed_type || ' is ' || a.type_text
                  FROM seed_columns s JOIN actual_columns a USING (tbl, col)
                 WHERE s.seed_type <> 'ENUM' AND a.type_text <> CASE
                   WHEN s.seed_type = 'UUID' THEN 'uuid'
                   WHEN s.seed_type = 'TEXT' THEN 'text'
                   WHEN s.seed_type = 'INTEGER' THEN 'integer'
                   WHEN s.seed_type = 'BOOLEAN' THEN 'boolean'
                   WHEN s.seed_type = 'JSONB' THEN 'jsonb'
                   WHEN s.seed_type = 'DATE' THEN 'date'
                   WHEN s.seed_type = 'TIMESTAMP' THEN 'timestamp with time zone'
                   WHEN s.seed_type LIKE 'VARCHAR(%' THEN 'character varying' || substr(s.seed_type, 8)
                   WHEN s.seed_type LIKE 'DECIMAL(%' THEN 'numeric' || substr(s.seed_type, 8)
                   ELSE '?' || s.seed_type END ORDER BY 1),
          '{}'::text[], 'every column has the seed''s type (TIMESTAMP as timestamptz)');

SELECT is(ARRAY(SELECT s.tbl || '.' || s.col FROM seed_columns s JOIN actual_columns a USING (tbl, col)
                 WHERE s.seed_type = 'ENUM' AND (
                   (SELECT t.typtype FROM pg_type t WHERE t.oid = a.atttypid) <> 'e'
                   OR ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder)
                      <> s.enum_values) ORDER BY 1),
          '{}'::text[], 'every ENUM column has an enum type with exactly the seed''s values, in order');

SELECT is((SELECT count(*)::int FROM seed_columns WHERE seed_type = 'ENUM'), 17, 'the seed has 17 ENUM columns');

SELECT is(ARRAY(SELECT s.tbl || '.' || s.col FROM seed_columns s JOIN actual_columns a USING (tbl, col)
                 WHERE s.not_null AND NOT a.attnotnull ORDER BY 1),
          '{}'::text[], 'every NOT NULL (and PRIMARY KEY) column of the seed is NOT NULL');

SELECT is(ARRAY(SELECT s.tbl || '.' || s.col FROM seed_columns s JOIN actual_columns a USING (tbl, col)
                 WHERE NOT s.not_null AND a.attnotnull
                   AND NOT EXISTS (SELECT FROM departures d WHERE d.tbl = s.tbl AND d.col = s.col) ORDER BY 1),
          '{}'::text[], 'the other columns are nullable, but for the listed departures');

SELECT is(ARRAY(SELECT s.tbl || '.' || s.col FROM seed_columns s JOIN actual_columns a USING (tbl, col)
                 WHERE s.is_unique AND NOT EXISTS (
                   SELECT FROM pg_index i WHERE i.indrelid = a.relid AND i.indisunique AND i.indnatts = 1
                      AND i.indkey[0] = a.attnum AND i.indpred IS NULL) ORDER BY 1),
          '{}'::text[], 'every UNIQUE column of the seed has a unique index of its own');

SELECT is(ARRAY(SELECT a.tbl FROM actual_columns a WHERE a.col = 'id' AND a.tbl IN (SELECT tbl FROM seed_columns)
                 AND NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = a.relid AND i.indisprimary
                                   AND i.indnatts = 1 AND i.indkey[0] = a.attnum) ORDER BY 1),
          '{}'::text[], 'every table''s primary key is its uuid id');

SELECT is(ARRAY(SELECT s.tbl || '.' || s.col || ' DEFAULT ' || s.dflt || ' is ' || coalesce(a.dflt, 'none')
                  FROM seed_columns s JOIN actual_columns a USING (tbl, col)
                 WHERE s.dflt IS NOT NULL AND coalesce(a.dflt, '') !~ CASE
                   WHEN s.dflt = 'NOW()' THEN '^now\(\)$'
                   WHEN s.dflt LIKE '''%' THEN '^' || s.dflt || '::'
                   ELSE '^' || s.dflt || '$' END ORDER BY 1),
          '{}'::text[], 'every DEFAULT of the seed is the column''s default');

SELECT is(ARRAY(SELECT s.tbl || '.' || s.col || ' -> ' || s.fk_table FROM seed_columns s JOIN actual_columns a USING (tbl, col)
                 WHERE s.fk_table IS NOT NULL AND NOT EXISTS (
                   SELECT FROM pg_constraint k WHERE k.contype = 'f' AND k.conrelid = a.relid
                      AND k.conkey = ARRAY[a.attnum] AND k.confrelid = (
                        SELECT c.oid FROM pg_class c WHERE c.relname = s.fk_table AND c.relnamespace = (SELECT nsp FROM app))
                      AND k.confkey = ARRAY[(SELECT attnum FROM actual_columns x WHERE x.tbl = s.fk_table AND x.col = 'id')])
                 ORDER BY 1),
          '{}'::text[], 'every FOREIGN KEY of the seed references its table''s id');

SELECT is((SELECT count(*)::int FROM seed_indexes), 56, 'the seed lists 56 indexes');

SELECT is(ARRAY(SELECT s.tbl || '(' || s.col || ')' FROM seed_indexes s JOIN actual_columns a USING (tbl, col)
                 WHERE NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = a.relid AND i.indkey[0] = a.attnum
                                     AND i.indpred IS NULL) ORDER BY 1),
          '{}'::text[], 'every index the seed lists exists (an index led by the column, unique ones included)');

SELECT is(ARRAY(SELECT a.tbl FROM actual_columns a WHERE a.col = 'deleted_at' AND a.tbl IN (SELECT tbl FROM seed_columns) ORDER BY 1),
          ARRAY['data_providers', 'email_templates', 'esims', 'knowledge_base', 'kyc_documents', 'notifications',
                'plan_pricing', 'plans', 'promotional_codes', 'support_tickets', 'system_settings', 'ticket_messages',
                'transactions', 'twilio_config', 'users'],
          'deleted_at on every table users or staff delete from');

SELECT * FROM finish();
ROLLBACK;
