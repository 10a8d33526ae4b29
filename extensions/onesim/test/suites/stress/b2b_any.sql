-- Any partner orders, for an existing customer or (1 in 4) a new one by email.
\set p random(1, 4)
\set k random(1, 20)
\set fresh random(1, 4)
\set r random(1, 1000000000)
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', stress.uid(0, :p)), true);
\if :fresh = 1
SELECT id FROM place_b2b_order('STRESS-1GB',
       new_customer => jsonb_build_object('first_name', 'New', 'last_name', 'Customer',
                                          'email', format('new%s@stress.test', :r)));
\else
SELECT id FROM place_b2b_order('STRESS-1GB', stress.uid(2, :p * 1000 + :k));
\endif
COMMIT;
