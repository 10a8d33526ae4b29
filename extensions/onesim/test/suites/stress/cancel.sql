-- A partner cancels one of its pending orders (55000 if it got allocated
-- in the meantime: a legitimate refusal).
\set p random(1, 4)
BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', format('{"sub":"%s","role":"authenticated"}', stress.uid(0, :p)), true);
SELECT stress.try(format('SELECT cancel_order(%L, %L)', o.id, 'changed plans'))
  FROM (SELECT id FROM orders WHERE partner_id = stress.uid(1, :p) AND order_status = 'PENDING'
           AND id >= gen_random_uuid() ORDER BY id LIMIT 1) o;
COMMIT;
