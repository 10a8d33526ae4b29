-- Partner 1 (the hot partner) orders for one of its customers, half the time
-- for a group too: every client contends on the same partners row.
\set k random(1, 20)
\set g random(0, 3)
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', stress.uid(0, 1)), true);
SELECT id FROM place_b2b_order('STRESS-5GB', stress.uid(2, 1000 + :k),
       customer_group_id => CASE WHEN :g > 0 THEN stress.uid(3, 100 + :g) END);
COMMIT;
