-- 4. Bulk: 20,000 of partner 1's customers added to its empty group in one
-- statement (rolled back, so every run starts from the same state).
BEGIN;
INSERT INTO customer_group_members (group_id, customer_id) SELECT '00000000-0000-0000-0005-100000002001', id FROM bench.bulk_customers;
ROLLBACK;
