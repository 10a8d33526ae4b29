-- The provider webhook (service role) allocates a random pending order.
\set r random(1, 1000000000)
BEGIN;
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT stress.try(format('SELECT record_allocation(%L, %L)', o.id, left('89' || :r || md5(random()::text), 32)))
  FROM (SELECT id FROM orders WHERE order_status = 'PENDING' AND id >= gen_random_uuid()
         ORDER BY id LIMIT 1) o;
COMMIT;
