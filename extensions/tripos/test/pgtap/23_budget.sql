-- Budget tracking: expenses in the trip's currency against trips.budget
-- raise one event per upward crossing of 80 % and 100 %.
BEGIN;
SELECT plan(6);
\ir fixtures/users.psql
\ir fixtures/shared_trip.psql
-- The trip's budget is 2000.00 USD.
UPDATE trips SET currency = 'USD' WHERE id = :'trip';
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
SELECT add_expense(:'trip', 'Hotel', 150000, 'USD', :'owner', 'equal', ARRAY[:'owner']::uuid[]);
SELECT is((SELECT count(*)::int FROM budget_events WHERE trip_id = :'trip'), 0, '75 %: no event');
SELECT add_expense(:'trip', 'Yen', 900000, 'JPY', :'owner', 'equal', ARRAY[:'owner']::uuid[]);
SELECT is((SELECT count(*)::int FROM budget_events WHERE trip_id = :'trip'), 0, 'other currencies do not count');
SELECT add_expense(:'trip', 'Tour', 10000, 'USD', :'owner', 'equal', ARRAY[:'owner']::uuid[]);
SELECT is((SELECT array_agg(threshold_percent || ':' || spent_minor) FROM budget_events WHERE trip_id = :'trip'),
          ARRAY['80:160000'], 'exactly 80 % raises the 80 % event');
SELECT (add_expense(:'trip', 'Flight', 50000, 'USD', :'owner', 'equal', ARRAY[:'owner']::uuid[])).id AS flight \gset
SELECT is((SELECT array_agg(threshold_percent ORDER BY threshold_percent) FROM budget_events WHERE trip_id = :'trip'),
          ARRAY[80, 100], 'going over the budget raises the 100 % event once');
DELETE FROM expenses WHERE id = :'flight';
SELECT add_expense(:'trip', 'Snack', 100, 'USD', :'owner', 'equal', ARRAY[:'owner']::uuid[]);
SELECT is((SELECT count(*)::int FROM budget_events WHERE trip_id = :'trip'), 2, 'staying between thresholds raises nothing');
SELECT add_expense(:'trip', 'Flight again', 50000, 'USD', :'owner', 'equal', ARRAY[:'owner']::uuid[]);
SELECT is((SELECT count(*)::int FROM budget_events WHERE trip_id = :'trip' AND threshold_percent = 100), 2,
          'falling below and crossing again raises it again');
SELECT * FROM finish();
ROLLBACK;
