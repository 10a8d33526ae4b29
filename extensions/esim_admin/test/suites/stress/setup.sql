-- The stress world: 40 customers, an admin, 4 plans with prices and 40,000
-- eSIMs in stock (more than a fast machine settles in one run; a plan that
-- runs out refuses the completion all the same), 20 promotional codes with 5
-- uses each (fewer than the buyers racing for them), and a helper that runs a
-- statement and keeps going past the refusals the rules are meant to give.
CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA extensions;
CREATE SCHEMA stress;
CREATE FUNCTION stress.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION
  WHEN object_not_in_prerequisite_state OR check_violation OR no_data_found OR exclusion_violation THEN
    RETURN SQLSTATE;
END $$;
CREATE FUNCTION stress.as_user(n int) RETURNS void LANGUAGE sql AS $$
  SELECT set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-4000-8000-' || lpad(n::text, 12, '0'),
                                                            'role', 'authenticated')::text, true)
$$;
INSERT INTO auth.users (id, email)
  SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'stress' || i || '@t.io' FROM generate_series(1, 41) i;
UPDATE esim_admin.users SET role = 'admin' WHERE email = 'stress41@t.io';
INSERT INTO esim_admin.plans (id, name, validity_days)
  SELECT ('00000000-0000-4000-9000-' || lpad(i::text, 12, '0'))::uuid, 'Plan ' || i, 7 * i FROM generate_series(1, 4) i;
INSERT INTO esim_admin.plan_pricing (plan_id, cost_price, selling_price, effective_from)
  SELECT id, 3 + validity_days / 7, 5.99 + validity_days / 7, now() - interval '1 day' FROM esim_admin.plans;
INSERT INTO esim_admin.esims (iccid, plan_id)
  SELECT '8900' || lpad(i::text, 15, '0'), ('00000000-0000-4000-9000-' || lpad((1 + i % 4)::text, 12, '0'))::uuid
    FROM generate_series(1, 40000) i;
INSERT INTO esim_admin.promotional_codes (code, discount_type, discount_value, max_uses, valid_from, valid_to)
  SELECT 'STRESS' || i, CASE WHEN i % 2 = 0 THEN 'percentage' ELSE 'fixed_amount' END::esim_admin.discount_type,
         CASE WHEN i % 2 = 0 THEN 15 ELSE 2.50 END, 5, now() - interval '1 day', now() + interval '1 day'
    FROM generate_series(1, 20) i;
