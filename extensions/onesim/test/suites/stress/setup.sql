-- Fixtures of the stress suite (test/stress.sh): 4 active partners with
-- different rates, 20 customers and 3 groups each (customers 1..10 spread
-- over the groups), an admin, and two packages (USD and UZS prices).
-- Ids are computed, so the pgbench scripts can name them from random numbers:
--   partner n (1..4)     user 00000000-0000-4000-8000-00000000000n
--                        partner 10000000-0000-4000-8000-<n, 12 digits>
--   customer k (1..20)   20000000-0000-4000-8000-<n*1000+k, 12 digits>
--   group g (1..3)       30000000-0000-4000-8000-<n*100+g, 12 digits>
SET client_min_messages = warning;
CREATE SCHEMA stress;
GRANT USAGE ON SCHEMA stress TO PUBLIC;

CREATE FUNCTION stress.uid(prefix int, n int) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT format('%s0000000-0000-4000-8000-%s', prefix, lpad(n::text, 12, '0'))::uuid $$;
GRANT EXECUTE ON FUNCTION stress.uid(int, int) TO PUBLIC;

-- Runs one API call; a business refusal (55000 object_not_in_prerequisite_state,
-- e.g. cancelling an order another client just allocated, or P0002 for an
-- order that moved on) is an answer, not a failure: it returns its SQLSTATE.
-- Anything else (deadlocks included) propagates and fails the pgbench client.
CREATE FUNCTION stress.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN object_not_in_prerequisite_state OR no_data_found THEN
  RETURN SQLSTATE;
END
$$;
GRANT EXECUTE ON FUNCTION stress.try(text) TO PUBLIC;

-- A plain UPDATE moving a member between groups: when a concurrent add put
-- the customer in the target group first, the move is refused (23505), a
-- legitimate outcome of the race, not a failure.
CREATE FUNCTION stress.move_member(customer uuid, from_group uuid, to_group uuid) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE customer_group_members SET group_id = to_group
   WHERE customer_id = customer AND group_id = from_group
     AND NOT EXISTS (SELECT 1 FROM customer_group_members
                      WHERE customer_id = customer AND group_id = to_group);
  RETURN 'ok';
EXCEPTION WHEN unique_violation THEN
  RETURN SQLSTATE;
END
$$;
GRANT EXECUTE ON FUNCTION stress.move_member(uuid, uuid, uuid) TO PUBLIC;

INSERT INTO auth.users (id, email)
  SELECT stress.uid(0, n), format('partner%s@stress.test', n) FROM generate_series(1, 4) n
  UNION ALL SELECT stress.uid(0, 99), 'admin@stress.test';
INSERT INTO profiles (id, user_type, first_name, last_name, email)
  SELECT stress.uid(0, n), 'partner', 'P', format('%s', n), format('partner%s@stress.test', n)
    FROM generate_series(1, 4) n
  UNION ALL SELECT stress.uid(0, 99), 'admin'::user_type, 'Ada', 'Admin', 'admin@stress.test';
INSERT INTO partners (id, user_id, company_name, business_email, custom_commission_rate, status)
  SELECT stress.uid(1, n), stress.uid(0, n), format('Stress agency %s', n),
         format('partner%s@stress.test', n), (ARRAY[7.50, 5.00, 12.25, NULL])[n], 'active'
    FROM generate_series(1, 4) n;
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email)
  SELECT stress.uid(2, n * 1000 + k), stress.uid(1, n), 'C', format('%s-%s', n, k),
         format('c%s-%s@stress.test', n, k)
    FROM generate_series(1, 4) n, generate_series(1, 20) k;
INSERT INTO customer_groups (id, partner_id, name)
  SELECT stress.uid(3, n * 100 + g), stress.uid(1, n), format('Group %s-%s', n, g)
    FROM generate_series(1, 4) n, generate_series(1, 3) g;
INSERT INTO customer_group_members (group_id, customer_id)
  SELECT stress.uid(3, n * 100 + 1 + k % 3), stress.uid(2, n * 1000 + k)
    FROM generate_series(1, 4) n, generate_series(1, 10) k;
INSERT INTO esim_packages (package_code, name, provider_price_usd, price_usd, price_uzs, is_active) VALUES
  ('STRESS-5GB', 'Stress 5GB', 19.00, 19.00, 240000, true),
  ('STRESS-1GB', 'Stress 1GB', 4.37, 4.37, 55123.45, true);
