-- =============================================================================
-- Triggers. Soft delete on every table users or staff delete from;
-- updated_at on every table that has it; the audit trail of critical changes.
-- =============================================================================
CREATE TRIGGER esim_admin_auth_user_created AFTER INSERT ON auth.users
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.auth_user_sync();
CREATE TRIGGER esim_admin_auth_user_email AFTER UPDATE OF email ON auth.users
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.auth_user_sync();
CREATE TRIGGER esim_admin_auth_user_deleted AFTER DELETE ON auth.users
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.auth_user_sync();
-- auth.users is not ours, so these triggers would not be members of the
-- extension: DROP EXTENSION would refuse (they depend on its function) and
-- pg_dump would dump them. Recorded as members, as CREATE EXTENSION records
-- what its script creates (ALTER EXTENSION ... ADD takes no trigger).
INSERT INTO pg_catalog.pg_depend (classid, objid, objsubid, refclassid, refobjid, refobjsubid, deptype)
SELECT 'pg_catalog.pg_trigger'::regclass, t.oid, 0, 'pg_catalog.pg_extension'::regclass, e.oid, 0, 'e'
  FROM pg_catalog.pg_trigger t, pg_catalog.pg_extension e
 WHERE t.tgrelid = 'auth.users'::regclass AND t.tgname IN ('esim_admin_auth_user_created', 'esim_admin_auth_user_email',
                                                           'esim_admin_auth_user_deleted')
   AND e.extname = 'esim_admin';

CREATE TRIGGER trg_users_soft_delete BEFORE DELETE ON @extschema@.users FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_kyc_documents_soft_delete BEFORE DELETE ON @extschema@.kyc_documents FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_plans_soft_delete BEFORE DELETE ON @extschema@.plans FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_esims_soft_delete BEFORE DELETE ON @extschema@.esims FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_plan_pricing_soft_delete BEFORE DELETE ON @extschema@.plan_pricing FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_promotional_codes_soft_delete BEFORE DELETE ON @extschema@.promotional_codes FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_transactions_soft_delete BEFORE DELETE ON @extschema@.transactions FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_twilio_config_soft_delete BEFORE DELETE ON @extschema@.twilio_config FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_data_providers_soft_delete BEFORE DELETE ON @extschema@.data_providers FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_email_templates_soft_delete BEFORE DELETE ON @extschema@.email_templates FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_notifications_soft_delete BEFORE DELETE ON @extschema@.notifications FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_support_tickets_soft_delete BEFORE DELETE ON @extschema@.support_tickets FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_ticket_messages_soft_delete BEFORE DELETE ON @extschema@.ticket_messages FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_knowledge_base_soft_delete BEFORE DELETE ON @extschema@.knowledge_base FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();
CREATE TRIGGER trg_system_settings_soft_delete BEFORE DELETE ON @extschema@.system_settings FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.soft_delete();

CREATE TRIGGER trg_users_updated_at BEFORE UPDATE ON @extschema@.users FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.touch_updated_at();
CREATE TRIGGER trg_esims_updated_at BEFORE UPDATE ON @extschema@.esims FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.touch_updated_at();
CREATE TRIGGER trg_plans_updated_at BEFORE UPDATE ON @extschema@.plans FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.touch_updated_at();
CREATE TRIGGER trg_twilio_config_updated_at BEFORE UPDATE ON @extschema@.twilio_config FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.touch_updated_at();
CREATE TRIGGER trg_data_providers_updated_at BEFORE UPDATE ON @extschema@.data_providers FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.touch_updated_at();
CREATE TRIGGER trg_email_templates_updated_at BEFORE UPDATE ON @extschema@.email_templates FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.touch_updated_at();
CREATE TRIGGER trg_support_tickets_updated_at BEFORE UPDATE ON @extschema@.support_tickets FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.touch_updated_at();
-- An article's updated_at is its last edit: a read counted in views (record_article_view) is none.
CREATE TRIGGER trg_knowledge_base_updated_at
  BEFORE UPDATE OF title, slug, content, category, tags, is_published, author_id, deleted_at ON @extschema@.knowledge_base
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.touch_updated_at();
CREATE TRIGGER trg_system_settings_updated_at BEFORE UPDATE ON @extschema@.system_settings FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.touch_updated_at();

-- Rules, in C++.
CREATE TRIGGER trg_users_guard BEFORE INSERT OR UPDATE ON @extschema@.users
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.users_guard();
CREATE TRIGGER trg_transactions_before_write BEFORE INSERT OR UPDATE ON @extschema@.transactions
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.transactions_before_write();
CREATE TRIGGER trg_transactions_promo_uses_insert AFTER INSERT ON @extschema@.transactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION esim_admin_internal.transactions_promo_uses();
CREATE TRIGGER trg_transactions_promo_uses_update AFTER UPDATE ON @extschema@.transactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION esim_admin_internal.transactions_promo_uses();
CREATE TRIGGER trg_transactions_promo_uses_delete AFTER DELETE ON @extschema@.transactions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION esim_admin_internal.transactions_promo_uses();
CREATE TRIGGER trg_transactions_daily_sales_insert AFTER INSERT ON @extschema@.transactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION esim_admin_internal.transactions_daily_sales();
CREATE TRIGGER trg_transactions_daily_sales_update AFTER UPDATE ON @extschema@.transactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION esim_admin_internal.transactions_daily_sales();
CREATE TRIGGER trg_transactions_daily_sales_delete AFTER DELETE ON @extschema@.transactions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION esim_admin_internal.transactions_daily_sales();
CREATE TRIGGER trg_refunds_before_write BEFORE INSERT OR UPDATE ON @extschema@.refunds
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.refunds_before_write();
CREATE TRIGGER trg_refunds_after_write AFTER INSERT OR UPDATE ON @extschema@.refunds
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.refunds_after_write();
CREATE TRIGGER trg_plan_pricing_markup BEFORE INSERT OR UPDATE ON @extschema@.plan_pricing
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.plan_pricing_markup();
CREATE TRIGGER trg_plan_pricing_no_overlap BEFORE INSERT OR UPDATE ON @extschema@.plan_pricing
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.plan_pricing_no_overlap();
CREATE TRIGGER trg_data_allocations_pool BEFORE INSERT OR UPDATE OF provider_id, allocated_mb ON @extschema@.data_allocations
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.data_allocations_pool();
CREATE TRIGGER trg_esims_before_write BEFORE INSERT OR UPDATE ON @extschema@.esims
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.esims_before_write();
CREATE TRIGGER trg_support_tickets_before_write BEFORE INSERT OR UPDATE ON @extschema@.support_tickets
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.tickets_before_write();
CREATE TRIGGER trg_ticket_messages_before_insert BEFORE INSERT ON @extschema@.ticket_messages
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.ticket_messages_before_insert();
CREATE TRIGGER trg_ticket_messages_after_insert AFTER INSERT ON @extschema@.ticket_messages
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.ticket_messages_after_insert();
CREATE TRIGGER trg_kyc_documents_before_update BEFORE UPDATE ON @extschema@.kyc_documents
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.kyc_documents_before_update();
CREATE TRIGGER trg_kyc_documents_after_write AFTER INSERT OR UPDATE OR DELETE ON @extschema@.kyc_documents
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.kyc_documents_after_write();
CREATE TRIGGER trg_notifications_before_write BEFORE INSERT OR UPDATE ON @extschema@.notifications
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.notifications_before_write();
CREATE TRIGGER trg_system_settings_validate BEFORE INSERT OR UPDATE ON @extschema@.system_settings
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.settings_validate();
CREATE TRIGGER trg_promotional_codes_before_write BEFORE INSERT OR UPDATE ON @extschema@.promotional_codes
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.promo_before_write();

CREATE TRIGGER trg_twilio_config_encrypt_secrets BEFORE INSERT OR UPDATE ON @extschema@.twilio_config
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.encrypt_secrets('auth_token_encrypted', 'api_secret_encrypted');
CREATE TRIGGER trg_data_providers_encrypt_secrets BEFORE INSERT OR UPDATE ON @extschema@.data_providers
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.encrypt_secrets('api_key_encrypted');
CREATE TRIGGER trg_twilio_config_audit AFTER INSERT OR UPDATE OF account_sid, api_key, webhook_url, is_active ON @extschema@.twilio_config
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit('integration_change', 'account_sid', 'api_key', 'webhook_url', 'is_active');
CREATE TRIGGER trg_data_providers_audit AFTER INSERT OR UPDATE OF name, api_endpoint, priority, is_active, available_data_gb, cost_per_gb ON @extschema@.data_providers
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit('integration_change', 'name', 'api_endpoint', 'priority', 'is_active', 'available_data_gb', 'cost_per_gb');

-- The audit trail: action name, then the columns recorded; UPDATE OF those
-- columns, so a statement that sets none of them (a counter) fires nothing.
CREATE TRIGGER trg_users_audit AFTER UPDATE OF role, status, kyc_status ON @extschema@.users
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit('user_change', 'role', 'status', 'kyc_status');
-- A purchase's creation is its own record; what changes afterwards is audited.
CREATE TRIGGER trg_transactions_audit AFTER UPDATE OF status, amount, discount_amount, tax_amount, total_amount, esim_id ON @extschema@.transactions
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit('transaction', 'status', 'amount', 'discount_amount', 'tax_amount', 'total_amount', 'esim_id');
CREATE TRIGGER trg_refunds_audit AFTER INSERT OR UPDATE OF transaction_id, amount, status, processed_by ON @extschema@.refunds
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit('refund', 'transaction_id', 'amount', 'status', 'processed_by');
CREATE TRIGGER trg_plan_pricing_audit AFTER INSERT OR UPDATE OF plan_id, region, cost_price, selling_price, markup_percentage, effective_from, effective_to ON @extschema@.plan_pricing
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit('price_change', 'plan_id', 'region', 'cost_price', 'selling_price', 'markup_percentage', 'effective_from', 'effective_to');
CREATE TRIGGER trg_promotional_codes_audit AFTER INSERT OR UPDATE OF code, discount_type, discount_value, max_uses, valid_from, valid_to, applicable_plans, is_active ON @extschema@.promotional_codes
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit('promo_change', 'code', 'discount_type', 'discount_value', 'max_uses', 'valid_from', 'valid_to', 'applicable_plans', 'is_active');
CREATE TRIGGER trg_system_settings_audit AFTER INSERT OR UPDATE OF key, value, data_type, is_public ON @extschema@.system_settings
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit('setting_change', 'key', 'value', 'data_type', 'is_public');
CREATE TRIGGER trg_esims_audit AFTER UPDATE OF status, user_id ON @extschema@.esims
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit('esim_status', 'status', 'user_id');
CREATE TRIGGER trg_kyc_documents_audit AFTER UPDATE OF status, verified_by, rejection_reason ON @extschema@.kyc_documents
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit('kyc_decision', 'status', 'verified_by', 'rejection_reason');

-- The audit trail is append-only for every role, its owner and the service
-- role included: only apply_retention()'s purge removes entries (older than
-- 7 years).
CREATE TRIGGER trg_audit_log_append_only BEFORE UPDATE OR DELETE ON @extschema@.audit_log
  FOR EACH ROW EXECUTE FUNCTION esim_admin_internal.audit_log_append_only();
CREATE TRIGGER trg_audit_log_no_truncate BEFORE TRUNCATE ON @extschema@.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION esim_admin_internal.audit_log_no_truncate();
