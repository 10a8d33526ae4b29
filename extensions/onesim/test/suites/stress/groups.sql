-- A partner moves a customer between two of its groups through the API
-- (remove, then add: one RPC per transaction, as PostgREST runs them); 1 in 3
-- times the service moves it with a plain UPDATE of the member row (the -1/+1
-- path of the group_size trigger).
\set p random(1, 4)
\set k random(1, 20)
\set a random(1, 3)
\set b random(1, 3)
\set how random(1, 3)
\if :how = 1
BEGIN;
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT stress.move_member(stress.uid(2, :p * 1000 + :k), stress.uid(3, :p * 100 + :a),
                          stress.uid(3, :p * 100 + :b));
COMMIT;
\else
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', stress.uid(0, :p)), true);
SELECT remove_group_members(stress.uid(3, :p * 100 + :a), ARRAY[stress.uid(2, :p * 1000 + :k)]);
COMMIT;
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', stress.uid(0, :p)), true);
SELECT add_group_members(stress.uid(3, :p * 100 + :b), ARRAY[stress.uid(2, :p * 1000 + :k)]);
COMMIT;
\endif
