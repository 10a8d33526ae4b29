-- search_path attacks against every SECURITY DEFINER function of ours.
--
-- An authenticated caller shadows the names our functions use: temporary
-- views named like our tables (pg_temp is searched first for relations
-- unless a search_path lists it), temporary types named like our enums, and,
-- where public is writable for it (as some Supabase set-ups make it),
-- functions and operators in public that a search_path putting public first
-- would pick. A session that may not open public to the API roles (a project
-- owner: public belongs to the database owner) puts those in a schema of its
-- own, writable by them, ahead of public in the same search_path. Every shadow raises SQLSTATE SHDW1 when used. Then every API
-- function, helper and trigger runs with that search_path and must give the
-- right answer without touching a shadow.
BEGIN;
\ir fixtures/rls_fixtures.psql
SET LOCAL client_min_messages = warning;
SELECT plan(29);

CREATE FUNCTION pg_temp.shadow_used() RETURNS uuid LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'a shadow object was used' USING ERRCODE = 'SHDW1'; END $$;
GRANT EXECUTE ON FUNCTION pg_temp.shadow_used() TO PUBLIC;

-- The worst case: public writable by the API roles.
SELECT has_schema_privilege('public', 'CREATE WITH GRANT OPTION') AS can_open_public \gset
\if :can_open_public
GRANT CREATE ON SCHEMA public TO authenticated;
SELECT 'public' AS shadows \gset
\else
CREATE SCHEMA search_path_shadows;
GRANT USAGE, CREATE ON SCHEMA search_path_shadows TO authenticated;
SELECT 'search_path_shadows' AS shadows \gset
\endif

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_a')), true);
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['orders', 'partners', 'partner_earnings', 'partner_customers', 'profiles',
                           'customer_groups', 'customer_group_members', 'esim_packages', 'partner_payouts',
                           'order_action_logs', 'exchange_rates', 'margin_overrides', 'package_price_changes',
                           'users', 'v_partner_dashboard_stats', 'new_rows', 'old_rows'] LOOP
    EXECUTE format('CREATE TEMP VIEW %I AS SELECT pg_temp.shadow_used() AS id, pg_temp.shadow_used() AS partner_id, '
                   'pg_temp.shadow_used() AS user_id', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['order_status', 'partner_status', 'earning_status', 'user_type', 'payment_status'] LOOP
    EXECUTE format('CREATE TYPE pg_temp.%I AS ENUM (''shadow'')', t);
  END LOOP;
END $$;
CREATE FUNCTION :"shadows".now() RETURNS timestamptz LANGUAGE sql AS 'SELECT pg_temp.shadow_used()::text::timestamptz';
CREATE FUNCTION :"shadows".lower(text) RETURNS text LANGUAGE sql AS 'SELECT pg_temp.shadow_used()::text';
CREATE FUNCTION :"shadows".btrim(text) RETURNS text LANGUAGE sql AS 'SELECT pg_temp.shadow_used()::text';
CREATE FUNCTION :"shadows".concat_ws(text, VARIADIC text[]) RETURNS text LANGUAGE sql AS 'SELECT pg_temp.shadow_used()::text';
CREATE FUNCTION :"shadows".jsonb_build_object(VARIADIC text[]) RETURNS jsonb LANGUAGE sql AS 'SELECT to_jsonb(pg_temp.shadow_used())';
CREATE FUNCTION :"shadows".shadow_eq(uuid, uuid) RETURNS boolean LANGUAGE sql AS 'SELECT pg_temp.shadow_used() IS NULL';
CREATE FUNCTION :"shadows".shadow_num_eq(numeric, numeric) RETURNS boolean LANGUAGE sql AS 'SELECT pg_temp.shadow_used() IS NULL';
CREATE OPERATOR :"shadows".= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = :"shadows".shadow_eq);
CREATE OPERATOR :"shadows".= (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = :"shadows".shadow_num_eq);
RESET ROLE;

-- (From here on this session's own unqualified names would meet the shadows
-- too: pg_temp comes first for relations. The checks below qualify theirs.)
-- Runs q with the hostile search_path (search_path_shadows counts where it
-- exists), as the current caller; the result as text. pgTAP itself then checks it with the ordinary search_path.
CREATE FUNCTION pg_temp.hostile(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE saved text := pg_catalog.current_setting('search_path'); r text;
BEGIN
  PERFORM pg_catalog.set_config('search_path', 'pg_temp, search_path_shadows, public, pg_catalog', true);
  EXECUTE q INTO r;
  PERFORM pg_catalog.set_config('search_path', saved, true);
  RETURN r;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.hostile(text) TO PUBLIC;

-- The shadows work: an unqualified reference with this search_path uses them.
SELECT throws_ok($$SELECT pg_temp.hostile('SELECT count(*) FROM orders')$$, 'SHDW1', NULL,
                 'the shadow view of orders is live for unqualified names');
SELECT throws_ok($$SELECT pg_temp.hostile('SELECT (pg_temp.id(''user_a'') = pg_temp.id(''user_a''))::text')$$,
                 'SHDW1', NULL, 'the shadow uuid = operator is live for this search_path');
SELECT throws_ok($$SELECT pg_temp.hostile('SELECT now()::text')$$, 'SHDW1', NULL, 'the shadow now() is live');

-- Callers, the PostgREST way.
CREATE FUNCTION pg_temp.become(who text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE sub text := CASE who
    WHEN 'partner_a' THEN pg_temp.id('user_a')
    WHEN 'customer' THEN pg_temp.id('user_c')
    WHEN 'customer_d' THEN pg_temp.id('user_d')
    WHEN 'admin' THEN pg_temp.id('user_ad') END;
BEGIN
  IF who = 'service' THEN
    PERFORM set_config('request.jwt.claims', '{"role":"service_role"}', true);
    PERFORM set_config('role', 'service_role', true);
  ELSIF who = 'superuser' THEN
    PERFORM set_config('role', 'none', true);
    PERFORM set_config('request.jwt.claims', '', true);
  ELSE
    PERFORM set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', sub), true);
    PERFORM set_config('role', 'authenticated', true);
  END IF;
END $$;

SELECT pg_temp.become('partner_a');
SELECT is(pg_temp.hostile($q$SELECT commission_rate::text FROM public.quote_package('PKG-ACTIVE')$q$), '5.00',
          'quote_package: partner A''s rate');
SELECT is(pg_temp.hostile('SELECT onesim_internal.current_partner_id()::text'), pg_temp.id('partner_a')::text,
          'current_partner_id() answers');
SELECT is(pg_temp.hostile('SELECT onesim_internal.current_partner_status()'), 'active', 'current_partner_status() answers');
SELECT is(pg_temp.hostile('SELECT onesim_internal.is_admin()::text'), 'false', 'is_admin() answers');
SELECT is(pg_temp.hostile($q$SELECT partner_id::text FROM public.place_b2b_order('PKG-ACTIVE', pg_temp.id('customer_a2'), transaction_id => 'SP-B2B')$q$),
          pg_temp.id('partner_a')::text, 'place_b2b_order runs');
SELECT is(pg_temp.hostile($q$SELECT count(*)::text FROM public.bulk_order_for_group(pg_temp.id('group_a1'), 'PKG-ACTIVE')$q$),
          '2', 'bulk_order_for_group orders for both members');
SELECT is(pg_temp.hostile($q$SELECT public.add_group_members(pg_temp.id('group_a2'), ARRAY[pg_temp.id('customer_a2')]::uuid[])::text$q$),
          '1', 'add_group_members adds one');
SELECT is(pg_temp.hostile($q$SELECT public.remove_group_members(pg_temp.id('group_a2'), ARRAY[pg_temp.id('customer_a2')]::uuid[])::text$q$),
          '1', 'remove_group_members removes one');
SELECT is(pg_temp.hostile($q$SELECT (public.cancel_order(o.id)).order_status::text FROM public.orders o WHERE o.transaction_id OPERATOR(pg_catalog.=) 'SP-B2B'$q$),
          'CANCELLED', 'cancel_order runs');
SELECT is(pg_temp.hostile('SELECT total_orders::text FROM public.partner_dashboard()'),
          (SELECT count(*)::text FROM public.orders WHERE partner_id = pg_temp.id('partner_a')),
          'partner_dashboard counts A''s orders');
SELECT is(pg_temp.hostile($q$WITH g AS (INSERT INTO public.customer_groups (partner_id, name) VALUES (pg_temp.id('partner_a'), 'SP group') RETURNING group_size) SELECT group_size::text FROM g$q$),
          '0', 'a direct insert fires the group triggers');
SELECT pg_temp.become('customer');
SELECT is(pg_temp.hostile($q$SELECT order_status::text FROM public.place_b2c_order('PKG-ACTIVE', 'SP-B2C')$q$), 'PENDING',
          'place_b2c_order runs');
SELECT is(pg_temp.hostile($q$WITH u AS (UPDATE public.profiles SET first_name = 'Cora2' RETURNING 1) SELECT count(*)::text FROM u$q$),
          '1', 'a profile update fires the guard and timestamps');
SELECT pg_temp.become('customer_d');
SELECT is(pg_temp.hostile($q$SELECT status::text FROM public.register_partner('D Travel', 'd@agency.test')$q$), 'pending_approval',
          'register_partner runs');
SELECT pg_temp.become('admin');
SELECT is(pg_temp.hostile($q$SELECT (public.set_partner_status(p.id, 'active', 4.5)).status::text FROM public.partners p
                              WHERE p.user_id OPERATOR(pg_catalog.=) pg_temp.id('user_d')$q$),
          'active', 'set_partner_status runs');
SELECT is(pg_temp.hostile('SELECT onesim_internal.is_admin()::text'), 'true', 'is_admin() answers for the admin');
SELECT pg_temp.become('service');
SELECT is(pg_temp.hostile($q$SELECT order_status::text FROM public.record_allocation(pg_temp.id('order_a2'), '89SP01')$q$),
          'ALLOCATED', 'record_allocation runs');
SELECT pg_temp.become('admin');
SELECT is(pg_temp.hostile($q$SELECT order_status::text FROM public.refund_order(pg_temp.id('order_a1'))$q$),
          'REFUNDED', 'refund_order runs');
SELECT is(pg_temp.hostile($q$SELECT status::text FROM public.run_partner_payout(pg_temp.id('partner_b'), 'bank_transfer')$q$),
          'paid', 'run_partner_payout runs');
SELECT is(pg_temp.hostile($q$WITH u AS (UPDATE public.esim_packages SET provider_price_usd = 9 WHERE package_code OPERATOR(pg_catalog.=) 'PKG-ACTIVE' RETURNING 1) SELECT count(*)::text FROM u$q$),
          '1', 'a price change fires the pricing and price-log triggers');
SELECT pg_temp.become('superuser');
SELECT is(pg_temp.hostile('SELECT count(*)::text FROM onesim_internal.reconcile()'), '0',
          'reconcile() runs and every figure agrees with the rows');
SELECT is((SELECT balance FROM public.partners WHERE id = pg_temp.id('partner_b')),
          0.0000::numeric, 'the payout settled B''s balance');
SELECT is((SELECT count(*)::int FROM public.orders WHERE transaction_id = 'SP-B2C' AND user_id = pg_temp.id('user_c')),
          1, 'the B2C order is the customer''s');

-- The catalog side: every function of ours pins a search_path that ends
-- with pg_temp (or is empty), so no unqualified name can reach a temporary
-- object; SQL text in C++ names its schemas.
SELECT is(
  (SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
     FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
    WHERE NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c
                       WHERE c ~ '^search_path=' AND (c = 'search_path=' OR c = 'search_path=""'
                                                     OR c ~ ', pg_temp$'))),
  NULL, 'every function of onesim pins a search_path ending with pg_temp');
SELECT is(
  (SELECT array_agg(p.oid::regprocedure::text) FROM pg_proc p
    WHERE p.prosecdef AND p.pronamespace IN ('public'::regnamespace, 'onesim_internal'::regnamespace)
      AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)),
  NULL, 'every SECURITY DEFINER function in our schemas runs with search_path = pg_catalog, pg_temp');
SELECT is(
  (SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p
     JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
    WHERE p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)
      AND (has_function_privilege('anon', p.oid, 'EXECUTE') OR has_function_privilege('authenticated', p.oid, 'EXECUTE')
           OR has_function_privilege('service_role', p.oid, 'EXECUTE'))),
  NULL, 'no API role may attach a trigger function of ours (CREATE TRIGGER needs EXECUTE)');

SELECT * FROM finish();
ROLLBACK;
