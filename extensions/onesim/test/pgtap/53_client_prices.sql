-- A client's order is priced from the catalog. A customer or a partner
-- inserting an order directly (the seed's shop writes orders itself) cannot
-- choose what it pays: the price it sends is replaced by the active catalog
-- package's, and the commission follows from that. The service, migrations and
-- admins may record any price (manual orders, imports, corrections).
BEGIN;
\ir fixtures/rls_fixtures.psql
SET LOCAL client_min_messages = warning;
SELECT plan(22);

CREATE TEMP TABLE catalog AS
SELECT id, name, price_usd, price_uzs FROM esim_packages WHERE package_code = 'PKG-ACTIVE';
GRANT SELECT ON catalog TO authenticated;
CREATE TEMP TABLE placed (who text PRIMARY KEY, order_id uuid);
GRANT ALL ON placed TO authenticated, service_role;

-- Runs stmt (an INSERT ... RETURNING id) as role with claims; records the id.
CREATE FUNCTION pg_temp.place(who text, role text, claims text, stmt text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE new_id uuid; outcome text;
BEGIN
  BEGIN
    PERFORM set_config('request.jwt.claims', claims, true);
    PERFORM set_config('role', role, true);
    EXECUTE stmt INTO new_id;
    PERFORM set_config('role', 'none', true);
    INSERT INTO placed VALUES (who, new_id);
    outcome := 'ok';
  EXCEPTION WHEN OTHERS THEN
    outcome := SQLSTATE;
  END;
  PERFORM set_config('role', 'none', true);
  PERFORM set_config('request.jwt.claims', '', true);
  RETURN outcome;
END $$;

SELECT format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_a')) AS partner_a,
       format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_c')) AS customer_c,
       format('{"sub":"%s","role":"authenticated"}', pg_temp.id('user_ad')) AS admin \gset

-- A customer's B2C order at a token price.
SELECT is(pg_temp.place('customer', 'authenticated', :'customer_c', $$
  INSERT INTO orders (user_id, package_code, price_usd, price_uzs, source_type)
  VALUES (pg_temp.id('user_c'), 'PKG-ACTIVE', 0.01, 1, 'b2c') RETURNING id$$),
  'ok', 'a customer places a B2C order directly');
SELECT is((SELECT o.price_usd FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'customer'),
          (SELECT price_usd FROM catalog), 'the customer pays the catalog USD price, not the 0.01 it sent');
SELECT is((SELECT o.price_uzs FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'customer'),
          (SELECT price_uzs FROM catalog), '... and the catalog UZS price');
SELECT is((SELECT o.paid_amount_usd FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'customer'),
          (SELECT price_usd FROM catalog), '... and pays all of it (no commission on B2C)');
SELECT is((SELECT o.package_id FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'customer'),
          (SELECT id FROM catalog), 'package_id is filled from the catalog');
SELECT is((SELECT o.package_name::text FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'customer'),
          (SELECT name::text FROM catalog), 'package_name is filled from the catalog');

-- A partner's B2B order at a token price: the commission is on the catalog price.
SELECT is(pg_temp.place('partner', 'authenticated', :'partner_a', $$
  INSERT INTO orders (user_id, package_code, package_name, price_usd, price_uzs, source_type, partner_id)
  VALUES (pg_temp.id('user_a'), 'PKG-ACTIVE', 'whatever', 0.50, 10, 'b2b_partner',
          pg_temp.id('partner_a')) RETURNING id$$),
  'ok', 'a partner places a B2B order directly');
SELECT is((SELECT o.price_usd FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'partner'),
          (SELECT price_usd FROM catalog), 'the partner''s order carries the catalog USD price, not the 0.50 it sent');
SELECT is((SELECT o.package_name::text FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'partner'),
          (SELECT name::text FROM catalog), 'the package name it sent is replaced by the catalog''s');
SELECT is((SELECT (o.commission_amount_usd, o.paid_amount_usd)::text
             FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'partner'),
          (SELECT (b.commission_amount, b.partner_pays)::text
             FROM catalog c, partners pa,
                  LATERAL commission_breakdown(c.price_usd, pa.effective_commission_rate) b
            WHERE pa.id = pg_temp.id('partner_a')),
          'commission and amount paid follow from the catalog price and the partner''s rate');
SELECT is((SELECT e.order_amount_usd FROM partner_earnings e JOIN placed p ON p.order_id = e.order_id
            WHERE p.who = 'partner'),
          (SELECT price_usd FROM catalog), 'the earning is on the catalog price');

-- What a client cannot order.
SELECT is(pg_temp.place('unknown', 'authenticated', :'customer_c', $$
  INSERT INTO orders (user_id, package_code, price_usd, source_type)
  VALUES (pg_temp.id('user_c'), 'NO-SUCH-PACKAGE', 1, 'b2c') RETURNING id$$),
  'P0002', 'a package that does not exist: P0002');
SELECT is(pg_temp.place('retired', 'authenticated', :'customer_c', $$
  INSERT INTO orders (user_id, package_code, price_usd, source_type)
  VALUES (pg_temp.id('user_c'), 'PKG-RETIRED', 3, 'b2c') RETURNING id$$),
  'P0002', 'a package no longer on sale: P0002');
SELECT is(pg_temp.place('mismatch', 'authenticated', :'customer_c', $$
  INSERT INTO orders (user_id, package_id, package_code, price_usd, source_type)
  VALUES (pg_temp.id('user_c'), pg_temp.id('package_2'), 'PKG-ACTIVE', 10, 'b2c')
  RETURNING id$$),
  '23503', 'a package_id that is not the package_code''s package: 23503');
SELECT is((SELECT count(*) FROM placed WHERE who IN ('unknown', 'retired', 'mismatch')), 0::bigint,
          'none of them was written');

-- The service (BYPASSRLS) and admins record the price they are given.
SELECT is(pg_temp.place('service', 'service_role', '{"role":"service_role"}', $$
  INSERT INTO orders (user_id, package_code, price_usd, price_uzs, source_type)
  VALUES (pg_temp.id('user_c'), 'PKG-ACTIVE', 7.5, 94500, 'b2c') RETURNING id$$),
  'ok', 'the service records an order');
SELECT is((SELECT (o.price_usd, o.price_uzs)::text FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'service'),
          '(7.5000,94500.00)', 'at the price the service gave');
SELECT is(pg_temp.place('admin', 'authenticated', :'admin', $$
  INSERT INTO orders (user_id, package_code, price_usd, source_type)
  VALUES (pg_temp.id('user_ad'), 'PKG-RETIRED', 2.25, 'admin') RETURNING id$$),
  'ok', 'an admin records a manual order, even of a retired package');
SELECT is((SELECT o.price_usd FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'admin'),
          2.2500::numeric, 'at the price the admin gave');

-- Through the API the price is the catalog's too (same rule, same figure).
SELECT is(pg_temp.place('api', 'authenticated', :'customer_c', $$
  SELECT id FROM place_b2c_order('PKG-ACTIVE')$$),
  'ok', 'a customer orders through place_b2c_order');
SELECT is((SELECT o.price_usd FROM orders o JOIN placed p ON p.order_id = o.id WHERE p.who = 'api'),
          (SELECT price_usd FROM catalog), 'at the catalog price');

-- A client cannot change the price afterwards either.
SELECT is(pg_temp.place('reprice', 'authenticated', :'customer_c', $$
  UPDATE orders SET price_usd = 0.01 WHERE id = (SELECT order_id FROM placed WHERE who = 'customer')
  RETURNING id$$),
  '42501', 'a client cannot update the price of its order (42501)');

SELECT * FROM finish();
ROLLBACK;
