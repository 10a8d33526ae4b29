-- The service pays a random partner its balance (55000 when there is
-- nothing to pay: a legitimate refusal).
\set p random(1, 4)
BEGIN;
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT stress.try(format('SELECT run_partner_payout(%L, %L, %L)', stress.uid(1, :p), 'bank_transfer', 'stress'));
COMMIT;
