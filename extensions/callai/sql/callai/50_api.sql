-- =============================================================================
-- The API (Supabase RPC). Functions in the extension schema are SECURITY
-- INVOKER: they run with the caller's privileges and policies. The two steps
-- that need more (joining a store one does not yet belong to, completing
-- idle conversations of every store) are SECURITY DEFINER in callai_internal.
-- =============================================================================

CREATE FUNCTION callai_internal.accept_store_invitation(token text) RETURNS uuid
AS 'MODULE_PATHNAME', 'callai_accept_store_invitation'
LANGUAGE C VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION callai_internal.accept_store_invitation(text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION callai_internal.accept_store_invitation(text) TO authenticated;

CREATE FUNCTION @extschema@.accept_store_invitation(token text) RETURNS uuid
LANGUAGE sql VOLATILE STRICT SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
RETURN callai_internal.accept_store_invitation(token);
COMMENT ON FUNCTION @extschema@.accept_store_invitation(text) IS
  'Joins the store of an unexpired, unused invitation (addressed to the caller''s e-mail when it names one) with its role; returns the store id';
REVOKE ALL ON FUNCTION @extschema@.accept_store_invitation(text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION @extschema@.accept_store_invitation(text) TO authenticated;

CREATE FUNCTION @extschema@.route_inbound_call(to_phone text, from_phone text) RETURNS jsonb
AS 'MODULE_PATHNAME', 'callai_route_inbound_call'
LANGUAGE C STABLE STRICT SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.route_inbound_call(text, text) IS
  'The called number''s store, voice agent and greeting, the caller as a customer of that store and their five latest orders; NULL for an unknown number';
REVOKE ALL ON FUNCTION @extschema@.route_inbound_call(text, text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION @extschema@.route_inbound_call(text, text) TO authenticated, service_role;

CREATE FUNCTION callai_internal.complete_idle_conversations(idle interval DEFAULT '1 hour') RETURNS integer
AS 'MODULE_PATHNAME', 'callai_complete_idle_conversations'
LANGUAGE C VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION callai_internal.complete_idle_conversations(interval) IS
  'Completes active voice and chat conversations idle for longer than idle, ending them at their last activity; returns how many';
REVOKE ALL ON FUNCTION callai_internal.complete_idle_conversations(interval) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION callai_internal.complete_idle_conversations(interval) TO service_role;

CREATE FUNCTION callai_internal.schedule_idle_completion(schedule text DEFAULT '*/5 * * * *') RETURNS boolean
AS 'MODULE_PATHNAME', 'callai_schedule_idle_completion'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION callai_internal.schedule_idle_completion(text) IS
  'Schedules complete_idle_conversations(''1 hour'') with pg_cron (job callai-complete-idle-conversations); false where pg_cron is not installed';
REVOKE ALL ON FUNCTION callai_internal.schedule_idle_completion(text) FROM PUBLIC, anon, authenticated, service_role;
SELECT callai_internal.schedule_idle_completion();

-- Pending call figure deltas (docs/design.md, "Hot buckets") folded into the
-- totals: the views read the same before and after, so a fold is only
-- housekeeping (fewer pending rows for a read to add up).
CREATE FUNCTION callai_internal.fold_call_figures() RETURNS bigint
AS 'MODULE_PATHNAME', 'callai_fold_call_figures'
LANGUAGE C VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION callai_internal.fold_call_figures() IS
  'Folds the pending call_analytics, call_intent_counts and store_usage_periods deltas into their totals (no figure changes); returns how many pending rows it folded';
REVOKE ALL ON FUNCTION callai_internal.fold_call_figures() FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION callai_internal.fold_call_figures() TO service_role;

CREATE FUNCTION callai_internal.schedule_call_figure_fold(schedule text DEFAULT '* * * * *') RETURNS boolean
AS 'MODULE_PATHNAME', 'callai_schedule_call_figure_fold'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION callai_internal.schedule_call_figure_fold(text) IS
  'Schedules fold_call_figures() with pg_cron (job callai-fold-call-figures); false where pg_cron is not installed';
REVOKE ALL ON FUNCTION callai_internal.schedule_call_figure_fold(text) FROM PUBLIC, anon, authenticated, service_role;
SELECT callai_internal.schedule_call_figure_fold();

-- The jobs are not members of the extension: the event trigger unschedules
-- them before DROP EXTENSION drops callai (triggers/drop_guard.cpp). ENABLE
-- ALWAYS: under session_replication_role = replica too.
CREATE FUNCTION callai_internal.before_drop() RETURNS event_trigger
AS 'MODULE_PATHNAME', 'callai_before_drop'
LANGUAGE C SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION callai_internal.before_drop() IS
  'Before DROP EXTENSION drops callai: unschedules its pg_cron jobs (callai-complete-idle-conversations, callai-fold-call-figures)';
REVOKE ALL ON FUNCTION callai_internal.before_drop() FROM PUBLIC, anon, authenticated, service_role;
CREATE EVENT TRIGGER callai_before_drop ON ddl_command_start
  WHEN TAG IN ('DROP EXTENSION')
  EXECUTE FUNCTION callai_internal.before_drop();
ALTER EVENT TRIGGER callai_before_drop ENABLE ALWAYS;

-- Sync upserts from the store platform, keyed on (store, external id). A row
-- whose sync_hash is unchanged is left alone (no write, no trigger, no new
-- row version); the result says 'inserted', 'updated' or 'unchanged'. They
-- run as the caller: the service role, or a member the policies allow.
-- (Parameters are qualified where a column of the payload shares their name.)
CREATE FUNCTION callai_internal.require_sync_object(data jsonb, what text) RETURNS void
AS 'MODULE_PATHNAME', 'callai_require_sync_object'
LANGUAGE C IMMUTABLE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION callai_internal.require_sync_object(jsonb, text) IS
  'Raises 22023 unless data is a JSON object (one record of a sync payload); what names the record in the message';
REVOKE ALL ON FUNCTION callai_internal.require_sync_object(jsonb, text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION callai_internal.require_sync_object(jsonb, text) TO authenticated, service_role;

CREATE FUNCTION @extschema@.sync_customer(store uuid, external_id text, data jsonb, sync_hash text)
RETURNS text
LANGUAGE sql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT callai_internal.require_sync_object(data, 'customer');
  WITH written AS (
    INSERT INTO @extschema@.customers AS c (store_id, external_id, email, phone, first_name, last_name,
      accepts_marketing, preferred_language, tags, platform_data, last_synced_at, sync_hash)
    SELECT store, sync_customer.external_id, r.email, r.phone, r.first_name, r.last_name,
      coalesce(r.accepts_marketing, false), coalesce(r.preferred_language, 'en'), r.tags, data, now(), sync_customer.sync_hash
    FROM jsonb_populate_record(NULL::@extschema@.customers, data) AS r
    ON CONFLICT ON CONSTRAINT customers_store_id_external_id_key DO UPDATE SET
      email = excluded.email, phone = excluded.phone, first_name = excluded.first_name,
      last_name = excluded.last_name, accepts_marketing = excluded.accepts_marketing,
      preferred_language = excluded.preferred_language, tags = excluded.tags,
      platform_data = excluded.platform_data, last_synced_at = excluded.last_synced_at,
      sync_hash = excluded.sync_hash
    WHERE c.sync_hash IS DISTINCT FROM excluded.sync_hash
    RETURNING (xmax = 0) AS inserted)
  SELECT coalesce((SELECT CASE WHEN inserted THEN 'inserted' ELSE 'updated' END FROM written), 'unchanged');
END;
COMMENT ON FUNCTION @extschema@.sync_customer(uuid, text, jsonb, text) IS
  'Upserts a customer from the platform''s payload (customers'' column names); unchanged when sync_hash matches';

CREATE FUNCTION @extschema@.sync_product(store uuid, external_id text, data jsonb, sync_hash text)
RETURNS text
LANGUAGE sql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT callai_internal.require_sync_object(data, 'product');
  WITH written AS (
    INSERT INTO @extschema@.products AS p (store_id, external_id, external_variant_id, title, description,
      handle, product_type, vendor, tags, price, compare_at_price, cost_per_item, sku, barcode,
      inventory_quantity, inventory_tracked, weight, status, is_published, platform_data, last_synced_at, sync_hash)
    SELECT store, sync_product.external_id, r.external_variant_id, r.title, r.description, r.handle, r.product_type, r.vendor,
      r.tags, r.price, r.compare_at_price, r.cost_per_item, r.sku, r.barcode, coalesce(r.inventory_quantity, 0),
      coalesce(r.inventory_tracked, false), r.weight, coalesce(r.status, 'active'), coalesce(r.is_published, true),
      data, now(), sync_product.sync_hash
    FROM jsonb_populate_record(NULL::@extschema@.products, data) AS r
    ON CONFLICT ON CONSTRAINT products_store_id_external_id_key DO UPDATE SET
      external_variant_id = excluded.external_variant_id, title = excluded.title,
      description = excluded.description, handle = excluded.handle, product_type = excluded.product_type,
      vendor = excluded.vendor, tags = excluded.tags, price = excluded.price,
      compare_at_price = excluded.compare_at_price, cost_per_item = excluded.cost_per_item, sku = excluded.sku,
      barcode = excluded.barcode, inventory_quantity = excluded.inventory_quantity,
      inventory_tracked = excluded.inventory_tracked, weight = excluded.weight, status = excluded.status,
      is_published = excluded.is_published, platform_data = excluded.platform_data,
      last_synced_at = excluded.last_synced_at, sync_hash = excluded.sync_hash
    WHERE p.sync_hash IS DISTINCT FROM excluded.sync_hash
    RETURNING (xmax = 0) AS inserted)
  SELECT coalesce((SELECT CASE WHEN inserted THEN 'inserted' ELSE 'updated' END FROM written), 'unchanged');
END;
COMMENT ON FUNCTION @extschema@.sync_product(uuid, text, jsonb, text) IS
  'Upserts a product from the platform''s payload (products'' column names); unchanged when sync_hash matches';
REVOKE ALL ON FUNCTION @extschema@.sync_customer(uuid, text, jsonb, text), @extschema@.sync_product(uuid, text, jsonb, text)
  FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION @extschema@.sync_customer(uuid, text, jsonb, text), @extschema@.sync_product(uuid, text, jsonb, text)
  TO authenticated, service_role;

-- An order with its lines from the platform (C++, api/sync.cpp): the payload's
-- stated amounts must agree with its lines (22023), the lines are replaced and
-- the database keeps the totals, stock and customer figures. SECURITY INVOKER:
-- the service role, or an admin of the store (the orders policies).
CREATE FUNCTION @extschema@.sync_order(store uuid, external_id text, data jsonb, sync_hash text)
RETURNS text
AS 'MODULE_PATHNAME', 'callai_sync_order'
LANGUAGE C VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.sync_order(uuid, text, jsonb, text) IS
  'Upserts an order and replaces its lines from the platform''s payload (orders'' column names, lines in line_items); unchanged when sync_hash matches; stated totals that disagree with the lines are refused (22023)';
REVOKE ALL ON FUNCTION @extschema@.sync_order(uuid, text, jsonb, text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION @extschema@.sync_order(uuid, text, jsonb, text) TO authenticated, service_role;
