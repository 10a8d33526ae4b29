-- =============================================================================
-- Retention's tables (the seed's Data Retention Policy; api/retention.cpp):
-- cold storage for transactions (and their refunds) after 2 years, closed
-- tickets (and their messages) after 1 year, and the aggregates that outlive
-- the usage detail and the analytics events. Reports read the cold tables too.
-- =============================================================================
CREATE TABLE @extschema@.transactions_archive (
  LIKE @extschema@.transactions INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  archived_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id)
);
CREATE INDEX idx_transactions_archive_created_at ON @extschema@.transactions_archive (created_at);
CREATE INDEX idx_transactions_archive_revenue ON @extschema@.transactions_archive (completed_at)
  INCLUDE (total_amount, plan_id) WHERE status IN ('completed', 'refunded') AND deleted_at IS NULL;
CREATE INDEX idx_transactions_archive_promo_code_id ON @extschema@.transactions_archive (promo_code_id);
COMMENT ON TABLE @extschema@.transactions_archive IS
  'Transactions older than 2 years (cold storage), kept until 7 years; still counted by reports and promotional code uses';

CREATE TABLE @extschema@.refunds_archive (
  LIKE @extschema@.refunds INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  archived_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id)
);
CREATE INDEX idx_refunds_archive_transaction_id ON @extschema@.refunds_archive (transaction_id);
CREATE INDEX idx_refunds_archive_processed_at ON @extschema@.refunds_archive (processed_at) INCLUDE (amount)
  WHERE status = 'processed';

CREATE TABLE @extschema@.support_tickets_archive (
  LIKE @extschema@.support_tickets INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  archived_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id)
);
CREATE INDEX idx_support_tickets_archive_user_id ON @extschema@.support_tickets_archive (user_id);
CREATE UNIQUE INDEX idx_support_tickets_archive_ticket_number ON @extschema@.support_tickets_archive (ticket_number);

CREATE TABLE @extschema@.ticket_messages_archive (
  LIKE @extschema@.ticket_messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  archived_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id)
);
CREATE INDEX idx_ticket_messages_archive_ticket_id ON @extschema@.ticket_messages_archive (ticket_id);

CREATE TABLE @extschema@.esim_usage_monthly (
  esim_id uuid NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  data_used_mb numeric(14,2) NOT NULL,
  voice_minutes bigint NOT NULL,
  sms_count bigint NOT NULL,
  records integer NOT NULL,
  PRIMARY KEY (esim_id, month)
);
COMMENT ON TABLE @extschema@.esim_usage_monthly IS
  'esim_data_usage detail older than 2 years, added up per eSIM and UTC month of period_start';

CREATE TABLE @extschema@.analytics_event_counts (
  day date NOT NULL,
  event_type varchar(100) NOT NULL,
  events bigint NOT NULL CHECK (events > 0),
  PRIMARY KEY (day, event_type)
);
COMMENT ON TABLE @extschema@.analytics_event_counts IS
  'analytics_events older than 1 year, counted per UTC day and event type before they are deleted';
