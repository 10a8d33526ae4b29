-- The service refunds a random allocated order (its earning is cancelled,
-- clawed back if it was already paid out).
BEGIN;
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT stress.try(format('SELECT refund_order(%L, %L)', o.id, 'customer complaint'))
  FROM (SELECT id FROM orders WHERE order_status = 'ALLOCATED' AND id >= gen_random_uuid()
         ORDER BY id LIMIT 1) o;
COMMIT;
