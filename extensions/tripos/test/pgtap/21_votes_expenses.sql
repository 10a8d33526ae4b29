-- Stage 2: votes (members only, up/down exclusive, trip of the item) and
-- expenses (splits in minor units, balances, fewest-transfer settlements).
BEGIN;
SELECT plan(31);
\ir fixtures/users.psql
\ir fixtures/shared_trip.psql
SELECT id AS temple FROM trip_items WHERE trip_id = :'trip' AND name = 'Temple' \gset
SELECT gen_random_uuid() AS stranger_trip \gset

SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'viewer');
INSERT INTO votes (trip_item_id, user_id, vote_type) VALUES (:'temple', :'viewer', 'up');
SELECT is((SELECT trip_id FROM votes WHERE user_id = :'viewer'), :'trip'::uuid, 'a vote takes its item''s trip');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO votes (trip_item_id, user_id, vote_type) VALUES (%L, %L, ''down'')', :'temple', :'viewer')),
          '23505', 'up and down exclude each other');
INSERT INTO votes (trip_item_id, user_id, vote_type) VALUES (:'temple', :'viewer', 'favorite');
SELECT is((SELECT count(*)::int FROM votes WHERE user_id = :'viewer'), 2, 'a favorite stands beside an up vote');
UPDATE votes SET vote_type = 'down' WHERE user_id = :'viewer' AND vote_type = 'up';
SELECT tripos_test.act_as(:'editor');
INSERT INTO votes (trip_item_id, user_id, vote_type) VALUES (:'temple', :'editor', 'up');
SELECT tripos_test.act_as(:'owner');
INSERT INTO votes (trip_item_id, user_id, vote_type) VALUES (:'temple', :'owner', 'up');
SELECT is((SELECT up_votes || '/' || down_votes || '/' || favorites || '/' || score FROM vote_tallies WHERE trip_item_id = :'temple'),
          '2/1/1/1', 'tallies per item: 2 up, 1 down, 1 favorite, score 1');
INSERT INTO trips (id, user_id, name) VALUES (:'stranger_trip', :'owner', 'Other');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO votes (trip_id, trip_item_id, user_id, vote_type) VALUES (%L, %L, %L, ''favorite'')',
          :'stranger_trip', :'temple', :'owner')), '23514', 'a vote''s trip must be its item''s trip');
SELECT tripos_test.act_as(:'pending');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO votes (trip_item_id, user_id, vote_type) VALUES (%L, %L, ''up'')', :'temple', :'pending')),
          '42501', 'a pending invitee cannot vote');
SELECT tripos_test.act_as(:'stranger');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO votes (trip_item_id, user_id, vote_type) VALUES (%L, %L, ''up'')', :'temple', :'stranger')),
          '42501', 'nor can a stranger');
SELECT is((SELECT count(*)::int FROM votes WHERE trip_item_id = :'temple'), 0, 'who sees no vote');
SELECT tripos_test.act_as(:'viewer');
SELECT is(tripos_test.sqlstate_of(format('INSERT INTO votes (trip_item_id, user_id, vote_type) VALUES (%L, %L, ''up'')', :'temple', :'owner')),
          '42501', 'nobody votes in someone else''s name');

-- Expenses. 100 among three, equal: 34 / 33 / 33 by user id order,
-- whatever order the app lists them in.
SELECT tripos_test.act_as(:'owner');
SELECT (add_expense(:'trip', 'Snacks', 100, 'JPY', :'owner', 'equal', ARRAY[:'viewer', :'owner', :'editor']::uuid[])).id AS snacks \gset
SELECT is((SELECT array_agg(share_minor ORDER BY user_id) FROM expense_splits WHERE expense_id = :'snacks'),
          ARRAY[34, 33, 33]::bigint[], 'the remainder unit goes to the first participant by id');
DELETE FROM expenses WHERE id = :'snacks';
SELECT is((SELECT count(*)::int FROM expense_splits WHERE expense_id = :'snacks'), 0, 'an editor deletes an expense with its splits');
SELECT (add_expense(:'trip', 'Dinner', 9999, 'JPY', :'owner', 'equal', ARRAY[:'owner', :'editor', :'viewer']::uuid[])).id AS dinner \gset
SELECT is((SELECT array_agg(share_minor) FROM expense_splits WHERE expense_id = :'dinner'), ARRAY[3333, 3333, 3333]::bigint[],
          'an even split');
SELECT (add_expense(:'trip', 'Train', 1000, 'JPY', :'editor', 'percent', ARRAY[:'viewer', :'editor']::uuid[],
                    ARRAY[33.33, 66.67])).id AS train \gset
SELECT is((SELECT array_agg(share_minor || '@' || share_percent ORDER BY share_minor) FROM expense_splits WHERE expense_id = :'train'),
          ARRAY['333@33.33', '667@66.67'], 'percent splits round by largest remainder and keep the percentage');
SELECT (add_expense(:'trip', 'Hotel', 90001, 'JPY', :'owner', 'shares', ARRAY[:'owner', :'editor']::uuid[], ARRAY[2, 1])).id AS hotel \gset
SELECT is((SELECT sum(share_minor)::bigint FROM expense_splits WHERE expense_id = :'hotel'), 90001::bigint, 'shares split exactly');
SELECT is(tripos_test.sqlstate_of(format('SELECT add_expense(%L, ''x'', 100, ''JPY'', %L, ''percent'', ARRAY[%L]::uuid[], ARRAY[99])',
          :'trip', :'owner', :'owner')), '22023', 'percentages must sum to 100');
SELECT is(tripos_test.sqlstate_of(format('SELECT add_expense(%L, ''x'', 100, ''JPY'', %L, ''exact'', ARRAY[%L, %L]::uuid[], ARRAY[50, 49])',
          :'trip', :'owner', :'owner', :'editor')), '22023', 'exact shares must sum to the amount');
SELECT is(tripos_test.sqlstate_of(format('SELECT add_expense(%L, ''x'', 100, ''JPY'', %L, ''equal'', ARRAY[%L]::uuid[])',
          :'trip', :'owner', :'stranger')), '22023', 'every participant is a member');
SELECT is(tripos_test.sqlstate_of(format('SELECT add_expense(%L, ''x'', 0, ''JPY'', %L, ''equal'', ARRAY[%L]::uuid[])',
          :'trip', :'owner', :'owner')), '22023', 'an amount is more than 0');
SELECT is(tripos_test.sqlstate_of(format('SELECT add_expense(%L, ''x'', 10, ''JPY'', %L, ''thirds'', ARRAY[%L]::uuid[])',
          :'trip', :'owner', :'owner')), '22023', 'an unknown split method is refused');
SELECT is(tripos_test.sqlstate_of(format('SELECT add_expense(%L, ''x'', 100, ''JPY'', %L, ''equal'', ARRAY[%L, NULL]::uuid[])',
          :'trip', :'owner', :'owner')), '22004', 'a NULL participant is refused');
SELECT is(tripos_test.sqlstate_of(format('SELECT add_expense(%L, ''x'', 100, ''JPY'', %L, ''shares'', ARRAY[%L, %L]::uuid[], ARRAY[1, NULL])',
          :'trip', :'owner', :'owner', :'editor')), '22004', 'a NULL split value is refused');
SELECT is(tripos_test.sqlstate_of(format('UPDATE expenses SET amount_minor = 1 WHERE id = %L', :'dinner')), '42501',
          'an amount cannot change behind its splits');
SELECT tripos_test.act_as(:'viewer');
SELECT is(tripos_test.sqlstate_of(format('SELECT add_expense(%L, ''x'', 100, ''JPY'', %L, ''equal'', ARRAY[%L]::uuid[])',
          :'trip', :'viewer', :'viewer')), '42501', 'a viewer does not record expenses');

-- Balances (paid - owed): owner 9999 + 90001 - 3333 - 60001 = 36666;
-- editor 1000 - 3333 - 667 - 30000 = -33000; viewer -3333 - 333 = -3666.
SELECT is((SELECT array_agg(balance_minor ORDER BY balance_minor) FROM trip_balances WHERE trip_id = :'trip' AND currency = 'JPY'),
          ARRAY[-33000, -3666, 36666]::bigint[], 'balances per member');
SELECT is((SELECT count(*)::int FROM settlement_suggestions(:'trip', 'JPY')), 2, 'three members, one creditor: two transfers');
SELECT is((SELECT sum(amount_minor)::bigint FROM settlement_suggestions(:'trip', 'JPY') WHERE to_user = :'owner'), 36666::bigint,
          'both pay the owner what they owe');
SELECT record_settlement(:'trip', :'viewer', :'owner', 3666, 'JPY');
SELECT is((SELECT balance_minor FROM trip_balances WHERE trip_id = :'trip' AND user_id = :'viewer'), 0::bigint,
          'a settlement clears the payer''s balance');
SELECT is((SELECT count(*)::int FROM settlement_suggestions(:'trip', 'JPY')), 1, 'one transfer is left');
SELECT is(tripos_test.sqlstate_of(format('SELECT record_settlement(%L, %L, %L, 5, ''JPY'')', :'trip', :'editor', :'owner')),
          '42501', 'a member records only their own settlements');
SELECT tripos_test.act_as(:'stranger');
SELECT is((SELECT count(*)::int FROM settlement_suggestions(:'trip', 'JPY')), 0, 'a stranger learns nothing');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM expense_split_problems()), 0, 'every expense''s splits sum to its amount');

SELECT * FROM finish();
ROLLBACK;
