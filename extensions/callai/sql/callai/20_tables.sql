-- =============================================================================
-- Tables: upstream's twelve (master_schema.sql) without its defects
-- (docs/design.md, "Departures from upstream"), and the store tenancy,
-- voice and billing tables upstream never wrote.
--
-- Child tables carry their store_id (a composite foreign key to the parent's
-- (id, store_id) keeps it equal to the parent's), so every policy is one
-- indexed comparison; a BEFORE INSERT trigger fills it from the parent when
-- the writer leaves it out. Money: numeric(10,2), call costs numeric(10,4).
-- =============================================================================

CREATE TABLE @extschema@.stores (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(255) NOT NULL CHECK (length(btrim(name)) > 0),
  domain varchar(255) NOT NULL UNIQUE,
  platform @extschema@.store_platform NOT NULL,
  store_url text,
  currency_code varchar(10) NOT NULL DEFAULT 'USD' CHECK (currency_code ~ '^[A-Z]{3}$'),
  timezone varchar(100) NOT NULL DEFAULT 'UTC',
  status @extschema@.store_status NOT NULL DEFAULT 'pending',
  last_sync_at timestamptz,
  sync_enabled boolean NOT NULL DEFAULT true,
  owner_email varchar(255),
  owner_name varchar(255),
  created_by uuid REFERENCES auth.users (id) ON DELETE SET NULL DEFAULT auth.uid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT valid_email CHECK (owner_email IS NULL OR owner_email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$'),
  CONSTRAINT valid_domain CHECK (domain ~* '^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$')
);
CREATE INDEX stores_created_by_idx ON @extschema@.stores (created_by);
COMMENT ON TABLE @extschema@.stores IS
  'A shop on an ecommerce platform: the tenant every other row belongs to. Platform tokens live in store_integrations (encrypted), not here';

CREATE TABLE @extschema@.store_members (
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  role @extschema@.store_member_role NOT NULL,
  invited_by uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, user_id)
);
-- The RLS helper's look-up: a user's stores at or above a role.
CREATE INDEX store_members_user_idx ON @extschema@.store_members (user_id, role, store_id);
CREATE INDEX store_members_invited_by_idx ON @extschema@.store_members (invited_by);
COMMENT ON TABLE @extschema@.store_members IS
  'Who belongs to a store, as owner > admin > agent > viewer. A store always keeps at least one owner';

CREATE TABLE @extschema@.store_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  role @extschema@.store_member_role NOT NULL DEFAULT 'agent',
  email varchar(255) CHECK (email IS NULL OR email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$'),
  token text NOT NULL UNIQUE
    DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
  invited_by uuid REFERENCES auth.users (id) ON DELETE SET NULL DEFAULT auth.uid(),
  expires_at timestamptz NOT NULL DEFAULT now() + interval '7 days',
  accepted_at timestamptz,
  accepted_by uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT accepted_together CHECK ((accepted_at IS NULL) = (accepted_by IS NULL))
);
CREATE INDEX store_invitations_store_idx ON @extschema@.store_invitations (store_id);
CREATE INDEX store_invitations_invited_by_idx ON @extschema@.store_invitations (invited_by);
CREATE INDEX store_invitations_accepted_by_idx ON @extschema@.store_invitations (accepted_by);
COMMENT ON TABLE @extschema@.store_invitations IS
  'An invitation to join a store with a role; accepted once, before expires_at, through accept_store_invitation(token)';

CREATE TABLE @extschema@.store_integrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  provider varchar(50) NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]*$'),
  status @extschema@.store_status NOT NULL DEFAULT 'pending',
  credentials_secret_id uuid,
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  token_expires_at timestamptz,
  last_sync_at timestamptz,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (store_id, provider)
);
COMMENT ON TABLE @extschema@.store_integrations IS
  'A store''s connection to its ecommerce platform or a voice / AI provider. Credentials are never stored here: credentials_secret_id names a Supabase Vault secret (vault.secrets.id)';
COMMENT ON COLUMN @extschema@.store_integrations.provider IS
  'A store_platform or voice_provider label, or another provider name (openai, elevenlabs)';

CREATE TABLE @extschema@.settings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id uuid REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  category @extschema@.setting_category NOT NULL,
  key varchar(100) NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  value jsonb NOT NULL,
  description text,
  is_encrypted boolean NOT NULL DEFAULT false,
  is_required boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT settings_store_category_key_key UNIQUE NULLS NOT DISTINCT (store_id, category, key)
);
COMMENT ON TABLE @extschema@.settings IS
  'Store settings by category and key (store_id NULL: platform-wide defaults, one per key). Twelve rows are created with every store';

CREATE TABLE @extschema@.voice_agents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  provider @extschema@.voice_provider NOT NULL,
  external_assistant_id varchar(255),
  name varchar(255) NOT NULL,
  voice_id varchar(255),
  model varchar(100),
  system_prompt text,
  first_message text,
  temperature numeric(3,2) CHECK (temperature IS NULL OR temperature BETWEEN 0 AND 2),
  max_tokens integer CHECK (max_tokens IS NULL OR max_tokens > 0),
  tools jsonb NOT NULL DEFAULT '[]'::jsonb,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, store_id),
  UNIQUE (store_id, provider, external_assistant_id)
);
COMMENT ON TABLE @extschema@.voice_agents IS 'An AI voice assistant of a store on a voice platform';

CREATE TABLE @extschema@.store_phone_numbers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  phone_number varchar(20) NOT NULL UNIQUE,
  twilio_sid varchar(100) UNIQUE,
  provider @extschema@.voice_provider NOT NULL DEFAULT 'twilio',
  provider_number_id varchar(255),
  voice_agent_id uuid,
  is_active boolean NOT NULL DEFAULT true,
  is_primary boolean NOT NULL DEFAULT false,
  voice_url text,
  voice_method @extschema@.voice_webhook_method NOT NULL DEFAULT 'POST',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, store_id),
  FOREIGN KEY (voice_agent_id, store_id) REFERENCES @extschema@.voice_agents (id, store_id),
  CONSTRAINT valid_phone CHECK (phone_number ~ '^\+[1-9][0-9]{1,14}$')
);
CREATE INDEX store_phone_numbers_store_idx ON @extschema@.store_phone_numbers (store_id);
CREATE INDEX store_phone_numbers_agent_idx ON @extschema@.store_phone_numbers (voice_agent_id, store_id);
CREATE UNIQUE INDEX store_phone_numbers_one_primary ON @extschema@.store_phone_numbers (store_id) WHERE is_primary;
COMMENT ON TABLE @extschema@.store_phone_numbers IS
  'The numbers customers call; inbound routing maps the called number to its store and voice agent';

CREATE TABLE @extschema@.customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  external_id varchar(255) NOT NULL,
  email varchar(255),
  phone varchar(20),
  first_name varchar(255),
  last_name varchar(255),
  accepts_marketing boolean NOT NULL DEFAULT false,
  preferred_language varchar(10) NOT NULL DEFAULT 'en',
  total_spent numeric(12,2) NOT NULL DEFAULT 0,
  total_orders integer NOT NULL DEFAULT 0,
  lifetime_value numeric(12,2) NOT NULL DEFAULT 0,
  last_order_date timestamptz,
  last_contact_date timestamptz,
  tags text[],
  platform_data jsonb,
  last_synced_at timestamptz DEFAULT now(),
  sync_hash varchar(64),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (store_id, external_id),
  UNIQUE (id, store_id),
  CONSTRAINT valid_email CHECK (email IS NULL OR email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$'),
  CONSTRAINT valid_phone CHECK (phone IS NULL OR phone ~ '^\+[1-9][0-9]{1,14}$'),
  CONSTRAINT non_negative_totals CHECK (total_spent >= 0 AND total_orders >= 0 AND lifetime_value >= 0)
);
CREATE INDEX customers_store_phone_idx ON @extschema@.customers (store_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX customers_store_email_idx ON @extschema@.customers (store_id, email) WHERE email IS NOT NULL;
CREATE INDEX customers_tags_idx ON @extschema@.customers USING gin (tags);
COMMENT ON COLUMN @extschema@.customers.total_spent IS
  'Sum of total_price of the customer''s orders except cancelled and refunded ones (kept by the database)';
COMMENT ON COLUMN @extschema@.customers.lifetime_value IS
  'Upstream''s lifetime value: the same sum as total_spent (kept by the database)';
COMMENT ON COLUMN @extschema@.customers.total_orders IS
  'Number of the customer''s orders except cancelled and refunded ones (kept by the database)';
COMMENT ON COLUMN @extschema@.customers.last_order_date IS
  'Latest order_date of those orders (kept by the database)';

CREATE TABLE @extschema@.products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  external_id varchar(255) NOT NULL,
  external_variant_id varchar(255),
  title varchar(500) NOT NULL,
  description text,
  handle varchar(255),
  product_type varchar(255),
  vendor varchar(255),
  tags text[],
  price numeric(10,2) NOT NULL,
  compare_at_price numeric(10,2),
  cost_per_item numeric(10,2),
  currency_code varchar(10) NOT NULL,
  sku varchar(255),
  barcode varchar(255),
  inventory_quantity integer NOT NULL DEFAULT 0,
  inventory_tracked boolean NOT NULL DEFAULT false,
  availability @extschema@.product_availability NOT NULL DEFAULT 'in_stock',
  weight numeric(8,3),
  weight_unit varchar(10) NOT NULL DEFAULT 'kg',
  seo_title varchar(255),
  seo_description text,
  platform_data jsonb,
  status @extschema@.product_status NOT NULL DEFAULT 'active',
  is_published boolean NOT NULL DEFAULT true,
  published_at timestamptz,
  last_synced_at timestamptz,
  sync_hash varchar(64),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (store_id, external_id),
  UNIQUE (id, store_id),
  CONSTRAINT positive_price CHECK (price >= 0 AND (compare_at_price IS NULL OR compare_at_price >= 0)
                                   AND (cost_per_item IS NULL OR cost_per_item >= 0)),
  CONSTRAINT non_negative_inventory CHECK (inventory_quantity >= 0)
);
CREATE INDEX products_store_sku_idx ON @extschema@.products (store_id, sku) WHERE sku IS NOT NULL;
CREATE INDEX products_store_status_idx ON @extschema@.products (store_id, status);
CREATE INDEX products_tags_idx ON @extschema@.products USING gin (tags);
COMMENT ON COLUMN @extschema@.products.availability IS
  'For tracked inventory, derived from inventory_quantity and the store''s general.low_stock_threshold setting (default 5)';

CREATE TABLE @extschema@.product_variants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL,
  store_id uuid NOT NULL,
  external_variant_id varchar(255) NOT NULL,
  title varchar(500) NOT NULL,
  sku varchar(255),
  barcode varchar(255),
  price numeric(10,2) NOT NULL CHECK (price >= 0),
  compare_at_price numeric(10,2) CHECK (compare_at_price IS NULL OR compare_at_price >= 0),
  inventory_quantity integer NOT NULL DEFAULT 0 CHECK (inventory_quantity >= 0),
  inventory_tracked boolean NOT NULL DEFAULT false,
  availability @extschema@.product_availability NOT NULL DEFAULT 'in_stock',
  options jsonb NOT NULL DEFAULT '{}'::jsonb,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (product_id, store_id) REFERENCES @extschema@.products (id, store_id) ON DELETE CASCADE,
  UNIQUE (product_id, external_variant_id),
  UNIQUE (id, store_id)
);
CREATE INDEX product_variants_product_store_idx ON @extschema@.product_variants (product_id, store_id);
CREATE INDEX product_variants_store_idx ON @extschema@.product_variants (store_id);

CREATE TABLE @extschema@.product_images (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL,
  store_id uuid NOT NULL,
  external_id varchar(255),
  url text NOT NULL CHECK (url ~* '^https?://'),
  alt_text varchar(500),
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (product_id, store_id) REFERENCES @extschema@.products (id, store_id) ON DELETE CASCADE
);
CREATE INDEX product_images_product_store_idx ON @extschema@.product_images (product_id, store_id);
CREATE INDEX product_images_store_idx ON @extschema@.product_images (store_id);

CREATE TABLE @extschema@.orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  customer_id uuid,
  external_id varchar(255) NOT NULL,
  order_number varchar(100),
  customer_email varchar(255),
  customer_phone varchar(20),
  customer_first_name varchar(255),
  customer_last_name varchar(255),
  customer_external_id varchar(255),
  subtotal_price numeric(10,2) NOT NULL DEFAULT 0,
  total_tax numeric(10,2) NOT NULL DEFAULT 0,
  total_shipping numeric(10,2) NOT NULL DEFAULT 0,
  total_discounts numeric(10,2) NOT NULL DEFAULT 0,
  total_price numeric(10,2) NOT NULL,
  currency_code varchar(10) NOT NULL,
  status @extschema@.order_status NOT NULL DEFAULT 'pending',
  payment_status @extschema@.payment_status NOT NULL DEFAULT 'pending',
  fulfillment_status @extschema@.fulfillment_status NOT NULL DEFAULT 'unfulfilled',
  shipping_address jsonb,
  billing_address jsonb,
  shipping_method varchar(255),
  tracking_number varchar(255),
  tracking_url text,
  order_date timestamptz NOT NULL DEFAULT now(),
  shipped_date timestamptz,
  delivered_date timestamptz,
  cancelled_date timestamptz,
  platform_data jsonb,
  customer_notes text,
  internal_notes text,
  last_synced_at timestamptz,
  sync_hash varchar(64),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (store_id, external_id),
  UNIQUE (id, store_id),
  -- ON DELETE SET NULL (customer_id) keeps the order in its store.
  FOREIGN KEY (customer_id, store_id) REFERENCES @extschema@.customers (id, store_id)
    ON DELETE SET NULL (customer_id),
  CONSTRAINT positive_amounts CHECK (subtotal_price >= 0 AND total_price >= 0 AND total_tax >= 0
                                     AND total_shipping >= 0 AND total_discounts >= 0),
  CONSTRAINT valid_email CHECK (customer_email IS NULL OR customer_email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$')
)
-- Every line written rewrites its order's figures (subtotal, total,
-- fulfilment): room on each page keeps those updates HOT (no new entry in
-- the order's seven indexes) on a table too large to stay in memory.
WITH (fillfactor = 90);
CREATE INDEX orders_customer_idx ON @extschema@.orders (customer_id, store_id) WHERE customer_id IS NOT NULL;
CREATE INDEX orders_store_date_idx ON @extschema@.orders (store_id, order_date DESC);
CREATE INDEX orders_store_status_idx ON @extschema@.orders (store_id, status);
CREATE INDEX orders_store_number_idx ON @extschema@.orders (store_id, order_number) WHERE order_number IS NOT NULL;
COMMENT ON COLUMN @extschema@.orders.subtotal_price IS 'Sum of the lines'' total_price (kept by the database)';
COMMENT ON COLUMN @extschema@.orders.total_price IS
  'subtotal_price + total_tax + total_shipping - total_discounts (kept by the database; a different value written is refused)';
COMMENT ON COLUMN @extschema@.orders.currency_code IS 'The store''s currency (the default; any other is refused)';
COMMENT ON COLUMN @extschema@.orders.fulfillment_status IS
  'Rolled up from the lines (unfulfilled, partial, fulfilled); restocked and cancelled are set by hand and kept';

CREATE TABLE @extschema@.order_line_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL,
  store_id uuid NOT NULL,
  product_id uuid,
  variant_id uuid,
  external_id varchar(255),
  external_product_id varchar(255),
  external_variant_id varchar(255),
  title varchar(500) NOT NULL,
  variant_title varchar(500),
  sku varchar(255),
  price numeric(10,2) NOT NULL,
  quantity integer NOT NULL,
  discount_amount numeric(10,2) NOT NULL DEFAULT 0,
  tax_amount numeric(10,2) NOT NULL DEFAULT 0,
  total_price numeric(10,2) NOT NULL,
  properties jsonb,
  fulfillment_status @extschema@.fulfillment_status NOT NULL DEFAULT 'unfulfilled',
  fulfilled_quantity integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (order_id, store_id) REFERENCES @extschema@.orders (id, store_id) ON DELETE CASCADE,
  FOREIGN KEY (product_id, store_id) REFERENCES @extschema@.products (id, store_id) ON DELETE SET NULL (product_id),
  FOREIGN KEY (variant_id, store_id) REFERENCES @extschema@.product_variants (id, store_id) ON DELETE SET NULL (variant_id),
  CONSTRAINT positive_price_quantity CHECK (price >= 0 AND quantity > 0 AND discount_amount >= 0 AND tax_amount >= 0),
  CONSTRAINT valid_fulfilled_quantity CHECK (fulfilled_quantity >= 0 AND fulfilled_quantity <= quantity)
);
CREATE INDEX order_line_items_order_idx ON @extschema@.order_line_items (order_id, store_id);
CREATE INDEX order_line_items_store_idx ON @extschema@.order_line_items (store_id);
CREATE INDEX order_line_items_product_idx ON @extschema@.order_line_items (product_id, store_id) WHERE product_id IS NOT NULL;
CREATE INDEX order_line_items_variant_idx ON @extschema@.order_line_items (variant_id, store_id) WHERE variant_id IS NOT NULL;
COMMENT ON COLUMN @extschema@.order_line_items.total_price IS
  'round(price x quantity, 2) - discount_amount (kept by the database)';

CREATE TABLE @extschema@.order_status_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id uuid NOT NULL,
  store_id uuid NOT NULL,
  from_status @extschema@.order_status,
  to_status @extschema@.order_status NOT NULL,
  changed_by uuid,
  source @extschema@.order_change_source NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (order_id, store_id) REFERENCES @extschema@.orders (id, store_id) ON DELETE CASCADE
);
CREATE INDEX order_status_history_order_idx ON @extschema@.order_status_history (order_id, store_id, id);
CREATE INDEX order_status_history_store_idx ON @extschema@.order_status_history (store_id);
COMMENT ON TABLE @extschema@.order_status_history IS
  'Every status an order took, written by the database: who (auth.uid()) and through what (callai.change_source, else sync for the service role and agent for members)';

CREATE TABLE @extschema@.conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  conversation_key varchar(255),
  order_id uuid,
  customer_id uuid,
  channel @extschema@.conversation_channel NOT NULL,
  status @extschema@.conversation_status NOT NULL DEFAULT 'active',
  customer_identifier varchar(255),
  customer_name varchar(255),
  start_time timestamptz NOT NULL DEFAULT now(),
  end_time timestamptz,
  last_activity_at timestamptz NOT NULL DEFAULT now(),
  message_count integer NOT NULL DEFAULT 0,
  title varchar(500),
  summary text,
  primary_intent varchar(100),
  resolution_status varchar(50),
  ai_context jsonb,
  conversation_history jsonb,
  sentiment_score numeric(3,2) CHECK (sentiment_score IS NULL OR sentiment_score BETWEEN -1 AND 1),
  satisfaction_rating integer CHECK (satisfaction_rating IS NULL OR satisfaction_rating BETWEEN 1 AND 5),
  escalated_to_human boolean NOT NULL DEFAULT false,
  resolution_time_seconds integer CHECK (resolution_time_seconds IS NULL OR resolution_time_seconds >= 0),
  assigned_agent_id uuid,
  escalation_reason text,
  tags text[],
  priority_level integer NOT NULL DEFAULT 1 CHECK (priority_level BETWEEN 1 AND 5),
  platform_data jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (store_id, conversation_key),
  UNIQUE (id, store_id),
  FOREIGN KEY (order_id, store_id) REFERENCES @extschema@.orders (id, store_id) ON DELETE SET NULL (order_id),
  FOREIGN KEY (customer_id, store_id) REFERENCES @extschema@.customers (id, store_id) ON DELETE SET NULL (customer_id),
  -- The assigned agent must be a member of the store; leaving the store unassigns.
  FOREIGN KEY (store_id, assigned_agent_id) REFERENCES @extschema@.store_members (store_id, user_id)
    ON DELETE SET NULL (assigned_agent_id),
  CONSTRAINT valid_timeframe CHECK (end_time IS NULL OR end_time >= start_time),
  CONSTRAINT activity_after_start CHECK (last_activity_at >= start_time)
);
CREATE INDEX conversations_order_idx ON @extschema@.conversations (order_id, store_id) WHERE order_id IS NOT NULL;
CREATE INDEX conversations_customer_idx ON @extschema@.conversations (customer_id, store_id) WHERE customer_id IS NOT NULL;
CREATE INDEX conversations_agent_idx ON @extschema@.conversations (store_id, assigned_agent_id) WHERE assigned_agent_id IS NOT NULL;
CREATE INDEX conversations_store_activity_idx ON @extschema@.conversations (store_id, last_activity_at DESC);
CREATE INDEX conversations_idle_idx ON @extschema@.conversations (last_activity_at) WHERE status = 'active';
CREATE INDEX conversations_tags_idx ON @extschema@.conversations USING gin (tags);
COMMENT ON COLUMN @extschema@.conversations.message_count IS 'Number of messages (kept by the database)';
COMMENT ON COLUMN @extschema@.conversations.last_activity_at IS 'Latest message "timestamp" (kept by the database)';

CREATE TABLE @extschema@.calls (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  conversation_id uuid,
  provider @extschema@.voice_provider NOT NULL DEFAULT 'twilio',
  provider_call_id varchar(255),
  twilio_call_sid varchar(100) UNIQUE,
  call_id varchar(100) UNIQUE,
  voice_agent_id uuid,
  phone_number_id uuid,
  order_id uuid,
  customer_id uuid,
  from_phone varchar(20) NOT NULL,
  to_phone varchar(20) NOT NULL,
  direction @extschema@.call_direction NOT NULL,
  start_time timestamptz NOT NULL DEFAULT now(),
  end_time timestamptz,
  duration_seconds integer CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
  billable_seconds integer NOT NULL DEFAULT 0 CHECK (billable_seconds >= 0),
  status @extschema@.call_status NOT NULL DEFAULT 'initiated',
  ended_reason varchar(255),
  recording_url text,
  recording_sid varchar(100),
  transcript text,
  transcript_confidence numeric(3,2) CHECK (transcript_confidence IS NULL OR transcript_confidence BETWEEN 0 AND 1),
  ai_summary text,
  intent_detected varchar(100),
  sentiment_score numeric(3,2) CHECK (sentiment_score IS NULL OR sentiment_score BETWEEN -1 AND 1),
  satisfaction_rating integer CHECK (satisfaction_rating IS NULL OR satisfaction_rating BETWEEN 1 AND 5),
  quality_score numeric(3,2) CHECK (quality_score IS NULL OR quality_score BETWEEN 0 AND 1),
  dropped_call boolean NOT NULL DEFAULT false,
  escalated_to_human boolean NOT NULL DEFAULT false,
  cost_usd numeric(10,4) NOT NULL DEFAULT 0,
  cost_breakdown jsonb,
  llm_prompt_tokens integer CHECK (llm_prompt_tokens IS NULL OR llm_prompt_tokens >= 0),
  llm_completion_tokens integer CHECK (llm_completion_tokens IS NULL OR llm_completion_tokens >= 0),
  tts_characters integer CHECK (tts_characters IS NULL OR tts_characters >= 0),
  analysis jsonb,
  twilio_data jsonb,
  ai_context jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, provider_call_id),
  UNIQUE (id, store_id),
  FOREIGN KEY (conversation_id, store_id) REFERENCES @extschema@.conversations (id, store_id) ON DELETE SET NULL (conversation_id),
  FOREIGN KEY (voice_agent_id, store_id) REFERENCES @extschema@.voice_agents (id, store_id) ON DELETE SET NULL (voice_agent_id),
  FOREIGN KEY (phone_number_id, store_id) REFERENCES @extschema@.store_phone_numbers (id, store_id) ON DELETE SET NULL (phone_number_id),
  FOREIGN KEY (order_id, store_id) REFERENCES @extschema@.orders (id, store_id) ON DELETE SET NULL (order_id),
  FOREIGN KEY (customer_id, store_id) REFERENCES @extschema@.customers (id, store_id) ON DELETE SET NULL (customer_id),
  CONSTRAINT valid_phones CHECK (from_phone ~ '^\+[1-9][0-9]{1,14}$' AND to_phone ~ '^\+[1-9][0-9]{1,14}$'),
  CONSTRAINT valid_timeframe CHECK (end_time IS NULL OR end_time >= start_time)
);
CREATE INDEX calls_store_start_idx ON @extschema@.calls (store_id, start_time DESC);
CREATE INDEX calls_conversation_idx ON @extschema@.calls (conversation_id, store_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX calls_agent_idx ON @extschema@.calls (voice_agent_id, store_id) WHERE voice_agent_id IS NOT NULL;
CREATE INDEX calls_phone_number_idx ON @extschema@.calls (phone_number_id, store_id) WHERE phone_number_id IS NOT NULL;
CREATE INDEX calls_order_idx ON @extschema@.calls (order_id, store_id) WHERE order_id IS NOT NULL;
CREATE INDEX calls_customer_idx ON @extschema@.calls (customer_id, store_id) WHERE customer_id IS NOT NULL;
COMMENT ON COLUMN @extschema@.calls.duration_seconds IS 'end_time - start_time in whole seconds (kept by the database)';
COMMENT ON COLUMN @extschema@.calls.billable_seconds IS
  'Connected time billed per started minute: ceil(duration / 60) x 60 for answered and completed calls, else 0 (kept by the database)';
COMMENT ON COLUMN @extschema@.calls.cost_usd IS
  'Sum of cost_breakdown''s parts (transport, stt, llm, tts, vapi, chat, analysis), 4 dp half away from zero (kept by the database)';

CREATE TABLE @extschema@.conversation_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL,
  store_id uuid NOT NULL,
  message_index integer NOT NULL CHECK (message_index >= 0),
  external_message_id varchar(255),
  role @extschema@.message_role NOT NULL,
  type @extschema@.message_type NOT NULL DEFAULT 'text',
  content text NOT NULL CHECK (length(btrim(content)) > 0),
  content_type varchar(100) NOT NULL DEFAULT 'text/plain',
  attachments jsonb,
  ai_model varchar(100),
  ai_prompt text,
  ai_metadata jsonb,
  processed_at timestamptz,
  processing_time_ms integer CHECK (processing_time_ms IS NULL OR processing_time_ms >= 0),
  intent varchar(100),
  entities jsonb,
  sentiment_score numeric(3,2) CHECK (sentiment_score IS NULL OR sentiment_score BETWEEN -1 AND 1),
  start_ms integer CHECK (start_ms IS NULL OR start_ms >= 0),
  end_ms integer,
  platform_data jsonb,
  "timestamp" timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (conversation_id, store_id) REFERENCES @extschema@.conversations (id, store_id) ON DELETE CASCADE,
  UNIQUE (conversation_id, message_index),
  UNIQUE (id, store_id),
  CONSTRAINT valid_segment CHECK (end_ms IS NULL OR (start_ms IS NOT NULL AND end_ms >= start_ms))
);
CREATE INDEX conversation_messages_fk_idx ON @extschema@.conversation_messages (conversation_id, store_id);
CREATE INDEX conversation_messages_store_idx ON @extschema@.conversation_messages (store_id);
COMMENT ON COLUMN @extschema@.conversation_messages.message_index IS
  'Position in the conversation, 0, 1, 2, ...: assigned by the database when omitted';

CREATE TABLE @extschema@.call_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  call_id uuid,
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  provider @extschema@.voice_provider NOT NULL,
  provider_event_id varchar(255) NOT NULL,
  event_type varchar(100) NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, provider_event_id),
  FOREIGN KEY (call_id, store_id) REFERENCES @extschema@.calls (id, store_id) ON DELETE CASCADE
);
CREATE INDEX call_events_call_idx ON @extschema@.call_events (call_id, store_id);
CREATE INDEX call_events_store_idx ON @extschema@.call_events (store_id, received_at DESC);
COMMENT ON TABLE @extschema@.call_events IS
  'The voice platform''s webhooks, once each: a repeated provider_event_id is a duplicate delivery';

CREATE TABLE @extschema@.call_tool_invocations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  call_id uuid NOT NULL,
  store_id uuid NOT NULL,
  message_id uuid,
  tool_name varchar(100) NOT NULL,
  arguments jsonb NOT NULL DEFAULT '{}'::jsonb,
  result jsonb,
  status @extschema@.tool_invocation_status NOT NULL DEFAULT 'pending',
  error_message text,
  latency_ms integer CHECK (latency_ms IS NULL OR latency_ms >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (call_id, store_id) REFERENCES @extschema@.calls (id, store_id) ON DELETE CASCADE,
  FOREIGN KEY (message_id, store_id) REFERENCES @extschema@.conversation_messages (id, store_id) ON DELETE SET NULL (message_id)
);
CREATE INDEX call_tool_invocations_call_idx ON @extschema@.call_tool_invocations (call_id, store_id);
CREATE INDEX call_tool_invocations_message_idx ON @extschema@.call_tool_invocations (message_id, store_id) WHERE message_id IS NOT NULL;
CREATE INDEX call_tool_invocations_store_idx ON @extschema@.call_tool_invocations (store_id);

-- Call figures per store, UTC day and hour of the calls' start, and per
-- store and UTC month (usage). Every call statement touches its store's
-- current hour and month, so many callers of one store would queue on those
-- rows' locks until commit. Instead each statement inserts its net delta as
-- a pending row (insert-only: nobody waits for anybody), and
-- fold_call_figures() (the service role; pg_cron every minute) moves pending
-- rows into the folded totals in one transaction. The views call_analytics,
-- call_intent_counts and store_usage_periods add the pending rows to the
-- folded ones, so every read sees the exact figure, before and after a fold
-- (a store's filter reaches both tables' indexes). No CHECKs on the counts:
-- a delta is negative when calls leave a bucket (reconcile() is the guard).
CREATE TABLE callai_internal.call_analytics_folded (
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  date_period date NOT NULL,
  hour_period integer NOT NULL CHECK (hour_period BETWEEN 0 AND 23),
  total_calls integer NOT NULL,
  inbound_calls integer NOT NULL,
  outbound_calls integer NOT NULL,
  answered_calls integer NOT NULL,
  missed_calls integer NOT NULL,
  dropped_calls integer NOT NULL,
  ai_resolved_calls integer NOT NULL,
  escalated_calls integer NOT NULL,
  duration_seconds_sum bigint NOT NULL,
  duration_samples integer NOT NULL,
  quality_score_sum numeric(12,2) NOT NULL,
  quality_samples integer NOT NULL,
  satisfaction_sum bigint NOT NULL,
  satisfaction_samples integer NOT NULL,
  created_at timestamptz NOT NULL,  -- of the bucket's first pending row
  updated_at timestamptz NOT NULL,  -- of its latest
  PRIMARY KEY (store_id, date_period, hour_period)
);
COMMENT ON TABLE callai_internal.call_analytics_folded IS
  'Folded call figures per store, UTC date and hour; call_analytics adds the pending deltas';

-- One row per call statement and bucket: the statement's net delta, with its
-- intents' net counts (intents[i] moved by intent_calls[i]).
CREATE TABLE callai_internal.call_analytics_pending (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  date_period date NOT NULL,
  hour_period integer NOT NULL,
  total_calls integer NOT NULL,
  inbound_calls integer NOT NULL,
  outbound_calls integer NOT NULL,
  answered_calls integer NOT NULL,
  missed_calls integer NOT NULL,
  dropped_calls integer NOT NULL,
  ai_resolved_calls integer NOT NULL,
  escalated_calls integer NOT NULL,
  duration_seconds_sum bigint NOT NULL,
  duration_samples integer NOT NULL,
  quality_score_sum numeric(12,2) NOT NULL,
  quality_samples integer NOT NULL,
  satisfaction_sum bigint NOT NULL,
  satisfaction_samples integer NOT NULL,
  intents text[] NOT NULL,
  intent_calls integer[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_analytics_pending_bucket_idx ON callai_internal.call_analytics_pending (store_id, date_period, hour_period);
COMMENT ON TABLE callai_internal.call_analytics_pending IS
  'Call figure deltas not yet folded into call_analytics_folded (one per statement and bucket)';

CREATE TABLE callai_internal.call_intent_counts_folded (
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  date_period date NOT NULL,
  hour_period integer NOT NULL,
  intent varchar(100) NOT NULL,
  calls integer NOT NULL,
  PRIMARY KEY (store_id, date_period, hour_period, intent)
);

CREATE TABLE callai_internal.store_usage_folded (
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  period_start date NOT NULL CHECK (extract(day FROM period_start) = 1),
  calls integer NOT NULL,
  billable_seconds bigint NOT NULL,
  cost_usd numeric(14,4) NOT NULL,
  tokens bigint NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (store_id, period_start)
);

CREATE TABLE callai_internal.store_usage_pending (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  store_id uuid NOT NULL REFERENCES @extschema@.stores (id) ON DELETE CASCADE,
  period_start date NOT NULL,
  calls integer NOT NULL,
  billable_seconds bigint NOT NULL,
  cost_usd numeric(14,4) NOT NULL,
  tokens bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX store_usage_pending_period_idx ON callai_internal.store_usage_pending (store_id, period_start);

-- Intent counts per bucket, from which top_intents is taken.
CREATE VIEW @extschema@.call_intent_counts WITH (security_invoker = true) AS
SELECT store_id, date_period, hour_period, intent::varchar(100) AS intent, sum(calls)::integer AS calls
FROM (SELECT store_id, date_period, hour_period, intent::text AS intent, calls
        FROM callai_internal.call_intent_counts_folded
      UNION ALL
      SELECT p.store_id, p.date_period, p.hour_period, i.intent, i.calls
        FROM callai_internal.call_analytics_pending p
        CROSS JOIN LATERAL unnest(p.intents, p.intent_calls) AS i (intent, calls)) c
GROUP BY store_id, date_period, hour_period, intent
HAVING sum(calls) <> 0;
COMMENT ON VIEW @extschema@.call_intent_counts IS
  'Calls per store, UTC date and hour of start_time and intent_detected (folded and pending counts added up)';

-- Sums and sample counts are kept; averages and rates are computed from them.
-- id is the bucket's, the same before and after a fold. Upstream's
-- average_response_time_ms and resolution_categories have no source here.
CREATE VIEW @extschema@.call_analytics WITH (security_invoker = true) AS
SELECT md5(t.store_id::text || ' ' || t.date_period::text || ' ' || t.hour_period::text)::uuid AS id,
       t.store_id, t.date_period, t.hour_period,
       t.total_calls, t.inbound_calls, t.outbound_calls, t.answered_calls, t.missed_calls, t.dropped_calls,
       t.ai_resolved_calls, t.escalated_calls, t.duration_seconds_sum, t.duration_samples, t.quality_score_sum,
       t.quality_samples, t.satisfaction_sum, t.satisfaction_samples,
       (CASE WHEN t.duration_samples > 0 THEN round(t.duration_seconds_sum::numeric / t.duration_samples, 2) END)::numeric(8,2)
         AS average_call_duration,
       (CASE WHEN t.quality_samples > 0 THEN round(t.quality_score_sum / t.quality_samples, 2) END)::numeric(3,2)
         AS average_quality_score,
       (CASE WHEN t.satisfaction_samples > 0 THEN round(t.satisfaction_sum::numeric / t.satisfaction_samples, 2) END)::numeric(3,2)
         AS average_satisfaction_rating,
       (CASE WHEN t.total_calls > 0 THEN round(100.0 * t.ai_resolved_calls / t.total_calls, 2) END)::numeric(5,2)
         AS ai_resolution_rate,
       (CASE WHEN t.total_calls > 0 THEN round(100.0 * t.escalated_calls / t.total_calls, 2) END)::numeric(5,2)
         AS human_escalation_rate,
       NULL::integer AS average_response_time_ms,
       coalesce((SELECT jsonb_agg(jsonb_build_object('intent', i.intent, 'calls', i.calls) ORDER BY i.calls DESC, i.intent)
                   FROM (SELECT c.intent, c.calls FROM @extschema@.call_intent_counts c
                          WHERE c.store_id = t.store_id AND c.date_period = t.date_period AND c.hour_period = t.hour_period
                          ORDER BY c.calls DESC, c.intent LIMIT 5) i), '[]'::jsonb) AS top_intents,
       NULL::jsonb AS resolution_categories, t.created_at, t.updated_at
FROM (SELECT store_id, date_period, hour_period,
             sum(total_calls)::integer AS total_calls, sum(inbound_calls)::integer AS inbound_calls,
             sum(outbound_calls)::integer AS outbound_calls, sum(answered_calls)::integer AS answered_calls,
             sum(missed_calls)::integer AS missed_calls, sum(dropped_calls)::integer AS dropped_calls,
             sum(ai_resolved_calls)::integer AS ai_resolved_calls, sum(escalated_calls)::integer AS escalated_calls,
             sum(duration_seconds_sum)::bigint AS duration_seconds_sum, sum(duration_samples)::integer AS duration_samples,
             sum(quality_score_sum)::numeric(12,2) AS quality_score_sum, sum(quality_samples)::integer AS quality_samples,
             sum(satisfaction_sum)::bigint AS satisfaction_sum, sum(satisfaction_samples)::integer AS satisfaction_samples,
             min(created_at) AS created_at, max(updated_at) AS updated_at
        FROM (SELECT store_id, date_period, hour_period, total_calls, inbound_calls, outbound_calls, answered_calls,
                     missed_calls, dropped_calls, ai_resolved_calls, escalated_calls, duration_seconds_sum,
                     duration_samples, quality_score_sum, quality_samples, satisfaction_sum, satisfaction_samples,
                     created_at, updated_at
                FROM callai_internal.call_analytics_folded
              UNION ALL
              SELECT store_id, date_period, hour_period, total_calls, inbound_calls, outbound_calls, answered_calls,
                     missed_calls, dropped_calls, ai_resolved_calls, escalated_calls, duration_seconds_sum,
                     duration_samples, quality_score_sum, quality_samples, satisfaction_sum, satisfaction_samples,
                     created_at, created_at
                FROM callai_internal.call_analytics_pending) u
       GROUP BY store_id, date_period, hour_period) t;
COMMENT ON VIEW @extschema@.call_analytics IS
  'Call figures per store, UTC date and hour of start_time, equal at all times to what the calls say (reconcile() checks)';
COMMENT ON COLUMN @extschema@.call_analytics.top_intents IS
  'The five most frequent intent_detected values: [{"intent": ..., "calls": n}, ...], most calls first';

CREATE VIEW @extschema@.store_usage_periods WITH (security_invoker = true) AS
SELECT store_id, period_start, sum(calls)::integer AS calls, sum(billable_seconds)::bigint AS billable_seconds,
       sum(cost_usd)::numeric(14,4) AS cost_usd, sum(tokens)::bigint AS tokens,
       min(created_at) AS created_at, max(updated_at) AS updated_at
FROM (SELECT store_id, period_start, calls, billable_seconds, cost_usd, tokens, created_at, updated_at
        FROM callai_internal.store_usage_folded
      UNION ALL
      SELECT store_id, period_start, calls, billable_seconds, cost_usd, tokens, created_at, created_at
        FROM callai_internal.store_usage_pending) u
GROUP BY store_id, period_start;
COMMENT ON VIEW @extschema@.store_usage_periods IS
  'Calls, billable seconds, cost and LLM tokens per store and UTC month (kept by the database; folded and pending added up)';
