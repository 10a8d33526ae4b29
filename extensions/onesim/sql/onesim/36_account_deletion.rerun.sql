
-- ---------------------------------------------------------------------------
-- Account deletion (C++: triggers/account_deletion.cpp). Deleting an
-- auth.users row (GoTrue's admin API, an app's "delete my account") keeps the
-- money history and erases the personal data:
--   a customer: profile and favourites go (foreign keys, CASCADE); their
--     orders stay, detached (user_id NULL) and without the customer details;
--   a partner: the partner row stays, deactivated, without contact e-mail and
--     phone, its API keys revoked, its end customers' personal details and
--     those copied into its orders erased; orders, earnings, payouts and the
--     figures stay as they were;
--   an end customer with an account of their own: the partner's record of
--     them stays (it is the partner's), unlinked (user_id NULL).
-- A rerun part: the install and every update define these from here.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION onesim_internal.partner_account_closing() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_partner_account_closing'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.partner_account_closing() IS
  'BEFORE UPDATE of a partner losing its account: status deactivated, contact e-mail and phone erased';
CREATE OR REPLACE FUNCTION onesim_internal.partner_account_closed() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_partner_account_closed'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.partner_account_closed() IS
  'AFTER UPDATE of a partner losing its account: API keys revoked, its customers'' and its orders'' customer details erased';
CREATE OR REPLACE FUNCTION onesim_internal.order_account_deleted() RETURNS trigger
AS 'MODULE_PATHNAME', 'onesim_order_account_deleted'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION onesim_internal.order_account_deleted() IS
  'BEFORE UPDATE of a B2C order losing its account: the customer details copied into it erased';
REVOKE ALL ON FUNCTION onesim_internal.partner_account_closing(), onesim_internal.partner_account_closed(),
  onesim_internal.order_account_deleted() FROM PUBLIC;

CREATE OR REPLACE TRIGGER trg_partners_account_closing
  BEFORE UPDATE OF user_id ON partners FOR EACH ROW
  WHEN (OLD.user_id IS NOT NULL AND NEW.user_id IS NULL)
  EXECUTE FUNCTION onesim_internal.partner_account_closing();
CREATE OR REPLACE TRIGGER trg_partners_account_closed
  AFTER UPDATE OF user_id ON partners FOR EACH ROW
  WHEN (OLD.user_id IS NOT NULL AND NEW.user_id IS NULL)
  EXECUTE FUNCTION onesim_internal.partner_account_closed();
CREATE OR REPLACE TRIGGER trg_orders_account_deleted
  BEFORE UPDATE OF user_id ON orders FOR EACH ROW
  WHEN (OLD.user_id IS NOT NULL AND NEW.user_id IS NULL AND NEW.source_type = 'b2c')
  EXECUTE FUNCTION onesim_internal.order_account_deleted();

COMMENT ON COLUMN partners.user_id IS
  'The partner''s auth account; NULL once the account is deleted (the partner is then deactivated, its books kept)';
