-- Collections: places in a dense order (the itinerary's code), the owner's
-- writes only, public collections readable.
BEGIN;
SELECT plan(8);
\ir fixtures/users.psql
SET LOCAL ROLE authenticated;
SELECT tripos_test.act_as(:'owner');
SELECT gen_random_uuid() AS coll \gset
INSERT INTO collections (id, user_id, name, is_public) VALUES (:'coll', :'owner', 'Cafes', true);
INSERT INTO saved_places (user_id, name) SELECT :'owner', 'p' || g FROM generate_series(1, 5) g;
INSERT INTO collection_items (collection_id, saved_place_id, order_index)
SELECT :'coll', id, NULL FROM saved_places WHERE user_id = :'owner' ORDER BY name;
CREATE TEMP VIEW coll_order AS
  SELECT string_agg(p.name, ' ' ORDER BY i.order_index) AS names, array_agg(i.order_index ORDER BY i.order_index) AS positions
    FROM collection_items i JOIN saved_places p ON p.id = i.saved_place_id
   WHERE i.collection_id = current_setting('tripos_test.coll')::uuid;
SELECT set_config('tripos_test.coll', :'coll', true);
SELECT is((SELECT names FROM coll_order), 'p1 p2 p3 p4 p5', 'inserts without a position append');
UPDATE collection_items SET order_index = 0
 WHERE saved_place_id = (SELECT id FROM saved_places WHERE user_id = :'owner' AND name = 'p4');
SELECT is((SELECT names FROM coll_order), 'p4 p1 p2 p3 p5', 'a move to the top shifts the rest');
DELETE FROM collection_items WHERE saved_place_id IN (SELECT id FROM saved_places WHERE user_id = :'owner' AND name IN ('p1', 'p3'));
SELECT is((SELECT names || ' ' || positions::text FROM coll_order), 'p4 p2 p5 {0,1,2}', 'deletes close the gaps');
SELECT is(tripos_test.sqlstate_of(format(
  'INSERT INTO collection_items (collection_id, saved_place_id, order_index) VALUES (%L, (SELECT id FROM saved_places WHERE user_id = %L AND name = ''p1''), -2)',
  :'coll', :'owner')), '23514', 'a negative position is refused');
INSERT INTO collection_items (collection_id, saved_place_id, order_index)
VALUES (:'coll', (SELECT id FROM saved_places WHERE user_id = :'owner' AND name = 'p1'), 1);
SELECT is((SELECT names FROM coll_order), 'p4 p1 p2 p5', 'an insert in the middle');
SELECT tripos_test.act_as(:'stranger');
SELECT is((SELECT count(*)::int FROM collection_items WHERE collection_id = :'coll'), 4, 'a public collection''s items are readable');
SELECT is(tripos_test.sqlstate_of(format('UPDATE collection_items SET order_index = 0 WHERE collection_id = %L', :'coll')), '00000',
          'another user''s update touches nothing');
SELECT tripos_test.act_as(:'owner');
SELECT is((SELECT names FROM coll_order), 'p4 p1 p2 p5', 'the order is unchanged');
SELECT * FROM finish();
ROLLBACK;
