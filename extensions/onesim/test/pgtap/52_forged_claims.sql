-- Forged claims: whatever request.jwt.claims (or the legacy
-- request.jwt.claim.*) says, the database role decides the privileges, a
-- malformed identity fails closed (22P02), and no claim makes anyone admin
-- or the service. Each case runs as (role, claims[, legacy sub]) and is
-- rolled back; the outcome is 'ok:<rows>' or the SQLSTATE.
BEGIN;
\ir fixtures/rls_fixtures.psql
SET LOCAL client_min_messages = warning;

CREATE FUNCTION pg_temp.as_claims(r text, claims text, stmt text, legacy_sub text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE n bigint; outcome text;
BEGIN
  BEGIN
    PERFORM set_config('request.jwt.claims', claims, true);
    PERFORM set_config('request.jwt.claim.sub', coalesce(legacy_sub, ''), true);
    PERFORM set_config('role', r, true);
    EXECUTE stmt;
    GET DIAGNOSTICS n = ROW_COUNT;
    outcome := 'ok:' || n;
    RAISE EXCEPTION 'undo' USING ERRCODE = 'OSUND';
  EXCEPTION WHEN OTHERS THEN
    IF outcome IS NULL THEN outcome := SQLSTATE; END IF;
  END;
  RETURN outcome;
END $$;

CREATE TEMP TABLE cases (n serial, r text, claims text, legacy text, stmt text, expected text, description text);
INSERT INTO cases (r, claims, legacy, stmt, expected, description) VALUES
-- a role claim is not a role
('authenticated', format('{"sub":"%s","role":"service_role"}', pg_temp.id('user_c')), NULL,
 $$SELECT 1 FROM orders WHERE user_id <> pg_temp.id('user_c')$$, 'ok:0', 'role claim service_role: still only the customer''s orders'),
('authenticated', format('{"sub":"%s","role":"service_role"}', pg_temp.id('user_c')), NULL,
 $$SELECT 1 WHERE onesim_internal.is_service()$$, 'ok:0', 'role claim service_role: not the service'),
('authenticated', format('{"sub":"%s","role":"service_role"}', pg_temp.id('user_c')), NULL,
 $$SELECT * FROM refund_order(pg_temp.id('order_c1'))$$, '42501', 'role claim service_role: refund refused'),
('authenticated', format('{"sub":"%s","role":"postgres"}', pg_temp.id('user_c')), NULL,
 $$SELECT 1 FROM partners$$, 'ok:0', 'role claim postgres: no partner visible'),
('authenticated', format('{"sub":"%s","role":"postgres"}', pg_temp.id('user_c')), NULL,
 $$SELECT * FROM onesim_internal.reconcile(true)$$, '42501', 'role claim postgres: reconcile refused'),
('authenticated', format('{"sub":"%s","role":"postgres"}', pg_temp.id('user_c')), NULL,
 $$SELECT * FROM set_partner_status(pg_temp.id('partner_b'), 'suspended')$$, '42501', 'role claim postgres: set_partner_status refused'),
('authenticated', format('{"sub":"%s","role":"supabase_admin","is_superuser":true}', pg_temp.id('user_c')), NULL,
 $$SELECT * FROM run_partner_payout(pg_temp.id('partner_a'), 'bank_transfer')$$, '42501', 'role claim supabase_admin: payout refused'),
-- admin in the metadata
('authenticated', format('{"sub":"%s","role":"authenticated","app_metadata":{"role":"admin","user_type":"admin"},"user_metadata":{"user_type":"admin"}}', pg_temp.id('user_c')), NULL,
 $$SELECT 1 FROM margin_overrides$$, 'ok:0', 'admin in app_metadata/user_metadata: margins stay hidden'),
('authenticated', format('{"sub":"%s","role":"authenticated","app_metadata":{"role":"admin","user_type":"admin"},"user_metadata":{"user_type":"admin"}}', pg_temp.id('user_c')), NULL,
 $$SELECT 1 WHERE onesim_internal.is_admin()$$, 'ok:0', 'admin in the metadata: is_admin() is false'),
('authenticated', format('{"sub":"%s","role":"authenticated","user_type":"admin","is_admin":true}', pg_temp.id('user_c')), NULL,
 $$SELECT * FROM refund_order(pg_temp.id('order_c1'))$$, '42501', 'admin as a top-level claim: refund refused'),
-- the sub names the user, and only that user
('authenticated', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_b')), NULL,
 $$SELECT 1 FROM partner_customers WHERE partner_id <> pg_temp.id('partner_b')$$, 'ok:0', 'sub of partner B: nothing of anyone else'),
('authenticated', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_b')), NULL,
 $$SELECT 1 WHERE onesim_internal.is_admin() OR onesim_internal.is_service()$$, 'ok:0', 'sub of partner B: neither admin nor service'),
-- legacy request.jwt.claim.sub wins, as in auth.uid(), and lifts nothing
('authenticated', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_c')), pg_temp.id('user_a'),
 $$SELECT 1 WHERE onesim_internal.current_user_id() = auth.uid() AND auth.uid() = pg_temp.id('user_a')$$, 'ok:1', 'legacy claim.sub: the same user as auth.uid()'),
('authenticated', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_c')), pg_temp.id('user_a'),
 $$SELECT 1 FROM orders WHERE partner_id IS DISTINCT FROM pg_temp.id('partner_a') AND user_id <> pg_temp.id('user_a')$$, 'ok:0', 'legacy claim.sub: partner A''s orders only'),
('authenticated', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_c')), pg_temp.id('user_a'),
 $$SELECT * FROM refund_order(pg_temp.id('order_a1'))$$, '42501', 'legacy claim.sub: no refund'),
-- malformed identities fail closed
('authenticated', '{"sub":"not-a-uuid","role":"authenticated"}', NULL,
 $$SELECT 1 FROM orders$$, '22P02', 'sub not a uuid: reading orders fails'),
('authenticated', '{"sub":"not-a-uuid","role":"authenticated"}', NULL,
 $$SELECT * FROM cancel_order(pg_temp.id('order_c1'))$$, '22P02', 'sub not a uuid: cancel_order fails'),
('authenticated', format('{"sub":"%s"', pg_temp.id('user_c')), NULL,
 $$SELECT 1 FROM profiles$$, '22P02', 'malformed JSON: reading profiles fails'),
('authenticated', format('{"sub":"%s"', pg_temp.id('user_c')), NULL,
 $$SELECT * FROM place_b2c_order('PKG-ACTIVE')$$, '22P02', 'malformed JSON: place_b2c_order fails'),
('authenticated', format('{"sub":"%s","sub":"%s"}', pg_temp.id('user_c'), pg_temp.id('user_ad')), NULL,
 $$SELECT 1 WHERE onesim_internal.is_admin() = (auth.uid() = pg_temp.id('user_ad'))$$, 'ok:1', 'duplicate sub keys: the same user as auth.uid() (jsonb keeps the last)'),
('authenticated', '', NULL,
 $$SELECT 1 FROM orders$$, 'ok:0', 'empty claims: no order visible'),
('authenticated', '', NULL,
 $$SELECT * FROM place_b2c_order('PKG-ACTIVE')$$, '42501', 'empty claims: no user, no order'),
('authenticated', '{"role":"authenticated"}', NULL,
 $$SELECT 1 FROM partner_customers$$, 'ok:0', 'claims without sub: nothing visible'),
('authenticated', '{"role":"authenticated"}', NULL,
 $$SELECT * FROM partner_dashboard()$$, '42501', 'claims without sub: no dashboard'),
-- the anon role stays anon
('anon', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_a')), NULL,
 $$SELECT 1 FROM orders$$, '42501', 'anon with partner A''s sub and role claim: no orders'),
('anon', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_ad')), NULL,
 $$SELECT 1 FROM esim_packages WHERE NOT is_active$$, 'ok:0', 'anon with the admin''s sub: inactive packages stay hidden'),
('anon', format('{"sub":"%s","role":"service_role"}', pg_temp.id('user_ad')), NULL,
 $$SELECT * FROM set_partner_status(pg_temp.id('partner_b'), 'suspended')$$, '42501', 'anon with admin sub and service claim: set_partner_status refused'),
('anon', format('{"sub":"%s","role":"anon"}', pg_temp.id('user_a')), NULL,
 $$SELECT 1 FROM quote_package('PKG-ACTIVE') WHERE commission_rate = 0$$, 'ok:1', 'anon with partner A''s sub: the retail price'),
('anon', format('{"sub":"%s"}', pg_temp.id('user_ad')), NULL,
 $$SELECT 1 FROM package_cache_metadata WHERE status = 'failed'$$, 'ok:0', 'anon with the admin''s sub: failed caches stay hidden');

SELECT plan((SELECT count(*)::int FROM cases));
SELECT is(pg_temp.as_claims(r, claims, stmt, legacy), expected, description) FROM cases ORDER BY n;
SELECT * FROM finish();
ROLLBACK;
