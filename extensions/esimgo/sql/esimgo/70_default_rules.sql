-- ---------------------------------------------------------------------------
-- The shipped default rules (upstream's default-rules), the default strategy,
-- the catalog metadata row and the rules version. The same rules are in
-- domain/default_rules.cpp for the unit tests. A restore's CREATE EXTENSION
-- makes none of them: the dump holds them as they were (an admin's edits and
-- deletions included; 80_backups.sql).
-- ---------------------------------------------------------------------------

DO $seeds$
BEGIN
IF esimgo_internal.restoring_database() THEN
  RETURN;
END IF;

INSERT INTO esimgo_internal.rules_version DEFAULT VALUES;

INSERT INTO @extschema@.pricing_blocks (id, name, description, category, event_type, priority, is_active, is_editable, conditions, params) VALUES
  ('f47ac10b-58cc-4372-a567-0e02b2c3d479', 'Provider Selection', 'Prefer MAYA bundles, then eSIM Go', 'custom', 'select-provider', 100, true, true,
   '{"all":[{"fact":"availableBundles","path":"$.length","operator":"greaterThan","value":0}]}',
   '{"preferredProvider":"MAYA","fallbackProvider":"ESIM_GO"}'),
  ('ca57ac6d-c580-45a4-9398-273146d52cfd', 'Cost Block', 'Start from the selected bundle''s cost', 'cost', 'set-base-price', 99, true, true,
   '{"all":[{"fact":"selectedBundle","operator":"notEqual","value":null}]}',
   '{}'),
  ('09000102-3456-7823-4567-123456789012', 'Unlimited Bundle Markup', 'Markup by provider, group and validity', 'markup', 'apply-markup', 90, true, true,
   '{"any":[{"all":[{"fact":"selectedBundle","operator":"notEqual","value":null},{"fact":"selectedBundle","path":"$.is_unlimited","operator":"equal","value":true}]},{"all":[{"fact":"previousBundle","operator":"notEqual","value":null},{"fact":"previousBundle","path":"$.is_unlimited","operator":"equal","value":true}]}]}',
   '{"markupMatrix":{"Standard Unlimited Lite":{"1":3,"3":5,"5":9,"7":12,"10":15,"15":17,"30":20},"Standard Unlimited Essential":{"1":3,"3":5,"5":9,"7":12,"10":15,"15":17,"30":20},"Standard Unlimited Plus":{"1":4,"3":6,"5":10,"7":13,"10":16,"15":18,"30":21},"ESIM_GO-Standard Unlimited Lite":{"1":3,"3":5,"5":9,"7":12,"10":15,"15":17,"30":20},"ESIM_GO-Standard Unlimited Essential":{"1":3,"3":5,"5":9,"7":12,"10":15,"15":17,"30":20},"ESIM_GO-Standard Unlimited Plus":{"1":4,"3":6,"5":10,"7":13,"10":16,"15":18,"30":21},"MAYA":{"1":5,"3":8,"5":6,"7":15,"10":11,"15":16,"30":23}}}'),
  ('1cbf12bf-d423-430b-9cc1-3674f434b4bc', 'Unused Days Discount', 'Half the daily cost back for every day bought but not asked for', 'unused_days_discount', 'apply-unused-days-discount', 80, true, true,
   '{"all":[{"fact":"unusedDays","operator":"greaterThan","value":0}]}',
   '{}'),
  ('9761877f-792b-4086-9508-63a9080fb4f1', 'Payment Processing Fees', 'Card processing fee by payment method', 'processing_fee', 'apply-processing-fee', 40, false, true,
   '{"all":[{"fact":"paymentMethod","operator":"equal","value":"ISRAELI_CARD"}]}',
   '{"type":"SET_PROCESSING_RATE","feesMatrix":{"DINERS":{"percentageFee":3.9,"fixedFee":0},"FOREIGN_CARD":{"percentageFee":2.9,"fixedFee":0.3},"ISRAELI_CARD":{"percentageFee":1.4,"fixedFee":0}}}'),
  ('c3d4e5f6-7890-12cd-ef01-123456789012', 'Minimum 1.5$ profit', 'Never sell under cost + 1.50', 'profit_constraint', 'apply-profit-constraint', 20, true, true,
   '{"all":[]}',
   '{"value":1.5}'),
  ('a52106bc-5303-47b1-adae-892aa0b48735', 'Psychological Rounding', 'Round to the nearest whole dollar', 'psychological_rounding', 'apply-psychological-rounding', 10, true, true,
   '{"all":[]}',
   '{"strategy":"nearest-whole"}'),
  ('a1b2c3d4-5678-90ab-cdef-123456789012', 'Set Fixed Price', 'Fixed price of 25 for Ukraine', 'custom', 'apply-fixed-price', 1, true, true,
   '{"all":[{"fact":"country","path":"$.country","operator":"equal","value":"UA"}]}',
   '{"actions":{"value":25}}');

INSERT INTO @extschema@.pricing_strategies (id, code, name, description, is_default, created_by)
VALUES ('def00000-0000-0000-0000-000000000001', 'DEFAULT_V1', 'Default Global Pricing Strategy',
        'The shipped default blocks at their own priorities', true, '00000000-0000-0000-0000-000000000000');

-- Every active block at its block priority (100, 99, 90, 80, 20, 10, 1), with
-- ids fixed like the blocks' own, so a restore makes the same rows again.
INSERT INTO @extschema@.strategy_blocks (id, strategy_id, block_id, priority, is_enabled)
SELECT pg_catalog.md5('DEFAULT_V1:' || b.id::text)::uuid, 'def00000-0000-0000-0000-000000000001', b.id, b.priority, true
FROM @extschema@.pricing_blocks b WHERE b.is_active;

INSERT INTO @extschema@.catalog_metadata (id) VALUES ('singleton');

END
$seeds$;
