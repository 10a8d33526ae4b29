-- =============================================================================
-- Enum types: one per ENUM column of the seed, with exactly the seed's values
-- in the seed's order (the order PostgreSQL sorts them by).
-- =============================================================================
CREATE TYPE @extschema@.user_status AS ENUM ('active', 'inactive', 'suspended', 'banned');
CREATE TYPE @extschema@.user_role AS ENUM ('customer', 'admin', 'super_admin', 'support');
CREATE TYPE @extschema@.kyc_status AS ENUM ('pending', 'verified', 'rejected');
CREATE TYPE @extschema@.kyc_document_type AS ENUM ('passport', 'id_card', 'drivers_license', 'utility_bill');
CREATE TYPE @extschema@.kyc_document_status AS ENUM ('pending', 'approved', 'rejected');
CREATE TYPE @extschema@.esim_status AS ENUM ('available', 'active', 'suspended', 'expired', 'cancelled');
CREATE TYPE @extschema@.discount_type AS ENUM ('percentage', 'fixed_amount');
CREATE TYPE @extschema@.payment_method AS ENUM ('credit_card', 'paypal', 'crypto', 'bank_transfer');
CREATE TYPE @extschema@.transaction_status AS ENUM ('pending', 'completed', 'failed', 'refunded', 'cancelled');
CREATE TYPE @extschema@.refund_status AS ENUM ('pending', 'processed', 'failed');
CREATE TYPE @extschema@.email_template_type AS ENUM ('welcome', 'purchase', 'activation', 'expiry', 'payment');
CREATE TYPE @extschema@.notification_type AS ENUM ('email', 'sms', 'push', 'in_app');
CREATE TYPE @extschema@.notification_status AS ENUM ('pending', 'sent', 'failed', 'read');
CREATE TYPE @extschema@.ticket_priority AS ENUM ('low', 'medium', 'high', 'urgent');
CREATE TYPE @extschema@.ticket_status AS ENUM ('open', 'in_progress', 'resolved', 'closed');
CREATE TYPE @extschema@.report_period_type AS ENUM ('daily', 'weekly', 'monthly', 'yearly');
CREATE TYPE @extschema@.setting_data_type AS ENUM ('string', 'number', 'boolean', 'json');
