-- RLS that is fast: a partner's or a customer's read of orders is answered by
-- indexes (a BitmapOr of the policy's arms), never by a scan of every order;
-- an admin still sees everything.
BEGIN;
SELECT plan(5);

INSERT INTO auth.users (id, email)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'u' || i || '@plans.test'
  FROM generate_series(1, 50) i;
INSERT INTO profiles (id, user_type)
SELECT id, CASE WHEN email = 'u50@plans.test' THEN 'admin' ELSE 'partner' END FROM auth.users WHERE email LIKE '%@plans.test';
INSERT INTO partners (user_id, company_name, business_email)
SELECT id, email, email FROM auth.users WHERE email LIKE '%@plans.test' AND email <> 'u50@plans.test';
INSERT INTO orders (user_id, source_type, partner_id, package_code, price_usd)
SELECT p.user_id, 'b2b_partner', p.id, 'PLAN', 10 FROM partners p, generate_series(1, 100)
 WHERE p.business_email LIKE '%@plans.test';
ANALYZE orders;

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; result text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP result := result || line || E'\n'; END LOOP;
  RETURN result;
END $$;

-- Every arm of the policy has an index, and the admin arm (a range between
-- two helper values) is estimated as narrow: the planner picks the index plan
-- at any size, here on 4900 rows already. A bare "OR is_admin()" arm would
-- leave no choice but a scan of every row.
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"00000000-0000-4000-8000-000000000007","role":"authenticated"}', true);
SELECT unalike(pg_temp.plan_of('SELECT count(*), sum(price_usd) FROM orders'), '%Seq Scan on orders%',
  'a partner''s read of its orders uses indexes, not a scan of every order');
SELECT alike(pg_temp.plan_of('SELECT count(*), sum(price_usd) FROM orders'), '%BitmapOr%',
  'the policy''s arms are combined as index scans');
SELECT is((SELECT count(*)::int FROM orders), 100, 'the partner sees exactly its 100 orders');
SELECT set_config('request.jwt.claims', '{"sub":"00000000-0000-4000-8000-000000000032","role":"authenticated"}', true);
SELECT is((SELECT count(*)::int FROM orders WHERE package_code = 'PLAN'), 4900, 'the admin sees all 4900 orders');
SELECT set_config('request.jwt.claims', '{"sub":"00000000-0000-4000-8000-0000000000ff","role":"authenticated"}', true);
SELECT is((SELECT count(*)::int FROM orders), 0, 'an unknown user sees none');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
