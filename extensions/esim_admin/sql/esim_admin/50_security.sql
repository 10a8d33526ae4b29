-- =============================================================================
-- Row Level Security and privileges (docs/design.md, "Roles").
-- Rows: policies, TO a named role, one permissive policy per role and action,
-- helpers as (SELECT esim_admin_internal.fn()). Columns: privileges; money,
-- status, role, counter and secret columns are not client-writable (and the
-- C++ guards check who changes them). Soft-deleted rows pass no policy.
-- service_role has BYPASSRLS and every privilege (webhooks, jobs).
-- =============================================================================
REVOKE ALL ON TABLE
  @extschema@.users, @extschema@.kyc_documents, @extschema@.plans, @extschema@.esims,
  @extschema@.esim_data_usage, @extschema@.plan_pricing, @extschema@.promotional_codes,
  @extschema@.transactions, @extschema@.refunds, @extschema@.twilio_config,
  @extschema@.data_providers, @extschema@.data_allocations, @extschema@.email_templates,
  @extschema@.notifications, @extschema@.support_tickets, @extschema@.ticket_messages,
  @extschema@.knowledge_base, @extschema@.analytics_events, @extschema@.revenue_reports,
  @extschema@.system_settings, @extschema@.audit_log
  FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE
  @extschema@.users, @extschema@.kyc_documents, @extschema@.plans, @extschema@.esims,
  @extschema@.esim_data_usage, @extschema@.plan_pricing, @extschema@.promotional_codes,
  @extschema@.transactions, @extschema@.refunds, @extschema@.twilio_config,
  @extschema@.data_providers, @extschema@.data_allocations, @extschema@.email_templates,
  @extschema@.notifications, @extschema@.support_tickets, @extschema@.ticket_messages,
  @extschema@.knowledge_base, @extschema@.analytics_events, @extschema@.revenue_reports,
  @extschema@.system_settings
  TO service_role;
-- The audit trail is written by the system only, for the service role too
-- (whatever default privileges of the schema gave it: Supabase's public
-- grants everything to the API roles).
REVOKE ALL ON @extschema@.audit_log FROM service_role;
GRANT SELECT ON @extschema@.audit_log TO service_role;
GRANT USAGE ON SCHEMA @extschema@ TO anon, authenticated, service_role;

ALTER TABLE @extschema@.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.kyc_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.esims ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.esim_data_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.plan_pricing ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.promotional_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.transactions ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.refunds ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.twilio_config ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.data_providers ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.data_allocations ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.email_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.support_tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.ticket_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.knowledge_base ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.analytics_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.revenue_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.system_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.audit_log ENABLE ROW LEVEL SECURITY;

-- users: one's own record, admins everyone's; password_hash is readable by no
-- API role (it is absent from the column grant), nor are the personal
-- columns (email, first_name, last_name, phone): a customer reads their own
-- through my_profile(), staff another user's through customer_record(),
-- which audits each read. Role and status changes are checked by
-- trg_users_guard (super_admin / admin).
GRANT SELECT (id, status, role, kyc_status, created_at, updated_at, last_login, deleted_at)
  ON @extschema@.users TO authenticated;
GRANT UPDATE (first_name, last_name, phone, status, role) ON @extschema@.users TO authenticated;
GRANT DELETE ON @extschema@.users TO authenticated;
-- Admins manage users through the table (status, role), their personal
-- columns only through the audited customer_record().
CREATE POLICY users_select ON @extschema@.users FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (id = (SELECT auth.uid()) OR (SELECT esim_admin_internal.is_admin())));
CREATE POLICY users_update ON @extschema@.users FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (id = (SELECT auth.uid()) OR (SELECT esim_admin_internal.is_admin())))
  WITH CHECK (id = (SELECT auth.uid()) OR (SELECT esim_admin_internal.is_admin()));
CREATE POLICY users_delete ON @extschema@.users FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- kyc_documents: the owner uploads and sees; support and admins verify. The
-- document itself (document_url) is read through kyc_document_url(), which
-- audits staff's reads: no API role selects the column.
GRANT SELECT (id, user_id, document_type, status, verified_by, verified_at, rejection_reason, uploaded_at, deleted_at)
  ON @extschema@.kyc_documents TO authenticated;
GRANT INSERT (user_id, document_type, document_url) ON @extschema@.kyc_documents TO authenticated;
GRANT UPDATE (status, rejection_reason) ON @extschema@.kyc_documents TO authenticated;
GRANT DELETE ON @extschema@.kyc_documents TO authenticated;
CREATE POLICY kyc_documents_select ON @extschema@.kyc_documents FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (user_id = (SELECT auth.uid()) OR (SELECT esim_admin_internal.is_staff())));
CREATE POLICY kyc_documents_insert ON @extschema@.kyc_documents FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY kyc_documents_update ON @extschema@.kyc_documents FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_staff()))
  WITH CHECK ((SELECT esim_admin_internal.is_staff()));
CREATE POLICY kyc_documents_delete ON @extschema@.kyc_documents FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND ((user_id = (SELECT auth.uid()) AND status = 'pending') OR (SELECT esim_admin_internal.is_admin())));

-- plans: the catalog, public when active; admins manage.
GRANT SELECT ON @extschema@.plans TO anon, authenticated;
GRANT INSERT, UPDATE, DELETE ON @extschema@.plans TO authenticated;
CREATE POLICY plans_select_anon ON @extschema@.plans FOR SELECT TO anon
  USING (is_active AND deleted_at IS NULL);
CREATE POLICY plans_select ON @extschema@.plans FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (is_active OR (SELECT esim_admin_internal.is_admin())));
CREATE POLICY plans_insert ON @extschema@.plans FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY plans_update ON @extschema@.plans FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin())) WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY plans_delete ON @extschema@.plans FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- plan_pricing: selling prices are public; cost and markup are not granted
-- to anon (authenticated has them for the admin screens).
GRANT SELECT (id, plan_id, region, selling_price, currency, effective_from, effective_to, created_at)
  ON @extschema@.plan_pricing TO anon;
GRANT SELECT ON @extschema@.plan_pricing TO authenticated;
GRANT INSERT (plan_id, region, cost_price, selling_price, markup_percentage, currency, effective_from, effective_to),
      UPDATE (cost_price, selling_price, markup_percentage, effective_to), DELETE
  ON @extschema@.plan_pricing TO authenticated;
CREATE POLICY plan_pricing_select_anon ON @extschema@.plan_pricing FOR SELECT TO anon
  USING (deleted_at IS NULL);
CREATE POLICY plan_pricing_select ON @extschema@.plan_pricing FOR SELECT TO authenticated
  USING (deleted_at IS NULL);
CREATE POLICY plan_pricing_insert ON @extschema@.plan_pricing FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY plan_pricing_update ON @extschema@.plan_pricing FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin())) WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY plan_pricing_delete ON @extschema@.plan_pricing FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- esims: the owner sees theirs; staff see all; admins manage the inventory.
GRANT SELECT ON @extschema@.esims TO authenticated;
GRANT INSERT (iccid, eid, plan_id, twilio_sid, status, activation_code, qr_code_url),
      UPDATE (eid, plan_id, twilio_sid, status, activation_code, qr_code_url), DELETE
  ON @extschema@.esims TO authenticated;
CREATE POLICY esims_select ON @extschema@.esims FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (user_id = (SELECT auth.uid()) OR (SELECT esim_admin_internal.is_staff())));
CREATE POLICY esims_insert ON @extschema@.esims FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY esims_update ON @extschema@.esims FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin())) WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY esims_delete ON @extschema@.esims FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- esim_data_usage: the eSIM's owner and staff read; the service records.
GRANT SELECT ON @extschema@.esim_data_usage TO authenticated;
CREATE POLICY esim_data_usage_select ON @extschema@.esim_data_usage FOR SELECT TO authenticated
  USING (esim_id = ANY (ARRAY(SELECT e.id FROM @extschema@.esims e WHERE e.user_id = (SELECT auth.uid())))
         OR (SELECT esim_admin_internal.is_staff()));

-- promotional_codes: admins; buyers redeem through purchase().
GRANT SELECT ON @extschema@.promotional_codes TO authenticated;
GRANT INSERT (code, discount_type, discount_value, max_uses, valid_from, valid_to, applicable_plans, is_active),
      UPDATE (discount_type, discount_value, max_uses, valid_from, valid_to, applicable_plans, is_active), DELETE
  ON @extschema@.promotional_codes TO authenticated;
CREATE POLICY promotional_codes_select ON @extschema@.promotional_codes FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));
CREATE POLICY promotional_codes_insert ON @extschema@.promotional_codes FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY promotional_codes_update ON @extschema@.promotional_codes FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin())) WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY promotional_codes_delete ON @extschema@.promotional_codes FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- transactions: the buyer sees theirs; admins see and settle all. Customers
-- buy through purchase(); money columns are fixed by the trigger.
GRANT SELECT ON @extschema@.transactions TO authenticated;
GRANT INSERT (user_id, esim_id, plan_id, amount, currency, payment_method, payment_gateway,
              gateway_transaction_id, status, promo_code_id, discount_amount, tax_amount, invoice_url),
      UPDATE (status, payment_gateway, gateway_transaction_id, invoice_url, esim_id), DELETE
  ON @extschema@.transactions TO authenticated;
CREATE POLICY transactions_select ON @extschema@.transactions FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (user_id = (SELECT auth.uid()) OR (SELECT esim_admin_internal.is_admin())));
CREATE POLICY transactions_insert ON @extschema@.transactions FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY transactions_update ON @extschema@.transactions FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin())) WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY transactions_delete ON @extschema@.transactions FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- refunds: the buyer sees the refunds of their transactions; admins record.
GRANT SELECT ON @extschema@.refunds TO authenticated;
GRANT INSERT (transaction_id, amount, reason, status, gateway_refund_id),
      UPDATE (status, reason, gateway_refund_id) ON @extschema@.refunds TO authenticated;
CREATE POLICY refunds_select ON @extschema@.refunds FOR SELECT TO authenticated
  USING (transaction_id = ANY (ARRAY(SELECT t.id FROM @extschema@.transactions t WHERE t.user_id = (SELECT auth.uid())))
         OR (SELECT esim_admin_internal.is_admin()));
CREATE POLICY refunds_insert ON @extschema@.refunds FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY refunds_update ON @extschema@.refunds FOR UPDATE TO authenticated
  USING ((SELECT esim_admin_internal.is_admin())) WITH CHECK ((SELECT esim_admin_internal.is_admin()));

-- Integrations: super_admin manages; admins read data providers. No API role
-- reads a secret column.
GRANT SELECT (id, account_sid, api_key, webhook_url, is_active, last_sync_at, created_at, updated_at, deleted_at)
  ON @extschema@.twilio_config TO authenticated;
GRANT INSERT (account_sid, auth_token_encrypted, api_key, api_secret_encrypted, webhook_url, is_active),
      UPDATE (auth_token_encrypted, api_key, api_secret_encrypted, webhook_url, is_active), DELETE
  ON @extschema@.twilio_config TO authenticated;
CREATE POLICY twilio_config_select ON @extschema@.twilio_config FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_super_admin()));
CREATE POLICY twilio_config_insert ON @extschema@.twilio_config FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_super_admin()));
CREATE POLICY twilio_config_update ON @extschema@.twilio_config FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_super_admin())) WITH CHECK ((SELECT esim_admin_internal.is_super_admin()));
CREATE POLICY twilio_config_delete ON @extschema@.twilio_config FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_super_admin()));

GRANT SELECT (id, name, api_endpoint, provider_type, priority, is_active, available_data_gb, cost_per_gb,
              created_at, updated_at, deleted_at) ON @extschema@.data_providers TO authenticated;
GRANT INSERT (name, api_endpoint, api_key_encrypted, provider_type, priority, is_active, available_data_gb, cost_per_gb),
      UPDATE (name, api_endpoint, api_key_encrypted, provider_type, priority, is_active, available_data_gb, cost_per_gb), DELETE
  ON @extschema@.data_providers TO authenticated;
CREATE POLICY data_providers_select ON @extschema@.data_providers FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));
CREATE POLICY data_providers_insert ON @extschema@.data_providers FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_super_admin()));
CREATE POLICY data_providers_update ON @extschema@.data_providers FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_super_admin())) WITH CHECK ((SELECT esim_admin_internal.is_super_admin()));
CREATE POLICY data_providers_delete ON @extschema@.data_providers FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_super_admin()));

GRANT SELECT ON @extschema@.data_allocations TO authenticated;
CREATE POLICY data_allocations_select ON @extschema@.data_allocations FOR SELECT TO authenticated
  USING ((SELECT esim_admin_internal.is_admin()));

-- Templates: admins manage, staff read.
GRANT SELECT ON @extschema@.email_templates TO authenticated;
GRANT INSERT (name, subject, body_html, body_text, template_type, variables, is_active),
      UPDATE (name, subject, body_html, body_text, template_type, variables, is_active), DELETE
  ON @extschema@.email_templates TO authenticated;
CREATE POLICY email_templates_select ON @extschema@.email_templates FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_staff()));
CREATE POLICY email_templates_insert ON @extschema@.email_templates FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY email_templates_update ON @extschema@.email_templates FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin())) WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY email_templates_delete ON @extschema@.email_templates FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- notifications: the recipient reads, marks read and deletes; staff read.
GRANT SELECT ON @extschema@.notifications TO authenticated;
GRANT UPDATE (status) ON @extschema@.notifications TO authenticated;
GRANT DELETE ON @extschema@.notifications TO authenticated;
CREATE POLICY notifications_select ON @extschema@.notifications FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (user_id = (SELECT auth.uid()) OR (SELECT esim_admin_internal.is_staff())));
CREATE POLICY notifications_update ON @extschema@.notifications FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY notifications_delete ON @extschema@.notifications FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND user_id = (SELECT auth.uid()));

-- support_tickets: the customer opens and reads theirs; staff work them.
GRANT SELECT ON @extschema@.support_tickets TO authenticated;
GRANT INSERT (user_id, subject, description, priority, category) ON @extschema@.support_tickets TO authenticated;
GRANT UPDATE (assigned_to, priority, status, category) ON @extschema@.support_tickets TO authenticated;
GRANT DELETE ON @extschema@.support_tickets TO authenticated;
CREATE POLICY support_tickets_select ON @extschema@.support_tickets FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (user_id = (SELECT auth.uid()) OR (SELECT esim_admin_internal.is_staff())));
CREATE POLICY support_tickets_insert ON @extschema@.support_tickets FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) OR (SELECT esim_admin_internal.is_staff()));
CREATE POLICY support_tickets_update ON @extschema@.support_tickets FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_staff())) WITH CHECK ((SELECT esim_admin_internal.is_staff()));
CREATE POLICY support_tickets_delete ON @extschema@.support_tickets FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- ticket_messages: internal notes are invisible to customers.
GRANT SELECT ON @extschema@.ticket_messages TO authenticated;
GRANT INSERT (ticket_id, message, attachments, is_internal) ON @extschema@.ticket_messages TO authenticated;
GRANT DELETE ON @extschema@.ticket_messages TO authenticated;
CREATE POLICY ticket_messages_select ON @extschema@.ticket_messages FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND ((SELECT esim_admin_internal.is_staff())
         OR (NOT is_internal AND ticket_id = ANY (ARRAY(SELECT t.id FROM @extschema@.support_tickets t
                                                        WHERE t.user_id = (SELECT auth.uid()) AND t.deleted_at IS NULL)))));
CREATE POLICY ticket_messages_insert ON @extschema@.ticket_messages FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_staff())
              OR (NOT is_internal AND ticket_id = ANY (ARRAY(SELECT t.id FROM @extschema@.support_tickets t
                                                             WHERE t.user_id = (SELECT auth.uid()) AND t.deleted_at IS NULL))));
CREATE POLICY ticket_messages_delete ON @extschema@.ticket_messages FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- knowledge_base: published articles for everyone; staff write. views only
-- through record_article_view().
GRANT SELECT ON @extschema@.knowledge_base TO anon, authenticated;
GRANT INSERT (title, slug, content, category, tags, is_published, author_id),
      UPDATE (title, slug, content, category, tags, is_published), DELETE
  ON @extschema@.knowledge_base TO authenticated;
CREATE POLICY knowledge_base_select_anon ON @extschema@.knowledge_base FOR SELECT TO anon
  USING (is_published AND deleted_at IS NULL);
CREATE POLICY knowledge_base_select ON @extschema@.knowledge_base FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (is_published OR (SELECT esim_admin_internal.is_staff())));
CREATE POLICY knowledge_base_insert ON @extschema@.knowledge_base FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_staff()));
CREATE POLICY knowledge_base_update ON @extschema@.knowledge_base FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_staff())) WITH CHECK ((SELECT esim_admin_internal.is_staff()));
CREATE POLICY knowledge_base_delete ON @extschema@.knowledge_base FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- analytics_events: a user records their own events; admins read.
GRANT SELECT ON @extschema@.analytics_events TO authenticated;
GRANT INSERT (event_type, user_id, esim_id, metadata) ON @extschema@.analytics_events TO authenticated;
CREATE POLICY analytics_events_select ON @extschema@.analytics_events FOR SELECT TO authenticated
  USING ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY analytics_events_insert ON @extschema@.analytics_events FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()));

-- revenue_reports: admins read; generate_revenue_report() writes.
GRANT SELECT ON @extschema@.revenue_reports TO authenticated;
CREATE POLICY revenue_reports_select ON @extschema@.revenue_reports FOR SELECT TO authenticated
  USING ((SELECT esim_admin_internal.is_admin()));

-- system_settings: public ones for everyone, the rest for admins.
GRANT SELECT ON @extschema@.system_settings TO anon, authenticated;
GRANT INSERT (key, value, data_type, category, description, is_public),
      UPDATE (value, data_type, category, description, is_public), DELETE
  ON @extschema@.system_settings TO authenticated;
CREATE POLICY system_settings_select_anon ON @extschema@.system_settings FOR SELECT TO anon
  USING (is_public AND deleted_at IS NULL);
CREATE POLICY system_settings_select ON @extschema@.system_settings FOR SELECT TO authenticated
  USING (deleted_at IS NULL AND (is_public OR (SELECT esim_admin_internal.is_admin())));
CREATE POLICY system_settings_insert ON @extschema@.system_settings FOR INSERT TO authenticated
  WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY system_settings_update ON @extschema@.system_settings FOR UPDATE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin())) WITH CHECK ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY system_settings_delete ON @extschema@.system_settings FOR DELETE TO authenticated
  USING (deleted_at IS NULL AND (SELECT esim_admin_internal.is_admin()));

-- Retention's tables: admins read; the retention job writes.
GRANT ALL ON @extschema@.transactions_archive, @extschema@.refunds_archive, @extschema@.support_tickets_archive,
  @extschema@.ticket_messages_archive, @extschema@.esim_usage_monthly, @extschema@.analytics_event_counts TO service_role;
REVOKE ALL ON @extschema@.transactions_archive, @extschema@.refunds_archive, @extschema@.support_tickets_archive,
  @extschema@.ticket_messages_archive, @extschema@.esim_usage_monthly, @extschema@.analytics_event_counts
  FROM PUBLIC, anon, authenticated;
GRANT SELECT ON @extschema@.transactions_archive, @extschema@.refunds_archive, @extschema@.support_tickets_archive,
  @extschema@.ticket_messages_archive, @extschema@.esim_usage_monthly, @extschema@.analytics_event_counts TO authenticated;
ALTER TABLE @extschema@.transactions_archive ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.refunds_archive ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.support_tickets_archive ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.ticket_messages_archive ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.esim_usage_monthly ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.analytics_event_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY transactions_archive_select ON @extschema@.transactions_archive FOR SELECT TO authenticated
  USING ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY refunds_archive_select ON @extschema@.refunds_archive FOR SELECT TO authenticated
  USING ((SELECT esim_admin_internal.is_admin()));
CREATE POLICY support_tickets_archive_select ON @extschema@.support_tickets_archive FOR SELECT TO authenticated
  USING ((SELECT esim_admin_internal.is_staff()));
CREATE POLICY ticket_messages_archive_select ON @extschema@.ticket_messages_archive FOR SELECT TO authenticated
  USING ((SELECT esim_admin_internal.is_staff()));
CREATE POLICY esim_usage_monthly_select ON @extschema@.esim_usage_monthly FOR SELECT TO authenticated
  USING ((SELECT esim_admin_internal.is_staff()));
CREATE POLICY analytics_event_counts_select ON @extschema@.analytics_event_counts FOR SELECT TO authenticated
  USING ((SELECT esim_admin_internal.is_admin()));

-- audit_log: admins read; append-only (trg_audit_log_append_only): only
-- retention's purge removes entries.
GRANT SELECT ON @extschema@.audit_log TO authenticated;
CREATE POLICY audit_log_select ON @extschema@.audit_log FOR SELECT TO authenticated
  USING ((SELECT esim_admin_internal.is_admin()));

-- Helpers: the API roles call them through policies; trigger functions are
-- fired, not called.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA esim_admin_internal FROM PUBLIC;
GRANT EXECUTE ON FUNCTION esim_admin_internal.caller_role(), esim_admin_internal.is_staff(),
  esim_admin_internal.is_admin(), esim_admin_internal.is_super_admin(),
  esim_admin_internal.not_an_object(jsonb), esim_admin_internal.not_authorized_uuid(),
  esim_admin_internal.is_service(), esim_admin_internal.require_admin()
  TO anon, authenticated, service_role;
