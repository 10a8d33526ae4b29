-- 4. Bulk: 20,000 of partner 1's customers added to its empty group in one
-- statement (rolled back, so every run starts from the same state).
BEGIN;
INSERT INTO customer_group_members (group_id, customer_id) SELECT bench.uid(5, 2001), bench.uid(2, 10000 + i) FROM generate_series(1, 20000) i;
ROLLBACK;
