-- 6. Allocation: a pending B2B order becomes ALLOCATED (its earning is
-- created or becomes earned). Rolled back, so the pool of pending orders stays.
\set k random(1, :norders / 4)
BEGIN;
UPDATE orders SET order_status = 'ALLOCATED' WHERE id = bench.uid(4, 4 * :k);
ROLLBACK;
