-- The shop with data in every table, and what restores used to lose: a
-- profile whose names the user edited, rules an admin changed (a default
-- block's markup, a default link disabled, a block and a strategy of their
-- own, a default block deleted), the catalog metadata of the last sync.
\set ON_ERROR_STOP 1
\ir ../../../sample/esimgo_sample_data.sql
UPDATE profiles SET first_name = 'Dana (edited)' WHERE id = 'e5900000-0000-4000-8000-000000000001';
UPDATE pricing_blocks SET params = jsonb_set(params, '{markupMatrix,MAYA,7}', '9')
 WHERE id = '09000102-3456-7823-4567-123456789012';
UPDATE strategy_blocks SET is_enabled = false WHERE block_id = 'a52106bc-5303-47b1-adae-892aa0b48735';
DELETE FROM strategy_blocks WHERE block_id = 'a1b2c3d4-5678-90ab-cdef-123456789012';
DELETE FROM pricing_blocks WHERE id = 'a1b2c3d4-5678-90ab-cdef-123456789012';
INSERT INTO pricing_blocks (id, name, category, event_type, priority, conditions, params)
VALUES ('e5900000-0000-4000-8000-0000000007b1', 'Greece promotion', 'discount', 'apply-discount', 50,
        '{"all":[{"fact":"country","operator":"equal","value":"GR"}]}', '{"actions":{"type":"APPLY_DISCOUNT_PERCENTAGE","value":10}}');
INSERT INTO strategy_blocks (strategy_id, block_id, priority)
VALUES ('def00000-0000-0000-0000-000000000001', 'e5900000-0000-4000-8000-0000000007b1', 50);
INSERT INTO pricing_strategies (id, code, name, is_default, created_by)
VALUES ('e5900000-0000-4000-8000-0000000007c1', 'SUMMER', 'Summer', false, 'e5900000-0000-4000-8000-0000000000ad');
UPDATE catalog_metadata SET total_bundles = (SELECT count(*) FROM catalog_bundles),
       bundle_groups = ARRAY(SELECT DISTINCT unnest(groups) FROM catalog_bundles ORDER BY 1);
-- a paid checkout: an order at the session's price
SELECT set_config('request.jwt.claims', '{"sub":"e5900000-0000-4000-8000-000000000002","role":"authenticated"}', false);
CREATE TEMP TABLE s AS SELECT (create_checkout_session(7, 'GR') ->> 'sessionId')::uuid AS id;
SELECT advance_checkout_session((SELECT id FROM s), 'PAYMENT_READY') IS NOT NULL;
SELECT set_config('request.jwt.claims', '', false);
SELECT complete_checkout((SELECT id FROM s), 'pi_backup') IS NOT NULL;
