-- Account deletion (auth.users row deleted, as Supabase's auth admin API
-- does): the member's own data goes; what they put on other people's trips
-- stays, so the trip's itinerary and every other member's balance are what
-- they were.
BEGIN;
SELECT plan(19);
\ir fixtures/users.psql
\ir fixtures/shared_trip.psql

-- The editor adds an item between the owner's two, pays dinner for three and
-- is paid back part of it by the viewer.
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'editor');
INSERT INTO trip_items (trip_id, user_id, name, day_number, order_index) VALUES (:'trip', :'editor', 'Tea house', 1, 1);
SELECT (add_expense(:'trip', 'Dinner', 9000, 'JPY', :'editor', 'equal', ARRAY[:'owner', :'editor', :'viewer']::uuid[])).id AS dinner \gset
SELECT tripos_test.act_as(:'owner');
SELECT (add_expense(:'trip', 'Taxi', 1000, 'JPY', :'owner', 'equal', ARRAY[:'owner', :'viewer']::uuid[])).id AS taxi \gset
SELECT tripos_test.act_as(:'viewer');
SELECT record_settlement(:'trip', :'viewer', :'editor', 1000, 'JPY');
SELECT tripos_test.act_as(:'editor');
SELECT (SELECT id FROM trip_items WHERE trip_id = :'trip' AND name = 'Temple') AS temple \gset
INSERT INTO votes (trip_item_id, user_id, vote_type) VALUES (:'temple', :'editor', 'up');
RESET ROLE;

-- Balances before: owner 1000 - 3000 - 500 = -2500; editor 9000 - 3000 -
-- 1000 = 5000; viewer -3000 - 500 + 1000 = -2500.
SELECT is((SELECT array_agg(balance_minor ORDER BY balance_minor) FROM trip_balances WHERE trip_id = :'trip' AND currency = 'JPY'),
          ARRAY[-2500, -2500, 5000]::bigint[], 'balances before the deletion');

DELETE FROM auth.users WHERE id = :'editor';

SELECT is((SELECT string_agg(name, ',' ORDER BY order_index) FROM trip_items WHERE trip_id = :'trip' AND day_number = 1),
          'Temple,Tea house,Market', 'the item the editor added stays in the owner''s itinerary, in its place');
SELECT is((SELECT user_id FROM trip_items WHERE trip_id = :'trip' AND name = 'Tea house'), NULL::uuid,
          'its author is gone');
SELECT is((SELECT array_agg(order_index ORDER BY order_index) FROM trip_items WHERE trip_id = :'trip' AND day_number = 1),
          ARRAY[0, 1, 2], 'the day''s order stays dense');
SELECT is((SELECT count(*)::int FROM collaborators WHERE trip_id = :'trip' AND user_id = :'editor'), 0,
          'the editor no longer collaborates');
SELECT is((SELECT count(*)::int FROM votes WHERE trip_item_id = :'temple'), 0, 'their votes go with them');
SELECT is((SELECT count(*)::int FROM expenses WHERE trip_id = :'trip'), 2, 'the expense they paid stays');
SELECT is((SELECT paid_by FROM expenses WHERE id = :'dinner'), NULL::uuid, 'paid by a former member');
SELECT is((SELECT sum(share_minor)::bigint FROM expense_splits WHERE expense_id = :'dinner'), 9000::bigint,
          'its splits still sum to its amount');
SELECT is((SELECT count(*)::int FROM settlements WHERE trip_id = :'trip' AND from_user = :'viewer' AND to_user IS NULL), 1,
          'the settlement paid to them stays');
SELECT is((SELECT balance_minor FROM trip_balances WHERE trip_id = :'trip' AND currency = 'JPY' AND user_id = :'owner'),
          -2500::bigint, 'the owner''s balance is unchanged');
SELECT is((SELECT balance_minor FROM trip_balances WHERE trip_id = :'trip' AND currency = 'JPY' AND user_id = :'viewer'),
          -2500::bigint, 'the viewer''s balance is unchanged');
SELECT is((SELECT balance_minor FROM trip_balances WHERE trip_id = :'trip' AND currency = 'JPY' AND user_id IS NULL),
          5000::bigint, 'the former member''s balance is one line with no user');
SELECT is((SELECT sum(balance_minor)::bigint FROM trip_balances WHERE trip_id = :'trip' AND currency = 'JPY'), 0::bigint,
          'the balances still sum to 0');
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'viewer');
SELECT is((SELECT array_agg(coalesce(from_user::text, 'former') || '>' || coalesce(to_user::text, 'former') || ':' || amount_minor
                            ORDER BY 1)
             FROM settlement_suggestions(:'trip', 'JPY')),
          (SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY[:'owner' || '>former:2500', :'viewer' || '>former:2500']) AS x),
          'the suggestions name the former member as a NULL user');
RESET ROLE;

-- Invoices are the business's records: they outlive the account.
INSERT INTO invoices (user_id, stripe_invoice_id, amount_due_minor, currency, status)
  VALUES (:'viewer', 'in_deleted_account', 1200, 'usd', 'paid');
DELETE FROM auth.users WHERE id = :'viewer';
SELECT is((SELECT coalesce(user_id::text, 'none') || ' ' || amount_due_minor FROM invoices WHERE stripe_invoice_id = 'in_deleted_account'),
          'none 1200', 'an invoice stays when its account is deleted');

-- An owner's account takes the owner's trips with it (a trip is its
-- owner's; its collaborators lose access).
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'stranger');
INSERT INTO trips (user_id, name) VALUES (:'stranger', 'Solo') RETURNING id AS solo \gset
INSERT INTO trip_items (trip_id, user_id, name) VALUES (:'solo', :'stranger', 'Hike');
RESET ROLE;
DELETE FROM auth.users WHERE id = :'stranger';
SELECT is((SELECT count(*)::int FROM trips WHERE id = :'solo'), 0, 'the owner''s deletion removes their trip');

-- The owner adds an expense and deletes the account in
-- the same transaction: the trip goes with its expense and splits, and the
-- splits the transaction inserted do not stop the deletion.
SELECT tripos_test.act_as(:'owner');
SET LOCAL ROLE authenticated;
SELECT (add_expense(:'trip', 'Late taxi', 800, 'JPY', :'owner', 'equal', ARRAY[:'owner']::uuid[])).id AS late_taxi \gset
RESET ROLE;
SELECT lives_ok(format('DELETE FROM auth.users WHERE id = %L', :'owner'),
                'an owner who added an expense in this transaction deletes the account');
SELECT is((SELECT count(*)::int FROM trips WHERE id = :'trip') + (SELECT count(*)::int FROM expense_splits WHERE expense_id = :'late_taxi'),
          0, 'their trip, its expense and its splits are gone');

SELECT * FROM finish();
ROLLBACK;
