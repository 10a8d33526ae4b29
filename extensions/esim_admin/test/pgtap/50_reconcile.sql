-- The oracle: reconcile is empty on a consistent database and names each
-- figure that drifts (here made to drift with the rules' triggers off).
BEGIN;
SELECT plan(5);
\ir fixtures/world.psql

SELECT is((SELECT count(*)::int FROM reconcile), 0, 'a consistent database reconciles');
SELECT is(test_helpers.outcome_as('authenticated', :'admin', 'SELECT * FROM reconcile'), '42501', 'reconcile is the service''s');

UPDATE promotional_codes SET used_count = 1 WHERE id = :'promo';
SELECT is((SELECT figure FROM reconcile WHERE row_id = :'promo'), 'promotional_codes.used_count', 'a wrong used_count is found');
UPDATE promotional_codes SET used_count = 0 WHERE id = :'promo';

ALTER TABLE transactions DISABLE TRIGGER trg_transactions_before_write;
UPDATE transactions SET status = 'refunded' WHERE id = :'tx_a';
ALTER TABLE transactions ENABLE TRIGGER trg_transactions_before_write;
SELECT is((SELECT figure FROM reconcile WHERE row_id = :'tx_a'), 'transactions.status refunded', 'a refunded status without its refunds is found');

ALTER TABLE support_tickets DISABLE TRIGGER trg_support_tickets_before_write;
UPDATE support_tickets SET ticket_number = left(ticket_number, 9) || '999999' WHERE id = :'ticket_a';
ALTER TABLE support_tickets ENABLE TRIGGER trg_support_tickets_before_write;
SELECT is((SELECT count(*)::int FROM reconcile WHERE figure = 'ticket numbers gapless'), 1, 'a gap in ticket numbers is found');

SELECT * FROM finish();
ROLLBACK;
