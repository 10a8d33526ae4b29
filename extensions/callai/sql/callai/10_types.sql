-- =============================================================================
-- Enum types
--
-- Upstream creates its 14 enums inside exception-swallowing blocks so that the
-- file can be run again. Here ensure_enum (C++, api/tenancy.cpp) does the
-- same without PL/pgSQL: it creates the type in the extension's schema, or,
-- when a type of that name is already there (upstream's 00_enums_and_types.sql
-- run into public before the extension), keeps it, adding labels it lacks at
-- the end and refusing (42804) a type that is not an enum. A kept type stays
-- the user's: DROP EXTENSION leaves it.
-- =============================================================================

CREATE FUNCTION callai_internal.ensure_enum(type_schema regnamespace, type_name text, labels text[])
RETURNS void
AS 'MODULE_PATHNAME', 'callai_ensure_enum'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION callai_internal.ensure_enum(regnamespace, text, text[]) FROM PUBLIC;

SELECT callai_internal.ensure_enum('@extschema@', t.name, t.labels)
FROM (VALUES
  (1, 'store_platform', ARRAY['shopify', 'woocommerce', 'magento', 'bigcommerce', 'custom']),
  (2, 'store_status', ARRAY['connected', 'disconnected', 'error', 'pending']),
  (3, 'setting_category', ARRAY['voice', 'ai', 'integration', 'notification', 'security', 'general']),
  (4, 'product_status', ARRAY['active', 'draft', 'archived', 'discontinued']),
  (5, 'product_availability', ARRAY['in_stock', 'out_of_stock', 'low_stock', 'backorder', 'discontinued']),
  (6, 'order_status', ARRAY['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded', 'returned']),
  (7, 'payment_status', ARRAY['pending', 'paid', 'partially_paid', 'refunded', 'partially_refunded', 'failed', 'cancelled']),
  (8, 'fulfillment_status', ARRAY['unfulfilled', 'partial', 'fulfilled', 'restocked', 'cancelled']),
  (9, 'call_direction', ARRAY['inbound', 'outbound']),
  (10, 'call_status', ARRAY['initiated', 'ringing', 'answered', 'completed', 'failed', 'busy', 'no_answer', 'cancelled']),
  (11, 'conversation_channel', ARRAY['voice', 'chat', 'email', 'sms', 'whatsapp']),
  (12, 'conversation_status', ARRAY['active', 'paused', 'completed', 'escalated', 'abandoned', 'resolved']),
  (13, 'message_role', ARRAY['customer', 'ai_assistant', 'human_agent', 'system']),
  (14, 'message_type', ARRAY['text', 'audio', 'image', 'file', 'system_event', 'action_result']),
  -- Beyond upstream: store tenancy and voice platforms.
  (15, 'store_member_role', ARRAY['owner', 'admin', 'agent', 'viewer']),
  (16, 'voice_provider', ARRAY['twilio', 'vapi', 'retell', 'bland', 'custom']),
  (17, 'tool_invocation_status', ARRAY['pending', 'running', 'completed', 'failed']),
  (18, 'order_change_source', ARRAY['sync', 'voice', 'agent', 'system']),
  -- Upstream's voice_method varchar CHECK (GET, POST), as a type apps see.
  (19, 'voice_webhook_method', ARRAY['GET', 'POST'])
) AS t(n, name, labels)
ORDER BY t.n;
