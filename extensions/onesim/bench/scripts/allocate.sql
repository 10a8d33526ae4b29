-- 6. Allocation: a pending B2B order becomes ALLOCATED (its earning is
-- created or becomes earned). Rolled back, so the pool of pending orders stays.
\set k random(1, :norders / 4)
\set o 100000000000 + 4 * :k
BEGIN;
UPDATE orders SET order_status = 'ALLOCATED' WHERE id = '00000000-0000-0000-0004-:o';
ROLLBACK;
