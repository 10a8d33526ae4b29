-- Conformance of the installed schema to the specification (seed 002):
-- every column the seed writes with its type and default, generated columns,
-- CHECK value sets, UNIQUE constraints, foreign keys and their ON DELETE
-- actions, every index the seed names, every COMMENT ON COLUMN it writes; the
-- tables the seed lists as existing with the columns its SQL, views and sample
-- data use; schema-wide rules (timestamps, primary keys, comments, RLS, FK
-- indexes, no duplicate indexes); and the seed's sample data loading with the
-- figures it implies.
--
-- Deliberate departures (sql/onesim/10_tables.sql "-- deviation:") are
-- asserted as built, and each such test says "deviation" in its description.
BEGIN;
SELECT plan(419);
\ir fixtures/test_ids.psql
SELECT pg_temp.new_ids('user_customer', 'user_partner', 'user_admin', 'partner', 'order');

-- ---------------------------------------------------------------------------
-- 1. Columns the seed defines: type and default
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE seed_columns (
  tbl text, col text, typ text, def text, note text,
  ord serial
) ON COMMIT DROP;

-- def: the default as pg_get_expr prints it; NULL = the seed gives none.
INSERT INTO seed_columns (tbl, col, typ, def, note) VALUES
  -- partners (seed table 1)
  ('partners', 'id', 'uuid', 'gen_random_uuid()', NULL),
  ('partners', 'user_id', 'uuid', NULL, NULL),
  ('partners', 'company_name', 'character varying(255)', NULL, NULL),
  ('partners', 'legal_name', 'character varying(255)', NULL, NULL),
  ('partners', 'company_type', 'character varying(50)', NULL, NULL),
  ('partners', 'tax_id', 'character varying(100)', NULL, NULL),
  ('partners', 'registration_number', 'character varying(100)', NULL, NULL),
  ('partners', 'business_email', 'character varying(255)', NULL, NULL),
  ('partners', 'business_phone', 'character varying(50)', NULL, NULL),
  ('partners', 'website', 'character varying(255)', NULL, NULL),
  ('partners', 'address', 'jsonb', NULL, NULL),
  ('partners', 'commission_rate', 'numeric(5,2)', '5.00', NULL),
  ('partners', 'custom_commission_rate', 'numeric(5,2)', NULL, NULL),
  ('partners', 'effective_commission_rate', 'numeric(5,2)', 'GENERATED', NULL),
  ('partners', 'balance', 'numeric(15,4)', '0.00', 'deviation: money total numeric(15,4), seed numeric(15,2)'),
  ('partners', 'total_earnings', 'numeric(15,4)', '0.00', 'deviation: money total numeric(15,4), seed numeric(15,2)'),
  ('partners', 'pending_earnings', 'numeric(15,4)', '0.00', 'deviation: money total numeric(15,4), seed numeric(15,2)'),
  ('partners', 'auto_email_customers', 'boolean', 'true', NULL),
  ('partners', 'preferred_currency', 'character varying(3)', '''USD''::character varying', NULL),
  ('partners', 'preferred_locale', 'character varying(10)', '''uz''::character varying', NULL),
  ('partners', 'status', 'partner_status', '''active''::partner_status', 'deviation (1.2): an enum of the seed''s CHECK values'),
  ('partners', 'verified', 'boolean', 'false', NULL),
  ('partners', 'verified_at', 'timestamp with time zone', NULL, NULL),
  ('partners', 'total_orders', 'integer', '0', NULL),
  ('partners', 'total_customers', 'integer', '0', NULL),
  ('partners', 'created_at', 'timestamp with time zone', 'now()', NULL),
  ('partners', 'updated_at', 'timestamp with time zone', 'now()', NULL),
  ('partners', 'last_order_at', 'timestamp with time zone', NULL, NULL),
  -- partner_customers (seed table 2)
  ('partner_customers', 'id', 'uuid', 'gen_random_uuid()', NULL),
  ('partner_customers', 'partner_id', 'uuid', NULL, NULL),
  ('partner_customers', 'user_id', 'uuid', NULL, NULL),
  ('partner_customers', 'first_name', 'character varying(100)', NULL, NULL),
  ('partner_customers', 'last_name', 'character varying(100)', NULL, NULL),
  ('partner_customers', 'email', 'character varying(255)', NULL, NULL),
  ('partner_customers', 'phone', 'character varying(50)', NULL, NULL),
  ('partner_customers', 'notes', 'text', NULL, NULL),
  ('partner_customers', 'tags', 'jsonb', NULL, NULL),
  ('partner_customers', 'total_orders', 'integer', '0', NULL),
  ('partner_customers', 'total_spent', 'numeric(15,4)', '0.00', 'deviation: money total numeric(15,4), seed numeric(15,2)'),
  ('partner_customers', 'created_at', 'timestamp with time zone', 'now()', NULL),
  ('partner_customers', 'updated_at', 'timestamp with time zone', 'now()', NULL),
  ('partner_customers', 'last_order_at', 'timestamp with time zone', NULL, NULL),
  -- customer_groups (seed table 3)
  ('customer_groups', 'id', 'uuid', 'gen_random_uuid()', NULL),
  ('customer_groups', 'partner_id', 'uuid', NULL, NULL),
  ('customer_groups', 'name', 'character varying(255)', NULL, NULL),
  ('customer_groups', 'description', 'text', NULL, NULL),
  ('customer_groups', 'destination_country_code', 'character varying(10)', NULL, NULL),
  ('customer_groups', 'destination_name', 'character varying(255)', NULL, NULL),
  ('customer_groups', 'travel_start_date', 'date', NULL, NULL),
  ('customer_groups', 'travel_end_date', 'date', NULL, NULL),
  ('customer_groups', 'group_size', 'integer', '0', NULL),
  ('customer_groups', 'tags', 'jsonb', NULL, NULL),
  ('customer_groups', 'is_active', 'boolean', 'true', NULL),
  ('customer_groups', 'created_at', 'timestamp with time zone', 'now()', NULL),
  ('customer_groups', 'updated_at', 'timestamp with time zone', 'now()', NULL),
  -- customer_group_members (seed table 4)
  ('customer_group_members', 'id', 'uuid', 'gen_random_uuid()', NULL),
  ('customer_group_members', 'group_id', 'uuid', NULL, NULL),
  ('customer_group_members', 'customer_id', 'uuid', NULL, NULL),
  ('customer_group_members', 'added_at', 'timestamp with time zone', 'now()', NULL),
  ('customer_group_members', 'added_by', 'uuid', NULL, NULL),
  -- partner_earnings (seed table 5)
  ('partner_earnings', 'id', 'uuid', 'gen_random_uuid()', NULL),
  ('partner_earnings', 'partner_id', 'uuid', NULL, NULL),
  ('partner_earnings', 'order_id', 'uuid', NULL, NULL),
  ('partner_earnings', 'order_amount_usd', 'numeric(10,4)', NULL, NULL),
  ('partner_earnings', 'order_amount_uzs', 'numeric(15,2)', NULL, NULL),
  ('partner_earnings', 'commission_rate', 'numeric(5,2)', NULL, NULL),
  ('partner_earnings', 'commission_amount_usd', 'numeric(10,4)', NULL, NULL),
  ('partner_earnings', 'commission_amount_uzs', 'numeric(15,2)', NULL, NULL),
  ('partner_earnings', 'status', 'earning_status', '''pending''::earning_status', 'deviation (1.2): an enum of the seed''s CHECK values'),
  ('partner_earnings', 'paid_out', 'boolean', 'false', NULL),
  ('partner_earnings', 'paid_at', 'timestamp with time zone', NULL, NULL),
  ('partner_earnings', 'payout_method', 'character varying(50)', NULL, NULL),
  ('partner_earnings', 'payout_reference', 'character varying(255)', NULL, NULL),
  ('partner_earnings', 'earned_at', 'timestamp with time zone', NULL,
   'deviation: no DEFAULT now() (seed has one); set when the earning becomes earned'),
  ('partner_earnings', 'created_at', 'timestamp with time zone', 'now()', NULL),
  ('partner_earnings', 'updated_at', 'timestamp with time zone', 'now()', NULL),
  -- orders: the columns the seed adds
  ('orders', 'source_type', 'order_source', '''b2c''::order_source', 'deviation (1.2): an enum of the seed''s CHECK values'),
  ('orders', 'partner_id', 'uuid', NULL, NULL),
  ('orders', 'end_customer_id', 'uuid', NULL, NULL),
  ('orders', 'end_customer_type', 'end_customer_type', NULL, 'deviation (1.2): an enum of the seed''s CHECK values'),
  ('orders', 'customer_first_name', 'character varying(100)', NULL, NULL),
  ('orders', 'customer_last_name', 'character varying(100)', NULL, NULL),
  ('orders', 'customer_email', 'character varying(255)', NULL, NULL),
  ('orders', 'customer_phone', 'character varying(50)', NULL, NULL),
  ('orders', 'customer_group_id', 'uuid', NULL, NULL),
  ('orders', 'commission_applicable', 'boolean', 'false', NULL),
  ('orders', 'commission_rate', 'numeric(5,2)', NULL, NULL),
  ('orders', 'commission_amount_usd', 'numeric(10,4)', NULL, NULL),
  ('orders', 'commission_amount_uzs', 'numeric(15,2)', NULL, NULL),
  ('orders', 'delivery_method', 'delivery_method', '''email''::delivery_method',
   'deviation (1.2): an enum of the seed''s CHECK values'),
  ('orders', 'delivery_status', 'jsonb', NULL, NULL),
  ('orders', 'notes', 'text', NULL, NULL),
  ('orders', 'metadata', 'jsonb', NULL, NULL),
  -- profiles: the columns the seed adds
  ('profiles', 'user_type', 'user_type', '''customer''::user_type', 'deviation (1.2): an enum of the seed''s CHECK values'),
  ('profiles', 'is_partner', 'boolean', 'GENERATED', NULL),
  ('profiles', 'is_admin', 'boolean', 'GENERATED', NULL);

-- 98 columns: type of each
SELECT col_type_is('public', tbl, col, typ,
                   format('%s.%s is %s%s', tbl, col, typ, coalesce(' (' || note || ')', '')))
  FROM seed_columns ORDER BY ord;

-- 98 columns: default of each (the seed's default, none, or generated).
-- def is the default as Postgres prints it; col_default_is compares values.
SELECT CASE WHEN def IS NULL
            THEN col_hasnt_default('public', tbl, col,
                   format('%s.%s has no default%s', tbl, col, coalesce(' (' || note || ')', '')))
            WHEN def = 'GENERATED'
            THEN is((SELECT attgenerated::text FROM pg_attribute
                      WHERE attrelid = tbl::regclass AND attname = col), 's',
                    format('%s.%s has no default: it is generated', tbl, col))
            ELSE col_default_is('public', tbl, col,
                   coalesce(substring(def FROM '^''(.*)''::(?:character varying|[a-z_]+)$'), def),
                   format('%s.%s DEFAULT %s%s', tbl, col, def, coalesce(' (' || note || ')', '')))
       END
  FROM seed_columns ORDER BY ord;
-- ... and prints exactly as the seed writes it (5.00, not 5; 0.00, not 0)
SELECT is_empty($$
  SELECT s.tbl, s.col, s.def, pg_get_expr(d.adbin, d.adrelid)
    FROM seed_columns s
    JOIN pg_attribute a ON a.attrelid = s.tbl::regclass AND a.attname = s.col
    JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE s.def IS NOT NULL AND s.def <> 'GENERATED'
     AND pg_get_expr(d.adbin, d.adrelid) <> s.def$$,
  'every seed default prints as the seed writes it');

-- the seed's NOT NULL columns (23 of them; the design adds more), but
-- partners.user_id, NULL once the partner's account is deleted (deviation)
SELECT col_not_null('public', t, c, format('%s.%s NOT NULL (seed)', t, c))
  FROM (VALUES
    ('partners', 'id'), ('partners', 'company_name'), ('partners', 'business_email'),
    ('partner_customers', 'id'), ('partner_customers', 'partner_id'), ('partner_customers', 'first_name'),
    ('partner_customers', 'last_name'), ('partner_customers', 'email'),
    ('customer_groups', 'id'), ('customer_groups', 'partner_id'), ('customer_groups', 'name'),
    ('customer_group_members', 'id'), ('customer_group_members', 'group_id'), ('customer_group_members', 'customer_id'),
    ('partner_earnings', 'id'), ('partner_earnings', 'partner_id'), ('partner_earnings', 'order_id'),
    ('partner_earnings', 'order_amount_usd'), ('partner_earnings', 'commission_rate'),
    ('partner_earnings', 'commission_amount_usd'),
    ('orders', 'id'), ('profiles', 'id')) v(t, c);
SELECT col_is_null('public', 'partners', 'user_id',
                   'partners.user_id nullable (deviation: a deleted account closes the partner and keeps its books)');

-- ---------------------------------------------------------------------------
-- 2. Generated columns
-- ---------------------------------------------------------------------------
SELECT is((SELECT attgenerated::text FROM pg_attribute
            WHERE attrelid = (t)::regclass AND attname = c), 's',
          format('%s.%s is GENERATED ALWAYS ... STORED', t, c))
  FROM (VALUES ('partners', 'effective_commission_rate'), ('profiles', 'is_partner'),
               ('profiles', 'is_admin')) v(t, c);
SELECT is((SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
            JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
           WHERE d.adrelid = (t)::regclass AND a.attname = c), e,
          format('%s.%s generated as %s', t, c, e))
  FROM (VALUES ('partners', 'effective_commission_rate', 'COALESCE(custom_commission_rate, commission_rate)'),
               ('profiles', 'is_partner', '(user_type = ''partner''::user_type)'),
               ('profiles', 'is_admin', '(user_type = ''admin''::user_type)')) v(t, c, e);

-- fixtures: three auth users, a customer, a partner and an admin profile, a partner
INSERT INTO auth.users (id, email) VALUES
  (pg_temp.id('user_customer'), 'conf-customer@example.com'),
  (pg_temp.id('user_partner'), 'conf-partner@example.com'),
  (pg_temp.id('user_admin'), 'conf-admin@example.com');
INSERT INTO profiles (id, first_name, last_name, user_type) VALUES
  (pg_temp.id('user_customer'), 'Cus', 'Tomer', 'customer'),
  (pg_temp.id('user_partner'), 'Part', 'Ner', 'partner'),
  (pg_temp.id('user_admin'), 'Ad', 'Min', 'admin');
INSERT INTO partners (id, user_id, company_name, business_email) VALUES
  (pg_temp.id('partner'), pg_temp.id('user_partner'), 'Conformance Tours', 'c@tours.uz');

SELECT results_eq(
  $$SELECT user_type::text, is_partner, is_admin FROM profiles
     WHERE id IN (pg_temp.id('user_customer'), pg_temp.id('user_partner'), pg_temp.id('user_admin'))
     ORDER BY user_type$$,
  $$VALUES ('admin', false, true), ('customer', false, false), ('partner', true, false)$$,
  'is_partner / is_admin follow user_type');
UPDATE profiles SET user_type = 'admin' WHERE id = pg_temp.id('user_customer');
SELECT results_eq(
  $$SELECT is_partner, is_admin FROM profiles WHERE id = pg_temp.id('user_customer')$$,
  $$VALUES (false, true)$$, 'is_admin is recomputed when user_type changes');
UPDATE profiles SET user_type = 'customer' WHERE id = pg_temp.id('user_customer');
SELECT throws_ok($$UPDATE profiles SET is_admin = true WHERE id = pg_temp.id('user_customer')$$,
                 '428C9', NULL, 'is_admin cannot be written');

SELECT is((SELECT effective_commission_rate FROM partners WHERE id = pg_temp.id('partner')),
          5.00, 'effective_commission_rate defaults to commission_rate 5.00');
UPDATE partners SET custom_commission_rate = 7.25 WHERE id = pg_temp.id('partner');
SELECT is((SELECT effective_commission_rate FROM partners WHERE id = pg_temp.id('partner')),
          7.25, 'effective_commission_rate = custom_commission_rate when set');
UPDATE partners SET custom_commission_rate = 0 WHERE id = pg_temp.id('partner');
SELECT is((SELECT effective_commission_rate FROM partners WHERE id = pg_temp.id('partner')),
          0.00, 'a custom rate of 0 is a rate (COALESCE, not NULLIF)');
UPDATE partners SET custom_commission_rate = NULL, commission_rate = 6.5 WHERE id = pg_temp.id('partner');
SELECT is((SELECT effective_commission_rate FROM partners WHERE id = pg_temp.id('partner')),
          6.50, 'back to commission_rate when the custom rate is cleared');
UPDATE partners SET commission_rate = 5.00 WHERE id = pg_temp.id('partner');
SELECT throws_ok($$UPDATE partners SET effective_commission_rate = 1 WHERE id = pg_temp.id('partner')$$,
                 '428C9', NULL, 'effective_commission_rate cannot be written');

-- ---------------------------------------------------------------------------
-- 3. Columns with a fixed set of values: the accepted value sets
-- ---------------------------------------------------------------------------
-- The values the column takes, exactly the seed's CHECK (... IN (...)) list:
-- the labels of its enum type (deviation (1.2): enums, not CHECKs).
CREATE FUNCTION pg_temp.column_values(t text, c text) RETURNS text[] LANGUAGE sql AS $$
  SELECT array_agg(e.enumlabel::text ORDER BY e.enumlabel::text)
    FROM pg_attribute a
    JOIN pg_enum e ON e.enumtypid = a.atttypid
   WHERE a.attrelid = t::regclass AND a.attname = c
$$;
-- SQLSTATE of a statement, run in a subtransaction (NULL: it succeeded)
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RAISE EXCEPTION USING ERRCODE = 'P0004';  -- undo whatever it did
EXCEPTION
  WHEN SQLSTATE 'P0004' THEN RETURN NULL;
  WHEN OTHERS THEN RETURN SQLSTATE;
END
$$;

SELECT is(pg_temp.column_values(t, c), v::text[], format('%s.%s takes exactly %s (deviation (1.2): an enum)', t, c, v))
  FROM (VALUES
    ('partners', 'status', '{active,deactivated,pending_approval,suspended}'),
    ('partner_earnings', 'status', '{cancelled,earned,paid,pending}'),
    ('orders', 'source_type', '{admin,b2b_partner,b2c}'),
    ('orders', 'end_customer_type', '{b2b_partner_customer,b2c}'),
    ('profiles', 'user_type', '{admin,customer,partner}')) x(t, c, v);

-- A B2C order of the fixture customer, to write values into
INSERT INTO orders (id, user_id, transaction_id, package_code, price_usd, price_uzs)
VALUES (pg_temp.id('order'), pg_temp.id('user_customer'),
        'TXN-CONF-1', 'CONF_PKG', 10.00, 126500);

-- every listed value is accepted (anything else: 22P02, below)
SELECT is(pg_temp.sqlstate_of(format(stmt, v)), NULL, format('%s accepts %L', what, v))
  FROM (VALUES
    ('partners.status', $$UPDATE partners SET status = %L WHERE id = pg_temp.id('partner')$$,
     '{active,suspended,pending_approval,deactivated}'),
    ('profiles.user_type', $$UPDATE profiles SET user_type = %L WHERE id = pg_temp.id('user_customer')$$,
     '{customer,partner,admin}'),
    ('orders.delivery_method', $$UPDATE orders SET delivery_method = %L WHERE id = pg_temp.id('order')$$,
     '{email,sms,whatsapp,manual}'),
    ('orders.source_type', $$UPDATE orders SET source_type = %L WHERE id = pg_temp.id('order')$$,
     '{b2c,admin}'),
    ('orders.end_customer_type', $$UPDATE orders SET end_customer_type = %L WHERE id = pg_temp.id('order')$$,
     '{b2c}')) x(what, stmt, vals),
       unnest(vals::text[]) v;

-- Columns with a fixed set of values that are enums (1.2; the type is named
-- as its column, or after its table): the seed's values, in the seed's order
-- (for the statuses, their lifecycle's); anything else is malformed input,
-- 22P02.
SELECT enum_has_labels('public', t, v::name[], format('enum %s is %s', t, v))
  FROM (VALUES
    ('order_status', '{PENDING,PROCESSING,ALLOCATED,FAILED,CANCELLED,REFUNDED}'),
    ('payment_status', '{unpaid,paid,refunded,failed}'),
    ('delivery_method', '{email,sms,whatsapp,manual}'),
    ('package_location_type', '{country,regional,global}'),
    ('package_duration_unit', '{DAY,WEEK,MONTH,YEAR}'),
    ('price_sync_status', '{running,success,partial,failed}'),
    ('package_view_source', '{shop,reseller,api}'),
    ('payout_status', '{processing,paid,failed}'),
    ('margin_scope', '{package,country,region,global}'),
    ('package_cache_status', '{fresh,stale,refreshing,failed}'),
    ('partner_status', '{active,suspended,pending_approval,deactivated}'),
    ('earning_status', '{pending,earned,paid,cancelled}'),
    ('user_type', '{customer,partner,admin}'),
    ('order_source', '{b2c,b2b_partner,admin}'),
    ('end_customer_type', '{b2c,b2b_partner_customer}'),
    ('order_action', '{created,updated,status_changed,allocated,cancelled,refunded,deleted}')) x(t, v);
SELECT is(a.atttypid::regtype::text, t, format('%s is of type %s', col, t))
  FROM (VALUES ('orders.order_status', 'order_status'), ('orders.payment_status', 'payment_status'),
               ('orders.delivery_method', 'delivery_method'), ('esim_packages.location_type', 'package_location_type'),
               ('esim_packages.duration_unit', 'package_duration_unit'), ('price_sync_log.status', 'price_sync_status'),
               ('package_views.source', 'package_view_source'), ('partner_payouts.status', 'payout_status'),
               ('margin_overrides.scope', 'margin_scope'), ('package_cache_metadata.status', 'package_cache_status'),
               ('partners.status', 'partner_status'), ('partner_earnings.status', 'earning_status'),
               ('profiles.user_type', 'user_type'), ('orders.source_type', 'order_source'),
               ('orders.end_customer_type', 'end_customer_type'), ('order_action_logs.action', 'order_action')) x(col, t)
  LEFT JOIN pg_attribute a ON a.attrelid = split_part(col, '.', 1)::regclass AND a.attname = split_part(col, '.', 2);
SELECT is(pg_temp.sqlstate_of(stmt), '22P02', what)
  FROM (VALUES
    ('orders.order_status rejects ''SHIPPED''',
     $$UPDATE orders SET order_status = 'SHIPPED' WHERE id = pg_temp.id('order')$$),
    ('orders.payment_status rejects ''Paid'' (case matters)',
     $$UPDATE orders SET payment_status = 'Paid' WHERE id = pg_temp.id('order')$$),
    ('orders.delivery_method rejects ''fax''',
     $$UPDATE orders SET delivery_method = 'fax' WHERE id = pg_temp.id('order')$$),
    ('partner_payouts.status rejects ''pending''',
     $$INSERT INTO partner_payouts (partner_id, amount_usd, status) VALUES (pg_temp.id('partner'), 1, 'pending')$$),
    ('esim_packages.location_type rejects ''continent''',
     $$INSERT INTO esim_packages (package_code, name, location_type, provider_price_usd, price_usd) VALUES ('CONF_ENUM', 'x', 'continent', 1, 1)$$),
    ('margin_overrides.scope rejects ''city''',
     $$INSERT INTO margin_overrides (scope, margin_percent) VALUES ('city', 10)$$),
    ('partners.status rejects ''closed''',
     $$UPDATE partners SET status = 'closed' WHERE id = pg_temp.id('partner')$$),
    ('partners.status rejects ''Active'' (case matters)',
     $$UPDATE partners SET status = 'Active' WHERE id = pg_temp.id('partner')$$),
    ('profiles.user_type rejects ''reseller''',
     $$UPDATE profiles SET user_type = 'reseller' WHERE id = pg_temp.id('user_customer')$$),
    ('orders.source_type rejects ''b2b''',
     $$UPDATE orders SET source_type = 'b2b' WHERE id = pg_temp.id('order')$$),
    ('orders.end_customer_type rejects ''partner''',
     $$UPDATE orders SET end_customer_type = 'partner' WHERE id = pg_temp.id('order')$$)) x(what, stmt);
-- the scope still decides which target column is set
SELECT is(pg_temp.sqlstate_of($$INSERT INTO margin_overrides (scope, margin_percent) VALUES ('country', 10)$$), '23514',
          'margin_overrides: a country override needs its country');

-- ---------------------------------------------------------------------------
-- 4. UNIQUE constraints
-- ---------------------------------------------------------------------------
SELECT is((SELECT array_agg(a.attname::text ORDER BY k.ord)
             FROM pg_constraint c
             CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
            WHERE c.conname = n AND c.conrelid = t::regclass AND c.contype = 'u'),
          cols::text[], format('UNIQUE constraint %s on %s%s', n, t, cols))
  FROM (VALUES ('unique_partner_customer_email', 'partner_customers', '{partner_id,email}'),
               ('unique_group_member', 'customer_group_members', '{group_id,customer_id}'),
               ('unique_order_earning', 'partner_earnings', '{order_id}'),
               ('partners_user_id_key', 'partners', '{user_id}')) v(n, t, cols);

-- ---------------------------------------------------------------------------
-- 5. Foreign keys: target and ON DELETE action ('c' cascade, 'n' set null)
-- ---------------------------------------------------------------------------
SELECT is((SELECT format('%s(%s) %s', c.confrelid::regclass, ra.attname, c.confdeltype)
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
            WHERE c.conrelid = t::regclass AND c.contype = 'f' AND a.attname = col
              AND cardinality(c.conkey) = 1),
          target || ' ' || act,
          format('%s.%s REFERENCES %s ON DELETE %s%s', t, col, target,
                 CASE act WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE act END,
                 coalesce(' (' || note || ')', '')))
  FROM (VALUES
    ('partners', 'user_id', 'auth.users(id)', 'n', 'deviation: seed CASCADE, which deleted the books with the account'),
    ('partner_customers', 'partner_id', 'partners(id)', 'c', NULL),
    ('partner_customers', 'user_id', 'auth.users(id)', 'n', NULL),
    ('customer_groups', 'partner_id', 'partners(id)', 'c', NULL),
    ('customer_group_members', 'group_id', 'customer_groups(id)', 'c', NULL),
    ('customer_group_members', 'customer_id', 'partner_customers(id)', 'c', NULL),
    ('customer_group_members', 'added_by', 'auth.users(id)', 'n',
     'deviation: seed has no ON DELETE (NO ACTION)'),
    ('partner_earnings', 'partner_id', 'partners(id)', 'c', NULL),
    ('partner_earnings', 'order_id', 'orders(id)', 'c', NULL),
    ('orders', 'partner_id', 'partners(id)', 'n', NULL),
    ('orders', 'customer_group_id', 'customer_groups(id)', 'n', NULL)) v(t, col, target, act, note);
SELECT is((SELECT count(*)::int FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.conrelid = 'orders'::regclass AND c.contype = 'f' AND a.attname = 'end_customer_id'),
          0, 'orders.end_customer_id has no FK (seed: auth user OR partner customer)');

-- ---------------------------------------------------------------------------
-- 6. Every index the seed names: columns, order, predicate
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE seed_indexes (tbl text, idx text, cols text[], pred text, ord serial) ON COMMIT DROP;
INSERT INTO seed_indexes (tbl, idx, cols, pred) VALUES
  ('partners', 'idx_partners_user_id', '{user_id}', NULL),
  ('partners', 'idx_partners_status', '{status}', '(status = ''active''::partner_status)'),
  ('partners', 'idx_partners_company_name', '{company_name}', NULL),
  ('partner_customers', 'idx_partner_customers_partner_id', '{partner_id}', NULL),
  ('partner_customers', 'idx_partner_customers_email', '{email}', NULL),
  ('partner_customers', 'idx_partner_customers_user_id', '{user_id}', '(user_id IS NOT NULL)'),
  ('customer_groups', 'idx_customer_groups_partner_id', '{partner_id}', NULL),
  ('customer_groups', 'idx_customer_groups_active', '{is_active}', '(is_active = true)'),
  ('customer_group_members', 'idx_group_members_group_id', '{group_id}', NULL),
  ('customer_group_members', 'idx_group_members_customer_id', '{customer_id}', NULL),
  ('partner_earnings', 'idx_partner_earnings_partner_id', '{partner_id}', NULL),
  ('partner_earnings', 'idx_partner_earnings_order_id', '{order_id}', NULL),
  ('partner_earnings', 'idx_partner_earnings_status', '{status}', NULL),
  ('partner_earnings', 'idx_partner_earnings_earned_at', '{earned_at}', NULL),
  ('orders', 'idx_orders_source_type', '{source_type}', NULL),
  ('orders', 'idx_orders_partner_id', '{partner_id}', '(partner_id IS NOT NULL)'),
  ('orders', 'idx_orders_end_customer_id', '{end_customer_id}', NULL),
  ('orders', 'idx_orders_customer_group_id', '{customer_group_id}', '(customer_group_id IS NOT NULL)'),
  ('orders', 'idx_orders_commission_applicable', '{commission_applicable}', '(commission_applicable = true)'),
  ('profiles', 'idx_profiles_user_type', '{user_type}', NULL),
  ('profiles', 'idx_profiles_partners', '{is_partner}', '(is_partner = true)');

SELECT has_index('public', tbl, idx, cols::name[], format('index %s on %s%s', idx, tbl, cols))
  FROM seed_indexes ORDER BY ord;
SELECT is((SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i
            WHERE i.indexrelid = ('public.' || idx)::regclass),
          pred, format('%s is %s', idx, coalesce('partial: WHERE ' || pred, 'not partial')))
  FROM seed_indexes ORDER BY ord;
-- plain b-tree, not unique, ascending except earned_at DESC
SELECT is_empty($$
  SELECT s.idx FROM seed_indexes s
    JOIN pg_index i ON i.indexrelid = ('public.' || s.idx)::regclass
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
   WHERE am.amname <> 'btree' OR i.indisunique
      OR (i.indoption[0] & 1 = 1) <> (s.idx = 'idx_partner_earnings_earned_at')$$,
  'seed indexes are non-unique b-trees, ascending except idx_partner_earnings_earned_at (DESC)');

-- ---------------------------------------------------------------------------
-- 7. The seed's COMMENT ON COLUMN texts, verbatim
-- ---------------------------------------------------------------------------
SELECT is(col_description('public.orders'::regclass,
                          (SELECT attnum FROM pg_attribute WHERE attrelid = 'public.orders'::regclass AND attname = c)),
          e, format('COMMENT ON COLUMN orders.%s is the seed''s', c))
  FROM (VALUES
    ('source_type', 'Order source: b2c (direct customer), b2b_partner (partner order), admin (admin created)'),
    ('partner_id', 'Partner who made the purchase (NULL for B2C orders)'),
    ('end_customer_id', 'Actual eSIM user - references auth.users.id for B2C or partner_customers.id for B2B'),
    ('user_id', 'Who initiated/paid for the order (customer for B2C, partner for B2B)')) v(c, e);

-- ---------------------------------------------------------------------------
-- 8. The tables the seed lists as existing, with the columns it uses
-- ---------------------------------------------------------------------------
SELECT has_table('public', t, format('existing table %s is there', t))
  FROM unnest('{profiles,esim_packages,package_operators,package_price_changes,margin_overrides,
                price_sync_log,package_views,cached_regional_packages,cached_global_packages,
                package_cache_metadata,user_favorites,orders,order_action_logs}'::text[]) t;
SELECT has_table('auth', 'users', 'auth.users is there');

-- columns used by the seed's SQL (policies, triggers), views and sample data,
-- and the provider's (ICCID, QR, activation code) the seed stores in orders
SELECT has_column('public', t, c, format('%s.%s (%s)', t, c, why))
  FROM (VALUES
    ('orders', 'id', 'views, earnings FK'), ('orders', 'user_id', 'policies, sample'),
    ('orders', 'transaction_id', 'sample'), ('orders', 'package_code', 'sample, v_orders_complete'),
    ('orders', 'price_usd', 'sample, trigger 2'), ('orders', 'price_uzs', 'sample, trigger 2'),
    ('orders', 'order_status', 'sample, trigger 2, dashboard'), ('orders', 'created_at', 'timestamps'),
    ('orders', 'iccid', 'provider'), ('orders', 'qr_code_url', 'provider'),
    ('orders', 'activation_code', 'provider'),
    ('profiles', 'id', 'policies'), ('profiles', 'first_name', 'sample, v_orders_complete'),
    ('profiles', 'last_name', 'sample, v_orders_complete'), ('profiles', 'phone', 'sample, v_orders_complete'),
    ('esim_packages', 'package_code', 'v_orders_complete'), ('esim_packages', 'name', 'v_orders_complete'),
    ('esim_packages', 'data_gb', 'v_orders_complete'), ('esim_packages', 'duration', 'v_orders_complete'),
    ('esim_packages', 'price_usd', 'catalog'), ('esim_packages', 'price_uzs', 'catalog'),
    ('order_action_logs', 'order_id', 'audit trail')) v(t, c, why);
SELECT has_column('auth', 'users', c, format('auth.users.%s (sample)', c))
  FROM unnest('{id,email}'::text[]) c;
SELECT has_view('public', v, format('seed view %s', v))
  FROM unnest('{v_orders_complete,v_partner_dashboard_stats}'::text[]) v;

-- ---------------------------------------------------------------------------
-- 9. Schema-wide rules over every table of the extension
-- ---------------------------------------------------------------------------
CREATE TEMP VIEW ext_tables AS
  SELECT c.oid, c.relname::text AS relname
    FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'onesim'
   WHERE c.relkind = 'r';

SELECT cmp_ok((SELECT count(*)::int FROM ext_tables), '>=', 20, 'the extension owns at least 20 tables');
SELECT is_empty($$SELECT relname FROM ext_tables t
                   WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid
                                       AND a.attname = 'created_at' AND NOT a.attisdropped
                                       AND a.atttypid = 'timestamptz'::regtype)$$,
                'every table has created_at timestamptz');
SELECT is_empty($$SELECT relname FROM ext_tables t
                   WHERE relname <> 'order_action_logs'
                     AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid
                                       AND a.attname = 'updated_at' AND NOT a.attisdropped
                                       AND a.atttypid = 'timestamptz'::regtype)$$,
                'every table but the append-only order_action_logs has updated_at timestamptz');
SELECT hasnt_column('public', 'order_action_logs', 'updated_at', 'order_action_logs is append-only: no updated_at');
SELECT is_empty($$SELECT relname FROM ext_tables t
                   WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = t.oid AND k.contype = 'p')$$,
                'every table has a primary key');
SELECT is_empty($$SELECT relname FROM ext_tables t WHERE obj_description(t.oid, 'pg_class') IS NULL
                                                   OR obj_description(t.oid, 'pg_class') = ''$$,
                'every table has a comment');
SELECT is_empty($$SELECT t.relname FROM ext_tables t JOIN pg_class c ON c.oid = t.oid
                   WHERE NOT c.relrowsecurity$$,
                'every table has row level security enabled');

-- every FK column leads an index; a partial index counts only when its
-- predicate is "<column> IS NOT NULL" (rows with NULL never match a parent)
SELECT is_empty($$
  SELECT format('%s.%s (%s)', t.relname, a.attname, k.conname)
    FROM ext_tables t
    JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'f'
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.conkey[1]
   WHERE NOT EXISTS (
     SELECT 1 FROM pg_index i
      WHERE i.indrelid = t.oid AND i.indkey[0] = k.conkey[1]
        AND (i.indpred IS NULL
             OR pg_get_expr(i.indpred, i.indrelid) = format('(%s IS NOT NULL)', quote_ident(a.attname)))
        AND i.indnkeyatts >= cardinality(k.conkey)
        AND (SELECT bool_and(i.indkey[n - 1] = k.conkey[n]) FROM generate_subscripts(k.conkey, 1) n))$$,
  'every foreign key is covered by an index it leads (offenders listed)');

-- no two indexes of a table are the same index, save the two the seed forces
-- (its plain indexes on columns that are also UNIQUE)
SELECT set_eq($$
  SELECT least(ca.relname::text, cb.relname::text) AS one, greatest(ca.relname::text, cb.relname::text) AS other
    FROM ext_tables t
    JOIN pg_index a ON a.indrelid = t.oid
    JOIN pg_index b ON b.indrelid = t.oid AND a.indexrelid < b.indexrelid
    JOIN pg_class ca ON ca.oid = a.indexrelid
    JOIN pg_class cb ON cb.oid = b.indexrelid
   WHERE ca.relam = cb.relam
     AND a.indkey::text = b.indkey::text AND a.indclass::text = b.indclass::text
     AND a.indcollation::text = b.indcollation::text AND a.indoption::text = b.indoption::text
     AND pg_get_expr(a.indexprs, a.indrelid) IS NOT DISTINCT FROM pg_get_expr(b.indexprs, b.indrelid)
     AND pg_get_expr(a.indpred, a.indrelid) IS NOT DISTINCT FROM pg_get_expr(b.indpred, b.indrelid)$$,
  $$VALUES ('idx_partners_user_id', 'partners_user_id_key'),
           ('idx_partner_earnings_order_id', 'unique_order_earning')$$,
  'no duplicate indexes except idx_partners_user_id and idx_partner_earnings_order_id (seed-named copies of UNIQUE indexes)');

-- ---------------------------------------------------------------------------
-- 10. The seed's sample data loads, with the figures it implies
-- ---------------------------------------------------------------------------
-- A database the sample data was loaded into already (as `supabase test db`
-- finds a project's) is checked as it is; an empty one loads it here.
SELECT EXISTS (SELECT 1 FROM margin_overrides WHERE id = 'a0e5b1c2-0000-4000-8000-000000000001') AS sample_loaded \gset
\if :sample_loaded
\else
\ir ../../sample/onesim_sample_data.sql
\endif

SELECT results_eq(
  $$SELECT o.source_type::text, o.end_customer_type::text, o.commission_applicable,
           o.commission_rate, o.commission_amount_usd, o.commission_amount_uzs,
           o.paid_amount_usd, o.paid_amount_uzs, o.order_status::text
      FROM orders o WHERE o.transaction_id = 'TXN-B2B-001'$$,
  $$VALUES ('b2b_partner', 'b2b_partner_customer', true, 5.00::numeric, 0.9500::numeric,
            12000.00::numeric, 18.0500::numeric, 228000.00::numeric, 'ALLOCATED')$$,
  'sample B2B order: rate 5.00, commission 0.95 USD / 12000 UZS, pays 18.05 / 228000');
SELECT results_eq(
  $$SELECT e.status::text, e.commission_rate, e.commission_amount_usd, e.order_amount_usd,
           e.order_amount_uzs, e.earned_at IS NOT NULL, e.paid_out
      FROM partner_earnings e JOIN orders o ON o.id = e.order_id
     WHERE o.transaction_id = 'TXN-B2B-001'$$,
  $$VALUES ('earned', 5.00::numeric, 0.9500::numeric, 19.0000::numeric, 240000.00::numeric, true, false)$$,
  'sample order inserted ALLOCATED has one earning, earned, 0.95');
SELECT results_eq(
  $$SELECT total_orders, total_customers, total_earnings, pending_earnings, balance,
           last_order_at IS NOT NULL, status::text, effective_commission_rate
      FROM partners WHERE company_name = 'Grand Travel Tour'$$,
  $$VALUES (1, 2, 0.9500::numeric, 0.0000::numeric, 0.9500::numeric, true, 'active', 5.00::numeric)$$,
  'sample partner: 1 order, 2 customers, 0.95 earned, nothing pending, balance 0.95');
SELECT results_eq(
  $$SELECT pc.email::text, pc.total_orders, pc.total_spent FROM partner_customers pc
     WHERE pc.partner_id = (SELECT id FROM partners WHERE company_name = 'Grand Travel Tour')
     ORDER BY pc.email$$,
  $$VALUES ('aziza@example.com', 1, 19.0000::numeric), ('jahongir@example.com', 0, 0.0000::numeric)$$,
  'sample customers: Aziza has the order (19.00), Jahongir none');
SELECT is((SELECT group_size FROM customer_groups WHERE name = 'Antalya Tour Group - Oct 2024'), 0,
          'sample group has no members yet');
SELECT results_eq(
  $$SELECT user_type::text, is_partner, is_admin FROM profiles WHERE id = '550e8400-e29b-41d4-a716-446655440001'$$,
  $$VALUES ('partner', true, false)$$, 'sample profile is a partner');
SELECT results_eq(
  $$SELECT margin_percent, price_usd, price_uzs FROM esim_packages WHERE package_code = 'PACKAGE_CODE_HERE'$$,
  $$VALUES (25.00::numeric, 19.0000::numeric, 240350.00::numeric)$$,
  'sample package priced by the rule: 15.20 + 25 % = 19.00 USD');
SELECT is_empty('SELECT * FROM onesim_internal.reconcile()', 'after the sample data every figure reconciles');

-- UNIQUE behaviour on the sample rows
SELECT throws_ok($$INSERT INTO partner_customers (partner_id, first_name, last_name, email)
                   SELECT id, 'Aziza', 'Again', 'aziza@example.com' FROM partners WHERE company_name = 'Grand Travel Tour'$$,
                 '23505', NULL, 'unique_partner_customer_email: one email per partner');
SELECT lives_ok($$INSERT INTO partner_customers (partner_id, first_name, last_name, email)
                  VALUES (pg_temp.id('partner'), 'Aziza', 'Elsewhere', 'aziza@example.com')$$,
                'the same email under another partner is allowed');
INSERT INTO customer_group_members (group_id, customer_id)
  SELECT g.id, c.id FROM customer_groups g, partner_customers c
   WHERE g.name = 'Antalya Tour Group - Oct 2024' AND c.email = 'jahongir@example.com'
     AND c.partner_id = g.partner_id;
SELECT throws_ok($$INSERT INTO customer_group_members (group_id, customer_id)
                   SELECT g.id, c.id FROM customer_groups g, partner_customers c
                    WHERE g.name = 'Antalya Tour Group - Oct 2024' AND c.email = 'jahongir@example.com'
                      AND c.partner_id = g.partner_id$$,
                 '23505', NULL, 'unique_group_member: a customer is in a group once');
SELECT throws_ok($$INSERT INTO partner_earnings (partner_id, order_id, order_amount_usd, commission_rate, commission_amount_usd)
                   SELECT partner_id, order_id, 1, 5, 0.05 FROM partner_earnings
                    WHERE order_id = (SELECT id FROM orders WHERE transaction_id = 'TXN-B2B-001')$$,
                 '23505', NULL, 'unique_order_earning: one earning per order');

-- ON DELETE behaviour: SET NULL on orders, CASCADE to earnings
DELETE FROM customer_groups WHERE name = 'Antalya Tour Group - Oct 2024';
SELECT is((SELECT count(*)::int FROM customer_group_members m
             JOIN partner_customers c ON c.id = m.customer_id WHERE c.email = 'jahongir@example.com'),
          0, 'deleting a group cascades to its members');
DELETE FROM orders WHERE transaction_id = 'TXN-B2B-001';
SELECT is((SELECT count(*)::int FROM partner_earnings
             WHERE partner_id = (SELECT id FROM partners WHERE company_name = 'Grand Travel Tour')),
          0, 'deleting an order cascades to its earning');

SELECT * FROM finish();
ROLLBACK;
