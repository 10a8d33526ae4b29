-- =============================================================================
-- Trigger functions (C++: triggers/*.cpp) and their triggers
--
-- Row-level BEFORE triggers compute a row's own figures. Statement-level
-- AFTER triggers over transition tables keep the figures of other rows
-- (order sums, stock, customer figures, analytics, message counts), locking
-- the rows they change in key order; they run as the extension's owner.
-- Nobody needs EXECUTE on a trigger function to fire it: it is revoked.
-- =============================================================================

CREATE FUNCTION callai_internal.touch_updated_at() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_touch_updated_at' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.store_created() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_store_created' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.keep_an_owner() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_keep_an_owner' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.inherit_store_id() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_inherit_store_id' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.line_before() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_line_before' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.lines_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_lines_changed' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.order_before() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_order_before' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.order_deleting() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_order_deleting' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.orders_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_orders_changed' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.product_before() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_product_before' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.call_before() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_call_before' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.calls_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_calls_changed' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.calls_truncated() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_calls_truncated' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.message_before() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_message_before' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.messages_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_messages_changed' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION callai_internal.conversation_before() RETURNS trigger
AS 'MODULE_PATHNAME', 'callai_conversation_before' LANGUAGE C
SET search_path = pg_catalog, pg_temp;

REVOKE ALL ON FUNCTION
  callai_internal.touch_updated_at(), callai_internal.store_created(), callai_internal.keep_an_owner(),
  callai_internal.inherit_store_id(), callai_internal.line_before(), callai_internal.lines_changed(),
  callai_internal.order_before(), callai_internal.order_deleting(), callai_internal.orders_changed(),
  callai_internal.product_before(), callai_internal.call_before(), callai_internal.calls_changed(),
  callai_internal.calls_truncated(), callai_internal.message_before(), callai_internal.messages_changed(),
  callai_internal.conversation_before()
  FROM PUBLIC, anon, authenticated, service_role;

-- updated_at on every table that has it.
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.stores FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.store_members FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.store_invitations FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.store_integrations FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.settings FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.voice_agents FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.store_phone_numbers FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.customers FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.products FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.product_variants FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.product_images FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.orders FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.order_line_items FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.conversations FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.calls FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.conversation_messages FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON @extschema@.call_tool_invocations FOR EACH ROW EXECUTE FUNCTION callai_internal.touch_updated_at();
-- (The folded call figures are updated by fold_call_figures() alone, which
-- carries the pending rows' times over, so a fold changes no column a reader sees.)

-- Stores and members.
CREATE TRIGGER store_created AFTER INSERT ON @extschema@.stores
  REFERENCING NEW TABLE AS new_stores FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.store_created();
CREATE TRIGGER keep_an_owner_update AFTER UPDATE ON @extschema@.store_members
  REFERENCING OLD TABLE AS old_members FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.keep_an_owner();
CREATE TRIGGER keep_an_owner_delete AFTER DELETE ON @extschema@.store_members
  REFERENCING OLD TABLE AS old_members FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.keep_an_owner();

-- Children take their parent's store_id ("a_" fires before the other BEFORE triggers);
-- a row that names its store does not call the function (the composite foreign key checks it).
CREATE TRIGGER a_inherit_store_id BEFORE INSERT ON @extschema@.order_line_items FOR EACH ROW WHEN (NEW.store_id IS NULL) EXECUTE FUNCTION callai_internal.inherit_store_id();
CREATE TRIGGER a_inherit_store_id BEFORE INSERT ON @extschema@.order_status_history FOR EACH ROW WHEN (NEW.store_id IS NULL) EXECUTE FUNCTION callai_internal.inherit_store_id();
CREATE TRIGGER a_inherit_store_id BEFORE INSERT ON @extschema@.product_variants FOR EACH ROW WHEN (NEW.store_id IS NULL) EXECUTE FUNCTION callai_internal.inherit_store_id();
CREATE TRIGGER a_inherit_store_id BEFORE INSERT ON @extschema@.product_images FOR EACH ROW WHEN (NEW.store_id IS NULL) EXECUTE FUNCTION callai_internal.inherit_store_id();
CREATE TRIGGER a_inherit_store_id BEFORE INSERT ON @extschema@.conversation_messages FOR EACH ROW WHEN (NEW.store_id IS NULL) EXECUTE FUNCTION callai_internal.inherit_store_id();
CREATE TRIGGER a_inherit_store_id BEFORE INSERT ON @extschema@.call_tool_invocations FOR EACH ROW WHEN (NEW.store_id IS NULL) EXECUTE FUNCTION callai_internal.inherit_store_id();
CREATE TRIGGER a_inherit_store_id BEFORE INSERT ON @extschema@.call_events FOR EACH ROW WHEN (NEW.store_id IS NULL) EXECUTE FUNCTION callai_internal.inherit_store_id();

-- Products.
CREATE TRIGGER product_before BEFORE INSERT OR UPDATE ON @extschema@.products FOR EACH ROW EXECUTE FUNCTION callai_internal.product_before();
CREATE TRIGGER product_before BEFORE INSERT OR UPDATE ON @extschema@.product_variants FOR EACH ROW EXECUTE FUNCTION callai_internal.product_before();

-- Orders and lines.
CREATE TRIGGER order_before BEFORE INSERT OR UPDATE ON @extschema@.orders FOR EACH ROW EXECUTE FUNCTION callai_internal.order_before();
CREATE TRIGGER order_deleting BEFORE DELETE ON @extschema@.orders FOR EACH ROW EXECUTE FUNCTION callai_internal.order_deleting();
CREATE TRIGGER orders_inserted AFTER INSERT ON @extschema@.orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.orders_changed();
CREATE TRIGGER orders_updated AFTER UPDATE ON @extschema@.orders
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.orders_changed();
CREATE TRIGGER orders_deleted AFTER DELETE ON @extschema@.orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.orders_changed();
CREATE TRIGGER line_before BEFORE INSERT OR UPDATE ON @extschema@.order_line_items FOR EACH ROW EXECUTE FUNCTION callai_internal.line_before();
CREATE TRIGGER lines_inserted AFTER INSERT ON @extschema@.order_line_items
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.lines_changed();
CREATE TRIGGER lines_updated AFTER UPDATE ON @extschema@.order_line_items
  REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.lines_changed();
CREATE TRIGGER lines_deleted AFTER DELETE ON @extschema@.order_line_items
  REFERENCING OLD TABLE AS old_lines FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.lines_changed();

-- Calls.
CREATE TRIGGER call_before BEFORE INSERT OR UPDATE ON @extschema@.calls FOR EACH ROW EXECUTE FUNCTION callai_internal.call_before();
CREATE TRIGGER calls_inserted AFTER INSERT ON @extschema@.calls
  REFERENCING NEW TABLE AS new_calls FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.calls_changed();
CREATE TRIGGER calls_updated AFTER UPDATE ON @extschema@.calls
  REFERENCING OLD TABLE AS old_calls NEW TABLE AS new_calls FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.calls_changed();
CREATE TRIGGER calls_deleted AFTER DELETE ON @extschema@.calls
  REFERENCING OLD TABLE AS old_calls FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.calls_changed();
CREATE TRIGGER calls_truncated AFTER TRUNCATE ON @extschema@.calls
  FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.calls_truncated();

-- Conversations.
CREATE TRIGGER conversation_before BEFORE INSERT OR UPDATE ON @extschema@.conversations FOR EACH ROW EXECUTE FUNCTION callai_internal.conversation_before();
CREATE TRIGGER message_before BEFORE INSERT OR UPDATE ON @extschema@.conversation_messages FOR EACH ROW EXECUTE FUNCTION callai_internal.message_before();
CREATE TRIGGER messages_inserted AFTER INSERT ON @extschema@.conversation_messages
  REFERENCING NEW TABLE AS new_messages FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.messages_changed();
CREATE TRIGGER messages_deleted AFTER DELETE ON @extschema@.conversation_messages
  REFERENCING OLD TABLE AS old_messages FOR EACH STATEMENT EXECUTE FUNCTION callai_internal.messages_changed();
