-- =============================================================================
-- Row Level Security and privileges (docs/design.md, "Roles")
--
-- Store roles, strongest first: owner > admin > agent > viewer. Every policy
-- is TO authenticated and compares the row's store_id with the stores in
-- which the caller holds a role, computed once per statement:
--   store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[])
-- (an array the store_id indexes take). A member of store A never sees a
-- row of store B. One permissive policy per table, role and action.
--
-- Columns: the API roles get INSERT / UPDATE only on the columns a client
-- may set; maintained figures, ids, store_id and timestamps are kept by the
-- database. service_role (BYPASSRLS: the voice backend and store sync)
-- writes calls, transcripts and synced rows; it too cannot write the
-- maintained tables (analytics, usage, status history) or customer figures.
-- anon gets nothing.
-- =============================================================================

CREATE FUNCTION callai_internal.member_store_ids(min_role @extschema@.store_member_role) RETURNS uuid[]
AS 'MODULE_PATHNAME', 'callai_member_store_ids'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION callai_internal.member_store_ids(@extschema@.store_member_role) IS
  'The stores in which auth.uid() holds min_role or a stronger role (owner > admin > agent > viewer); empty without a user';
REVOKE ALL ON FUNCTION callai_internal.member_store_ids(@extschema@.store_member_role) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION callai_internal.member_store_ids(@extschema@.store_member_role) TO authenticated, service_role;

REVOKE ALL ON TABLE
  @extschema@.stores,
  @extschema@.store_members,
  @extschema@.store_invitations,
  @extschema@.store_integrations,
  @extschema@.settings,
  @extschema@.voice_agents,
  @extschema@.store_phone_numbers,
  @extschema@.customers,
  @extschema@.products,
  @extschema@.product_variants,
  @extschema@.product_images,
  @extschema@.orders,
  @extschema@.order_line_items,
  @extschema@.order_status_history,
  @extschema@.conversations,
  @extschema@.calls,
  @extschema@.conversation_messages,
  @extschema@.call_events,
  @extschema@.call_tool_invocations,
  @extschema@.call_analytics,
  @extschema@.call_intent_counts,
  @extschema@.store_usage_periods,
  callai_internal.call_analytics_folded,
  callai_internal.call_analytics_pending,
  callai_internal.call_intent_counts_folded,
  callai_internal.store_usage_folded,
  callai_internal.store_usage_pending
  FROM PUBLIC, anon, authenticated, service_role;
GRANT USAGE ON SCHEMA @extschema@ TO anon, authenticated, service_role;
ALTER TABLE @extschema@.stores ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.store_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.store_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.store_integrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.voice_agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.store_phone_numbers ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.products ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.product_variants ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.product_images ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.order_line_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.order_status_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.calls ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.conversation_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.call_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.call_tool_invocations ENABLE ROW LEVEL SECURITY;
ALTER TABLE callai_internal.call_analytics_folded ENABLE ROW LEVEL SECURITY;
ALTER TABLE callai_internal.call_analytics_pending ENABLE ROW LEVEL SECURITY;
ALTER TABLE callai_internal.call_intent_counts_folded ENABLE ROW LEVEL SECURITY;
ALTER TABLE callai_internal.store_usage_folded ENABLE ROW LEVEL SECURITY;
ALTER TABLE callai_internal.store_usage_pending ENABLE ROW LEVEL SECURITY;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA @extschema@ TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.stores TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.store_members TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.store_invitations TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.store_integrations TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.settings TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.voice_agents TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.store_phone_numbers TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.products TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.product_variants TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.product_images TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.orders TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.order_line_items TO service_role;
GRANT SELECT ON TABLE @extschema@.order_status_history TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.conversations TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.calls TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.conversation_messages TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.call_events TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE @extschema@.call_tool_invocations TO service_role;
-- The call figure views are security_invoker: readers need the tables under them.
GRANT SELECT ON TABLE @extschema@.call_analytics, @extschema@.call_intent_counts, @extschema@.store_usage_periods,
  callai_internal.call_analytics_folded, callai_internal.call_analytics_pending,
  callai_internal.call_intent_counts_folded, callai_internal.store_usage_folded, callai_internal.store_usage_pending
  TO service_role;
GRANT SELECT, DELETE ON TABLE @extschema@.customers TO service_role;
GRANT INSERT (store_id, external_id, email, phone, first_name, last_name, accepts_marketing, preferred_language, last_contact_date, tags, platform_data, last_synced_at, sync_hash), UPDATE (external_id, email, phone, first_name, last_name, accepts_marketing, preferred_language, last_contact_date, tags, platform_data, last_synced_at, sync_hash) ON TABLE @extschema@.customers TO service_role;
GRANT SELECT, DELETE ON TABLE @extschema@.stores TO authenticated;
GRANT INSERT (name, domain, platform, store_url, currency_code, timezone, owner_email, owner_name, sync_enabled), UPDATE (name, store_url, timezone, owner_email, owner_name, sync_enabled) ON TABLE @extschema@.stores TO authenticated;
-- The creator reads the store it just created (INSERT ... RETURNING) before the
-- statement's trigger has made it the owner.
CREATE POLICY stores_select ON @extschema@.stores FOR SELECT TO authenticated
  USING (id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]) OR created_by = (SELECT auth.uid()));
CREATE POLICY stores_insert ON @extschema@.stores FOR INSERT TO authenticated
  WITH CHECK (created_by = (SELECT auth.uid()));
CREATE POLICY stores_update ON @extschema@.stores FOR UPDATE TO authenticated
  USING (id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]))
  WITH CHECK (id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY stores_delete ON @extschema@.stores FOR DELETE TO authenticated
  USING (id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]));
GRANT SELECT, DELETE, INSERT (store_id, user_id, role), UPDATE (role) ON TABLE @extschema@.store_members TO authenticated;
-- Owners manage every member; admins agents and viewers. Anyone may leave.
CREATE POLICY store_members_select ON @extschema@.store_members FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY store_members_insert ON @extschema@.store_members FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]) OR (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]) AND role IN ('agent', 'viewer')));
CREATE POLICY store_members_update ON @extschema@.store_members FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]) OR (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]) AND role IN ('agent', 'viewer')))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]) OR (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]) AND role IN ('agent', 'viewer')));
CREATE POLICY store_members_delete ON @extschema@.store_members FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]) OR (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]) AND role IN ('agent', 'viewer')) OR user_id = (SELECT auth.uid()));
GRANT SELECT, DELETE, INSERT (store_id, role, email, expires_at) ON TABLE @extschema@.store_invitations TO authenticated;
CREATE POLICY store_invitations_select ON @extschema@.store_invitations FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY store_invitations_insert ON @extschema@.store_invitations FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]) OR (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]) AND role IN ('agent', 'viewer')));
CREATE POLICY store_invitations_delete ON @extschema@.store_invitations FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]) OR (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]) AND role IN ('agent', 'viewer')));
GRANT SELECT, DELETE, INSERT (store_id, provider, status, credentials_secret_id, config, token_expires_at, last_sync_at, error), UPDATE (status, credentials_secret_id, config, token_expires_at, last_sync_at, error) ON TABLE @extschema@.store_integrations TO authenticated;
CREATE POLICY store_integrations_select ON @extschema@.store_integrations FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY store_integrations_insert ON @extschema@.store_integrations FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]));
CREATE POLICY store_integrations_update ON @extschema@.store_integrations FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]));
CREATE POLICY store_integrations_delete ON @extschema@.store_integrations FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]));
GRANT SELECT, DELETE, INSERT (store_id, category, key, value, description, is_encrypted, is_required), UPDATE (value, description, is_encrypted, is_required) ON TABLE @extschema@.settings TO authenticated;
-- Platform-wide defaults (store_id NULL) are readable by every member; security
-- settings are the owners'.
CREATE POLICY settings_select ON @extschema@.settings FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]) OR store_id IS NULL);
CREATE POLICY settings_insert ON @extschema@.settings FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]) AND (category <> 'security' OR store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[])));
CREATE POLICY settings_update ON @extschema@.settings FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]) AND (category <> 'security' OR store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[])))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]) AND (category <> 'security' OR store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[])));
CREATE POLICY settings_delete ON @extschema@.settings FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]) AND (category <> 'security' OR store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[])));
GRANT SELECT, DELETE, INSERT (store_id, provider, external_assistant_id, name, voice_id, model, system_prompt, first_message, temperature, max_tokens, tools, is_active), UPDATE (provider, external_assistant_id, name, voice_id, model, system_prompt, first_message, temperature, max_tokens, tools, is_active) ON TABLE @extschema@.voice_agents TO authenticated;
CREATE POLICY voice_agents_select ON @extschema@.voice_agents FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY voice_agents_insert ON @extschema@.voice_agents FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY voice_agents_update ON @extschema@.voice_agents FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY voice_agents_delete ON @extschema@.voice_agents FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
GRANT SELECT, DELETE, INSERT (store_id, phone_number, twilio_sid, provider, provider_number_id, voice_agent_id, is_active, is_primary, voice_url, voice_method), UPDATE (phone_number, twilio_sid, provider, provider_number_id, voice_agent_id, is_active, is_primary, voice_url, voice_method) ON TABLE @extschema@.store_phone_numbers TO authenticated;
CREATE POLICY store_phone_numbers_select ON @extschema@.store_phone_numbers FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY store_phone_numbers_insert ON @extschema@.store_phone_numbers FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY store_phone_numbers_update ON @extschema@.store_phone_numbers FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY store_phone_numbers_delete ON @extschema@.store_phone_numbers FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
-- Agents create and update customers while handling calls; admins delete them.
GRANT SELECT, DELETE, INSERT (store_id, external_id, email, phone, first_name, last_name, accepts_marketing, preferred_language, last_contact_date, tags, platform_data, last_synced_at, sync_hash), UPDATE (external_id, email, phone, first_name, last_name, accepts_marketing, preferred_language, last_contact_date, tags, platform_data, last_synced_at, sync_hash) ON TABLE @extschema@.customers TO authenticated;
CREATE POLICY customers_select ON @extschema@.customers FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY customers_insert ON @extschema@.customers FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]));
CREATE POLICY customers_update ON @extschema@.customers FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]));
CREATE POLICY customers_delete ON @extschema@.customers FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
GRANT SELECT, DELETE, INSERT (store_id, external_id, external_variant_id, title, description, handle, product_type, vendor, tags, price, compare_at_price, cost_per_item, currency_code, sku, barcode, inventory_quantity, inventory_tracked, availability, weight, weight_unit, seo_title, seo_description, platform_data, status, is_published, published_at, last_synced_at, sync_hash), UPDATE (external_id, external_variant_id, title, description, handle, product_type, vendor, tags, price, compare_at_price, cost_per_item, currency_code, sku, barcode, inventory_quantity, inventory_tracked, availability, weight, weight_unit, seo_title, seo_description, platform_data, status, is_published, published_at, last_synced_at, sync_hash) ON TABLE @extschema@.products TO authenticated;
CREATE POLICY products_select ON @extschema@.products FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY products_insert ON @extschema@.products FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY products_update ON @extschema@.products FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY products_delete ON @extschema@.products FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
GRANT SELECT, DELETE, INSERT (product_id, store_id, external_variant_id, title, sku, barcode, price, compare_at_price, inventory_quantity, inventory_tracked, availability, options, position), UPDATE (external_variant_id, title, sku, barcode, price, compare_at_price, inventory_quantity, inventory_tracked, availability, options, position) ON TABLE @extschema@.product_variants TO authenticated;
CREATE POLICY product_variants_select ON @extschema@.product_variants FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY product_variants_insert ON @extschema@.product_variants FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY product_variants_update ON @extschema@.product_variants FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY product_variants_delete ON @extschema@.product_variants FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
GRANT SELECT, DELETE, INSERT (product_id, store_id, external_id, url, alt_text, position), UPDATE (external_id, url, alt_text, position) ON TABLE @extschema@.product_images TO authenticated;
CREATE POLICY product_images_select ON @extschema@.product_images FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY product_images_insert ON @extschema@.product_images FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY product_images_update ON @extschema@.product_images FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY product_images_delete ON @extschema@.product_images FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
-- Admins create and delete orders; agents update them (a customer cancels on a call).
GRANT SELECT, DELETE, INSERT (store_id, external_id, customer_id, order_number, customer_email, customer_phone, customer_first_name, customer_last_name, customer_external_id, total_tax, total_shipping, total_discounts, total_price, currency_code, status, payment_status, fulfillment_status, shipping_address, billing_address, shipping_method, tracking_number, tracking_url, order_date, shipped_date, delivered_date, cancelled_date, platform_data, customer_notes, internal_notes, last_synced_at, sync_hash), UPDATE (customer_id, order_number, customer_email, customer_phone, customer_first_name, customer_last_name, customer_external_id, total_tax, total_shipping, total_discounts, total_price, currency_code, status, payment_status, fulfillment_status, shipping_address, billing_address, shipping_method, tracking_number, tracking_url, order_date, shipped_date, delivered_date, cancelled_date, platform_data, customer_notes, internal_notes, last_synced_at, sync_hash) ON TABLE @extschema@.orders TO authenticated;
CREATE POLICY orders_select ON @extschema@.orders FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY orders_insert ON @extschema@.orders FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY orders_update ON @extschema@.orders FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]));
CREATE POLICY orders_delete ON @extschema@.orders FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
GRANT SELECT, DELETE, INSERT (order_id, store_id, product_id, variant_id, external_id, external_product_id, external_variant_id, title, variant_title, sku, price, quantity, discount_amount, tax_amount, total_price, properties, fulfillment_status, fulfilled_quantity), UPDATE (product_id, variant_id, external_id, external_product_id, external_variant_id, title, variant_title, sku, price, quantity, discount_amount, tax_amount, total_price, properties, fulfillment_status, fulfilled_quantity) ON TABLE @extschema@.order_line_items TO authenticated;
CREATE POLICY order_line_items_select ON @extschema@.order_line_items FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY order_line_items_insert ON @extschema@.order_line_items FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY order_line_items_update ON @extschema@.order_line_items FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
CREATE POLICY order_line_items_delete ON @extschema@.order_line_items FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
GRANT SELECT ON TABLE @extschema@.order_status_history TO authenticated;
CREATE POLICY order_status_history_select ON @extschema@.order_status_history FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
-- Agents handle conversations and their messages; admins delete them.
GRANT SELECT, DELETE, INSERT (store_id, conversation_key, order_id, customer_id, channel, status, customer_identifier, customer_name, start_time, end_time, last_activity_at, title, summary, primary_intent, resolution_status, ai_context, conversation_history, sentiment_score, satisfaction_rating, escalated_to_human, assigned_agent_id, escalation_reason, tags, priority_level, platform_data), UPDATE (conversation_key, order_id, customer_id, channel, status, customer_identifier, customer_name, start_time, end_time, last_activity_at, title, summary, primary_intent, resolution_status, ai_context, conversation_history, sentiment_score, satisfaction_rating, escalated_to_human, assigned_agent_id, escalation_reason, tags, priority_level, platform_data) ON TABLE @extschema@.conversations TO authenticated;
CREATE POLICY conversations_select ON @extschema@.conversations FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY conversations_insert ON @extschema@.conversations FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]));
CREATE POLICY conversations_update ON @extschema@.conversations FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]));
CREATE POLICY conversations_delete ON @extschema@.conversations FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
GRANT SELECT, DELETE, INSERT (conversation_id, store_id, message_index, external_message_id, role, type, content, content_type, attachments, ai_model, ai_prompt, ai_metadata, processed_at, processing_time_ms, intent, entities, sentiment_score, start_ms, end_ms, platform_data, "timestamp") ON TABLE @extschema@.conversation_messages TO authenticated;
CREATE POLICY conversation_messages_select ON @extschema@.conversation_messages FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY conversation_messages_insert ON @extschema@.conversation_messages FOR INSERT TO authenticated
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]));
CREATE POLICY conversation_messages_delete ON @extschema@.conversation_messages FOR DELETE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
-- Calls are written by the voice backend; agents annotate them.
GRANT SELECT, UPDATE (conversation_id, order_id, customer_id, intent_detected, satisfaction_rating, escalated_to_human) ON TABLE @extschema@.calls TO authenticated;
CREATE POLICY calls_select ON @extschema@.calls FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY calls_update ON @extschema@.calls FOR UPDATE TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]))
  WITH CHECK (store_id = ANY ((SELECT callai_internal.member_store_ids('agent'))::uuid[]));
GRANT SELECT ON TABLE @extschema@.call_events TO authenticated;
CREATE POLICY call_events_select ON @extschema@.call_events FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('admin'))::uuid[]));
GRANT SELECT ON TABLE @extschema@.call_tool_invocations TO authenticated;
CREATE POLICY call_tool_invocations_select ON @extschema@.call_tool_invocations FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
GRANT SELECT ON TABLE @extschema@.call_analytics, @extschema@.call_intent_counts,
  callai_internal.call_analytics_folded, callai_internal.call_analytics_pending, callai_internal.call_intent_counts_folded
  TO authenticated;
CREATE POLICY call_analytics_folded_select ON callai_internal.call_analytics_folded FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY call_analytics_pending_select ON callai_internal.call_analytics_pending FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
CREATE POLICY call_intent_counts_folded_select ON callai_internal.call_intent_counts_folded FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('viewer'))::uuid[]));
-- Usage is billing: owners.
GRANT SELECT ON TABLE @extschema@.store_usage_periods, callai_internal.store_usage_folded,
  callai_internal.store_usage_pending TO authenticated;
CREATE POLICY store_usage_folded_select ON callai_internal.store_usage_folded FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]));
CREATE POLICY store_usage_pending_select ON callai_internal.store_usage_pending FOR SELECT TO authenticated
  USING (store_id = ANY ((SELECT callai_internal.member_store_ids('owner'))::uuid[]));
