-- A customer buys, with a promotional code two times in three.
\set who random(1, 40)
\set plan random(1, 4)
\set code random(1, 30)
BEGIN;
SELECT stress.as_user(:who);
SELECT stress.try(format('SELECT * FROM esim_admin.purchase(%L, ''credit_card'', %L)',
  '00000000-0000-4000-9000-' || lpad(:plan::text, 12, '0'), CASE WHEN :code <= 20 THEN 'STRESS' || :code END));
COMMIT;
